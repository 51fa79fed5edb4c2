"""Text in, mentions out: normalise, segment and recognise, offsets into the source.

    import pipeline
    pipeline.extract("G569 武仙公路肃南段完成投资 12.53 亿元")   # -> [Mention, ...]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .normalize import Normalized, normalize
from .recognize import select
from .recognize.guard import line_pieces
from .recognize.mention import Mention
from .recognize.names import find_orgs, find_projects
from .recognize.quantities import find_quantities
from .recognize.references import ReferenceYears, find_references
from .script import simplified
from .segment import ClauseTokens, Tokens

# Texts are recognised in chunks cut at line breaks, so that memory follows the
# chunk, not the document; no mention spans a line break.
CHUNK_CHARS = 100_000


def _chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    for start, end in line_pieces(text, size, whole_lines=False):
        yield start, text[start:end]


@dataclass(frozen=True)
class Analysis:
    """A text after recognition: its normalised form and the mentions found in it,
    with offsets into the normalised text (`source_mentions` maps them to the source).

    `norm.source` is the text as read: Traditional script converted to Simplified,
    character for character (pipeline/script.py), so its offsets are the source's.
    """

    norm: Normalized
    mentions: list[Mention]
    source: str  # the text as given

    def source_mentions(self) -> list[Mention]:
        out = []
        for m in self.mentions:
            s, e = self.norm.to_source(m.start, m.end)
            extra = m.extra
            if "_hedge_span" in extra:  # the hedge as written (約 in a Traditional text)
                hs, he = self.norm.to_source(*extra["_hedge_span"])
                extra = {k: v for k, v in extra.items() if k != "_hedge_span"} | {"hedge": self.source[hs:he]}
            out.append(Mention(m.type, s, e, self.source[s:e], m.value, m.unit, m.op, extra))
        return out


def recognise(text: str, years: ReferenceYears, tokens: Tokens) -> list[Mention]:
    """The mentions of `text` as the spaCy pipeline (components.PIPES) finds them in its
    Doc, without building one: the same recognisers in the same order, each one's
    mentions added to those before by `select`; `tokens` are the Doc's tokens."""
    mentions = select(find_quantities(text))
    mentions = select(find_references(text, years), mentions)
    mentions = select(find_orgs(text, tokens), mentions)
    return select(find_projects(text, tokens, mentions), mentions)


def analyse(text: str) -> Analysis:
    norm = normalize(simplified(text))
    years = ReferenceYears.of(norm.text)
    mentions: list[Mention] = []
    for offset, chunk in _chunks(norm.text):
        # only the name rules read words, and only around their candidates
        found = recognise(chunk, years.shifted(offset), ClauseTokens(chunk))
        if offset:
            found = [m.shifted(offset) for m in found]
        mentions.extend(found)
    return Analysis(norm, mentions, text)


def extract(text: str) -> list[Mention]:
    """Every mention in `text`, offsets into `text` itself (before any normalisation)."""
    return analyse(text).source_mentions()
