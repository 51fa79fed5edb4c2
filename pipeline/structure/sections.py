"""Numbered heading tree: 一、 (一)/（一） 1. (1), with the composite number as a path.

Works on normalised text (full-width folded, PDF line breaks inside sentences
joined) and reports offsets in the source through the Normalized map.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any

import regex

from ..normalize import Normalized
from ._common import config, without_space

_CN_DIGITS = "一二三四五六七八九十"
_COMMA = re.compile(r"[，,]")


@dataclass
class Section:
    number: str  # composite: 二、(一)1.(1)
    heading: str
    start: int  # source offsets
    end: int
    level: int = 0

    def record(self) -> dict[str, Any]:
        return {"number": self.number, "heading": self.heading, "start": self.start, "end": self.end}


@lru_cache(maxsize=1)
def _patterns() -> tuple[list["regex.Pattern[str]"], "regex.Pattern[str]", int]:
    cfg = config("sections")
    levels = [regex.compile(r"^\s*(" + p + r")\s*") for p in cfg["levels"]]
    return levels, regex.compile(cfg["heading_end"]), int(cfg["max_heading_chars"])


@lru_cache(maxsize=1)
def _any_number() -> tuple["regex.Pattern[str]", dict[str, int]]:
    """Every level's number in one pattern, a group each (outermost first), and the level of
    each group's name: a line it does not match opens no heading, and the group that took part
    (the match's last group: it closes after any group inside it) is the first level whose own
    pattern matches (no level's number starts with whitespace, so each is tried in order after
    the same leading space): one call does the work of one per level."""
    names = {f"level{k}": k for k in range(len(config("sections")["levels"]))}
    alternatives = (r"(?P<%s>%s)\s*" % (name, p) for name, p in zip(names, config("sections")["levels"]))
    return regex.compile(r"^\s*(?:%s)" % "|".join(alternatives)), names


@lru_cache(maxsize=4096)
def _may_open(first: str) -> bool:
    """Whether a line starting with this character can open with a heading number: most lines
    of narrative are turned away by their first character, without a pattern run on them."""
    return _any_number()[0].match(first, partial=True) is not None


_MARKS = str.maketrans("", "", "()（）、.．")


def _canonical(level: int, number: str) -> str:
    core = without_space(number.translate(_MARKS))  # the number without its marks and spaces
    if level == 0:
        return core + "、"
    if level == 1 or level == 3:
        return f"({core})"
    return core + "."


def heading_at(line: str) -> tuple[int, str, int] | None:
    """(level, canonical number, length of the number prefix) when the line opens with a heading number."""
    if not line or not _may_open(line[0]) or "\t" in line or "|" in line:
        return None
    pattern, names = _any_number()
    m = pattern.match(line)
    if m is None:
        return None
    level = names[m.lastgroup]
    if m.end() < len(line.rstrip()):
        return level, _canonical(level, m.group(m.lastgroup)), m.end()
    # the number is all the line holds: a heading of a later level may still open it
    levels, _, _ = _patterns()
    for later, pattern in enumerate(levels[level + 1:], level + 1):
        m = pattern.match(line)
        if m and m.end() < len(line.rstrip()):
            return later, _canonical(later, m.group(1)), m.end()
    return None


def parse_sections(norm: Normalized, start: int, end: int) -> list[Section]:
    """Sections of the normalised span [start, end); offsets returned in the source."""
    _, heading_end, max_chars = _patterns()
    found: list[tuple[int, int, str, str]] = []  # (level, norm start, number, heading)
    stack: list[tuple[int, str]] = []
    source = norm.source
    lines = norm.text[start:end].split("\n")
    # the first characters that can open a heading number, of those the lines start with
    openers = {first for first in {line[:1] for line in lines} if first and _may_open(first)}
    for ls, line in zip(accumulate(map((1).__add__, map(len, lines)), initial=start), lines):
        if line[:1] not in openers:
            continue
        hit = heading_at(line)
        if not hit:
            continue
        le = ls + len(line)
        level, number, prefix = hit
        body_start = ls + prefix
        m = heading_end.search(norm.text, body_start, le)
        h_end = m.start() if m else le
        if not m and _COMMA.search(norm.text, body_start, le):
            # a sentence-like heading broken over lines: run on to the end of the sentence
            m = heading_end.search(norm.text, le, min(len(norm.text), le + max_chars))
            nxt = norm.text[le:m.start()] if m else ""
            if m and not any(heading_at(x) for x in nxt.split("\n") if x.strip()):
                h_end = m.start()
        if h_end - body_start > max_chars:
            h_end = body_start + max_chars
        s, e = norm.to_source(body_start, h_end)
        heading = without_space(source[s:e])
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, number))
        found.append((level, ls, "".join(n for _, n in stack), heading))
    sections: list[Section] = []
    src_end = norm.to_source(end, end)[0] if end < len(norm.text) else len(source)
    # a section ends where the next one of its level or above begins (one pass with a stack)
    ends: list[int | None] = [None] * len(found)
    open_sections: list[int] = []
    for j, (level2, ns2, _, _) in enumerate(found):
        while open_sections and found[open_sections[-1]][0] >= level2:
            ends[open_sections.pop()] = ns2
        open_sections.append(j)
    for i, (level, ns, number, heading) in enumerate(found):
        ne = ends[i]
        s = norm.source_offset(ns)  # (to_source of the one character there)
        e = norm.source_offset(ne) if ne is not None else src_end
        sections.append(Section(number, heading, s, e, level))
    return sections
