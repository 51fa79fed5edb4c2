"""Data files in models/: located once, parsed and validated once, cached for the process.

In a source checkout models/ sits beside pipeline/; an installed wheel carries it
as pipeline/models (see pyproject.toml); $JIXIAO_MODELS names another copy (an edited
vocabulary, tried out without touching the installed one). Each YAML file is checked
against its schema (pipeline/model_schemas.py) when it is loaded: an unknown or missing
key raises ModelError naming the file and the key; the CLI checks them all at start.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import ModelError
from .model_schemas import SCHEMAS, problem

_HERE = Path(__file__).resolve().parent
MODELS_ENV = "JIXIAO_MODELS"


@lru_cache(maxsize=1)
def models_dir() -> Path:
    chosen = os.environ.get(MODELS_ENV)
    candidates = (Path(chosen),) if chosen else (_HERE / "models", _HERE.parent / "models")
    for candidate in candidates:
        if (candidate / "patterns.yaml").is_file():
            return candidate
    where = f"${MODELS_ENV}={chosen}" if chosen else "beside the pipeline package"
    raise ModelError("patterns.yaml", f"models/ directory not found ({where})")


def model_path(name: str) -> Path:
    path = models_dir() / name
    if not path.is_file():
        raise ModelError(name, "file not found")
    return path


# libyaml's safe loader where PyYAML was built with it: the models load ten times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def load_yaml(name: str) -> dict[str, Any]:
    try:
        data = yaml.load(model_path(name).read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise ModelError(name, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(name, "expected a mapping at the top level")
    if name not in SCHEMAS:
        raise ModelError(name, "no schema declared for this file (pipeline/model_schemas.py)")
    wrong = problem(data, SCHEMAS[name])
    if wrong:
        raise ModelError(name, wrong)
    return data


def check_models() -> None:
    """Load and validate every data file in models/ (what the CLI does at start);
    raises ModelError naming the first file and key that is wrong."""
    for path in sorted(models_dir().glob("*.yaml")):
        load_yaml(path.name)
    check_jieba_dictionary()


JIEBA_DICTIONARY = "jieba_dict.txt"


def check_jieba_dictionary() -> None:
    """models/jieba_dict.txt in jieba's user-dictionary form: `word [frequency] [tag]` a line."""
    for n, line in enumerate(model_path(JIEBA_DICTIONARY).read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if line.strip() and (len(parts) > 3 or (len(parts) > 1 and not parts[1].isdigit())):
            raise ModelError(JIEBA_DICTIONARY, f"line {n}: expected `word [frequency] [tag]`, got {line.strip()!r}")


def lookup(dotted: str) -> Any:
    """`units.money.units` -> the `money: units:` entry of units.yaml."""
    file, *keys = dotted.split(".")
    node: Any = load_yaml(f"{file}.yaml")
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise ModelError(f"{file}.yaml", f"missing entry {dotted!r}")
        node = node[key]
    return node
