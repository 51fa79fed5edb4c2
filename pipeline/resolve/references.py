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
from ..recognize.guard import named_groups
from ..recognize.patterns import compiled_patterns
from ..resources import load_yaml

_YEAR_END = ("年底", "年末", "年年底", "年年末", "年下半年")
_YEAR_START = ("年初", "年年初", "年上半年")
_MONTH_PART_START = ("初", "上旬")


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
    if all(ch in "〇零一二三四五六七八九" for ch in text) and len(text) == 4:
        return int("".join(str("〇一二三四五六七八九".index(ch)) if ch != "零" else "0" for ch in text))
    return int(cn2an.cn2an(text, "smart"))


def date_from_match(match: "regex.Match[str]", reference_year: int | None = None) -> str:
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
    digits = g["digits"]
    cls = road_class(letter, digits)
    return Road(f"{letter}{digits}", cls) if cls else None


def resolve_road(text: str) -> Road | None:
    folded = fold_width(text).replace(" ", "")
    for pattern in compiled_patterns()["ROAD"]:
        match = pattern.fullmatch(folded)
        if match:
            return road_from_match(match)
    return None


def resolve_docno(text: str) -> str:
    """A document number is its own value, as written, without spaces."""
    return regex.sub(r"\s+", "", text)
