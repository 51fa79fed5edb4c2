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
- `Twin`: a pattern written for `regex` (for_re writes what `re` reads otherwise) on `re`
  over short spans and on `regex` with the limit over longer ones: the quantity scan,
  which `re` runs twice as fast.
"""
from __future__ import annotations

import re
import sys
from array import array
from functools import cached_property, lru_cache
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


class Twin:
    """One pattern of `regex` on both engines (for_re: they match alike): `re`, the faster,
    over spans short enough to run without the time limit, `regex` with the limit over longer
    ones. Match objects of either have the same groups. Only the form for text of the BMP
    is compiled up front; the others when first needed (rare; regex compiles slowly)."""

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.fast = re.compile(for_re(pattern, beyond_bmp=False))

    @cached_property
    def fast_beyond_bmp(self) -> "re.Pattern[str]":
        return re.compile(for_re(self.pattern))

    @cached_property
    def timed(self) -> Guarded:
        return guarded(for_re(self.pattern))

    def finditer_by_lines(self, string: str, wide: bool) -> Iterator["re.Match[str] | regex.Match[str]"]:
        """`finditer` over pieces of whole lines, each as short as allows running it
        without the time limit (a longer line is one piece, with the limit). The same
        matches as `finditer` for a pattern that never reads past a line break.
        `wide`: whether `string` has a character beyond the BMP (beyond_bmp)."""
        fast = self.fast_beyond_bmp if wide else self.fast
        for start, end in line_pieces(string, UNTIMED_SPAN, whole_lines=True):
            yield from (fast if end - start <= UNTIMED_SPAN else self.timed).finditer(string, start, end)

    def match(self, string: str, pos: int, endpos: int, wide: bool) -> "re.Match[str] | regex.Match[str] | None":
        if endpos - pos > UNTIMED_SPAN:
            return self.timed.match(string, pos, endpos)
        return (self.fast_beyond_bmp if wide else self.fast).match(string, pos, endpos)


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


def bounded_regex(pattern: str) -> "regex.Pattern[str]":
    """`pattern`, which must repeat nothing without bound, on `regex` without a time limit
    (for what `re` cannot run: a lookbehind of varying width)."""
    if repeats_without_bound(pattern):
        raise ValueError(f"pattern repeats without bound, so it needs guarded(): {pattern[:80]!r}")
    return regex.compile(pattern)


def bounded(pattern: str) -> "re.Pattern[str]":
    """`pattern`, which must repeat nothing without bound, on `re` without a time limit."""
    if repeats_without_bound(pattern):
        raise ValueError(f"pattern repeats without bound, so it needs guarded(): {pattern[:80]!r}")
    return re.compile(pattern)


# `regex` and `re` read a pattern alike but for the classes below, which `regex` takes
# from a newer Unicode than the standard library's tables (its \d has 110 more digits, all
# beyond the BMP; re's \d has none it lacks; re's \s also takes \x1c-\x1f). for_re writes
# them out as `regex` reads them, code point by code point; a text without a character
# beyond the BMP needs only the BMP's.
_WRITTEN_OUT = (r"\p{Han}", r"\d", r"\s")
_CLASS_ITEM = re.compile(r"\\p\{Han\}|\\.|[^\\]", re.S)


@lru_cache(maxsize=1)
def _every_character() -> str:
    codes = array("I", range(sys.maxunicode + 1)).tobytes()  # made in C: a tenth of "".join's time
    return codes.decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be", "surrogatepass")


@lru_cache(maxsize=None)
def characters(escape: str) -> frozenset[str]:
    """Every character `regex` takes for a class by name (`\\s`)."""
    return frozenset(regex.findall(escape, _every_character()))


@lru_cache(maxsize=None)
def _ranges(escape: str, beyond_bmp: bool) -> str:
    r"""The characters `regex` takes for `escape`, as ranges in a class (\d in the BMP: re's own)."""
    if escape == r"\d" and not beyond_bmp:
        return r"\d"
    every = _every_character()[:sys.maxunicode + 1 if beyond_bmp else 0x10000]
    runs = [(run.start(), run.end() - 1) for run in regex.finditer(f"{escape}+", every)]
    if escape == r"\d":
        runs = [(first, last) for first, last in runs if not re.fullmatch(r"\d+", every[first:last + 1])]
        return r"\d" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in runs)
    return "".join(f"\\U{first:08x}" + (f"-\\U{last:08x}" if last > first else "") for first, last in runs)


def _read_alike(escape: str) -> bool:
    """Whether both engines read `escape` alike: an escaped mark, or a character by its code."""
    return not (escape[1:].isascii() and escape[1:].isalnum()) or escape[1] in "ntrfvxuU"


def _class_for_re(body: str, negated: bool, beyond_bmp: bool) -> str:
    """A class of `regex` (its text between the brackets) as `re` reads it."""
    items = _CLASS_ITEM.findall(body)
    for item in items:
        if item[0] == "\\" and item not in _WRITTEN_OUT and not _read_alike(item):
            raise ValueError(f"no re spelling for {item!r} in [{body}]")
    escapes = [item for item in items if item in _WRITTEN_OUT]
    if not escapes:
        return f"[{'^' if negated else ''}{body}]"
    if negated:
        raise ValueError(f"no re spelling for a negated class with {escapes}: [^{body}]")
    for k, item in enumerate(items):
        if item in _WRITTEN_OUT and "-" in (items[k - 1:k] + items[k + 1:k + 2]):
            raise ValueError(f"{item} beside a range's dash: [{body}]")
    written = (_ranges(item, beyond_bmp) if item in _WRITTEN_OUT else item for item in items)
    return f"[{''.join(written)}]"


def for_re(pattern: str, beyond_bmp: bool = True) -> str:
    r"""`pattern`, written for `regex`, written for `re` to match the same: \d, \s and \p{Han}
    (also in classes; \S outside them) as `regex` reads them; without `beyond_bmp`, the same
    only on text without a character beyond the BMP (`re` tests a class of BMP characters the
    fastest). Raises ValueError on a construct `re` would read otherwise (other classes by
    name, \w, \b, \S in a class: write them out first) and re.error where `re` lacks it (a lookbehind of varying
    width, a group name used twice)."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "[":
            negated = pattern.startswith("[^", i)
            j = i + 1 + negated
            j += pattern[j] == "]"  # a `]` first in a class is a literal
            while pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            out.append(_class_for_re(pattern[i + 1 + negated:j], negated, beyond_bmp))
            i = j + 1
        elif pattern.startswith((r"\p{Han}", r"\d", r"\s", r"\S"), i):
            escape = r"\p{Han}" if pattern[i + 1] == "p" else pattern[i:i + 2]
            if escape == r"\S":  # outside a class only: the class of what \s does not take
                out.append("[^" + _ranges(r"\s", beyond_bmp) + "]")
            else:
                out.append(_class_for_re(escape, False, beyond_bmp))
            i += len(escape)
        elif pattern[i] == "\\":
            escape = pattern[i:i + 2]
            if not _read_alike(escape):
                raise ValueError(f"no re spelling for {escape!r} in {pattern[:80]!r}")
            out.append(escape)
            i += 2
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def beyond_bmp(text: str) -> bool:
    """Whether `text` has a character beyond the BMP (each takes two UTF-16 units)."""
    return len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)
