"""Recogniser cases: a sentence -> the mentions `pipeline.extract` finds in it.

One table per mention type in tests/cases/recognize_*.tsv, one expectation a line
(the column meanings are in each file's header comment). Sentences are invented in
the style of reports from several provinces, not only the sample corpus, so that a
rule fitted to the sample shows up here. Known failures carry their reason in the
`xfail` column and run as strict xfail, so a fix shows up as XPASS.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pytest

import casetable
import pipeline
from pipeline.recognize.mention import MENTION_TYPES, NAME_TYPES, QUANTITY_TYPES, Mention

TABLES = sorted(p.name for p in casetable.CASES.glob("recognize_*.tsv"))
COLUMNS = ["id", "sentence", "expect", "type", "text", "value", "unit", "op", "hedge", "xfail"]
# Tables of quantities may add a range's two ends (contract v2), before xfail.
RANGE_COLUMNS = ["id", "sentence", "expect", "type", "text", "value", "unit", "op", "hedge", "low", "high", "xfail"]
EXPECTS = ("=", "none", "not")


def read_table(name: str) -> list[dict[str, str]]:
    rows = casetable.read_table(name)
    header = [c for c in rows[0] if c not in ("table", "line")] if rows else COLUMNS
    if header not in (COLUMNS, RANGE_COLUMNS):
        raise ValueError(f"{name}: header {header}, expected {COLUMNS} or {RANGE_COLUMNS}")
    return [{"low": "", "high": ""} | row for row in rows]


def all_cases() -> list:
    out, seen = [], set()
    for name in TABLES:
        family = name[len("recognize_"):-len(".tsv")]
        for row in read_table(name):
            case_id = f"{family}-{row['id']}"
            if case_id in seen:
                raise ValueError(f"{name}:{row['line']}: duplicate case id {row['id']!r}")
            seen.add(case_id)
            marks = [pytest.mark.xfail(strict=True, reason=row["xfail"])] if row["xfail"] else []
            out.append(pytest.param(row, id=case_id, marks=marks))
    return out


CASE_PARAMS = all_cases()


@lru_cache(maxsize=None)
def mentions_of(sentence: str) -> tuple[Mention, ...]:
    return tuple(pipeline.extract(sentence))


def _show(mentions) -> str:
    return "; ".join(f"{m.type} {m.text!r}={m.value} {m.unit or ''} {m.op or ''}".rstrip() for m in mentions) or "nothing"


def _expected_value(case: dict[str, str], column: str = "value"):
    if not case[column]:
        return None
    if case["type"] in QUANTITY_TYPES:
        return Decimal(case[column])
    return case[column]


def _fields(m: Mention) -> tuple:
    return (m.value, m.unit, m.op, m.extra.get("hedge"), m.extra.get("low"), m.extra.get("high"))


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_case(case):
    sentence, kind, text = case["sentence"], case["type"], case["text"]
    mentions = mentions_of(sentence)
    for m in mentions:
        assert sentence[m.start:m.end] == m.text, f"offsets of {m} do not hold its text"
    same_type = [m for m in mentions if m.type == kind]
    if case["expect"] == "=":
        found = [m for m in same_type if m.text == text]
        assert found, f"no {kind} {text!r} in {sentence!r}; found: {_show(mentions)}"
        want = (_expected_value(case), case["unit"] or None, case["op"] or None, case["hedge"] or None,
                _expected_value(case, "low"), _expected_value(case, "high"))
        assert want in [_fields(m) for m in found], f"{kind} {text!r}: want {want}, got {[_fields(m) for m in found]}"
    elif case["expect"] == "none":
        start = sentence.find(text)
        end = start + len(text)
        clash = [m for m in same_type if m.start < end and start < m.end]
        assert not clash, f"{text!r} is not a {kind}; found: {_show(clash)}"
    else:  # "not": this exact span is wrong
        wrong = [m for m in same_type if m.text == text]
        assert not wrong, f"{kind} {text!r} is a wrong span; found: {_show(wrong)}"


# The tables themselves: well-formed, so that a typo cannot pass as a case.

@pytest.mark.parametrize("case", [pytest.param(c.values[0], id=c.id) for c in CASE_PARAMS])
def test_case_is_well_formed(case):
    assert case["expect"] in EXPECTS
    assert case["type"] in MENTION_TYPES
    assert case["text"] and case["text"] in case["sentence"], "the text must be a substring of the sentence"
    if case["expect"] == "=" and case["type"] in NAME_TYPES:
        assert not case["value"] and not case["unit"], "names have no value or unit"
    if case["expect"] != "=":
        assert not (case["value"] or case["unit"] or case["op"] or case["hedge"] or case["low"] or case["high"]), \
            "a negative case has no value"
    if case["low"] or case["high"]:
        assert case["low"] and case["high"] and not case["value"], "a range has both ends and no value"


def test_tables_cover_every_type():
    covered = {c.values[0]["type"] for c in CASE_PARAMS if c.values[0]["expect"] == "="}
    negatives = {c.values[0]["type"] for c in CASE_PARAMS if c.values[0]["expect"] != "="}
    assert covered == set(MENTION_TYPES)
    assert negatives == set(MENTION_TYPES)


def test_enough_cases():
    assert len(CASE_PARAMS) >= 150
