"""A time limit on every pattern the recognisers run over document text that could
run away.

Patterns are compiled with `guarded` (on `regex`, each call timed) or `bounded`:
- `guarded`: the patterns are written to run in linear time, and the property and
  stress tests hold them to it; the limit is the backstop for the case they miss. A
  pattern that runs out of time raises TimeoutError, and the document is reported
  as failed (pipeline/document.py), never the batch. A call over a short span (a
  word, a line) runs without the limit: even a quadratic pattern is done in
  milliseconds there, and `regex` spends longer reading the clock than matching.
- `bounded`: word lists and bounded repetitions only (no `*`, `+` or `{n,}`, checked),
  so the work at each position of the text is bounded by the pattern and it cannot
  run away. These run on the standard library's `re`, which scans alternations of
  Chinese words four to five times faster than `regex` (`regex` is the faster of the
  two on patterns that start with a lookbehind or a digit, so those stay on it).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Iterator, Union

import regex

# Seconds one call may take: a thousand times what a 100,000-character chunk needs.
PATTERN_TIMEOUT = 5.0
# A call over at most this many characters runs without the time limit.
UNTIMED_SPAN = 1_000

_UNBOUNDED_BRACES = re.compile(r"\{\d*,\}")


def repeats_without_bound(pattern: str) -> bool:
    """Whether `pattern` has a `*`, `+` or `{n,}` outside escapes and character classes."""
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            # a `]` first in a class (`[]…]`, `[^]…]`) is a literal, not its end
            if char == "]" and pattern[i - 1] != "[" and pattern[i - 2:i] != "[^":
                in_class = False
        elif char == "[":
            in_class = True
        elif char in "*+" or (char == "{" and _UNBOUNDED_BRACES.match(pattern, i)):
            return True
        i += 1
    return False


class Guarded:
    """A compiled `regex` pattern whose matching calls all carry PATTERN_TIMEOUT."""

    __slots__ = ("compiled",)

    def __init__(self, compiled: "regex.Pattern[str]"):
        self.compiled = compiled

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    @property
    def groupindex(self) -> dict[str, int]:
        return self.compiled.groupindex

    def finditer(self, string: str, pos: int | None = None, endpos: int | None = None) -> Iterator["regex.Match[str]"]:
        return self.compiled.finditer(string, pos, endpos, timeout=_timeout(string, pos, endpos))

    def finditer_by_lines(self, string: str) -> Iterator["regex.Match[str]"]:
        """`finditer` over pieces of whole lines, each as short as allows running it
        without the time limit (a longer line is one piece, with the limit). The same
        matches as `finditer` for a pattern that never reads past a line break."""
        for start, end in line_pieces(string, UNTIMED_SPAN, whole_lines=True):
            yield from self.finditer(string, start, end)

    def findall(self, string: str, pos: int | None = None, endpos: int | None = None) -> list[Any]:
        return self.compiled.findall(string, pos, endpos, timeout=_timeout(string, pos, endpos))

    def search(self, string: str, pos: int | None = None, endpos: int | None = None) -> "regex.Match[str] | None":
        return self.compiled.search(string, pos, endpos, timeout=_timeout(string, pos, endpos))

    def match(self, string: str, pos: int | None = None, endpos: int | None = None) -> "regex.Match[str] | None":
        return self.compiled.match(string, pos, endpos, timeout=_timeout(string, pos, endpos))

    def fullmatch(self, string: str, pos: int | None = None, endpos: int | None = None) -> "regex.Match[str] | None":
        return self.compiled.fullmatch(string, pos, endpos, timeout=_timeout(string, pos, endpos))

    def sub(self, repl: str | Callable[["regex.Match[str]"], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count, timeout=_timeout(string, None, None))


def line_pieces(text: str, size: int, *, whole_lines: bool) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive pieces of `text`, each cut after a line break and at
    most `size` characters long where the lines allow; a longer line is cut at `size`,
    or with `whole_lines` kept whole in a piece of its own."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut > start:
                end = cut + 1
            elif whole_lines:
                newline = text.find("\n", end)
                end = newline + 1 if newline >= 0 else len(text)
        yield start, end
        start = end


def _timeout(string: str, pos: int | None, endpos: int | None) -> float | None:
    end = len(string) if endpos is None else min(endpos, len(string))
    return None if end - (pos or 0) <= UNTIMED_SPAN else PATTERN_TIMEOUT


# A pattern either engine runs, with the same matching calls.
Pattern = Union[Guarded, "re.Pattern[str]"]


def named_groups(match: "regex.Match[str] | re.Match[str]") -> dict[str, str | None]:
    """`match.groupdict()`, from one `groups()` call: `regex` reads named groups one by
    one, which on the quantity scanner's sixteen groups costs ten times as much."""
    groups = match.groups()
    return {name: groups[index] for index, name in _group_names(match.re)}


@lru_cache(maxsize=None)
def _group_names(pattern: "regex.Pattern[str] | re.Pattern[str]") -> tuple[tuple[int, str], ...]:
    return tuple((index - 1, name) for name, index in pattern.groupindex.items())


def guarded(pattern: str, flags: int = 0) -> Guarded:
    return Guarded(regex.compile(pattern, flags))


def bounded(pattern: str) -> "re.Pattern[str]":
    """`pattern`, which must repeat nothing without bound, on `re` without a time limit."""
    if repeats_without_bound(pattern):
        raise ValueError(f"pattern repeats without bound, so it needs guarded(): {pattern[:80]!r}")
    return re.compile(pattern)
