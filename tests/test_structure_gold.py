"""Quality on the gold corpus: reports and indicator rows, scored as score.py scores them.

The self-contained check re-implements the scorer's report and indicator rules
(match by report index; rows by report + name Jaccard >= 0.6, greedy one-to-one);
when ../shared/tools/score.py exists the same predictions are also run through it.
"""
from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.structure import parse_indicators, parse_reports

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpus" / "gold"
SCORER = ROOT.parent / "shared" / "tools" / "score.py"
REPORT_FIELDS = ("title", "org", "year", "project", "budget", "received", "spent", "execution_rate",
                 "self_score", "signed")
INDICATOR_FIELDS = ("level1", "level2", "target_op", "target", "actual", "weight", "score", "met")


def _squash(s) -> str:
    if s is None:
        return ""
    s = str(s).replace("（", "(").replace("）", ")").replace("〔", "[").replace("〕", "]")
    return re.sub(r"\s+", "", s).upper()


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)
    if a is None or b is None:
        return a is None and b is None
    return _squash(a) == _squash(b)


def _jaccard(a, b) -> float:
    a, b = set(_squash(a)), set(_squash(b))
    return len(a & b) / len(a | b) if a | b else 1.0


def _gold(kind: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for path in sorted(GOLD.glob(f"*.{kind}s.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                out.setdefault(r["doc"], []).append(r)
    return out


def _documents() -> list[str]:
    return sorted(set(_gold("report")) | set(_gold("indicator")))


@pytest.fixture(scope="module")
def predictions() -> dict[str, dict[str, list[dict]]]:
    preds: dict[str, dict[str, list[dict]]] = {"report": {}, "indicator": {}}
    for doc in _documents():
        text = (ROOT / "corpus" / doc).read_text(encoding="utf-8")
        reports = parse_reports(text, doc)
        preds["report"][doc] = [r.record() for r in reports]
        preds["indicator"][doc] = [i.record() for i in parse_indicators(text, doc, reports)]
    return preds


pytestmark = pytest.mark.skipif(not _documents(), reason="no gold corpus")


def test_every_gold_report_found_with_its_fields(predictions) -> None:
    for doc, gold in _gold("report").items():
        pred = {r["report"]: r for r in predictions["report"][doc]}
        text = (ROOT / "corpus" / doc).read_text(encoding="utf-8")
        for g in gold:
            p = pred.get(g["report"])
            assert p is not None, (doc, g["report"])
            wrong = [(f, g.get(f), p.get(f)) for f in REPORT_FIELDS if not _same(g.get(f), p.get(f))]
            assert not wrong, (doc, g["report"], wrong)
            assert 0 <= p["start"] < p["end"] <= len(text)


def test_indicator_rows_and_fields(predictions) -> None:
    tp = n_pred = n_gold = 0
    right = dict.fromkeys(INDICATOR_FIELDS, 0)
    for doc, gold in _gold("indicator").items():
        pred = predictions["indicator"].get(doc, [])
        used: set[int] = set()
        for g in gold:
            for k, p in enumerate(pred):
                if k not in used and g["report"] == p["report"] and _jaccard(g["name"], p["name"]) >= 0.6:
                    used.add(k)
                    tp += 1
                    for f in INDICATOR_FIELDS:
                        right[f] += _same(g.get(f), p.get(f))
                    break
        n_pred += len(pred)
        n_gold += len(gold)
    precision, recall = tp / n_pred, tp / n_gold
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.95, (precision, recall)
    accuracy = {f: right[f] / tp for f in INDICATOR_FIELDS}
    assert all(v >= 0.95 for v in accuracy.values()), accuracy


@pytest.mark.skipif(not SCORER.is_file(), reason="shared scorer not present")
def test_shared_scorer_agrees(predictions, tmp_path) -> None:
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for kind in ("report", "indicator"):
            for records in predictions[kind].values():
                for r in records:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(pred), "--json"],
                         capture_output=True, text=True, check=True)
    res = json.loads(out.stdout)
    ind, rep = res["indicators"], res["reports"]
    assert ind["f"] >= 0.95
    assert all(ind["fields"][f] >= 0.95 for f in INDICATOR_FIELDS), ind["fields"]
    assert rep["found"] == rep["gold"]
    assert all(v == 1.0 for v in rep["fields"].values()), rep["fields"]
