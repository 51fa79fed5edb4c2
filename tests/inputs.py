"""Input files made from a plain-text report, in the formats jixiao reads: a PDF
(reportlab, its built-in CJK font STSong-Light, tables as ruled grids), a .docx
(python-docx, tables as Word tables), an HTML page (tables as <table>), and the
text in Traditional script (OpenCC s2t). Tab-separated lines are table rows."""
from __future__ import annotations

import html
from itertools import groupby
from pathlib import Path

from opencc import OpenCC

WIDTH = 690  # points of text width on a landscape A4 page with reportlab's default margins


def blocks(text: str) -> list[tuple[bool, list[str]]]:
    """(is a table, its lines): runs of tab-separated lines are tables, other lines paragraphs."""
    return [(is_table, list(group)) for is_table, group in groupby(text.splitlines(), key=lambda ln: "\t" in ln)]


def _rows(lines: list[str]) -> list[list[str]]:
    rows = [ln.split("\t") for ln in lines]
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def write_pdf(text: str, path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    story = []
    for is_table, lines in blocks(text):
        if is_table:
            rows = _rows(lines)
            longest = [max(len(row[c]) for row in rows) + 2 for c in range(len(rows[0]))]
            widths = [WIDTH * n / sum(longest) for n in longest]  # columns as wide as their text
            table = Table([[Paragraph(html.escape(c), cell) for c in row] for row in rows], colWidths=widths)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
            story.append(table)
        else:
            for line in lines:
                story.append(Paragraph(html.escape(line), body) if line.strip() else Spacer(1, 4))
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)
    return path


def write_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for is_table, lines in blocks(text):
        if is_table:
            rows = _rows(lines)
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        else:
            for line in lines:
                document.add_paragraph(line)
    document.save(str(path))
    return path


def write_html(text: str, path: Path) -> Path:
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>报告</title>",
             "<style>td { border: 1px solid }</style><script>var x = '30万元';</script></head><body>"]
    for is_table, lines in blocks(text):
        if is_table:
            parts.append("<table>")
            for row in _rows(lines):
                parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
            parts.append("</table>")
        else:
            parts.extend(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def traditional(text: str) -> str:
    return OpenCC("s2t").convert(text)
