"""The records of every corpus document, kept in tests/snapshots/ so that a change meant
to leave them alone (a faster stage, a refactoring) is checked to do so.

    .venv/bin/python tests/records_snapshot.py        # rewrite the snapshot

Rewrite it only for a change meant to alter records, and say in the commit which
records changed and why (`git diff tests/snapshots/` shows them).
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "snapshots" / "corpus_records.jsonl"


def corpus_records() -> list[str]:
    """Every record of every kind `ingest` stores (findings included), one JSON line each,
    document by document in file-name order, with the default segmenter."""
    from pipeline import extract_paths
    from pipeline.document import STORED_KINDS

    paths = sorted((ROOT / "corpus").glob("*.txt"))
    lines = []
    for result in extract_paths(paths, kinds=STORED_KINDS):
        if result.error is not None:
            raise result.error
        lines += [json.dumps(record, ensure_ascii=False, sort_keys=True) for record in result.records(STORED_KINDS)]
    return lines


def main() -> None:
    lines = corpus_records()
    SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{SNAPSHOT.relative_to(ROOT)}: {len(lines)} records")


if __name__ == "__main__":
    main()
