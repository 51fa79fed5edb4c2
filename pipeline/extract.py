"""The library API: text or files in, mentions with source offsets out.

    import pipeline
    pipeline.extract("G569 武仙公路肃南段完成投资 12.53 亿元")   # -> [Mention, ...]
    pipeline.extract_frame(["corpus/"])                          # -> pandas.DataFrame
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from .components import TEXT_KEY, load_nlp
from .errors import InputError
from .load import DEFAULT_MAX_BYTES, Document, expand_paths, load_document, text_document
from .normalize import Normalized, normalize
from .recognize.mention import Mention
from .recognize.references import ReferenceYears

# Texts are recognised in chunks cut at line breaks, so that memory follows the
# chunk, not the document; no mention spans a line break.
CHUNK_CHARS = 100_000


def _chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


@dataclass(frozen=True)
class Analysis:
    """A text after recognition: its normalised form and the mentions found in it,
    with offsets into the normalised text (`source_mentions` maps them to the source)."""

    norm: Normalized
    mentions: list[Mention]

    def source_mentions(self) -> list[Mention]:
        out = []
        for m in self.mentions:
            s, e = self.norm.to_source(m.start, m.end)
            out.append(replace(m, start=s, end=e, text=self.norm.source[s:e]))
        return out


def analyse(text: str) -> Analysis:
    norm = normalize(text)
    nlp = load_nlp(set_spans=False)
    years = ReferenceYears(norm.text)
    mentions: list[Mention] = []
    for offset, chunk in _chunks(norm.text):
        doc = nlp.make_doc(chunk)
        doc.user_data[TEXT_KEY] = chunk
        doc._.reference_years = years
        doc._.text_offset = offset
        for _name, pipe in nlp.pipeline:
            doc = pipe(doc)
        mentions.extend(replace(m, start=m.start + offset, end=m.end + offset) for m in doc._.jixiao_mentions or [])
    return Analysis(norm, mentions)


def extract(text: str) -> list[Mention]:
    """Every mention in `text`, offsets into `text` itself (before any normalisation)."""
    return analyse(text).source_mentions()


@dataclass
class DocumentResult:
    """What extraction gives for one input: its mentions, or the error that stopped it."""

    path: str
    doc_id: str
    mentions: list[Mention] = field(default_factory=list)
    error: InputError | None = None

    def records(self) -> list[dict]:
        return [m.record(self.doc_id) for m in self.mentions]


def extract_document(document: Document) -> DocumentResult:
    return DocumentResult(document.path, document.doc_id, extract(document.text))


def extract_paths(paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[DocumentResult]:
    """One result per input file, in order; a bad file gives a result with `error` set."""
    for item in expand_paths(list(paths)):
        if isinstance(item, InputError):
            yield DocumentResult(item.path, Path(item.path).name, error=item)
            continue
        try:
            document = load_document(item, max_bytes)
        except InputError as exc:
            yield DocumentResult(str(item), item.name, error=exc)
            continue
        yield extract_document(document)


def extract_frame(source: str | Path | Iterable[str | Path], *, is_text: bool = False) -> pd.DataFrame:
    """Mentions as a DataFrame, one row per mention, columns as the schema's fields.

    `source` is a path, a list of paths, or (with is_text=True) a string of text.
    """
    if is_text:
        rows = [m.record(text_document(str(source)).doc_id) for m in extract(str(source))]
    else:
        paths = [source] if isinstance(source, (str, Path)) else list(source)
        rows = [r for result in extract_paths(paths) for r in result.records()]
    columns = ["kind", "doc", "type", "text", "start", "end", "value", "unit", "op"]
    frame = pd.DataFrame(rows)
    return frame.reindex(columns=columns + [c for c in frame.columns if c not in columns])
