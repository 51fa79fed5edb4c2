"""Resolvers: the text of a quantity mention -> (value, unit, op, hedge).

Pure functions over strings; they parse with the same compiled grammar the
recognisers use (models/patterns.yaml), so one grammar defines both layers.
`≤0.6万元` -> Quantity(6000, "元", "<=", None); `30余万元` -> (300000, "元", None, "余").
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

from ..normalize import fold_width
from ..recognize.guard import named_groups
from ..recognize.patterns import compiled_patterns
from ..resources import lookup
from .numbers import MULTIPLIERS, NotANumber, parse_number

QUANTITY_TYPES = ("MONEY", "PERCENT", "LENGTH", "DURATION", "COUNT")


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str
    op: str | None = None
    hedge: str | None = None


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict]:
    comparators = lookup("units.comparators")
    return {
        "money": {k: Decimal(str(v)) for k, v in lookup("units.money.units").items()},
        "money_bare": {k: Decimal(str(v)) for k, v in lookup("units.money.bare").items()},
        "length": {k: Decimal(str(v)) for k, v in lookup("units.length.units").items()},
        "percent": {k: Decimal(str(v)) for k, v in lookup("units.percent.units").items()},
        "duration": dict(lookup("units.duration.units")),
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


def _scaled_number(number_text: str, unit_text: str, units: dict[str, Decimal]) -> tuple[Decimal, Decimal]:
    """(number, factor of the rest of the unit): a unit's leading 万/亿 belongs to a Chinese
    number before it (壹亿贰仟 + 万元 -> 壹亿贰仟万 x 元; 3亿5千 + 万元 -> 3亿5千万 x 元)."""
    chinese = any(not ch.isascii() for ch in number_text.rstrip("万亿"))
    if chinese and unit_text[:1] in MULTIPLIERS and unit_text[1:] in units:
        try:
            return parse_number(number_text + unit_text[0]), units[unit_text[1:]]
        except NotANumber:
            pass  # 十二点五 + 亿元: the scale stays with the unit
    return parse_number(number_text), units[unit_text]


def quantity_from_match(label: str, match: "regex.Match[str]") -> Quantity:
    """Resolve a match of one of `label`'s patterns; raises NotANumber when the number is not one."""
    return quantity_from_groups(label, named_groups(match))


def quantity_from_groups(label: str, groups: dict[str, str | None]) -> Quantity:
    """Resolve the named groups of a match of one of `label`'s patterns (num, unit,
    bare, half, op/opafter, hedge/hedgemid/hedgeafter)."""
    tables = _tables()
    unit_text = groups.get("unit")
    if label == "MONEY" and groups.get("bare"):
        value, unit = parse_number(groups["num"]) * tables["money_bare"][groups["bare"]], "元"
    elif label == "MONEY":
        number, factor = _scaled_number(groups["num"], unit_text, tables["money"])
        value, unit = number * factor, "元"
    elif label == "LENGTH":
        number, factor = _scaled_number(groups["num"], unit_text, tables["length"])
        value, unit = number * factor, "km"
    elif label == "PERCENT":
        value, unit = parse_number(groups["num"]) * tables["percent"].get(unit_text or "%", Decimal(1)), "%"
    elif label == "DURATION":
        half = Decimal("0.5") if groups.get("half") else Decimal(0)  # 一年半
        value, unit = parse_number(groups["num"]) + half, tables["duration"][unit_text]
    elif label == "COUNT":
        value, unit = parse_number(groups["num"]), unit_text
    else:
        raise ValueError(f"not a quantity type: {label}")
    op = None
    if groups.get("op"):
        op = tables["op_before"][groups["op"]]
    elif groups.get("opafter"):
        op = tables["op_after"][groups["opafter"]]
    hedge = groups.get("hedge") or groups.get("hedgemid") or groups.get("hedgeafter") or None
    return Quantity(canonical(value), unit, op, hedge)


def resolve_quantity(label: str, text: str) -> Quantity | None:
    """The whole of `text` as a quantity of type `label`, or None when it is not one."""
    folded = fold_width(text).replace(" ", "")
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
