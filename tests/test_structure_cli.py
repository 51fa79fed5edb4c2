"""`jixiao extract` emits report and indicator records; `jixiao tables` writes the indicator rows."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from pipeline.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "zhangye_transport_2023.txt"
pytestmark = pytest.mark.skipif(not SAMPLE.is_file(), reason="sample corpus missing")


@pytest.mark.parametrize("kinds, expected", [
    ("report", {"report": 6}),
    ("indicator", {"indicator": 56}),
    ("report,indicator", {"report": 6, "indicator": 56}),
])
def test_extract_kinds(kinds, expected, tmp_path) -> None:
    out = tmp_path / "o.jsonl"
    assert main(["extract", "--kinds", kinds, str(SAMPLE), "-o", str(out)]) == 0
    counts: dict[str, int] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        kind = json.loads(line)["kind"]
        counts[kind] = counts.get(kind, 0) + 1
    assert counts == expected


def test_extract_default_emits_all_kinds(tmp_path) -> None:
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(SAMPLE), "-o", str(out)]) == 0
    kinds = {json.loads(line)["kind"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert {"mention", "report", "indicator"} <= kinds


def test_unknown_kind_is_refused(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["extract", "--kinds", "mention,table", str(SAMPLE)])
    assert "--kinds" in capsys.readouterr().err


def test_tables_csv_to_stdout(capsys) -> None:
    assert main(["tables", str(SAMPLE)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 57 and rows[0][:3] == ["文件", "报告序号", "报告标题"]


def test_tables_xlsx(tmp_path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "sub" / "t.xlsx"
    assert main(["tables", str(SAMPLE), "-o", str(out)]) == 0
    values = list(openpyxl.load_workbook(out).active.values)
    assert len(values) == 57
    assert values[1][3] == "张掖市邮政管理局" and values[1][4] == 2023
