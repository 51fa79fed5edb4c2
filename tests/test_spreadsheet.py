"""Every CSV and XLSX file jixiao writes is inert: no formula cells, no cell starting with
= + - @ (or a tab or CR), characters XLSX cannot hold replaced, nested fields as JSON."""
from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from pipeline import spreadsheet
from pipeline.cli import main
from pipeline.ingest import ingest
from pipeline.store import Store

HYPERLINK = '=HYPERLINK("http://example.invalid","x")'
TABLE = (
    "2023年度项目支出绩效自评表\n项目名称 农村公路提档升级工程\n主管部门 南岭市交通运输局 实施单位 南岭市农村公路事业发展中心\n"
    "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因及改进措施\n"
    "产出指标 数量指标 县乡道提档升级改造里程 46公里 43.5公里 10 8 {reason}\n"
    "危桥改造数量 3座 3座 8 8\n"
    "质量指标 交工验收合格率 100% 100% 6 6\n总分 100 95.5\n"
    "主要绩效 改造危桥3座，完成投资238.6万元。\x1b[31m{reason}\n"
)
FORMULA_LIKE = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("value, cell", [
    (HYPERLINK, "'" + HYPERLINK), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("a=1", "a=1"), (-5, -5), (None, ""),
    ([{"a": 1}], '[{"a": 1}]'), ({"k": "="}, '{"k": "="}'),
])
def test_csv_cell(value, cell):
    assert spreadsheet.csv_cell(value) == cell


def test_xlsx_text_replaces_what_xml_cannot_hold():
    assert spreadsheet.xlsx_text("a\x1bb\x00c\td\ne") == "a\ufffdb\ufffdc\td\ne"


@pytest.fixture()
def hostile(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "=HYPERLINK(1).txt").write_text(TABLE.format(reason=HYPERLINK), encoding="utf-8")
    (folder / "+cmd.txt").write_text(TABLE.format(reason="@SUM(1+1)"), encoding="utf-8")
    return folder


def _xlsx_cells(path: Path):
    from openpyxl import load_workbook

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name), f"formula in {name}"
    book = load_workbook(path)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _csv_cells(path: Path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


def test_tables_xlsx_and_csv_are_inert(hostile, tmp_path):
    assert main(["tables", str(hostile), "-o", str(tmp_path / "t.xlsx")]) == 0
    cells = _xlsx_cells(tmp_path / "t.xlsx")
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert HYPERLINK in texts and "=HYPERLINK(1).txt" in texts  # kept, as text
    assert main(["tables", str(hostile), "-o", str(tmp_path / "t.csv")]) == 0
    cells = _csv_cells(tmp_path / "t.csv")
    assert "'" + HYPERLINK in cells and not any(c.startswith(FORMULA_LIKE) for c in cells)


@pytest.fixture()
def hostile_store(hostile, tmp_path):
    db = tmp_path / "kb.db"
    with Store(db) as store:
        ingest([hostile], store)
        assert store.conn.execute("SELECT count(*) FROM documents WHERE source LIKE '%' || char(27) || '%'").fetchone()[0]
    return db


def test_export_xlsx_is_inert_formatted_and_survives_control_characters(hostile_store, tmp_path):
    out = tmp_path / "all.xlsx"
    assert main(["export", "--format", "xlsx", "--db", str(hostile_store), "-o", str(out)]) == 0
    cells = _xlsx_cells(out)
    assert all(c.data_type != "f" for c in cells)
    assert not any("\x1b" in c.value for c in cells if isinstance(c.value, str))
    from openpyxl import load_workbook

    facts = load_workbook(out)["facts"]
    header = [c.value for c in facts[1]]
    assert header[:4] == ["事实编号", "文档编号", "文件", "报告序号"]  # the file name beside its id
    assert facts.freeze_panes == "A2" and facts[1][0].font.b
    assert facts.column_dimensions["A"].width >= spreadsheet.DEFAULT_WIDTH


def test_export_csv_is_inert_with_json_fields(hostile_store, tmp_path):
    folder = tmp_path / "csv"
    assert main(["export", "--format", "csv", "--db", str(hostile_store), "-o", str(folder)]) == 0
    for path in folder.glob("*.csv"):
        cells = _csv_cells(path)
        assert not any(c.startswith(FORMULA_LIKE) for c in cells), path.name
    findings = list(csv.DictReader(open(folder / "findings.csv", encoding="utf-8-sig")))
    assert all(isinstance(json.loads(f["evidence"]), list) for f in findings)
    docs = _csv_cells(folder / "documents.csv")
    assert "'=HYPERLINK(1).txt" in docs and "'+cmd.txt" in docs


def test_extract_csv_writes_nested_fields_as_json(tmp_path, sample_path):
    out = tmp_path / "x.csv"
    assert main(["extract", str(sample_path), "--format", "csv", "-o", str(out), "--kinds", "report"]) == 0
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    assert rows and all(isinstance(json.loads(r["sections"]), list) for r in rows)
