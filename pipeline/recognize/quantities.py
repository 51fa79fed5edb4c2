"""Recognise MONEY, PERCENT, LENGTH, DURATION and COUNT mentions.

Patterns come from models/patterns.yaml; the context rules below read their word
lists from models/cues.yaml (money cues for a bare 万 or a small Chinese amount, width
words that make 米 not a length, the dimensions of a building, fixed terms that are not
counts, cues that make `NN年` a span of time, table headers that start with 年).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache

from ..resolve.numbers import NotANumber
from ..resolve.quantities import Quantity, quantity_from_groups
from .context import cue_pattern, cue_window, cue_words, line_after, line_before
from .guard import beyond_bmp
from .mention import QUANTITY_TYPES, Mention
from .patterns import QuantityScan, ScanMatch, quantity_scan


_SCALE_CHARS = frozenset("十拾百佰千仟万亿")


def _is_money(text: str, match: ScanMatch, groups: dict, blocked_counts: list[tuple[int, int]]) -> bool:
    """An amount with its currency is money; a bare 万/亿 (资金30万) and a Chinese numeral
    without a scale before 元 (南风、三元、红旗 are places) only after a money cue."""
    if groups.get("hi"):  # a range (its ends: range_ends)
        small_chinese = False
    else:
        small_chinese = not any(ch.isdigit() or ch in _SCALE_CHARS for ch in groups["num"])
    if not groups.get("bare") and not small_chinese:
        return True
    if groups.get("bare") and line_after(text, match.end("q"), 3).startswith(cue_words("money_not_after")):
        return False
    if line_before(text, match.start("q"), 6).endswith(cue_words("money_not_before")):
        return False
    before = line_before(text, match.start(), cue_window("money_before"))
    return bool(cue_pattern("money_before").search(before))


def _is_length(text: str, match: ScanMatch, groups: dict, blocked_counts: list[tuple[int, int]]) -> bool:
    before = line_before(text, match.start("q"), 10)
    for link in cue_words("length_links"):
        if before.endswith(link):
            before = before[:-len(link)]
            break
    after = line_after(text, match.end("q"), 4)
    if before.endswith(cue_words("length_not_before")) or after.startswith(cue_words("length_not_after")):
        return False
    return not _is_dimension(text, match, before)


def _is_dimension(text: str, match: ScanMatch, before: str) -> bool:
    """长15米,宽8米: a bare 长 (not 全长, 桥长, 路长…) whose figure is followed by a width or a
    height measures a building or a thing, not a road."""
    if not before.endswith("长") or before[:-1].endswith(cue_words("length_of_works")):
        return False
    return bool(cue_pattern("dimension_after").search(line_after(text, match.end("q"), cue_window("dimension_after"))))


def _is_duration(text: str, match: ScanMatch, groups: dict, blocked_counts: list[tuple[int, int]]) -> bool:
    """`2023年`, `23年` are years and `下一年` an ordinal, not spans of time, unless a duration
    cue says so; `10年初预算数` is a cell's figure before a header that starts with 年."""
    if line_before(text, match.start("q"), 2).endswith(cue_words("duration_not_before")):
        return False
    if groups.get("unit") != "年":
        return True
    # a range's ends (range_ends): its high end is the number read before 年
    number, low = (groups["hi"], groups["num"]) if groups.get("hi") else (groups["num"], None)
    if is_header_after_figure(text, match.end("q") - 1, number):
        return False
    if not (_year_like(number) or (low and _year_like(low))):
        return True
    return has_duration_cue(text, match.start("q"), match.end("q"))


def _year_like(number: str) -> bool:
    """Two or four ASCII digits: 23, 2023."""
    return len(number) in (2, 4) and number.isascii() and number.isdigit()


def is_header_after_figure(text: str, year_at: int, number: str) -> bool:
    """A figure of one or two digits glued to a table header that starts with 年 (权重10年初预算数):
    neither a year nor a span of time."""
    return len(number) <= 2 and text.startswith(cue_words("headers_starting_with_year"), year_at)


