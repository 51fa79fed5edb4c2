"""Real inputs and bad inputs: the sample report as PDF, .docx, HTML, GBK text and
Traditional script gives the values of the UTF-8 text; a folder of good and bad
files is stored file by file, every bad one named with its reason."""
from __future__ import annotations

import gzip
import io
import json
import sqlite3
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import pipeline.document
from inputs import traditional, write_docx, write_html, write_pdf
from pipeline.cli import Tally, extract_batch, main
from pipeline.document import DocumentResult, extract_paths
from pipeline.recognize import guard
from pipeline.script import simplified

VALUE_TYPES = ("MONEY", "PERCENT", "LENGTH", "ROAD")


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def values(result: DocumentResult) -> Counter:
    return Counter((m.type, m.value, m.unit) for m in result.mentions if m.type in VALUE_TYPES)


def indicator_rows(result: DocumentResult) -> list[dict]:
    # offsets differ between formats (each indexes its own text); every other field must not.
    # Names keep their script (schema: quoted as written): compared in Simplified
    return [{k: simplified(v) if isinstance(v, str) else v for k, v in i.record().items()
             if k not in ("doc", "start", "end")} for i in result.indicators]


def _scanned_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    page.rect(100, 100, 300, 400, fill=1)  # an image of a page stands in for a scan: no text
    page.save()
    return path


def _encrypted_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), encrypt="secret")
    page.drawString(100, 700, "Budget 300000 yuan")
    page.save()
    return path


@pytest.fixture(scope="module")
def formats(tmp_path_factory, sample_text) -> dict[str, Path]:
    """The sample report in every input format, by a name for the format."""
    folder = tmp_path_factory.mktemp("formats")
    (folder / "utf8.txt").write_text(sample_text, encoding="utf-8")
    (folder / "gbk.txt").write_bytes(sample_text.encode("gbk"))
    (folder / "traditional.txt").write_text(traditional(sample_text), encoding="utf-8")
    return {
        "utf8": folder / "utf8.txt",
        "pdf": write_pdf(sample_text, folder / "report.pdf"),
        "docx": write_docx(sample_text, folder / "report.docx"),
        "html": write_html(sample_text, folder / "report.html"),
        "gbk": folder / "gbk.txt",
        "traditional": folder / "traditional.txt",
    }


@pytest.fixture(scope="module")
def results(formats) -> dict[str, DocumentResult]:
    by_path = {r.path: r for r in extract_paths(list(formats.values()))}
    return {name: by_path[str(path)] for name, path in formats.items()}


@pytest.mark.parametrize("name", ["pdf", "docx", "html", "gbk", "traditional"])
def test_every_format_gives_the_values_of_the_utf8_text(results, name):
    base, other = results["utf8"], results[name]
    assert other.error is None, other.error
    assert sum(values(base).values()) > 100
    assert values(other) == values(base)
    assert len(indicator_rows(base)) > 50
    assert indicator_rows(other) == indicator_rows(base)


@pytest.mark.parametrize("name", ["pdf", "docx", "html", "gbk", "traditional"])
def test_offsets_index_the_text_read_from_the_file(results, name):
    result = results[name]
    text = result.document.text
    assert result.mentions and all(text[m.start:m.end] == m.text for m in result.mentions)


def test_traditional_mentions_keep_the_original_script(results):
    result = results["traditional"]
    money = [m.text for m in result.mentions if m.type == "MONEY"]
    assert "30 萬元" in money and "30 万元" not in money
    # read as Simplified, quoted as written
    assert result.reports[0].title == traditional(results["utf8"].reports[0].title)
    assert result.indicators[0].name == traditional(results["utf8"].indicators[0].name) != results["utf8"].indicators[0].name


def test_pdf_pages_are_separated_by_form_feeds(results):
    assert "\n\f\n" in results["pdf"].document.text
    assert results["pdf"].document.encoding == "pdf"


