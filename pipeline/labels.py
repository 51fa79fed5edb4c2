"""Chinese names and colours of the mention types, and Chinese column headings of the
store's tables, from models/labels.yaml (validated when loaded)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

from .errors import ModelError
from .recognize.mention import MENTION_TYPES
from .resources import load_yaml

FILE = "labels.yaml"
_COLOUR = regex.compile(r"#[0-9a-fA-F]{6}")


@lru_cache(maxsize=1)
def _labels() -> dict[str, Any]:
    data = load_yaml(FILE)
    types = data.get("types")
    if not isinstance(types, dict) or set(types) != set(MENTION_TYPES):
        raise ModelError(FILE, f"types: expected exactly {', '.join(MENTION_TYPES)}")
    for code, entry in types.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("zh"), str) \
                or not _COLOUR.fullmatch(str(entry.get("colour"))):
            raise ModelError(FILE, f"types.{code}: expected {{zh: name, colour: '#rrggbb'}}")
    columns = data.get("columns")
    if not isinstance(columns, dict) or not all(isinstance(v, dict) for v in columns.values()):
        raise ModelError(FILE, "columns: expected a mapping of table -> {column: heading}")
    return data


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
