"""The CLI a person expects: a progress bar on ingest as on extract; extract_frame's contract."""
from __future__ import annotations

import sys

import pytest

from pipeline import extract_frame
from pipeline.cli import main
from pipeline.document import FRAME_COLUMNS
from pipeline.errors import InputError


@pytest.fixture()
def folder(tmp_path):
    for n in range(5):
        (tmp_path / f"r{n}.txt").write_text(f"某县交通运输局完成投资{n + 1}万元。", encoding="utf-8")
    return tmp_path


def _tty(monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)


@pytest.mark.parametrize("command", [["ingest", "--workers", "1", "--db"], ["extract", "-o"]])
def test_progress_bar_on_a_terminal(folder, tmp_path, monkeypatch, capsys, command):
    _tty(monkeypatch)
    assert main(command[:1] + [str(folder)] + command[1:] + [str(tmp_path / "out.x")]) == 0
    err = capsys.readouterr().err
    assert "5/5" in err and "doc" in err


def test_no_progress_bar_off_a_terminal(folder, tmp_path, capsys):
    assert main(["ingest", str(folder), "--workers", "1", "--db", str(tmp_path / "kb.db")]) == 0
    assert "5/5" not in capsys.readouterr().err


def test_extract_frame_raises_on_a_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        extract_frame(tmp_path / "nope.txt")


def test_extract_frame_raises_on_an_unreadable_file(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(InputError):
        extract_frame(bad)


@pytest.mark.parametrize("text", ["", "没有数字的一句话。", "完成投资3至5万元，约10公里。"])
def test_extract_frame_always_has_the_same_columns(text):
    frame = extract_frame(text, is_text=True)
    assert tuple(frame.columns) == FRAME_COLUMNS
