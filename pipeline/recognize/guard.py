"""A time limit on every pattern the recognisers run over document text.

The patterns are written to run in linear time, and the property and stress tests
hold them to it; the limit is the backstop for the case they miss. A pattern that
runs out of time raises TimeoutError, and the document is reported as failed
(pipeline/document.py), never the batch.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import regex

# Seconds one call may take: a thousand times what a 100,000-character chunk needs.
PATTERN_TIMEOUT = 5.0


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
        return self.compiled.finditer(string, pos, endpos, timeout=PATTERN_TIMEOUT)

    def findall(self, string: str, pos: int | None = None, endpos: int | None = None) -> list[Any]:
        return self.compiled.findall(string, pos, endpos, timeout=PATTERN_TIMEOUT)

    def search(self, string: str, pos: int | None = None, endpos: int | None = None) -> "regex.Match[str] | None":
        return self.compiled.search(string, pos, endpos, timeout=PATTERN_TIMEOUT)

    def match(self, string: str, pos: int | None = None, endpos: int | None = None) -> "regex.Match[str] | None":
        return self.compiled.match(string, pos, endpos, timeout=PATTERN_TIMEOUT)

    def fullmatch(self, string: str, pos: int | None = None, endpos: int | None = None) -> "regex.Match[str] | None":
        return self.compiled.fullmatch(string, pos, endpos, timeout=PATTERN_TIMEOUT)

    def sub(self, repl: str | Callable[["regex.Match[str]"], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count, timeout=PATTERN_TIMEOUT)


def guarded(pattern: str, flags: int = 0) -> Guarded:
    return Guarded(regex.compile(pattern, flags))
