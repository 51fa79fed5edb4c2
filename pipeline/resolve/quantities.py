"""Resolvers: the text of a quantity -> Quantity(value, unit, op, hedge, low, high).

Pure functions over strings; they parse with the same compiled grammar the
recognisers use (models/patterns.yaml) and the one unit lexicon (resolve/units.py),
so one grammar defines both layers and every caller (recognisers, tables, money
trail, audit) reads a number the same way.

    resolve_quantity("MONEY", "≤0.6万元")   -> Quantity(6000, "元", "<=")
    resolve_quantity("MONEY", "30余万元")    -> Quantity(300000, "元", hedge="余")
    resolve_quantity("MONEY", "5-10万元")    -> Quantity(None, "元", low=50000, high=100000)
    resolve_quantity("PERCENT", "6.3个百分点") -> Quantity(6.3, "百分点")
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

from ..normalize import fold_width
from ..recognize.guard import named_groups
from ..recognize.mention import QUANTITY_TYPES
from ..recognize.patterns import compiled_patterns, expand
from ..resources import lookup
from .numbers import NotANumber, parse_approximate, parse_number
from .units import Unit, unit_of

__all__ = ["QUANTITY_TYPES", "Cell", "Quantity", "canonical", "quantity_from_groups", "quantity_from_match",
           "range_ends", "resolve_cell", "resolve_comparator", "resolve_quantity"]


@dataclass(frozen=True)
class Quantity:
    """A resolved quantity. `value` is in the canonical `unit` (元 or the currency, %, 百分点,
    km, 天/月/年…, the classifier), or None for a range, whose ends are `low` and `high` in the
    same unit. `op` is the comparator (">=", "<=", "=", ">", "<"), `hedge` the approximating
    word as written (约, 近, 余, 多, 左右, 数…)."""

    value: Decimal | None
    unit: str
    op: str | None = None
    hedge: str | None = None
    low: Decimal | None = None
    high: Decimal | None = None


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict]:
    comparators = lookup("units.comparators")
    return {
        "money_bare": {k: Decimal(str(v)) for k, v in lookup("units.money.bare").items()},
        "fractions": {k: Decimal(str(v)) for k, v in lookup("units.money.fractions").items()},
        "vague": tuple(lookup("units.hedges.vague")),
        "op_before": dict(comparators["before"]),
        "op_after": dict(comparators["after"]),
    }


def canonical(value: Decimal) -> Decimal:
    """Drop trailing zeros and exponent notation: 98.50 -> 98.5, 3E+5 -> 300000."""
    try:
        value = value.normalize()
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    except InvalidOperation as exc:  # beyond Decimal's precision: not an amount anyone wrote
        raise NotANumber(str(value)) from exc


def _number_in(number_text: str, unit_text: str, label: str) -> tuple[Decimal, Unit]:
    """(number, unit): a unit's leading 万/亿 belongs to a Chinese or mixed number before it
    (壹亿贰仟 + 万元 -> 壹亿贰仟万 x 元; 3亿5千 + 万元 -> 3亿5千万 x 元; 6千8百 + 万元)."""
    unit = unit_of(unit_text, label)
    if unit is None:
        raise NotANumber(unit_text)
    chinese = any(not ch.isascii() for ch in number_text)
    rest = unit_of(unit_text[1:], label) if unit_text[:1] in "万亿" else None
    if chinese and rest is not None:
        try:
            return parse_number(number_text + unit_text[0]), rest
        except NotANumber:
            pass  # 十二点五 + 亿元: the scale stays with the unit
    return parse_number(number_text), unit


def _fraction(text: str) -> Decimal:
    """角 and 分 after 元: `2角4分` -> 0.24; `柒角伍分` -> 0.75."""
    fractions = _tables()["fractions"]
    total = Decimal(0)
    for digit, word in regex.findall(r"([^零])(\p{Han})", text):
        total += parse_number(digit) * fractions[word]
    return total


def _ends(label: str, groups: dict[str, str | None]) -> tuple[Decimal | None, Decimal | None, Decimal | None, Unit]:
    """(value, low, high, unit) of the number (or range) of a match, before any sign."""
    tables = _tables()
    num, unit_text = groups["num"], groups.get("unit") or groups.get("halfunit")
    if label == "PERCENT" and not unit_text:  # 百分之九十八
        unit_text = "%"
    if label == "DURATION" and groups.get("halfunit"):
        unit_text = "个" + unit_text if unit_of("个" + unit_text, label) else unit_text
    if label == "MONEY" and groups.get("bare"):
        bare = groups["bare"]
        factor = Decimal(1) if num.endswith(bare) else tables["money_bare"][bare]  # 30万 / 30余万
        unit = unit_of("元", "MONEY")
        value = parse_number(num) * factor
        low = parse_number(groups["lo"]) * (tables["money_bare"][bare] if not groups["lo"].endswith(bare) else 1) \
            if groups.get("lo") else None
        return (None, low, value, unit) if low is not None else (value, None, None, unit)
    approximate = parse_approximate(num)
    if approximate:  # 三四次, 七八十公里
        (low_n, high_n), unit = approximate, unit_of(unit_text, label)
        if unit is None:
            raise NotANumber(unit_text)
        return None, low_n * unit.factor, high_n * unit.factor, unit
    number, unit = _number_in(num, unit_text, label)
    if groups.get("half"):  # 一年半, 两个半月, 两公里半
        number += Decimal("0.5")
    value = number * unit.factor
    if groups.get("fraction"):
        value += _fraction(groups["fraction"]) * unit.factor
    if not groups.get("lo"):
        return value, None, None, unit
    low_number, low_unit = _number_in(_low_end(groups["lo"], num, groups.get("lounit")), groups.get("lounit") or unit_text, label)
    if low_unit.canonical != unit.canonical:
        raise NotANumber(groups["lo"])
    return None, low_number * low_unit.factor, value, unit


_SCALES = "十拾百佰千仟万亿"


def _low_end(low: str, high: str, low_unit: str | None) -> str:
    """A range's low end written without unit or scale takes the high end's trailing
    scale too: 8-12万元 is 8万 to 12万; 5千-1万元 keeps its own."""
    if low_unit or any(ch in _SCALES for ch in low):
        return low
    k = len(high)
    while k and high[k - 1] in _SCALES:
        k -= 1
    return low + high[k:] if k else low


def range_ends(groups: dict[str, str | None]) -> dict[str, str | None]:
    """The groups of a match with a range's ends named as they are meant: the pattern reads
    the first number as `num` and a range's high end as `hi` (the first number is parsed
    once); here `lo` is the low end and `num` the high one, or `lo` is None."""
    if groups.get("hi"):
        return {**groups, "lo": groups["num"], "num": groups["hi"]}
    return {**groups, "lo": None}


def quantity_from_match(label: str, match: "regex.Match[str]") -> Quantity:
    """Resolve a match of one of `label`'s patterns; raises NotANumber when the number is not one."""
    return quantity_from_groups(label, named_groups(match))


