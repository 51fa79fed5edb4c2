"""Hostile input (issue 16): nothing a document contains may make a stage run in
more than linear time or expand past what --max-bytes allows.

Time is compared, never asserted against the clock (tests/timing.py): each case
runs at a size and at four times that size, in CPU seconds, and the larger may take
at most eight times as long (a quadratic stage takes sixteen). A case that is refused must be
refused in one line naming the file.
"""
from __future__ import annotations

import gc
import io
import json
import zipfile
import zlib
from pathlib import Path

import pytest

from pipeline.document import STORED_KINDS, process_text
from pipeline.errors import InputError
from pipeline.formats import html as html_format
from pipeline.formats.limits import MAX_SPAN
from pipeline.load import load_document
from timing import assert_linear

def whole_pipeline(text: str) -> None:
    process_text(text, "hostile.txt")


def _varied_amounts(n: int) -> str:
    return "".join(f"第{i}标段完成投资{i % 97}.{i % 10}亿元" for i in range(n))


# Each (issue 16's cases first) at a quarter of the issue's size and at its size.
PIPELINE_CASES = [
    pytest.param(lambda n: "1," * n, 5_000, id="1,1,1,..."),
    pytest.param(lambda n: "一" * n, 10_000, id="一一一..."),
    pytest.param(lambda n: "东岭县交通运输局完成投资3.5亿元" * n, 2_000, id="one sentence of amounts, no stop"),
    pytest.param(_varied_amounts, 500, id="one sentence of different amounts, no stop"),
    pytest.param(lambda n: "1万" * n, 5_000, id="1万1万..."),
    pytest.param(lambda n: "1%" * n, 2_000, id="1%1%..."),
    pytest.param(lambda n: "（" * n + "30万元" + "）" * n, 5_000, id="nested brackets"),
    pytest.param(lambda n: "张财预〔2023〕57号" * n, 1_000, id="document numbers, no stop"),
    pytest.param(lambda n: "产出指标\t数量指标\t" * n, 2_000, id="one table row of many cells"),
    pytest.param(lambda n: "东岭县交通运输局完成投资\n" * n, 4_000, id="short lines joined by the normaliser"),
    pytest.param(lambda n: "某项目2023年度项目支出绩效自评表\n项目名称\t某项目\n" + "自评得分\t优\n" * n, 6_000,
                 id="self-score labels that give no score"),
]


@pytest.mark.parametrize("make, size", PIPELINE_CASES)
def test_whole_pipeline_is_linear(make, size):
    assert_linear(whole_pipeline, make, size)


_INDICATOR_HEADER = "某局2023年度某项目项目支出绩效自评报告\n一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"


def _rows_and_text(n: int) -> str:
    rows = "".join(f"产出指标\t数量指标\t完成道路里程{i % 7}\t10公里\t12公里\t10\t10\n" for i in range(n))
    return _INDICATOR_HEADER + rows + "".join(f"完成道路里程{i % 9}达到{i % 20}公里。\n" for i in range(n))


# The audit reads each indicator's name where the text states it: once per name for the
# whole report, not a search of the report per indicator (quadratic in its rows).
AUDIT_CASES = [
    pytest.param(lambda n: _INDICATOR_HEADER + "产出指标\t数量指标\t完成道路里程\t10公里\t12公里\t10\t10\n" * n,
                 500, id="indicator rows of one name"),
    pytest.param(_rows_and_text, 1_000, id="indicator rows and the text stating their names"),
]


@pytest.mark.parametrize("make, size", AUDIT_CASES)
def test_the_audit_is_linear(make, size):
    assert_linear(lambda text: process_text(text, "hostile.txt", STORED_KINDS), make, size)


def test_facts_of_a_sentence_without_a_stop_are_still_found():
    facts = process_text("东岭县交通运输局完成投资3.5亿元" * 2000, "hostile.txt").facts
    assert len(facts) > 1000 and {f.mention.value for f in facts} == {350000000}


