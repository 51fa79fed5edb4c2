"""Compile models/patterns.yaml: named sub-patterns with `{Name}` holes, in the
manner of Recognizers-Text's typed YAML. Lexicons named under `lexicons:` become
alternations (longest first, escaped); those under `character_classes:` become a class
of the words' first characters. An unknown hole is an error, not a literal.
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, Iterable

import regex

from ..errors import ModelError
from ..resolve.units import unit_words
from ..resources import load_yaml, lookup
from .guard import Guarded, guarded

PATTERN_FILE = "patterns.yaml"
# regex's own {m,n} quantifiers start with a digit and \p{Han} follows \p, so neither is a hole.
_HOLE = regex.compile(r"(?<!\\[pP])\{([A-Za-z][A-Za-z0-9]*)\}")


def alternation(words: Iterable[Any]) -> str:
    """`[万元, 元]` -> `(?:万元|元)`, longest first so the longest unit wins."""
    items = sorted({str(w) for w in words}, key=lambda w: (-len(w), w))
    if not items:
        raise ModelError(PATTERN_FILE, "a lexicon is empty")
    return "(?:" + "|".join(regex.escape(w) for w in items) + ")"


def first_characters(words: Iterable[Any], skip: str) -> str:
    """`[万元, 个, 万]` with `skip` matching 万 -> `[个元]`: the character that follows each
    word's leading `skip` characters; a word made only of them adds none."""
    skipped = regex.compile(f"(?:{skip})*")
    chars = {word[skipped.match(word).end():][:1] for word in (str(w) for w in words)} - {""}
    if not chars:
        raise ModelError(PATTERN_FILE, "a character class is empty")
    return "[" + "".join(regex.escape(c) for c in sorted(chars)) + "]"


def lexicon_words(source: str | dict[str, str]) -> list[str]:
    """The words of a lexicon: `{units: LENGTH}` -> every way of writing a length unit
    (resolve/units.py), `{units: DURATION, strip: 个}` -> 月, 小时… (of 个月, 个小时…); a dotted name such as `units.hedges.before` -> that entry's words."""
    if isinstance(source, dict):  # `strip`: the words that start with it, without it (个月 -> 月)
        strip = source.get("strip", "")
        return [w[len(strip):] for w in unit_words(source["units"]) if w.startswith(strip) and w != strip]
    return [str(w) for w in lookup(source)]


@lru_cache(maxsize=1)
def references() -> dict[str, str]:
    spec = load_yaml(PATTERN_FILE)
    table: dict[str, str] = {}
    for name, source in (spec.get("lexicons") or {}).items():
        table[name] = alternation(lexicon_words(source))
    for name, body in (spec.get("references") or {}).items():
        if name in table:
            raise ModelError(PATTERN_FILE, f"reference {name!r} defined twice")
        table[name] = str(body)
    for name, built in (spec.get("character_classes") or {}).items():
        if name in table:
            raise ModelError(PATTERN_FILE, f"reference {name!r} defined twice")
        words = [word for source in built["words"] for word in lexicon_words(source)]
        table[name] = first_characters(words, expand("{" + built["skip"] + "}", table))
    return table


def expand(pattern: str, table: dict[str, str] | None = None, _depth: int = 0) -> str:
    table = references() if table is None else table
    if _depth > 20:
        raise ModelError(PATTERN_FILE, f"references nest too deep in {pattern!r}")

    def fill(match: "regex.Match[str]") -> str:
        name = match.group(1)
        if name not in table:
            raise ModelError(PATTERN_FILE, f"unknown reference {{{name}}}")
        return expand(table[name], table, _depth + 1)

    return _HOLE.sub(fill, pattern)


def compile_pattern(pattern: str) -> Guarded:
    try:
        return guarded(expand(pattern))
    except regex.error as exc:
        raise ModelError(PATTERN_FILE, f"pattern {pattern!r} does not compile: {exc}") from exc


@lru_cache(maxsize=1)
def compiled_patterns() -> dict[str, list[Guarded]]:
    """Mention type -> its compiled patterns, in file order."""
    spec = load_yaml(PATTERN_FILE).get("patterns") or {}
    return {label: [compile_pattern(p) for p in pats] for label, pats in spec.items()}


def reference_pattern(name: str) -> Guarded:
    return compile_pattern("{" + name + "}")


@lru_cache(maxsize=None)
def scanner(labels: tuple[str, ...]) -> tuple[Guarded, list[tuple[str, str]]]:
    """One pattern that finds the mentions of all `labels` in a single pass over the text.

    Each type's patterns become alternatives named `alt0`, `alt1`… in the order given
    (at one position the first alternative that matches wins); returns the pattern and
    [(alternative name, label)]. Inner groups share names, as the `regex` module allows.
    """
    spec = load_yaml(PATTERN_FILE).get("patterns") or {}
    patterns = [(label, pattern) for label in labels for pattern in spec[label]]
    # The start all alternatives share is tested once per position, not once per alternative.
    common = os.path.commonprefix([p for _label, p in patterns])
    common = common[:common.rfind("}") + 1] if "{" in common else ""
    alternatives, names = [], []
    for label, pattern in patterns:
        name = f"alt{len(names)}"
        alternatives.append(f"(?P<{name}>{expand(pattern[len(common):])})")
        names.append((name, label))
    try:
        return guarded(expand(common) + "(?:" + "|".join(alternatives) + ")"), names
    except regex.error as exc:
        raise ModelError(PATTERN_FILE, f"the patterns of {labels} do not combine: {exc}") from exc
