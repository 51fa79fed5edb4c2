"""Recognise DATE, DOCNO and ROAD mentions.

Dates resolve against the fiscal year of the report they stand in: the year of the
nearest title line before them (`…2023年度…自评报告`), else the first year written.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Iterator

from ..resolve.references import date_from_match, resolve_docno, road_from_match
from .context import cue_pattern, cue_words, line_after
from .guard import Guarded, bounded, guarded
from .mention import Mention
from .patterns import compiled_patterns
from .quantities import has_duration_cue, is_header_after_figure

_TITLE_WORDS = r"(?:报告|总结|决算|说明书?|方案|计划)[ \t]{0,40}$"
_TITLE_YEAR = bounded(r"(?m)^[^\n]{0,60}?((?:19|20)\d{2})\s?年度?[^\n]{0,80}?" + _TITLE_WORDS)
# Where a title line ends: a title starts on its line or the line before (\s? may take the break).
_TITLE_END = bounded(r"(?m)" + _TITLE_WORDS)
_ANY_YEAR = guarded(r"(?<!\d)((?:19|20)\d{2})\s?年")
_NAME_START = guarded(r"[\p{Han}A-Za-z]")


class ReferenceYears:
    """The fiscal year in force at each position of a text."""

    def __init__(self, default: int | None, positions: list[int], years: list[int]):
        self.default = default
        self.positions = positions
        self.years = years

    @classmethod
    def of(cls, text: str) -> "ReferenceYears":
        titles = [(m.start(), int(m.group(1))) for m in _title_years(text)]
        first = _ANY_YEAR.search(text)
        default = titles[0][1] if titles else (int(first.group(1)) if first else None)
        return cls(default, [p for p, _ in titles], [y for _, y in titles])

    def shifted(self, offset: int) -> "ReferenceYears":
        """The same years for a slice of the text that starts at `offset`."""
        if not offset:
            return self
        return ReferenceYears(self.default, [p - offset for p in self.positions], self.years)

    def at(self, pos: int) -> int | None:
        k = bisect_right(self.positions, pos) - 1
        return self.years[k] if k >= 0 else self.default


def _title_years(text: str) -> Iterator["re.Match[str]"]:
    """`_TITLE_YEAR.finditer(text)`, tried only at the starts of lines where a title can
    begin: its own line or the one before ends with a title word."""
    starts: list[int] = []
    for end in _TITLE_END.finditer(text):
        line = text.rfind("\n", 0, end.start()) + 1
        if line:
            starts.append(text.rfind("\n", 0, line - 1) + 1)  # the line before
        starts.append(line)
    done = 0  # where the last match ended: matches do not overlap
    for start in sorted(set(starts)):
        if start >= done:
            match = _TITLE_YEAR.match(text, start)
            if match:
                done = match.end()
                yield match


@lru_cache(maxsize=1)
def _docno_prefix_stop() -> Guarded:
    return guarded(rf".*{cue_pattern('docno_prefix_stops').pattern}")


def _trim_docno_prefix(text: str, start: int, bracket: int) -> int:
    """Cut a document number's issuer code after the last word that cannot be part of it."""
    stop = _docno_prefix_stop().match(text[start:bracket])
    return start + stop.end() if stop else start


def find_references(text: str, years: ReferenceYears | None = None) -> list[Mention]:
    years = years or ReferenceYears.of(text)
    patterns = compiled_patterns()
    found: list[Mention] = []
    for pattern in patterns["DATE"]:
        with_yy = "yy" in pattern.groupindex  # a two-digit year (23年)
        for match in pattern.finditer(text):
            s, e = match.span("q")
            yy = match.group("yy") if with_yy else None
            if yy and (has_duration_cue(text, s, e) or is_header_after_figure(text, s + len(yy), yy)):
                continue
            found.append(Mention("DATE", s, e, text[s:e], date_from_match(match, years.at(s))))
    for pattern in patterns["DOCNO"]:
        for match in pattern.finditer(text):
            s, e = match.start("prefix"), match.end("q")
            s = _trim_docno_prefix(text, s, match.start("q"))
            if not _NAME_START.match(text[s:s + 1]):
                continue
            found.append(Mention("DOCNO", s, e, text[s:e], resolve_docno(text[s:e])))
    for pattern in patterns["ROAD"]:
        for match in pattern.finditer(text):
            s, e = match.span("q")
            if line_after(text, e, 6).lstrip().startswith(cue_words("road_not_after")):
                continue
            road = road_from_match(match)
            if road:
                found.append(Mention("ROAD", s, e, text[s:e], road.code, road.road_class))
    return found
