"""Helpers shared by the structure modules: configuration, lines, JSON numbers."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterator

import regex

from ..normalize import FOLDABLE, fold_width
from ..resources import lookup

# `regex`'s `\s` written for `re`, which runs these short searches several times faster (its
# `\s` also takes the separators \x1c-\x1f, which `regex` leaves in a word).
SPACE = r"[^\S\x1c-\x1f]"
_WS = re.compile(SPACE + "+")
# What squash() changes: whitespace and the characters fold_width folds (most cells have neither).
_UNSQUASHED = re.compile(SPACE + "|" + FOLDABLE.pattern)
# Whitespace but the line break: removed from a text, it leaves each line squashed in its place.
_INLINE_SPACE = re.compile(r"[^\S\n\x1c-\x1f]+")


@lru_cache(maxsize=None)
def config(section: str) -> dict[str, Any]:
    return lookup(f"structure.{section}")


def squash(text: str) -> str:
    """Fold width and drop all whitespace: the form used to compare words."""
    if _UNSQUASHED.search(text) is None:
        return text
    return without_space(fold_width(text))


def without_space(text: str) -> str:
    """`text` with its whitespace removed. Spaces are most texts' only whitespace: once they
    are gone, the pattern runs only when something unprintable is left (as every other
    whitespace character is); it costs far more than the replace."""
    squeezed = text.replace(" ", "")
    if squeezed.isprintable():
        return squeezed
    return _WS.sub("", text)


def squashed_lines(text: str) -> str:
    """squash() of every line of `text`, in one pass, the lines kept: line k of the result is
    squash(line k of `text`) (fold_width keeps offsets; only whitespace is removed). Spaces and
    tabs are the whitespace of most texts: what is left once they are gone is searched for
    only when something unprintable is (as every other whitespace character is)."""
    folded = fold_width(text).replace(" ", "").replace("\t", "")
    if folded.replace("\n", "").isprintable():
        return folded
    return _INLINE_SPACE.sub("", folded)


def lines(text: str, offset: int = 0) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) for every line of `text`, offsets shifted by `offset`."""
    pos = 0
    for line in text.split("\n"):
        yield offset + pos, offset + pos + len(line), line
        pos += len(line) + 1


def json_number(value: Decimal | None) -> int | float | None:
    """Numbers at the JSON edge: int when whole, else float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))
