"""Quality gates on the gold corpus, scored by pipeline.evaluate (the rules of
shared/tools/score.py); where shared/ is beside the repo, its scorer must agree."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.evaluate import INDICATOR_FIELDS, REPORT_FIELDS, score

# Lenient F1 each mention type must reach (issue: the extraction core).
MENTION_GATES = {"MONEY": 0.97, "PERCENT": 0.97, "LENGTH": 0.97, "ROAD": 0.97, "DATE": 0.97, "COUNT": 0.97,
                 "DURATION": 0.97, "DOCNO": 0.97, "PROJECT": 0.85, "ORG": 0.85}
STRICT_WITHIN = 0.05
INDICATOR_GATE = 0.95
FACT_GATE = 0.85
PREDICATE_GATE = 0.85


@pytest.fixture(scope="module")
def result(gold_dir, sample_records):
    return score(gold_dir, sample_records)


@pytest.mark.parametrize("label,gate", MENTION_GATES.items(), ids=list(MENTION_GATES))
def test_mention_type_meets_its_gate(result, label, gate):
    row = result["mentions"][label]
    assert row["lenient"]["f"] >= gate, row
    assert row["lenient"]["f"] - row["strict"]["f"] <= STRICT_WITHIN, row


def test_offsets_hold(result):
    assert not result["problems"], result["problems"]


def test_facts(result):
    facts = result["facts"]
    assert facts["f"] >= FACT_GATE, facts
    assert facts["predicate_agreement"] >= PREDICATE_GATE, facts


def test_indicator_rows_and_fields(result):
    indicators = result["indicators"]
    assert indicators["f"] >= INDICATOR_GATE, indicators
    scored = [f for f in INDICATOR_FIELDS if f != "target_unit"]
    assert all(indicators["fields"][f] >= INDICATOR_GATE for f in scored), indicators["fields"]


def test_every_report_found_with_every_field(result):
    reports = result["reports"]
    assert reports["found"] == reports["gold"] == reports["pred"], reports
    assert all(reports["fields"][f] == 1.0 for f in REPORT_FIELDS), reports["fields"]


def test_shared_scorer_agrees(result, shared_dir, sample_pred):
    out = subprocess.run([sys.executable, str(shared_dir / "tools" / "score.py"), "--gold", str(shared_dir / "gold"),
                          "--pred", str(sample_pred), "--json"], capture_output=True, text=True, check=True)
    reference = json.loads(out.stdout)
    for label, row in reference["mentions"].items():
        for mode in ("strict", "lenient"):
            assert row[mode]["f"] == pytest.approx(result["mentions"][label][mode]["f"]), (label, mode)
    for kind in ("facts", "indicators"):
        assert reference[kind]["f"] == pytest.approx(result[kind]["f"]), kind
    assert reference["facts"]["predicate_agreement"] == pytest.approx(result["facts"]["predicate_agreement"])
    assert reference["reports"]["fields"] == pytest.approx(result["reports"]["fields"])