def test_the_extraction_makes_no_reference_cycles(corpus_dir):
    # process_text keeps the collector off while it works: sound only while it leaves
    # nothing for the collector to free
    documents = [path.read_text(encoding="utf-8") for path in sorted(corpus_dir.glob("*.txt"))]
    for text in documents:  # what is loaded once (models, caches) may hold cycles
        process_text(text, "warm-up.txt", STORED_KINDS)
    gc.collect()
    gc.disable()
    try:
        for text in documents:
            process_text(text, "cycles.txt", STORED_KINDS)
            assert not gc.isenabled()
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_the_collector_is_back_on_after_an_extraction_that_fails():
    with pytest.raises(TypeError):
        process_text(None, "none.txt")  # type: ignore[arg-type]
    assert gc.isenabled()


# --- HTML ---------------------------------------------------------------------------------

def test_malformed_html_is_parsed_in_linear_time():
    assert_linear(lambda markup: html_format.read(markup.encode(), "page.html"), lambda n: "<a‹a" * n, 25_000)


def test_deeply_nested_html_is_parsed_in_linear_time():
    assert_linear(lambda markup: html_format.read(markup.encode(), "page.html"),
                  lambda n: "<div><span>完成投资3万元" * n, 5_000)


def test_html_colspan_is_capped():
    text, _ = html_format.read('<table><tr><td colspan="20000000">x</td><td>y</td></tr></table>'.encode(), "t.html")
    assert text == "x" + "\t" * MAX_SPAN + "y"


def test_html_spans_past_the_limit_are_refused(tmp_path):
    path = tmp_path / "spans.html"
    path.write_text("<table><tr>" + '<td colspan="1000">x</td>' * 200 + "</tr></table>", encoding="utf-8")
    with pytest.raises(InputError, match="its text runs to over 100,000 characters") as caught:
        load_document(path, max_bytes=100_000)
    assert caught.value.path == str(path)
    assert load_document(path).text.count("\t") == 200 * 1000 - 1  # within the default limit: read


def test_html_spans_are_refused_before_memory_grows(tmp_path):
    import resource

    path = tmp_path / "forms.html"
    path.write_text("<table><tr>" + '<td colspan="1000">x</td>' * 10_000 + "</tr></table>", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match="its text runs to over 8,000,000 characters"):
        load_document(path, max_bytes=8_000_000)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB: not an object per column


def test_html_skips_scripts_keeps_tails_and_cells():
    markup = ("<html><head><title>t</title><script>var a='1万元';</script></head><body><p>甲<b>乙</b>丙</p>"
              "<!-- 注释 --><table><tr><td>产出<br>指标</td><th>数量</th></tr></table><p>尾</p></body></html>")
    text, _ = html_format.read(markup.encode(), "t.html")
    assert text.splitlines() == ["甲乙丙", "产出指标\t数量", "尾"]


# --- Word -----------------------------------------------------------------------------------

def _docx_with_span(path: Path, span: int) -> Path:
    import docx
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数量"
    properties = table.rows[0]._tr.tc_lst[0].get_or_add_tcPr()
    grid_span = OxmlElement("w:gridSpan")
    grid_span.set(qn("w:val"), str(span))
    properties.append(grid_span)
    document.save(str(path))
    return path


def test_docx_grid_span_is_capped(tmp_path):
    text = load_document(_docx_with_span(tmp_path / "span.docx", 4_000_000)).text
    assert text.splitlines()[-1] == "指标" + "\t" * MAX_SPAN + "数量"