def test_keep_text_writes_the_text_the_offsets_index(formats, tmp_path):
    code, out, _err = run("extract", "--kinds", "mention", "--keep-text", tmp_path / "texts", formats["pdf"])
    assert code == 0
    kept = (tmp_path / "texts" / "report.pdf.txt").read_bytes().decode("utf-8")
    records = [json.loads(line) for line in out.splitlines()]
    assert records and all(kept[r["start"]:r["end"]] == r["text"] for r in records)


# --- bad input ---------------------------------------------------------------------------

GOOD = ["utf8.txt", "utf8-bom.txt", "gbk.txt", "utf16.txt", "notes.md", "traditional.txt",
        "report.pdf", "report.docx", "report.html", "report.htm"]
BAD = {  # file name -> the reason stderr must give
    "empty.txt": "the file is empty",
    "binary.txt": "binary content",
    "undecodable.txt": "cannot decode the text",
    "truncated.txt": "truncated UTF-8",
    "encrypted.pdf": "the PDF is encrypted",
    "corrupt.pdf": "not a readable PDF file",
    "scanned.pdf": "no text layer; OCR is not supported",
    "corrupt.docx": "not a readable Word (.docx) file",
    "huge.txt": "raise it with --max-bytes",
    "database.txt": "binary content",
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, formats, sample_text) -> Path:
    """A folder of 20 files, 10 good and 10 bad."""
    folder = tmp_path_factory.mktemp("mixed")
    short = sample_text[:3000]
    (folder / "utf8.txt").write_text(short, encoding="utf-8")
    (folder / "utf8-bom.txt").write_bytes(short.encode("utf-8-sig"))
    (folder / "gbk.txt").write_bytes(short.encode("gbk"))
    (folder / "utf16.txt").write_bytes(short.encode("utf-16"))
    (folder / "notes.md").write_text(sample_text[3000:6000], encoding="utf-8")
    (folder / "traditional.txt").write_text(traditional(sample_text[6000:9000]), encoding="utf-8")
    for name in ("report.pdf", "report.docx", "report.html"):
        (folder / name).write_bytes(formats[name.split(".")[1]].read_bytes())
    write_html(sample_text[9000:], folder / "report.htm")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(gzip.compress(short.encode(), mtime=0))
    (folder / "undecodable.txt").write_bytes("预算资金".encode("gbk") + b"\xff\xfe\xfd\xfc" * 8 + "万元".encode("gbk"))
    (folder / "truncated.txt").write_bytes(short.encode("utf-8")[:-1])
    _encrypted_pdf(folder / "encrypted.pdf")
    pdf = formats["pdf"].read_bytes()
    (folder / "corrupt.pdf").write_bytes(pdf[:len(pdf) // 2])
    _scanned_pdf(folder / "scanned.pdf")
    (folder / "corrupt.docx").write_bytes(formats["docx"].read_bytes()[:2000])
    with open(folder / "huge.txt", "wb") as huge:  # 100 MB, sparse: refused before a byte is read
        huge.truncate(100 * 1024 * 1024)
    (folder / "database.txt").write_bytes(b"SQLite format 3\x00" + bytes(4080))
    assert sorted(p.name for p in folder.iterdir()) == sorted(GOOD + list(BAD))
    return folder


def _errors(err: str) -> dict[str, str]:
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    named = {Path(line[len("error: "):].split(": ", 1)[0]).name: line for line in lines}
    assert len(named) == len(lines), "a file was named twice"
    return named


def test_mixed_folder_extract_names_every_bad_file(mixed):
    code, out, err = run("extract", "--kinds", "mention", mixed, mixed / "missing.txt")
    assert code == 1
    errors = _errors(err)
    assert set(errors) == set(BAD) | {"missing.txt"}
    for name, reason in BAD.items():
        assert reason in errors[name], errors[name]
    assert "no such file or directory" in errors["missing.txt"]
    assert {json.loads(line)["doc"] for line in out.splitlines()} == set(GOOD)
    assert err.splitlines()[-1] == f"{len(GOOD) + len(BAD) + 1} documents, {len(BAD) + 1} failed"


def test_mixed_folder_ingest_stores_every_good_file_and_adds_a_fixed_one(mixed, tmp_path):
    db = tmp_path / "store.db"
    code, _out, err = run("ingest", "--db", db, mixed)
    assert code == 1
    assert set(_errors(err)) == set(BAD)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {Path(p).name for (p,) in conn.execute("SELECT path FROM documents")}
        assert stored == set(GOOD)
        # nothing of a failed file, and every row of a stored one belongs to a stored document
        for table in ("mentions", "reports", "indicators", "facts"):
            orphans = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE document_id NOT IN (SELECT id FROM documents)")
            assert orphans.fetchone() == (0,), table
        mentions_before = conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]

    (mixed / "empty.txt").write_text("张掖市交通运输局2023年预算资金30万元，完成养护280公里。\n", encoding="utf-8")
    try:
        code, _out, err = run("ingest", "--db", db, mixed)
    finally:
        (mixed / "empty.txt").write_bytes(b"")
    assert code == 1
    assert set(_errors(err)) == set(BAD) - {"empty.txt"}
    assert "(1 stored, 10 unchanged)" in err.splitlines()[-1]
    with sqlite3.connect(db) as conn:
        assert {Path(p).name for (p,) in conn.execute("SELECT path FROM documents")} == set(GOOD) | {"empty.txt"}
        assert conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0] == mentions_before + 4


