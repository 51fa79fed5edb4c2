"""The corpus's records are the same as those in tests/snapshots/ (issue 17: a faster
extraction must give identical records). After a change meant to alter records, rewrite
the snapshot with `.venv/bin/python tests/records_snapshot.py` and commit the diff."""
from __future__ import annotations

import difflib

import pytest

from pipeline import segment
from records_snapshot import SNAPSHOT, corpus_records


def test_corpus_records_are_the_snapshot():
    if segment.segmenter() != segment.DEFAULT_SEGMENTER:
        pytest.skip("the snapshot is of the default segmenter's records")
    expected = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    actual = corpus_records()
    if actual != expected:
        diff = list(difflib.unified_diff(expected, actual, "snapshot", "now", n=0, lineterm=""))
        pytest.fail(f"{len(diff)} diff lines; first ones:\n" + "\n".join(diff[:20]))