@pytest.fixture(scope="module")
def docx_bomb(tmp_path_factory) -> Path:
    """A .docx of about 2 MB whose document.xml inflates to 2 GB of blanks."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                      'package/2006/content-types"/>')
        with book.open("word/document.xml", "w", force_zip64=True) as member:
            blanks = b" " * (64 << 20)
            for _ in range(32):
                member.write(blanks)
    return path


def test_docx_zip_bomb_is_refused_before_it_inflates(docx_bomb):
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match=r"'word/document.xml' would unpack to over 67,108,864 bytes") as caught:
        load_document(docx_bomb)
    assert caught.value.path == str(docx_bomb)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB: nothing was inflated


def test_docx_members_together_past_the_limit_are_refused(tmp_path):
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for i in range(5):
            book.writestr(f"word/media/part{i}.xml", b" " * 60_000)
    with pytest.raises(InputError, match="its members would unpack to over 200,000 bytes"):
        load_document(path, max_bytes=100_000)


# --- PDF ------------------------------------------------------------------------------------

def _pdf_with_stream(path: Path, inflated: int, layers: int = 1) -> Path:
    content = b"0" * inflated
    for _ in range(layers):
        content = zlib.compress(content, 9)
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
            + b"4 0 obj<</Length " + str(len(content)).encode() + b"/Filter/FlateDecode>>stream\n" + content
            + b"\nendstream endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    path.write_bytes(body)
    return path


def test_pdf_stream_bomb_is_refused(tmp_path):
    path = _pdf_with_stream(tmp_path / "bomb.pdf", 3_000_000)
    assert path.stat().st_size < 10_000
    with pytest.raises(InputError, match="a PDF stream at byte .* would unpack to over 1,000,000 bytes") as caught:
        load_document(path, max_bytes=1_000_000)
    assert caught.value.path == str(path)


def test_pdf_stream_bomb_inside_a_stream_is_refused(tmp_path):
    path = _pdf_with_stream(tmp_path / "nested.pdf", 50_000_000, layers=2)  # /FlateDecode twice: 50 MB in 1 KB
    assert path.stat().st_size < 2_000
    with pytest.raises(InputError, match="a PDF stream at byte .* would unpack to over 1,000,000 bytes"):
        load_document(path, max_bytes=1_000_000)


def test_pdf_stream_within_the_limit_is_read_as_usual(tmp_path):
    path = _pdf_with_stream(tmp_path / "blank.pdf", 1000)
    with pytest.raises(InputError, match="no text layer"):  # got past the check to pdfminer
        load_document(path, max_bytes=1_000_000)


# --- spreadsheets ---------------------------------------------------------------------------

def test_sparse_sheet_spanning_the_whole_grid_is_refused(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"], book.active["XFD1048576"] = "指标", "x"
    book.save(tmp_path / "sparse.xlsx")
    with pytest.raises(InputError, match="its text runs to over"):
        load_document(tmp_path / "sparse.xlsx")


def test_text_read_from_a_file_is_bounded(tmp_path):
    from pipeline.formats.limits import TextBudget

    budget = TextBudget("x.html", 10)
    budget.take("12345")
    with pytest.raises(InputError, match="x.html: its text runs to over 10 characters"):
        budget.take("67890")
    assert io.StringIO  # (the budget counts a line break after each piece)


# --- spreadsheets and old Word files as input (issue 13) -------------------------------------

def _workbook(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "绩效目标表"
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值", "完成值", "分值", "得分"])
    sheet.append(["产出指标", "数量指标", "新建农村公路", "12公里", "12.5公里", 20, 20.0])
    sheet.append([None, None, None])
    second = book.create_sheet("说明")
    second.append(["项目资金到位30万元", None, None])
    book.save(path)
    return path


def test_xlsx_sheets_are_read_as_tab_separated_rows(tmp_path):
    document = load_document(_workbook(tmp_path / "targets.xlsx"))
    assert document.text.splitlines() == [
        "绩效目标表", "一级指标\t二级指标\t三级指标\t指标值\t完成值\t分值\t得分",
        "产出指标\t数量指标\t新建农村公路\t12公里\t12.5公里\t20\t20", "", "说明", "项目资金到位30万元"]
    result = process_text(document.text, document.doc_id)
    assert {(m.type, m.value) for m in result.mentions} >= {("LENGTH", 12), ("MONEY", 300000)}


def test_xlsx_named_xls_or_txt_is_read_by_its_content(tmp_path):
    data = _workbook(tmp_path / "targets.xlsx").read_bytes()
    for name in ("old.xls", "table.txt"):
        (tmp_path / name).write_bytes(data)
        document = load_document(tmp_path / name)
        assert "新建农村公路" in document.text
    assert "by content (named .txt)" in document.encoding


def test_pdf_named_txt_is_read_as_a_pdf(tmp_path):
    from inputs import write_pdf

    path = write_pdf("项目资金到位30万元。", tmp_path / "report.pdf")
    (tmp_path / "report.txt").write_bytes(path.read_bytes())
    document = load_document(tmp_path / "report.txt")
    assert "项目资金到位30万元" in document.text and document.encoding.startswith("pdf, by content")


def test_doc_without_libreoffice_names_the_file_and_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(InputError) as caught:
        load_document(tmp_path / "old.doc")
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "old.doc") + ": ") and "LibreOffice" in message
    assert "apt-get install libreoffice-writer" in message and "\n" not in message


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch) -> Path:
    """An `soffice` on PATH that converts as LibreOffice does: OUTDIR/<stem>.docx (here
    a .docx of the words the input holds, standing in for LibreOffice's reading of it)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f"""#!{__import__('sys').executable}
import sys, pathlib, docx
args = sys.argv[1:]
outdir = pathlib.Path(args[args.index("--outdir") + 1])
source = pathlib.Path(args[-1])
document = docx.Document()
document.add_paragraph(source.read_bytes()[512:].decode("utf-16-le"))
document.save(str(outdir / (source.stem + ".docx")))
""", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    return script


def test_doc_with_libreoffice_is_converted_and_read(tmp_path, fake_soffice):
    path = tmp_path / "old.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "项目资金到位30万元。".encode("utf-16-le"))
    document = load_document(path)
    assert document.text == "项目资金到位30万元。" and document.encoding == "docx via soffice"


def test_failed_conversion_is_one_line_naming_the_file(tmp_path, fake_soffice):
    fake_soffice.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="broken.doc: LibreOffice could not convert it to .docx: Error: source file"):
        load_document(path)


# --- nothing silent: folders, links, names, terminals -----------------------------------------

SENTENCE = "2023年东岭县交通运输局完成投资3.5亿元。"


def run(*argv) -> tuple[int, str, str]:
    from contextlib import redirect_stderr, redirect_stdout

    from pipeline.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def odd_folder(tmp_path) -> Path:
    import os

    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(SENTENCE, encoding="utf-8")
    (folder / "sub" / "deep.md").write_text(SENTENCE, encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "sub" / "loop").symlink_to(folder)
    (folder / "linked.txt").symlink_to(folder / "good.txt")  # a link to a file is read
    os.mkfifo(folder / "pipe.txt")
    return folder


def test_every_skipped_path_is_named_and_counted(odd_folder):
    code, out, err = run("extract", odd_folder)
    lines = err.splitlines()
    assert code == 0
    assert {json.loads(line)["doc"] for line in out.splitlines()} == {"good.txt", "deep.md", "linked.txt"}
    # a path that is a problem has a line of its own; a file of another type is named at the end
    skipped = {line.split(": ")[1]: line for line in lines if line.startswith("skipped: ")}
    assert set(skipped) == {str(odd_folder / name) for name in ("dangling.txt", "sub/loop", "pipe.txt")}
    assert "dangling" in skipped[str(odd_folder / "dangling.txt")]
    assert "loop" in skipped[str(odd_folder / "sub" / "loop")]
    assert "FIFO" in skipped[str(odd_folder / "pipe.txt")]
    assert lines[-1] == "3 documents, 0 failed, 4 skipped (dangling.txt, photo.jpg, pipe.txt, loop)"


@pytest.mark.skipif(__import__("os").geteuid() == 0, reason="root reads any folder")
def test_unreadable_folder_is_named(odd_folder):
    (odd_folder / "sub").chmod(0)
    try:
        _code, _out, err = run("extract", odd_folder)
    finally:
        (odd_folder / "sub").chmod(0o755)
    assert f"skipped: {odd_folder / 'sub'}: cannot read the folder: Permission denied" in err


def test_unreadable_folder_is_named_whoever_runs(odd_folder, monkeypatch):
    import os

    real = os.scandir

    def scandir(path):
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    _code, _out, err = run("extract", odd_folder)
    assert f"skipped: {odd_folder / 'sub'}: cannot read the folder: Permission denied" in err


def test_ingest_names_and_counts_skipped_paths(odd_folder, tmp_path):
    code, _out, err = run("ingest", odd_folder, "--db", tmp_path / "kb.db", "--workers", "1")
    assert code == 0 and "skipped: " + str(odd_folder / "pipe.txt") in err 
    assert not any(line.startswith("skipped: ") and "photo.jpg" in line for line in err.splitlines())
    assert "3 documents, 0 failed (2 stored, 1 unchanged), 4 skipped (" in err.splitlines()[-1]


def test_keep_text_keeps_the_folder_structure(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "report.txt").write_text(f"{sub}:{SENTENCE}", encoding="utf-8")
    single = tmp_path / "report.txt"
    single.write_text(SENTENCE, encoding="utf-8")
    run("extract", tmp_path / "in", single, tmp_path / "in" / "a" / "report.txt", "--keep-text", tmp_path / "kept")
    kept = {str(p.relative_to(tmp_path / "kept")): p.read_text(encoding="utf-8")
            for p in (tmp_path / "kept").rglob("*.txt")}
    assert kept == {"a/report.txt.txt": f"a:{SENTENCE}", "b/report.txt.txt": f"b:{SENTENCE}",
                    "report.txt.txt": SENTENCE, "a/report.txt~2.txt": f"a:{SENTENCE}"}


def test_a_file_name_cannot_forge_a_line(tmp_path):
    forged = tmp_path / "x.txt\nerror: all good.txt"
    forged.write_bytes(b"")
    code, _out, err = run("extract", forged)
    assert code == 1
    assert err.splitlines() == [f"error: {str(forged)!r}: the file is empty", "1 documents, 1 failed"]


def test_escape_sequences_from_documents_do_not_reach_the_terminal(tmp_path):
    from pipeline.errors import terminal_safe

    text = "G569武仙公路养护\x1b[1m工程完成投资3.5亿元\x1b[2J\x1b]0;pwned\x07\u202e。"
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "kb.db"
    assert run("ingest", tmp_path / "r.txt", "--db", db, "--workers", "1")[0] == 0
    _code, out, _err = run("search", "G569", "--db", db)
    assert "G569武仙公路养护工程" in out  # the control characters split no word
    assert not any(c in out for c in "\x1b\x07\u202e")
    assert terminal_safe("a\x1b[31mb\x9bc\td\n") == "abc\td\n"


def test_a_mixed_folder_reads_or_names_every_file(tmp_path, monkeypatch):
    folder = tmp_path / "mixed"
    folder.mkdir()
    _workbook(folder / "targets.xlsx")
    (folder / "targets-copy.xls").write_bytes((folder / "targets.xlsx").read_bytes())
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    (folder / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (folder / "report.txt").write_text(SENTENCE, encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "no-libreoffice"))
    code, out, err = run("extract", folder, "--kinds", "mention")
    assert code == 1
    assert {json.loads(line)["doc"] for line in out.splitlines()} == {"targets.xlsx", "targets-copy.xls", "report.txt"}
    lines = err.splitlines()
    assert lines[-1] == "4 documents, 1 failed, 1 skipped (scan.jpg)"
    assert [line for line in lines if line.startswith("error: ")] == [
        f"error: {folder / 'old.doc'}: an old Word file (.doc) is read through LibreOffice, which is not installed "
        "(apt-get install libreoffice-writer, or save it as .docx)"]


def test_a_hedge_after_the_first_chunk_is_read_where_it_is_written():
    """Recognition runs chunk by chunk: a hedge's span is placed in the whole text like its
    mention's (a hedge in a later chunk was read from the first chunk's offsets)."""
    from pipeline.extract import CHUNK_CHARS, extract

    filler = ("项目进展顺利。" * 20 + "\n") * (CHUNK_CHARS // 140 + 5)
    text = filler + "完成投资约30万元，另有5公里左右。\n"
    found = [(m.text, m.extra.get("hedge")) for m in extract(text) if m.type in ("MONEY", "LENGTH")]
    assert found == [("30万元", "约"), ("5公里", "左右")]
