"""Chinese names and colours of the mention types, and Chinese column headings of the
store's tables, from models/labels.yaml (validated when loaded)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from .resources import load_yaml

FILE = "labels.yaml"


@lru_cache(maxsize=1)
def _labels() -> dict[str, Any]:
    return load_yaml(FILE)  # checked against model_schemas.LabelsFile as it loads


def type_name(code: str) -> str:
    """`MONEY` -> 金额 (an unknown code is shown as it is)."""
    return _labels()["types"].get(code, {}).get("zh", code)


def type_colour(code: str) -> str:
    return _labels()["types"].get(code, {}).get("colour", "#e5e7eb")


def type_code(text: str) -> str:
    """A mention type given by its code in any case or its Chinese name (金额 -> MONEY).
    Raises ValueError naming the known types."""
    wanted = text.strip()
    for code, entry in _labels()["types"].items():
        if wanted.upper() == code or wanted == entry["zh"]:
            return code
    known = ", ".join(f"{code} ({entry['zh']})" for code, entry in _labels()["types"].items())
    raise ValueError(f"unknown type {text!r}; expected one of {known}")


def heading(table: str, column: str) -> str:
    """The Chinese heading of `table.column`, or the column's own name."""
    return _labels()["columns"].get(table, {}).get(column, column)
