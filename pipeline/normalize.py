"""Normalise text for recognition while keeping a map back to the source.

Four edits, all chosen so that every normalised character is a source character
(folded 1:1) or the source character itself; only deletions change positions:
- full-width ASCII (`３０万元`, `（一）`, `，`) and the ideographic space fold to ASCII;
- spaces beside a Chinese character or symbol (`30 万元`, `2023 年 7 月`, `项目支出 绩效`,
  `≥ 15`) are removed; spaces between two ASCII characters stay (`ISO 9001`, `1. 2023年`);
- control characters (an ESC, a stray NUL) are removed;
- line breaks that a PDF conversion put inside a sentence or number are removed
  (the line before is long and ends mid-sentence, the next is not a heading or table row).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from .recognize.guard import for_re

# U+FF01..U+FF5E are the full-width forms of U+0021..U+007E; U+3000 and NBSP are spaces.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x202F: 0x20})
_FOLD_CHARS = {chr(cp): chr(to) for cp, to in _FOLD.items()}
# the characters fold_width changes (structure's squash tests for them before folding)
FOLDABLE = re.compile("[" + "".join(re.escape(char) for char in sorted(_FOLD_CHARS)) + "]")

# Control characters a text reader let through (an ESC, a NUL among thousands of characters):
# deleted, so that they neither split a word nor become one. Tab, line breaks and form feed stay.
_CONTROL = r"\x00-\x08\x0b\x0e-\x1f\x7f-\x9f"
# Every cut, in one pass. Each starts at a character of one class, so that `re` skips every
# other position without trying the pattern there, and each branch tests what that
# character was (their cuts are disjoint, so one pass finds what a pass each would):
# - a \r before \n;
# - a run of control characters;
# - a run of spaces between two other characters (whitespace as str.isspace takes it),
#   unless both are ASCII (`ISO 9001`, `1. 2023年`) and the second is not % (`5 %`);
# - (group `br`) a line break after a line that does not end a sentence, with the spaces
#   around it and blank lines after it, before a Chinese character, a digit or an opening
#   mark; kept only where _line_join_allowed. (Written for regex, run on re by for_re.)
_CUTS = re.compile(
    rf"[ \t\n\r{_CONTROL}](?:(?<=\r)(?=\n)|(?<=[{_CONTROL}])[{_CONTROL}]*"
    r"|(?<=[^\s!-~] ) *+(?=\S)|(?<=\S ) *+(?=[^\s!-~]|%)"
    + for_re(r"|(?P<br>(?<=\S[ \t\n])(?<![。！？；：:;!?…][ \t\n])(?<![。！？；：:;!?…][”’)）》】][ \t\n])"
             r"(?:(?<=\n)|[ \t]*\n)(?:[ \t]*\n)*[ \t]*(?=[\p{Han}\d(“《])))")
)
_HEADING = re.compile(
    r"[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．](?!\d)|[(（]\d+[)）]|第[一二三四五六七八九十\d]+[章节部分条]"
)
# A line ending in one of these is a title, not a sentence wrapped by a PDF converter.
_TITLE_ENDINGS = ("报告", "总结", "通知", "决定", "意见", "办法", "方案", "说明", "请示", "批复")
# A news item's header lines (来源：…, 发布时间：…) and the title above them are never wrapped text.
_META_LINE = re.compile(for_re(r"\s*(?:来源|发布时间|发布日期|发布机构|作者|编辑|责任编辑|信息来源|时间)\s*[:：]"))
# A wrapped body line is at least this long; shorter lines are titles, headings or signatures.
MIN_WRAPPED_LINE = 15
# A numbered line this long is the first line of a wrapped paragraph (`2. 截止…其余5万` / `元主要用于…`), not a heading.
MAX_HEADING_LINE = 50


def fold_width(text: str) -> str:
    # One str.replace per kind of foldable character present (a report has a handful:
    # ，（）：％): five times faster than str.translate's lookup at every character.
    for char in set(FOLDABLE.findall(text)):
        text = text.replace(char, _FOLD_CHARS[char])
    return text


@dataclass(frozen=True)
class Normalized:
    """Normalised text with the positions where it was cut relative to the source."""

    source: str
    text: str
    # piece k of `text` starts at norm_starts[k] and was copied from source at src_starts[k]
    norm_starts: list[int] = field(repr=False)
    src_starts: list[int] = field(repr=False)

    def source_offset(self, pos: int) -> int:
        k = bisect_right(self.norm_starts, pos) - 1
        return self.src_starts[k] + (pos - self.norm_starts[k])

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open normalised span onto the source."""
        if end <= start:
            s = self.source_offset(start) if start < len(self.text) else len(self.source)
            return s, s
        return self.source_offset(start), self.source_offset(end - 1) + 1


def _line_join_allowed(text: str, match: "re.Match[str]") -> bool:
    line_start = text.rfind("\n", 0, match.start()) + 1
    line = text[line_start:match.start()]
    if "\t" in line or len(line.strip()) < MIN_WRAPPED_LINE:
        return False
    if _HEADING.match(line.strip()) and "。" not in line and len(line.strip()) < MAX_HEADING_LINE:
        return False
    if line.rstrip().endswith(_TITLE_ENDINGS):
        return False
    next_end = text.find("\n", match.end())
    next_line = text[match.end():next_end if next_end >= 0 else len(text)]
    if "\t" in next_line or _HEADING.match(next_line):
        return False
    return not (_META_LINE.match(line) or _META_LINE.match(next_line))


def _deletions(text: str) -> list[tuple[int, int]]:
    """The spans to cut, in order, those that touch merged."""
    merged: list[tuple[int, int]] = []
    for m in _CUTS.finditer(text):
        if m.lastindex and not _line_join_allowed(text, m):
            continue
        s, e = m.span()
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def normalize(source: str) -> Normalized:
    folded = fold_width(source)
    cuts = _deletions(folded)
    # piece k of the text is folded[src_starts[k]:piece_ends[k]]
    src_starts = [0, *(e for _s, e in cuts)]
    piece_ends = [*(s for s, _e in cuts), len(folded)]
    norm_starts = [0, *accumulate(end - start for start, end in zip(src_starts, piece_ends[:-1]))]
    text = "".join([folded[start:end] for start, end in zip(src_starts, piece_ends)])
    return Normalized(source, text, norm_starts, src_starts)