def quantity_from_groups(label: str, groups: dict[str, str | None]) -> Quantity:
    """Resolve the named groups of a match of one of `label`'s patterns (num, unit, hi/lounit
    for a range, bare, half/halfunit, fraction, sign, op/opafter, hedge/hedgemid/hedgeafter).
    Raises NotANumber where the number is none (or a range runs downwards)."""
    if label not in QUANTITY_TYPES:
        raise ValueError(f"not a quantity type: {label}")
    tables = _tables()
    groups = range_ends(groups)
    value, low, high, unit = _ends(label, groups)
    if groups.get("sign"):
        value = -value if value is not None else None
        low = -low if low is not None else None
    if low is not None and high is not None and low >= high:
        raise NotANumber(groups["num"])  # 10-5万元 is no range; 2023-12 no amount
    op = None
    if groups.get("op"):
        op = tables["op_before"][groups["op"]]
    elif groups.get("opafter"):
        op = tables["op_after"][groups["opafter"]]
    hedge = groups.get("hedge") or groups.get("hedgemid") or groups.get("hedgeafter") or None
    if hedge in tables["vague"]:  # 数十亿元: at least 十亿
        op = op or ">="
    return Quantity(
        canonical(value) if value is not None else None,
        unit.canonical,
        op,
        hedge,
        canonical(low) if low is not None else None,
        canonical(high) if high is not None and low is not None else None,
    )


# Spaces go, except one between digits: the thousands groups of PDF text (2 318.45).
_SPACES = regex.compile(r"(?<!\d)\s+|\s+(?!\d)")


def resolve_quantity(label: str, text: str) -> Quantity | None:
    """The whole of `text` as a quantity of type `label`, or None when it is not one.
    `text` may carry its comparator and hedge (`≥30万元`, `约5亿元`, `30万元以上`)."""
    folded = _SPACES.sub("", fold_width(text))
    for pattern in compiled_patterns()[label]:
        match = _whole(pattern, folded)
        if match:
            try:
                return quantity_from_match(label, match)
            except NotANumber:
                return None
    return None


