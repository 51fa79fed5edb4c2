"""Text with spans marked in displaCy's entity style, every piece of text escaped.

    marked(text, [Span(10, 18, "MONEY", "12.53 亿元")])  ->  Markup('…<mark class="entity" …>…</mark>…')

Each mark carries its offsets as `id="start-end"` (so `#1072-1080` jumps to it),
a colour per type, the type's Chinese name as a label, and the resolved value as a
tooltip (title). Overlapping spans cannot both be shown: quantities are kept
first, then the longer span, as displaCy's `filter_spans` keeps the longest.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from ..labels import type_colour, type_name

# Types kept first where spans overlap: the figures facts are about.
FIRST = ("MONEY", "PERCENT", "LENGTH", "COUNT", "DURATION")
# An audit finding's evidence, marked like a mention type.
EVIDENCE = "EVIDENCE"
_EVIDENCE_LOOK = ("证据", "#fca5a5")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str
    title: str = ""  # the value, shown on hover


def non_overlapping(spans: list[Span]) -> list[Span]:
    """The spans to show, in text order: quantities before other types, longer before shorter."""
    order = sorted(spans, key=lambda s: (s.type not in FIRST, -(s.end - s.start), s.start))
    taken: list[tuple[int, int]] = []
    kept = []
    for span in order:
        if span.end <= span.start:
            continue
        i = bisect.bisect(taken, (span.start, span.end))
        if (i > 0 and taken[i - 1][1] > span.start) or (i < len(taken) and taken[i][0] < span.end):
            continue
        taken.insert(i, (span.start, span.end))
        kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def mark(text: str, span: Span, offset: int = 0) -> str:
    """One span's text as a mark (text already cut out of the document at span.start - offset)."""
    name, colour = _EVIDENCE_LOOK if span.type == EVIDENCE else (type_name(span.type), type_colour(span.type))
    return (f'<mark class="entity" id="{span.start}-{span.end}" data-type="{escape(span.type)}"'
            f' style="background:{colour}" title="{escape(span.title)}">{escape(text)}'
            f'<span class="entity-label">{escape(name)}</span></mark>')


def marked(text: str, spans: list[Span], offset: int = 0) -> Markup:
    """`text` (which starts at document offset `offset`) escaped, with `spans` (document
    offsets) marked; spans outside the text are left out."""
    out = []
    at = 0
    for span in non_overlapping([s for s in spans if s.start >= offset and s.end <= offset + len(text)]):
        start, end = span.start - offset, span.end - offset
        out.append(escape(text[at:start]))
        out.append(mark(text[start:end], span))
        at = end
    out.append(escape(text[at:]))
    return Markup("".join(out))
