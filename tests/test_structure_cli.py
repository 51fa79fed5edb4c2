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


TABLE_DOCUMENTS = {  # the corpus's documents with indicator tables, in every layout, and their rows
    "xiping_agri_dept_selfeval_2023.txt": 14,  # one cell per line
    "nanling_road_upgrade_selfeval_table_2023.txt": 13,  # cells split by spaces
    "qinglan_road_maintenance_selfeval_glued_2023.txt": 14,  # glued cells
    "donghe_rural_road_maintenance_eval_2023.txt": 20,  # 评分表
    "yunxi_transport_perf_targets_2024.txt": 21,  # two 绩效目标申报表 as pipe tables
    "dongping_trunk_road_maintenance_selfeval_2023_trad.txt": 8,  # Traditional script
    "xiping_bridge_safety_selfeval_2023.txt": 9,
}


@pytest.mark.parametrize("name, count", TABLE_DOCUMENTS.items(), ids=list(TABLE_DOCUMENTS))
def test_tables_gives_rows_for_each_table_document(name, count, capsys) -> None:
    assert main(["tables", str(SAMPLE.parent / name)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    assert len(rows) == count and all(row[7] for row in rows)  # every row has its 三级指标


def test_one_report_reference_in_extract_tables_audit_and_summary(tmp_path, capsys) -> None:
    """The same report is `doc#N` (N its index in the document) in every output."""
    doc = SAMPLE.parent / "xiping_bridge_safety_selfeval_2023.txt"
    out = tmp_path / "o.jsonl"
    assert main(["extract", "--kinds", "report", str(doc), "-o", str(out)]) == 0
    (report,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ref = f"{report['doc']}#{report['report']}"
    main(["tables", str(doc)])
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    assert {f"{r[0]}#{r[1]}" for r in rows} == {ref}
    main(["audit", str(doc)])
    assert {line.split("\t")[0] for line in capsys.readouterr().out.splitlines()} == {ref}
    db = tmp_path / "j.db"
    assert main(["ingest", str(doc), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["summary", "--list", "--db", str(db)]) == 0
    assert capsys.readouterr().out.split("\t")[0] == ref
    assert main(["summary", "--report", ref, "--db", str(db)]) == 0
    assert report["title"] in capsys.readouterr().out
    assert main(["summary", "--report", f"{report['doc']}#9", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: no report {report['doc']}#9 in the store") and err.count("\n") == 1