def has_duration_cue(text: str, start: int, end: int) -> bool:
    """A cue next to `NN年` (近10年, 10年以来), or the row's name before it on its line
    (设计使用年限 ≥15年 15年), that makes it a span of time."""
    before = line_before(text, start, 4)
    after = line_after(text, end, 4)
    if before.endswith(cue_words("duration_cues_before")) or after.startswith(cue_words("duration_cues_after")):
        return True
    return bool(cue_pattern("duration_row_names").search(line_before(text, start, cue_window("duration_row_names"))))


def _is_count(text: str, match: ScanMatch, groups: dict, blocked: list[tuple[int, int]]) -> bool:
    """Not a fixed term (一批, 三项制度), not an ordinal (第3个), not a classifier that begins
    another word (9个别路段: 个别), and a whole number of things: 3.1本项目 is an outline
    number before 本项目 (3.2万户 is whole)."""
    s, e = match.span("q")
    k = bisect_left(blocked, (e,))  # blocked spans are sorted and do not overlap each other
    if k and blocked[k - 1][1] > s:
        return False
    if line_before(text, s, 4).endswith(cue_words("count_not_before")):
        return False
    if text.startswith(cue_words("count_not_words"), match.start("unit")):
        return False
    return not line_after(text, e, 4).startswith(cue_words("count_not_after"))


# Each type's context rule: (text, match, groups as the pattern names them, blocked COUNT spans);
# a type without one is taken where its pattern matches.
_RULES = {"MONEY": _is_money, "LENGTH": _is_length, "DURATION": _is_duration, "COUNT": _is_count}


def _resolved(label: str, text: str, match: ScanMatch, groups: dict) -> Mention | None:
    q = _quantity(label, *map(groups.get, _RESOLVED_GROUPS))
    if q is None or (label == "COUNT" and q.value is not None and q.value != q.value.to_integral_value()):
        return None
    s, e = match.span("q")
    extra: dict = {}
    if q.hedge:
        hedge_group = "hedge" if groups.get("hedge") else "hedgemid" if groups.get("hedgemid") else "hedgeafter"
        if hedge_group == "hedge" and line_before(text, match.start("hedge"), 4).endswith(cue_words("recent_before")):
            q = replace(q, hedge=None)  # 以近3年数据: the last three years, not nearly three
        else:
            extra = {"hedge": q.hedge, "_hedge_span": match.span(hedge_group)}
    if q.low is not None:
        extra.update(low=q.low, high=q.high)
    return Mention(label, s, e, text[s:e], q.value, q.unit, q.op, extra)


# The groups a quantity's value depends on: the same few amounts and years recur
# throughout a report, so each is resolved once.
_RESOLVED_GROUPS = ("num", "unit", "hi", "lounit", "bare", "half", "halfunit", "fraction", "sign",
                    "op", "opafter", "hedge", "hedgemid", "hedgeafter")


@lru_cache(maxsize=4096)
def _quantity(label: str, *values: str | None) -> Quantity | None:
    try:
        return quantity_from_groups(label, dict(zip(_RESOLVED_GROUPS, values)))
    except NotANumber:
        return None


def find_quantities(text: str) -> list[Mention]:
    """One pass of the combined quantity pattern; where the first type that matches is
    rejected by its context rule, the types after it are tried at the same position
    (those before it did not match there)."""
    scan = quantity_scan(QUANTITY_TYPES)
    blocked_counts = [m.span() for m in cue_pattern("count_not").finditer(text)]
    found: list[Mention] = []
    wide = beyond_bmp(text)
    rules = _RULES
    for label, match in scan.finditer(text, wide):
        rule = rules.get(label)
        if rule is not None and not rule(text, match, match.groups, blocked_counts):
            match, label = _fallback(text, match.start(), label, scan, wide, blocked_counts)
            if match is None:
                continue
        mention = _resolved(label, text, match, match.groups)
        if mention:
            found.append(mention)
    return found


def _fallback(text: str, pos: int, rejected: str, scan: QuantityScan, wide: bool,
              blocked_counts: list[tuple[int, int]]) -> tuple[ScanMatch | None, str]:
    for label in QUANTITY_TYPES[QUANTITY_TYPES.index(rejected) + 1:]:
        for match in scan.matches(label, text, pos, wide):
            rule = _RULES.get(label)
            if rule is None or rule(text, match, match.groups, blocked_counts):
                return match, label
    return None, rejected
