"""The `jixiao` command: extract to JSONL/CSV, batches with bad files, eval, version."""
from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline import __version__
from pipeline.cli import main

SENTENCE = "张掖市交通运输局2023年预算资金30万元，完成养护280公里。\n"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.out.splitlines()]

    def mentions(self) -> list[dict]:
        return [r for r in self.records() if r["kind"] == "mention"]

    def errors_naming(self, name: str) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("error:") and name in line]


def run(*argv: str | Path) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return Run(code, out.getvalue(), err.getvalue())


def offsets_hold(records: list[dict], source: str) -> bool:
    return all(source[r["start"]:r["end"]] == r["text"] for r in records)


def offsets_hold_in(records: list[dict], folder: Path) -> bool:
    """Every record's offsets hold in its own document of `folder`."""
    sources = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.txt")}
    return all(sources[r["doc"]][int(r["start"]):int(r["end"])] == r["text"] for r in records)


# --- the sample corpus -------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_run(corpus_dir) -> Run:
    return run("extract", corpus_dir)


def test_extract_walks_the_corpus_folder(corpus_run, corpus_dir):
    documents = {p.name for p in corpus_dir.glob("*.txt")}
    assert corpus_run.code == 0
    assert {r["doc"] for r in corpus_run.records()} == documents
    # the gold files beside them are counted and named in the closing line, not dropped
    # silently, and do not each take a line of their own (they are no problem)
    gold = sorted(p.name for p in (corpus_dir / "gold").iterdir())
    assert corpus_run.err.splitlines() == [
        f"{len(documents)} documents, 0 failed, {len(gold)} skipped ({', '.join(gold[:5])}, …)"]


def test_extract_offsets_point_at_the_text(corpus_run, corpus_dir):
    records = corpus_run.mentions()
    assert len(records) > 100
    assert offsets_hold_in(records, corpus_dir)


def test_extract_mentions_follow_the_schema(corpus_run):
    fields = {"kind", "doc", "type", "text", "start", "end", "value", "unit", "op"}
    assert all(fields <= set(r) for r in corpus_run.mentions())


def test_csv_has_the_schema_header_and_every_record(corpus_dir, corpus_run):
    result = run("extract", "--format", "csv", corpus_dir)
    header = result.out.splitlines()[0].split(",")
    assert header[:9] == ["kind", "doc", "type", "text", "start", "end", "value", "unit", "op"]
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == len(corpus_run.records())
    mentions = [r for r in rows if r["kind"] == "mention"]
    assert mentions and offsets_hold_in(mentions, corpus_dir)


def test_csv_file_opens_as_utf8_in_excel(tmp_path, sample_path):
    target = tmp_path / "mentions.csv"
    result = run("extract", "--format", "csv", "-o", target, sample_path)
    assert result.code == 0 and result.out == ""
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[:3] == ["kind", "doc", "type"]


def test_output_file_and_its_folder_are_created(tmp_path, sample_path):
    target = tmp_path / "out" / "mentions.jsonl"
    result = run("extract", "-o", target, sample_path)
    assert result.code == 0 and result.out == ""
    assert target.read_text(encoding="utf-8") == run("extract", sample_path).out


# --- a batch with bad files --------------------------------------------------------------

GOOD = {  # file name -> how it is written; each must decode and be extracted
    "utf8.txt": "utf-8",
    "utf8-bom.txt": "utf-8-sig",
    "gbk.txt": "gbk",
    "utf16.txt": "utf-16",  # with a BOM, as Windows writes "Unicode" text
}
BAD = [  # file name, the problem stderr must name
    ("missing.txt", "no such file or directory"),
    ("empty.txt", "the file is empty"),
    ("binary.txt", "binary content"),
    ("notes.docx", "not a readable Word (.docx) file"),
    ("photo.jpg", "unsupported file type"),
    ("empty-folder", "no .txt, .md, .pdf, .docx, .html, .htm, .xlsx, .xls, .doc or .wps files"),
]


@pytest.fixture(scope="module")
def batch(tmp_path_factory, sample_text) -> tuple[Path, Run]:
    folder = tmp_path_factory.mktemp("batch")
    for name, encoding in GOOD.items():
        (folder / name).write_bytes(sample_text.encode(encoding))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(gzip.compress(sample_text.encode(), mtime=0))  # a gzip saved as .txt
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")  # a zip cut off after its signature
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")  # given by name: not a document type
    (folder / "empty-folder").mkdir()
    paths = [folder / name for name in GOOD] + [folder / name for name, _ in BAD]
    return folder, run("extract", *paths)


