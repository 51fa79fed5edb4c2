"""Records by kind and the indicator spreadsheet (CSV and XLSX)."""
from __future__ import annotations

import csv
import io

import pytest

from pipeline.document import process_text
from pipeline.structure.export import TABLE_COLUMNS, write_table

TEXT = "\n\n".join([
    "某市交通运输局2023年度农村公路养护项目支出绩效自评报告",
    "一、项目基本情况",
    "当年预算资金 50 万元，到位 50 万元。",
    "二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
    "数量指标\t养护里程\t≥100公里\t96公里\t10\t8",
    "质量指标\t路况优良率\t≥80%\t85%\t10\t10",
]) + "\n"


@pytest.mark.parametrize("kinds, expected", [
    (("report", "indicator"), ["report", "indicator", "indicator"]),
    (("report",), ["report"]),
    (("indicator",), ["indicator", "indicator"]),
])
def test_structure_records_by_kind(kinds, expected) -> None:
    assert [r["kind"] for r in process_text(TEXT, "a.txt", kinds).records(kinds)] == expected


def test_indicator_rows_carry_the_report_title_org_and_year() -> None:
    rows = process_text(TEXT, "a.txt").indicator_rows()
    assert [r["name"] for r in rows] == ["养护里程", "路况优良率"]
    assert rows[0]["org"] == "某市交通运输局" and rows[0]["year"] == 2023
    assert rows[0]["title"] == "某市交通运输局2023年度农村公路养护项目支出绩效自评报告"
    assert rows[0]["met"] is False and rows[1]["met"] is True
    assert list(rows[0]) == list(TABLE_COLUMNS)


def test_csv_and_xlsx_have_one_row_per_indicator(tmp_path) -> None:
    rows = process_text(TEXT, "a.txt").indicator_rows()
    buf = io.StringIO()
    write_table(rows, None, buf)
    lines = list(csv.reader(io.StringIO(buf.getvalue())))
    assert len(lines) == 3 and lines[1][TABLE_COLUMNS.index("name")] == "养护里程"
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "t.xlsx"
    write_table(rows, path)
    ws = openpyxl.load_workbook(path).active
    values = list(ws.values)
    assert len(values) == 3
    assert values[2][TABLE_COLUMNS.index("target")] == 80
    assert values[1][TABLE_COLUMNS.index("org")] == "某市交通运输局"