def _whole(pattern: "regex.Pattern[str]", text: str) -> "regex.Match[str] | None":
    """A match that covers all of `text`: from its comparator or hedge (read behind the
    number) to its end."""
    for match in pattern.finditer(text):
        groups = named_groups(match)
        start = min([match.start()] + [match.start(g) for g in ("op", "hedge") if groups.get(g)])
        if start == 0 and match.end() == len(text):
            return match
    return None


@dataclass(frozen=True)
class Cell:
    """A table cell or target read with the same grammar, its unit kept as written (the
    schema's indicator units: `万元`, `万亩`, `公里`): `value` (or `low`/`high` for a range)
    is the number in that unit. Compare two cells with resolve.units.convert."""

    op: str | None
    value: Decimal | None
    unit: str | None
    hedge: str | None = None
    low: Decimal | None = None
    high: Decimal | None = None


_NOT_ARABIC = regex.compile(r"[^\d.,\s]")


@lru_cache(maxsize=1)
def _cell_pattern() -> "regex.Pattern[str]":
    # The number takes no scale a unit begins with (1.2万公里 is 1.2 万公里, as written), unless
    # the scale sits inside it (2万5000元). A unit is a word of up to four characters after
    # an optional scale (万平方公里), or %, then an optional per-N denominator (元/生·年,
    # 万元/公里, /10万, /万人); a longer word is text (12月下旬前完成), not a unit.
    number = "(?:{ArabicNumber}(?![万亿千百十]\\d)|{Number})"
    word = "[^\\d\\s.,%/]{1,4}?"
    unit = f"(?:%|(?:{{Scale}}{{0,2}})?{word})??(?:/\\d*(?:{{Scale}}{{0,2}})?{word})??"
    body = (f"(?P<op>{{OpBefore}})?(?P<hedge>{{HedgeBefore}}|{{HedgeVague}})?(?P<sign>[-−负])?"
            f"(?:(?P<lo>{number})(?P<lounit>{unit}){{RangeSep}})?(?P<num>{number})(?P<hedgemid>余|多)?"
            f"(?P<unit>{unit})(?P<hedgeafter>{{HedgeAfter}})?(?P<opafter>{{OpAfter}})?")
    return regex.compile(expand(body))


@lru_cache(maxsize=4096)  # a table repeats its cells (100%, 10, 满意); each is read once
def resolve_cell(text: str) -> Cell | None:
    """A whole cell as a number with its comparator, hedge and unit as written, or None
    when the cell is not one (text, an empty cell, a date):
    `≥1.2万公里` -> Cell(">=", 1.2, "万公里"); `98%以上` -> Cell(">=", 98, "%");
    `12500` -> Cell(None, 12500, None); `5-10万元` -> Cell(None, None, "万元", low=5, high=10);
    `约3万4000元` -> Cell(None, 34000, "元", hedge="约")."""
    folded = _SPACES.sub("", fold_width(text)).replace("萬", "万").replace("億", "亿")
    match = _cell_pattern().fullmatch(folded)
    if not match:
        return None
    g = named_groups(match)
    if _NOT_ARABIC.search(g["num"] + (g.get("lo") or "")) and unit_of((g.get("unit") or "").split("/")[0]) is None:
        return None  # a number in Chinese numerals takes a unit of the lexicon: 零增长, 一般, 十分满意 are words
    try:
        approximate = parse_approximate(g["num"]) if not g.get("lo") else None
        value = parse_number(g["num"]) if not approximate else None
        low = parse_number(g["lo"]) if g.get("lo") else (approximate[0] if approximate else None)
        high = value if g.get("lo") else (approximate[1] if approximate else None)
    except NotANumber:
        return None
    if g.get("sign"):
        value, low = (-value if value is not None else None), (-low if low is not None else None)
    if low is not None:
        value = None
        if g.get("lounit") and g["lounit"] != g.get("unit") or low >= high:
            return None
    op = _tables()["op_before"].get(g.get("op")) or _tables()["op_after"].get(g.get("opafter"))
    hedge = g.get("hedge") or g.get("hedgemid") or g.get("hedgeafter") or None
    if hedge in _tables()["vague"]:
        op = op or ">="
    return Cell(op, canonical(value) if value is not None else None, g.get("unit") or None, hedge,
                canonical(low) if low is not None else None, canonical(high) if high is not None else None)


def resolve_comparator(text: str) -> str | None:
    """A comparator written alone (an op column's cell, or a token split from its number
    by a space): `≥` -> ">="; `不低于` -> ">="; `以上` -> ">="; anything else None."""
    word = _SPACES.sub("", fold_width(text))
    return _tables()["op_before"].get(word) or _tables()["op_after"].get(word)