@pytest.mark.parametrize("name, problem", BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_named_on_one_line(batch, name, problem):
    _folder, result = batch
    lines = result.errors_naming(name)
    assert len(lines) == 1 and problem in lines[0]


@pytest.mark.parametrize("name", list(GOOD))
def test_good_file_in_a_bad_batch_is_extracted(batch, sample_text, name):
    _folder, result = batch
    records = [r for r in result.mentions() if r["doc"] == name]
    assert len(records) > 100
    assert offsets_hold(records, sample_text)
    assert not result.errors_naming(name)


def test_bad_batch_ends_with_a_count_and_fails(batch):
    _folder, result = batch
    assert result.code == 1
    assert result.err.splitlines()[-1] == f"{len(GOOD) + len(BAD)} documents, {len(BAD)} failed"


def test_strict_stops_at_the_first_failure(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text(SENTENCE, encoding="utf-8")
    result = run("extract", "--strict", tmp_path / "empty.txt", tmp_path / "good.txt")
    assert (result.code, result.out) == (1, "")
    assert result.err.splitlines() == [f"error: {tmp_path / 'empty.txt'}: the file is empty", "1 documents, 1 failed"]


def test_file_over_max_bytes_fails(tmp_path):
    (tmp_path / "big.txt").write_text(SENTENCE, encoding="utf-8")
    result = run("extract", "--max-bytes", "10", tmp_path / "big.txt")
    assert result.code == 1
    assert "raise it with --max-bytes" in result.errors_naming("big.txt")[0]


# Loader edge cases (pipeline/formats/text.py): NUL bytes mean UTF-16 or binary content.
LOADER_GAPS = [
    pytest.param("utf-16-le", SENTENCE, None, id="UTF-16 without BOM is text"),
    pytest.param("utf-16-be", SENTENCE, None, id="big-endian UTF-16 without BOM is text"),
    pytest.param(None, b"SQLite format 3\x00" + bytes(4080), "binary content", id="NUL-padded binary is binary"),
]


@pytest.mark.parametrize("encoding, content, problem", LOADER_GAPS)
def test_loader_gaps(tmp_path, encoding, content, problem):
    path = tmp_path / "doc.txt"
    path.write_bytes(content.encode(encoding) if encoding else content)
    result = run("extract", path)
    if problem is None:
        assert result.code == 0 and offsets_hold(result.mentions(), content) and result.mentions()
    else:
        assert result.code == 1 and problem in result.errors_naming("doc.txt")[0]


# --- progress bar ------------------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("files, shown", [(3, False), (4, True)], ids=["few files, no bar", "more files, a bar"])
def test_progress_bar_only_on_a_terminal_with_more_than_a_few_files(tmp_path, files, shown):
    for i in range(files):
        (tmp_path / f"{i}.txt").write_text(SENTENCE, encoding="utf-8")
    terminal = Terminal()
    with redirect_stdout(io.StringIO()), redirect_stderr(terminal):
        main(["extract", str(tmp_path)])
    assert (f"{files}/{files}" in terminal.getvalue()) == shown


# --- eval and version --------------------------------------------------------------------

def test_eval_prints_a_table(gold_dir, sample_pred):
    result = run("eval", "--gold", gold_dir, sample_pred)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[1].split()[:4] == ["mentions", "strict", "P", "R"]
    assert {"MONEY", "PERCENT", "ROAD", "ORG"} <= {line.split()[0] for line in lines[2:]}


def test_eval_extract_scores_as_extract_then_eval(corpus_dir, gold_dir, corpus_pred):
    result = run("eval", "--gold", gold_dir, "--extract", corpus_dir)
    assert result.out == run("eval", "--gold", gold_dir, corpus_pred).out
    documents = len(list(corpus_dir.glob("*.txt")))
    assert result.err.splitlines()[-1].startswith(f"{documents} documents, 0 failed, ")


def test_eval_finds_corpus_gold_from_the_repo_root(monkeypatch, corpus_dir, gold_dir, sample_pred):
    monkeypatch.chdir(corpus_dir.parent)
    assert run("eval", sample_pred).out == run("eval", "--gold", gold_dir, sample_pred).out


def test_eval_without_gold_says_how_to_give_it(monkeypatch, tmp_path, capsys, sample_pred):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["eval", str(sample_pred)])
    assert exit_.value.code == 2
    assert "pass --gold DIR" in capsys.readouterr().err


def test_eval_of_a_missing_prediction_file_names_it(gold_dir, tmp_path):
    result = run("eval", "--gold", gold_dir, tmp_path / "nothing.jsonl")
    assert result.code == 1
    assert result.errors_naming("nothing.jsonl")


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"jixiao {__version__}"


def test_console_script_end_to_end(tmp_path):
    script = Path(sys.executable).parent / "jixiao"
    if not script.exists():
        pytest.skip("jixiao is not installed in this environment (scripts/setup installs it)")
    (tmp_path / "good.txt").write_text(SENTENCE, encoding="utf-8")
    done = subprocess.run([script, "extract", tmp_path / "good.txt", tmp_path / "missing.txt"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    mentions = [r for r in map(json.loads, done.stdout.splitlines()) if r["kind"] == "mention"]
    assert [m["type"] for m in mentions] == ["ORG", "DATE", "MONEY", "LENGTH"]
    assert done.stderr.splitlines()[-2:] == [f"error: {tmp_path / 'missing.txt'}: no such file or directory",
                                             "2 documents, 1 failed"]
