"""Reading the case tables in tests/cases/: tab-separated, one case a line."""
from __future__ import annotations

from pathlib import Path

import regex

CASES = Path(__file__).parent / "cases"
_ESCAPE = regex.compile(r"\\([tn\\])")


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a tab-separated case table: `#` lines are comments, the first other
    line is the header; `\\t`, `\\n` and `\\\\` in a cell stand for tab, line break, backslash.
    Each row also carries its `table` and `line`, for readable failures."""
    header: list[str] | None = None
    rows = []
    for lineno, line in enumerate((CASES / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [_ESCAPE.sub(lambda m: {"t": "\t", "n": "\n", "\\": "\\"}[m.group(1)], c) for c in line.split("\t")]
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            raise ValueError(f"{name}:{lineno}: {len(cells)} cells, the header has {len(header)}")
        rows.append(dict(zip(header, cells), table=name, line=str(lineno)))
    return rows
