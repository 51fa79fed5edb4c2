"""The one unit lexicon (models/units.yaml): every unit as written -> its canonical unit
and the factor into it, for money, percent, length and duration; classifiers for counts.

    unit_of("万公里")  -> Unit("万公里", "km", Decimal(10000), "LENGTH")
    unit_of("亿港元")  -> Unit("亿港元", "港元", Decimal(100000000), "MONEY")
    convert(Decimal("1.2"), "万公里", "公里") -> Decimal("12000")

A unit is a base unit with the scale words the lexicon allows in front of it (万元 is
万 x 元); adding a unit or a currency is one line in models/units.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..normalize import fold_width
from ..resources import lookup

# The quantity types and the units.yaml section each one reads its units from.
SECTIONS = {"MONEY": "money", "PERCENT": "percent", "LENGTH": "length", "DURATION": "duration"}


@dataclass(frozen=True)
class Unit:
    written: str  # as written, folded to half width: 万元, 个百分点, km
    canonical: str  # 元, 港元, %, 百分点, km, 年…; a classifier is its own canonical unit
    factor: Decimal  # value in `written` x factor = value in `canonical`
    label: str  # MONEY, PERCENT, LENGTH, DURATION or COUNT


@lru_cache(maxsize=1)
def lexicon() -> dict[str, dict[str, Unit]]:
    """Quantity type -> {unit as written: Unit}, every scaled form spelt out."""
    scales = {str(k): Decimal(str(v)) for k, v in lookup("units.scales").items()}
    money = lookup("units.money")
    table: dict[str, dict[str, Unit]] = {label: {} for label in (*SECTIONS, "COUNT")}
    for word, currency in money["currencies"].items():
        table["MONEY"][word] = Unit(word, currency, Decimal(1), "MONEY")
        for scale in money["scales"]:
            table["MONEY"][scale + word] = Unit(scale + word, currency, scales[scale], "MONEY")
    for label in ("PERCENT", "LENGTH", "DURATION"):
        section = lookup(f"units.{SECTIONS[label].lower()}")
        for word, (canonical, factor) in section["units"].items():
            table[label][word] = Unit(word, canonical, Decimal(str(factor)), label)
            for scale in section.get("scales", []):
                table[label][scale + word] = Unit(scale + word, canonical, scales[scale] * Decimal(str(factor)), label)
    for word in lookup("units.classifiers"):
        table["COUNT"][word] = Unit(word, word, Decimal(1), "COUNT")
    return table


def unit_words(label: str) -> list[str]:
    """Every way of writing a unit of `label` (the recognisers' lexicon)."""
    return list(lexicon()[label])


@lru_cache(maxsize=None)
def unit_of(written: str, label: str | None = None) -> Unit | None:
    """The unit `written` stands for (of type `label`, or of any type), or None.
    Full-width forms and the Traditional script's 萬/億 are folded first."""
    word = fold_width(written).strip().replace("萬", "万").replace("億", "亿")
    for lab in (label,) if label else lexicon():
        unit = lexicon()[lab].get(word)
        if unit:
            return unit
    return None


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal | None:
    """`value` written in `from_unit`, expressed in `to_unit`; None when the two units are
    not of one kind (元 and km, 元 and 美元, % and 百分点) or either is unknown.
    convert(Decimal("1.2"), "万公里", "公里") -> 12000; convert(3, "万元", "元") -> 30000.
    Units outside the lexicon convert by their scale words alone: 万亩 -> 亩 is x 10000."""
    a, b = unit_of(from_unit), unit_of(to_unit)
    if a is not None and b is not None:
        return value * a.factor / b.factor if a.canonical == b.canonical else None
    (fa, base_a), (fb, base_b) = _scaled(from_unit), _scaled(to_unit)
    return value * fa / fb if base_a and base_a == base_b else None


def in_canonical(value: Decimal, written: str | None) -> tuple[Decimal, str | None]:
    """`value` written in `written`, as (value, unit) in the canonical unit, so that two
    cells compare: (1.2, 万公里) -> (12000, km); (80, 万元) -> (800000, 元); a unit outside
    the lexicon by its scale words, (2.6, 万亩) -> (26000, 亩); no unit, as it is."""
    if not written:
        return value, written
    unit = unit_of(written)
    if unit is not None:
        return value * unit.factor, unit.canonical
    factor, base = _scaled(written)
    return value * factor, base


def _scaled(written: str) -> tuple[Decimal, str]:
    """`万亩` -> (10000, "亩"): the longest scale word in front and the rest."""
    word = fold_width(written).strip().replace("萬", "万").replace("億", "亿")
    scales = {str(k): Decimal(str(v)) for k, v in lookup("units.scales").items()}
    for scale in sorted(scales, key=len, reverse=True):
        if word.startswith(scale) and len(word) > len(scale):
            return scales[scale], word[len(scale):]
    return Decimal(1), word
