"""One document through the whole flow: load -> analyse (normalise, segment,
recognise) -> structure (reports, sections, tables) -> link (facts).

    result = process_document(load_document("report.txt"))
    result.records(("mention", "fact"))
    pipeline.extract_frame(["corpus/"])        # mentions as a pandas DataFrame
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from . import errors
from .errors import InputError
from .audit import Finding, audit
from .extract import analyse, extract
from .link import Fact, link
from .load import DEFAULT_MAX_BYTES, Document, expand_paths, load_document, text_document
from .recognize.guard import PATTERN_TIMEOUT
from .recognize.mention import Mention
from .structure import Indicator, Report, parse_indicators, parse_reports, table_regions
from .structure.export import TABLE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

KINDS = ("mention", "report", "indicator", "fact")
# What the store keeps: the schema's kinds and the audit's findings.
STORED_KINDS = KINDS + ("finding",)


@dataclass
class DocumentResult:
    """What one input gives: its records of every kind, or the error that stopped it."""

    path: str
    doc_id: str
    document: Document | None = None
    mentions: list[Mention] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    # half-open source offsets of the grid rows of the reports' tables (their quantities
    # are indicator records, not narrative): structure.table_regions, for the linker
    table_regions: list[tuple[int, int]] = field(default_factory=list)
    findings: list[Finding] | None = None  # the audit's, when asked for (kind "finding")
    source: str | None = field(default=None, repr=False)  # the text processed
    error: InputError | None = None

    def records(self, kinds: Sequence[str] = KINDS) -> list[dict[str, Any]]:
        """Schema records of the kinds asked for: mentions, reports, indicators, facts."""
        out: list[dict[str, Any]] = []
        if "mention" in kinds:
            out += [m.record(self.doc_id) for m in self.mentions]
        if "report" in kinds:
            out += [r.record() for r in self.reports]
        if "indicator" in kinds:
            out += [i.record() for i in self.indicators]
        if "fact" in kinds:
            out += [f.record() for f in self.facts]
        if "finding" in kinds:
            if self.findings is None:  # audited from these records, once
                self.findings = audit(self, self.source if self.document is None else self.document.text)
            out += [f.record() for f in self.findings]
        return out

    def indicator_rows(self) -> list[dict[str, Any]]:
        """Indicator records with their report's title, organisation and year (the spreadsheet view)."""
        by_index = {r.report: r for r in self.reports}
        rows = []
        for indicator in self.indicators:
            row = indicator.record()
            report = by_index.get(indicator.report)
            row.update(title=report.title if report else None, org=report.org if report else None,
                       year=report.year if report else None)
            rows.append({column: row.get(column) for column in TABLE_COLUMNS})
        return rows


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, back on after it if it was on.

    The extraction makes millions of short-lived objects and no reference cycles (a test
    checks it on the corpus), so the collector's passes over them free nothing: they took
    about a seventh of a 10 MB document's time, growing faster than the text. Threads
    extracting at once can only leave it on early, never off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def process_text(text: str, doc_id: str, kinds: Sequence[str] = KINDS) -> DocumentResult:
    """Extract the kinds asked for (and what they rest on: facts and indicators need reports,
    findings need reports and indicators): every record of one document, in one pass."""
    with collector_paused():
        return _process_text(text, doc_id, kinds)


def _process_text(text: str, doc_id: str, kinds: Sequence[str]) -> DocumentResult:
    if "finding" in kinds:
        kinds = tuple(dict.fromkeys([*kinds, "report", "indicator"]))
    analysis = analyse(text)
    result = DocumentResult(doc_id, doc_id, mentions=analysis.source_mentions(), source=text)
    # structure reads the text as recognition does (Simplified script); offsets are the same
    readable = analysis.norm.source
    if set(kinds) & {"report", "indicator", "fact"}:
        result.reports = parse_reports(readable, doc_id, analysis.norm, written=text, mentions=analysis.mentions)
        result.table_regions = table_regions(result.reports)
    if "indicator" in kinds:
        result.indicators = parse_indicators(readable, doc_id, result.reports, written=text)
    if "fact" in kinds:
        result.facts = link(analysis, doc_id, result.reports, result.table_regions, result.mentions)
    if "finding" in kinds:
        result.findings = audit(result, text)
    return result


@contextmanager
def failures_named(path: str) -> Iterator[None]:
    """Whatever goes wrong inside one document (a pattern out of time, a bug) as an
    InputError naming it: that document fails, the batch goes on."""
    try:
        yield
    except InputError:
        raise
    except TimeoutError as exc:
        raise InputError(path, errors.TIMED_OUT.format(seconds=PATTERN_TIMEOUT)) from exc
    except Exception as exc:  # noqa: BLE001 - one bad document must not end the batch
        raise InputError(path, errors.FAILED.format(reason=f"{type(exc).__name__}: {exc}")) from exc


def process_document(document: Document, kinds: Sequence[str] = KINDS) -> DocumentResult:
    """Raises InputError naming the document when its processing fails in any way."""
    with failures_named(document.path):
        result = process_text(document.text, document.doc_id, kinds)
    result.path, result.document = document.path, document
    return result


def extract_paths(paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES,
                  kinds: Sequence[str] = KINDS) -> Iterator[DocumentResult]:
    """One result per input file, in order; a bad file gives a result with `error` set."""
    for item in expand_paths(list(paths)):
        if isinstance(item, InputError):
            yield DocumentResult(item.path, Path(item.path).name, error=item)
            continue
        try:
            with failures_named(str(item)):
                document = load_document(item, max_bytes)
            result = process_document(document, kinds)
        except InputError as exc:
            yield DocumentResult(str(item), item.name, error=exc)
            continue
        yield result


# extract_frame's columns: the schema's mention fields, then those only some mentions have
# (hedge words, the ends of a range), so that every frame has them all, in this order.
FRAME_COLUMNS = ("kind", "doc", "type", "text", "start", "end", "value", "unit", "op", "hedge", "low", "high")


def extract_frame(source: str | Path | Iterable[str | Path], *, is_text: bool = False) -> pd.DataFrame:
    """Mentions as a DataFrame, one row per mention, columns FRAME_COLUMNS (then any field
    a recogniser adds beyond them), the same columns when nothing is found.

    `source` is a path, a list of paths, or (with is_text=True) a string of text.
    Raises FileNotFoundError for a path that does not exist, InputError for a file
    that cannot be read.
    """
    if is_text:
        rows = [m.record(text_document(str(source)).doc_id) for m in extract(str(source))]
    else:
        paths = [source] if isinstance(source, (str, Path)) else list(source)
        missing = [str(p) for p in paths if not Path(p).exists()]
        if missing:
            raise FileNotFoundError(f"{missing[0]}: no such file or folder")
        rows = []
        for result in extract_paths(paths, kinds=("mention",)):
            if result.error is not None:
                raise result.error
            rows += result.records(("mention",))
    import pandas as pd  # here, not at the top: extraction itself does without it

    frame = pd.DataFrame(rows)
    return frame.reindex(columns=list(FRAME_COLUMNS) + [c for c in frame.columns if c not in FRAME_COLUMNS])