def test_strict_ingest_stops_at_the_first_failure(mixed, tmp_path):
    code, _out, err = run("ingest", "--strict", "--db", tmp_path / "store.db", mixed)
    assert code == 1
    assert len(_errors(err)) == 1


def test_a_file_that_disappears_mid_run_fails_alone(tmp_path):
    names = ["a.txt", "b.txt", "c.txt"]
    for name in names:
        (tmp_path / name).write_text("预算资金30万元。\n", encoding="utf-8")
    tally = Tally()
    done = []
    with redirect_stderr(io.StringIO()) as err:
        for result in extract_batch([str(tmp_path)], 1 << 20, False, tally):
            done.append(result.doc_id)
            (tmp_path / "b.txt").unlink(missing_ok=True)  # gone after the folder was listed
    assert done == ["a.txt", "c.txt"]
    assert (tally.documents, tally.failed) == (3, 1)
    assert "b.txt: no such file or directory" in err.getvalue()


def test_an_unreadable_file_fails_alone(tmp_path, monkeypatch):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("预算资金30万元。\n", encoding="utf-8")
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == "a.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    code, out, err = run("extract", tmp_path)
    assert code == 1
    assert "a.txt: cannot read the file: Permission denied" in err
    assert {json.loads(line)["doc"] for line in out.splitlines()} == {"b.txt"}


def test_an_unexpected_exception_fails_one_document(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("预算资金30万元。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("坏文件\n", encoding="utf-8")
    real = pipeline.document.process_text

    def buggy(text, doc_id, kinds):
        if doc_id == "b.txt":
            raise ZeroDivisionError("a bug")
        return real(text, doc_id, kinds)

    monkeypatch.setattr(pipeline.document, "process_text", buggy)
    code, out, err = run("extract", tmp_path)
    assert code == 1
    assert f"error: {tmp_path / 'b.txt'}: extraction failed: ZeroDivisionError: a bug" in err.splitlines()
    assert {json.loads(line)["doc"] for line in out.splitlines()} == {"a.txt"}


def test_a_pattern_out_of_time_fails_the_document(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("预算资金30万元。\n" * 200, encoding="utf-8")
    monkeypatch.setattr(guard, "PATTERN_TIMEOUT", 1e-9)
    code, _out, err = run("extract", tmp_path / "a.txt")
    assert code == 1
    assert "a.txt: a pattern took over" in err
    assert err.splitlines()[-1] == "1 documents, 1 failed"
