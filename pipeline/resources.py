"""Data files in models/: located once, parsed once, cached for the process.

In a source checkout models/ sits beside pipeline/; an installed wheel carries it
as pipeline/models (see pyproject.toml).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import ModelError

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def models_dir() -> Path:
    for candidate in (_HERE / "models", _HERE.parent / "models"):
        if (candidate / "patterns.yaml").is_file():
            return candidate
    raise ModelError("patterns.yaml", "models/ directory not found beside the pipeline package")


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
    return data


def lookup(dotted: str) -> Any:
    """`units.money.units` -> the `money: units:` entry of units.yaml."""
    file, *keys = dotted.split(".")
    node: Any = load_yaml(f"{file}.yaml")
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise ModelError(f"{file}.yaml", f"missing entry {dotted!r}")
        node = node[key]
    return node
