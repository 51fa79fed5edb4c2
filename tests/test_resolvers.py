"""Resolver cases: the pure functions that turn a mention's text into its value.

The tables live in tests/cases/resolve_*.tsv, one case a line; this layer runs
without the recognisers, so a failure here is a resolver bug, not a boundary bug.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from casetable import read_table
from pipeline.resolve.numbers import NotANumber, parse_number
from pipeline.resolve.quantities import Cell, resolve_cell, resolve_comparator, resolve_quantity
from pipeline.resolve.references import resolve_date, resolve_docno, resolve_road
from pipeline.resolve.units import convert



def params(rows: list[dict[str, str]]) -> list:
    seen: set[str] = set()
    out = []
    for row in rows:
        if row["id"] in seen:
            raise ValueError(f"duplicate case id {row['id']!r}")
        seen.add(row["id"])
        marks = [pytest.mark.xfail(strict=True, reason=row["xfail"])] if row.get("xfail") else []
        out.append(pytest.param(row, id=row["id"], marks=marks))
    return out


def _or_none(cell: str) -> str | None:
    return cell or None


QUANTITY_ROWS = read_table("resolve_quantity.tsv")
REFERENCE_ROWS = read_table("resolve_reference.tsv")


def _decimal(cell: str) -> Decimal | None:
    return Decimal(cell) if cell else None


@pytest.mark.parametrize("case", params(QUANTITY_ROWS))
def test_resolve_quantity(case):
    got = resolve_quantity(case["label"], case["text"])
    if not case["value"] and not case["low"]:
        assert got is None, f"{case['text']!r} is not a {case['label']}, got {got}"
        return
    assert got is not None, f"{case['text']!r} not resolved as {case['label']}"
    assert got.value is None or isinstance(got.value, Decimal)
    assert (got.value, got.unit, got.op, got.hedge, got.low, got.high) == (
        _decimal(case["value"]),
        case["unit"],
        _or_none(case["op"]),
        _or_none(case["hedge"]),
        _decimal(case["low"]),
        _decimal(case["high"]),
    )


@pytest.mark.parametrize("case", params([r for r in REFERENCE_ROWS if r["kind"] == "DATE"]))
def test_resolve_date(case):
    year = int(case["reference_year"]) if case["reference_year"] else None
    assert resolve_date(case["text"], year) == _or_none(case["value"])


@pytest.mark.parametrize("case", params([r for r in REFERENCE_ROWS if r["kind"] == "ROAD"]))
def test_resolve_road(case):
    got = resolve_road(case["text"])
    if not case["value"]:
        assert got is None, f"{case['text']!r} is not a route, got {got}"
        return
    assert got is not None, f"{case['text']!r} not resolved as a route"
    assert (got.code, got.road_class) == (case["value"], case["unit"])


@pytest.mark.parametrize("case", params([r for r in REFERENCE_ROWS if r["kind"] == "DOCNO"]))
def test_resolve_docno(case):
    assert resolve_docno(case["text"]) == case["value"]


def test_reference_tables_name_known_kinds():
    assert {r["kind"] for r in REFERENCE_ROWS} <= {"DATE", "ROAD", "DOCNO"}
    assert {r["label"] for r in QUANTITY_ROWS} <= {"MONEY", "PERCENT", "LENGTH", "DURATION", "COUNT"}


# parse_number is the numeric core shared by every quantity resolver.
NUMBERS = [
    ("1,234.56", "1234.56"),
    ("3.56亿", "356000000"),
    ("30万", "300000"),
    ("九十八点五", "98.5"),
    ("叁拾", "30"),
    ("１２．５", "12.5"),
    ("两千", "2000"),
]


@pytest.mark.parametrize("text,value", NUMBERS, ids=[f"number-{i}" for i in range(len(NUMBERS))])
def test_parse_number(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "  ", "abc", "万"], ids=["empty", "spaces", "latin", "wan-alone"])
def test_parse_number_rejects(text):
    with pytest.raises(NotANumber):
        parse_number(text)


# resolve_cell: a table cell read with the same grammar, its unit as written.

CELL_ROWS = read_table("resolve_cell.tsv")


@pytest.mark.parametrize("case", params(CELL_ROWS))
def test_resolve_cell(case):
    got = resolve_cell(case["text"])
    if not case["value"] and not case["low"]:
        assert got is None, f"{case['text']!r} is text, got {got}"
        return
    assert got == Cell(_or_none(case["op"]), _decimal(case["value"]), _or_none(case["unit"]),
                       _or_none(case["hedge"]), _decimal(case["low"]), _decimal(case["high"]))


COMPARATORS = [("≥", ">="), ("＞＝", ">="), ("不低于", ">="), ("以上", ">="), ("≤", "<="), (" = ", "="),
               ("≥95%", None), ("达标", None), ("", None)]


@pytest.mark.parametrize("text,want", COMPARATORS, ids=[t or "empty" for t, _ in COMPARATORS])
def test_resolve_comparator(text, want):
    assert resolve_comparator(text) == want


CONVERSIONS = [
    ("1.2", "万公里", "公里", "12000"),
    ("12500", "公里", "万公里", "1.25"),
    ("800", "米", "公里", "0.8"),
    ("3", "万元", "元", "30000"),
    ("2.5", "亿元", "万元", "25000"),
    ("2.6", "万亩", "亩", "26000"),
    ("3", "万元", "美元", None),
    ("3", "%", "百分点", None),
    ("3", "公里", "元", None),
    ("3", "亩", "公顷", None),
]


@pytest.mark.parametrize("value,source,target,want", CONVERSIONS, ids=[f"{s}-{t}" for _, s, t, _ in CONVERSIONS])
def test_convert(value, source, target, want):
    got = convert(Decimal(value), source, target)
    assert got == (Decimal(want) if want else None)
