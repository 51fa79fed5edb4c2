"""Resolvers for dates, route codes and document numbers: text -> normalised value.

Dates resolve against a reference year (the report's fiscal year) the way
dateparser resolves relative dates against a reference date: `12月下旬` in a 2023
report is `2023-12`; without a reference year a month stays `--12`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cn2an
import regex

from ..normalize import fold_width
from .numbers import chinese_digits
from ..recognize.guard import named_groups
from ..recognize.patterns import compiled_patterns
from ..resources import load_yaml

_YEAR_END = ("年底", "年末", "年年底", "年年末")
_YEAR_START = ("年初", "年年初")
# Halves of a year as their months.
_HALVES = {"上半年": (1, 6), "下半年": (7, 12)}


@dataclass(frozen=True)
class Road:
    code: str
    road_class: str


def two_digit_year(yy: int, reference_year: int | None) -> int:
    """`23年` -> 2023: the century that puts the year nearest the reference (or 2000s)."""
    pivot = reference_year or 2000
    candidates = (1900 + yy, 2000 + yy, 2100 + yy)
    return min(candidates, key=lambda y: abs(y - pivot))


def _chinese_int(text: str) -> int:
    """`二〇二四`, `二○二四` (digit by digit, ○ and 〇 are zero) -> 2024; `十二` -> 12."""
    if len(text) == 4:
        return chinese_digits(text)
    return int(cn2an.cn2an(text, "smart"))


def _period(g: dict[str, str], year_text: str) -> str | None:
    """A named period as START/END months: 上半年, 第二季度, 前三季度, 1-9月, 2024年3月—2024年11月;
    the end of a quarter (第三季度末) is its last month. None when `g` names no period."""
    if "half" in g:
        first, last = _HALVES[g["half"]]
    elif "quarter" in g:
        quarter = int(g["quarter"]) if g["quarter"].isdigit() else _chinese_int(g["quarter"])
        first, last = (1 if "first" in g else 3 * quarter - 2), 3 * quarter
        if "part" in g:
            return f"{year_text}-{last:02d}"
    elif "m2" in g:
        first, last = int(g["m"]), int(g["m2"])
        end_year = g.get("y2") or year_text
        return f"{year_text}-{first:02d}/{end_year}-{last:02d}"
    else:
        return None
    return f"{year_text}-{first:02d}/{year_text}-{last:02d}"


def date_from_match(match: "regex.Match[str]", reference_year: int | None = None) -> str:
    """A DATE pattern's match -> `2023`, `2023-07`, `2023-07-04`, `2023/2025` (years) or
    `2023-01/2023-06` (a period of months); a date without its year takes `reference_year`
    (`-` when there is none: `--12`)."""
    g = {k: v for k, v in named_groups(match).items() if v}
    if "y1" in g:
        return f"{g['y1']}/{g['y2']}"
    if "cy" in g or "cm" in g:
        year = _chinese_int(g["cy"]) if "cy" in g else reference_year
        year_text = f"{year:04d}" if year else "-"
        if "cm" not in g:
            return year_text
        month = _chinese_int(g["cm"])
        if "cd" in g:
            return f"{year_text}-{month:02d}-{_chinese_int(g['cd']):02d}"
        return f"{year_text}-{month:02d}"
    if "yy" in g:
        return f"{two_digit_year(int(g['yy']), reference_year):04d}"
    year = int(g["y"]) if "y" in g else reference_year
    year_text = f"{year:04d}" if year else "-"
    period = _period(g, year_text)
    if period:
        return period
    q = match.group("q")
    if "m" not in g:
        if q.endswith(_YEAR_END):
            return f"{year_text}-12"
        if q.endswith(_YEAR_START):
            return f"{year_text}-01"
        return year_text
    month = f"{int(g['m']):02d}"
    if "d" in g:
        return f"{year_text}-{month}-{int(g['d']):02d}"
    return f"{year_text}-{month}"


def resolve_date(text: str, reference_year: int | None = None) -> str | None:
    folded = fold_width(text).replace(" ", "")
    for pattern in compiled_patterns()["DATE"]:
        match = pattern.fullmatch(folded)
        if match:
            return date_from_match(match, reference_year)
    return None


@lru_cache(maxsize=1)
def _road_tables() -> tuple[dict[str, list[dict]], dict[str, str]]:
    spec = load_yaml("roads.yaml")
    return spec["codes"], spec["words"]


def road_class(letter: str, digits: str) -> str | None:
    codes, _words = _road_tables()
    for rule in codes.get(letter, []):
        if len(digits) in rule["digits"]:
            return rule["class"]
    return None


def road_from_match(match: "regex.Match[str]") -> Road | None:
    codes, words = _road_tables()
    g = named_groups(match)
    letter = g.get("letter") or words[g["word"]]
    digits = g.get("digits") or "".join(str(chinese_digits(ch)) for ch in g["cn"])
    cls = road_class(letter, digits)
    return Road(f"{letter}{digits}", cls) if cls else None


def resolve_road(text: str) -> Road | None:
    folded = fold_width(text).replace(" ", "")
    for pattern in compiled_patterns()["ROAD"]:
        match = pattern.fullmatch(folded)
        if match:
            return road_from_match(match)
    return None


_SPACES = regex.compile(r"\s+")


def resolve_docno(text: str) -> str:
    """A document number is its own value, as written, without spaces."""
    return _SPACES.sub("", text)
