"""pipeline.evaluate: the same scores as shared/tools/score.py, and the matching rules as cases."""
from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.evaluate import format_scores, read_jsonl, score


@pytest.fixture(scope="module")
def reference(shared_dir: Path) -> ModuleType:
    """shared/tools/score.py, the scorer pipeline.evaluate must agree with."""
    spec = importlib.util.spec_from_file_location("reference_score", shared_dir / "tools" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


# --- agreement with the reference scorer -------------------------------------------------

def test_agrees_with_reference_on_the_sample(reference, gold_dir, sample_pred):
    assert score(gold_dir, sample_pred)["mentions"] == reference.score(str(gold_dir), str(sample_pred))["mentions"]


def test_records_score_as_their_file_does(gold_dir, sample_records, sample_pred):
    assert score(gold_dir, sample_records) == score(gold_dir, sample_pred)


def _perturbed(gold: list[dict], seed: int) -> list[dict]:
    """The gold mentions with some dropped, moved, revalued, retyped, doubled, plus spurious ones."""
    rng = random.Random(seed)
    out = []
    for g in gold:
        p = dict(g)
        action = rng.choice(("keep", "keep", "drop", "shift", "grow", "value", "unit", "type", "text", "double"))
        if action == "drop":
            continue
        if action == "shift":
            delta = rng.choice((-3, -1, 1, 3))
            p["start"], p["end"] = p["start"] + delta, p["end"] + delta
        elif action == "grow":
            p["start"], p["end"] = p["start"] - rng.randint(0, 2), p["end"] + rng.randint(0, 2)
        elif action == "value":
            p["value"] = p["value"] * 10 if isinstance(p["value"], (int, float)) else (p["value"] or "") + "X"
        elif action == "unit":
            p["unit"] = rng.choice((None, "万元", "m"))
        elif action == "type":
            p["type"] = rng.choice(("MONEY", "ORG", "PROJECT", "DATE"))
        elif action == "text":
            p["text"] = p["text"][: max(1, len(p["text"]) // 3)]
        elif action == "double":
            out.append(dict(p))
        out.append(p)
    rng.shuffle(out)
    return out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_agrees_with_reference_on_perturbed_gold(reference, gold_dir, tmp_path, seed):
    gold = read_jsonl(gold_dir / "zhangye_transport_2023.mentions.jsonl")
    pred = _write_jsonl(tmp_path / "pred.jsonl", _perturbed(gold, seed))
    assert score(gold_dir, pred)["mentions"] == reference.score(str(gold_dir), str(pred))["mentions"]


# --- matching rules ----------------------------------------------------------------------

def _mention(type_: str, text: str, start: int, value=None, unit=None) -> dict:
    return {"kind": "mention", "doc": "d.txt", "type": type_, "text": text, "start": start,
            "end": start + len(text), "value": value, "unit": unit, "op": None}


MONEY = _mention("MONEY", "30万元", 10, 300000, "元")
ORG = _mention("ORG", "张掖市交通运输局", 0)

# id, gold, changes to make the prediction from it, strict match, lenient match
MATCH_CASES = [
    ("identical", MONEY, {}, True, True),
    ("quantity, span grown", MONEY, {"start": 9, "text": "金30万元"}, False, True),
    ("quantity, span shifted by one", MONEY, {"start": 11, "end": 16}, False, True),
    ("quantity, other value", MONEY, {"value": 30000}, False, False),
    ("quantity, value within tolerance", MONEY, {"value": 300000.0000001}, True, True),
    ("quantity, other unit", MONEY, {"unit": "万元"}, False, False),
    ("quantity, adjacent span", MONEY, {"start": 16, "end": 20}, False, False),
    ("quantity, offsets missing", MONEY, {"start": None, "end": None}, False, False),
    ("road code, case and spaces", _mention("ROAD", "G0611", 0, "G0611", "国家高速"), {"value": "g 0611"}, True, True),
    ("road, unit not compared", _mention("ROAD", "G0611", 0, "G0611", "国家高速"), {"unit": "国道"}, True, True),
    ("road, other code", _mention("ROAD", "G0611", 0, "G0611", "国家高速"), {"value": "G061"}, False, False),
    ("docno, bracket width", _mention("DOCNO", "张财预〔2023〕57号", 0, "张财预〔2023〕57号"),
     {"value": "张财预[2023]57号"}, True, True),
    ("date, other value", _mention("DATE", "2023年7月", 0, "2023-07"), {"value": "2023"}, False, False),
    ("name, cut shorter but mostly the same", ORG, {"start": 3, "text": "交通运输局"}, False, True),
    ("name, overlapping but mostly different", ORG, {"end": 3, "text": "张掖市"}, False, False),
    ("name, strict compares offsets only", ORG, {"text": "别的名字"}, True, False),
    ("name, bracket width", _mention("PROJECT", "自然村（组）通硬化路", 0), {"text": "自然村(组)通硬化路", "start": 1}, False, True),
]


@pytest.mark.parametrize("gold, changes, strict, lenient", [c[1:] for c in MATCH_CASES], ids=[c[0] for c in MATCH_CASES])
def test_matching(tmp_path, gold, changes, strict, lenient):
    _write_jsonl(tmp_path / "d.mentions.jsonl", [gold])
    row = score(tmp_path, [{**gold, **changes}])["mentions"][gold["type"]]
    assert (row["strict"]["tp"], row["lenient"]["tp"]) == (int(strict), int(lenient))


def test_a_prediction_of_another_type_counts_against_that_type(tmp_path):
    _write_jsonl(tmp_path / "d.mentions.jsonl", [MONEY, _mention("PERCENT", "98%", 20, 98, "%")])
    result = score(tmp_path, [{**MONEY, "type": "PERCENT"}])["mentions"]
    assert result["MONEY"]["strict"] == {"p": 0.0, "r": 0.0, "f": 0.0, "tp": 0, "pred": 0, "gold": 1}
    assert (result["PERCENT"]["strict"]["tp"], result["PERCENT"]["strict"]["pred"]) == (0, 1)


def test_each_gold_mention_matches_one_prediction(tmp_path):
    _write_jsonl(tmp_path / "d.mentions.jsonl", [MONEY])
    row = score(tmp_path, [MONEY, dict(MONEY)])["mentions"]["MONEY"]["strict"]
    assert (row["tp"], row["pred"], row["gold"], row["p"], row["r"]) == (1, 2, 1, 0.5, 1.0)


def test_matching_is_greedy_in_gold_order(tmp_path):
    # The first gold mention takes the first prediction it overlaps, though the
    # other prediction would have let both match.
    first, second = _mention("COUNT", "1234567890", 0, 1, "座"), _mention("COUNT", "67890", 5, 1, "座")
    _write_jsonl(tmp_path / "d.mentions.jsonl", [first, second])
    row = score(tmp_path, [second, _mention("COUNT", "1234", 0, 1, "座")])["mentions"]["COUNT"]["lenient"]
    assert row["tp"] == 1


def test_types_without_gold_are_not_scored(tmp_path):
    _write_jsonl(tmp_path / "d.mentions.jsonl", [MONEY])
    assert list(score(tmp_path, [MONEY, ORG])["mentions"]) == ["MONEY"]


def test_documents_without_gold_are_not_scored(tmp_path):
    _write_jsonl(tmp_path / "d.mentions.jsonl", [MONEY])
    result = score(tmp_path, [MONEY, {**MONEY, "doc": "other.txt"}])
    assert result["docs"] == ["d.txt"]
    assert result["mentions"]["MONEY"]["strict"]["pred"] == 1


def test_records_without_kind_or_doc_are_problems(tmp_path):
    _write_jsonl(tmp_path / "d.mentions.jsonl", [MONEY])
    problems = score(tmp_path, [MONEY, {"type": "MONEY"}, {**MONEY, "doc": None}])["problems"]
    assert len(problems) == 2
    assert all(p.startswith("record without a known kind/doc") for p in problems)


def test_offsets_are_checked_against_the_source_beside_the_gold(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "d.txt").write_text("当年预算资金 30万元，到位30万元。", encoding="utf-8")
    _write_jsonl(tmp_path / "gold" / "d.mentions.jsonl", [_mention("MONEY", "30万元", 7, 300000, "元")])
    good = _mention("MONEY", "30万元", 7, 300000, "元")
    assert score(tmp_path / "gold", [good])["problems"] == []
    assert score(tmp_path / "gold", [{**good, "start": 6}])["problems"] == ["d.txt: offsets [6,11) do not hold '30万元'"]


def test_a_line_that_is_not_json_is_named(tmp_path):
    _write_jsonl(tmp_path / "d.mentions.jsonl", [MONEY])
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(MONEY) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pred\.jsonl: line 2: not JSON"):
        score(tmp_path, pred)


@pytest.mark.parametrize("make, problem", [
    (lambda root: root / "missing", "no such file or directory"),
    (lambda root: root, "no gold files"),
], ids=["missing folder", "folder without gold"])
def test_gold_folder_problems(tmp_path, make, problem):
    with pytest.raises(InputError, match=problem):
        score(make(tmp_path), [MONEY])


def test_format_scores_is_a_table_of_types(gold_dir, sample_pred, sample_path):
    table = format_scores(score(gold_dir, sample_pred, docs=[sample_path.name]))
    lines = table.splitlines()
    assert lines[0] == "documents scored: 1"
    assert lines[1].split()[:4] == ["mentions", "strict", "P", "R"]
    assert {line.split()[0] for line in lines[2:]} >= {"MONEY", "PERCENT", "ORG", "PROJECT", "DOCNO"}
