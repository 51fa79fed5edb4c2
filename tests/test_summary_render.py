"""Summaries as a reader gets them: Markdown that keeps a document's text as text, HTML
styled with tables and charts, `--list` in every format."""
from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.summary import Section, markdown_text, render_html, render_markdown
from webstore import build

HOSTILE = Section("<script>alert(1)</script>", ["原因: [点此](javascript:alert(1)) <img src=x onerror=alert(2)>"],
                  [("**12 万元**", "见 http://example.invalid/x ![p](http://e.invalid/p.png) [a.txt:1-2]")])


@pytest.mark.parametrize("text, absent", [
    ("<script>alert(1)</script>", "<script>"), ("<img src=x onerror=alert(2)>", "<img"),
    ("[点此](javascript:alert(1))", "](javascript:"), ("![p](http://e.invalid/p.png)", "!["),
    ("**粗**", "**"), ("`code`", "`code`"), ("http://example.invalid", "http://"),
])
def test_markdown_text_is_inert(text, absent):
    assert absent not in markdown_text(text)


def test_markdown_summary_escapes_titles_lines_and_evidence():
    text = render_markdown("t", [HOSTILE])
    for raw in ("<script>", "<img", "](javascript:", "![p]", "http://"):
        assert raw not in text
    assert "- **" in text  # jixiao's own emphasis stays


def test_html_summary_is_styled_and_escaped():
    page = render_html("t", [HOSTILE], ["<svg><rect/></svg>"])
    assert "<style>" in page and "<table>" in page and '<div class="chart"><svg>' in page
    assert "<script>" not in page and "<img" not in page


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("summary"))


def test_list_honours_format_and_output(db, tmp_path, capsys):
    assert main(["summary", "--db", str(db), "--list"]) == 0
    plain = capsys.readouterr().out
    assert plain.splitlines()[0].split("\t")[0] == "zhangye_transport_2023.txt#0"
    assert main(["summary", "--db", str(db), "--list", "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("| 报告 | 单位 |")
    out = tmp_path / "list.html"
    assert main(["summary", "--db", str(db), "--list", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page and "zhangye_transport_2023.txt" in page
    assert capsys.readouterr().out == ""


def test_output_html_implies_html_with_chart(db, tmp_path):
    out = tmp_path / "g569.html"
    assert main(["summary", "--db", str(db), "--road", "G569", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "12.53 亿元" in page
    md = tmp_path / "g569.md"
    assert main(["summary", "--db", str(db), "--road", "G569", "-o", str(md)]) == 0
    assert md.read_text(encoding="utf-8").startswith("# jixiao 摘要")


def test_audit_markdown_escapes_document_text(tmp_path, capsys):
    doc = tmp_path / "r.txt"
    doc.write_text("2023年度项目支出绩效自评表\n项目名称 <script>alert(1)</script>[x](javascript:alert(1))工程\n"
                   "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因及改进措施\n"
                   "产出指标 数量指标 <img src=x onerror=alert(1)>改造里程 46公里 43.5公里 10 10 未完成。\n总分 10 10\n",
                   encoding="utf-8")
    main(["audit", str(doc), "--format", "md"])
    out = capsys.readouterr().out
    assert "missed-full-score" in out and "<img" not in out and "](javascript:" not in out and "&lt;img" in out
