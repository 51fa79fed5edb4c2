"""Recognise MONEY, PERCENT, LENGTH, DURATION and COUNT mentions.

Patterns come from models/patterns.yaml; the context rules below read their word
lists from models/cues.yaml (money cues for a bare 万, width words that make 米
not a length, fixed terms that are not counts, cues that make `NN年` a span of time).
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import regex

from ..resolve.numbers import NotANumber
from ..resolve.quantities import QUANTITY_TYPES, Quantity, quantity_from_groups
from .context import cue_pattern, cue_window, cue_words, line_after, line_before
from .guard import named_groups
from .mention import Mention
from .patterns import compiled_patterns, scanner


def _is_money(text: str, match: "regex.Match[str]", groups: dict) -> bool:
    if not groups.get("bare"):
        return True
    if line_before(text, match.start("q"), 6).endswith(cue_words("money_not_before")):
        return False
    before = line_before(text, match.start(), cue_window("money_before"))
    return bool(cue_pattern("money_before").search(before))


def _is_length(text: str, match: "regex.Match[str]", groups: dict) -> bool:
    before = line_before(text, match.start("q"), 10)
    for link in cue_words("length_links"):
        if before.endswith(link):
            before = before[:-len(link)]
            break
    after = line_after(text, match.end("q"), 4)
    return not (before.endswith(cue_words("length_not_before")) or after.startswith(cue_words("length_not_after")))


def _is_duration(text: str, match: "regex.Match[str]", groups: dict) -> bool:
    """`2023年`, `23年` are years and `下一年` an ordinal, not spans of time, unless a duration cue says so."""
    if line_before(text, match.start("q"), 2).endswith(cue_words("duration_not_before")):
        return False
    number = groups["num"]
    if groups.get("unit") != "年" or not (len(number) in (2, 4) and number.isascii() and number.isdigit()):
        return True
    return has_duration_cue(text, match.start("q"), match.end("q"))


def has_duration_cue(text: str, start: int, end: int) -> bool:
    before = line_before(text, start, 4)
    after = line_after(text, end, 4)
    return before.endswith(cue_words("duration_cues_before")) or after.startswith(cue_words("duration_cues_after"))


def _is_count(text: str, match: "regex.Match[str]", blocked: list[tuple[int, int]]) -> bool:
    s, e = match.span("q")
    k = bisect_left(blocked, (e,))  # blocked spans are sorted and do not overlap each other
    if k and blocked[k - 1][1] > s:
        return False
    if line_before(text, s, 4).endswith(cue_words("count_not_before")):
        return False
    return not line_after(text, e, 4).startswith(cue_words("count_not_after"))


def _accepted(label: str, text: str, match: "regex.Match[str]", groups: dict,
              blocked_counts: list[tuple[int, int]]) -> bool:
    if label == "MONEY":
        return _is_money(text, match, groups)
    if label == "LENGTH":
        return _is_length(text, match, groups)
    if label == "DURATION":
        return _is_duration(text, match, groups)
    if label == "COUNT":
        return _is_count(text, match, blocked_counts)
    return True


def _resolved(label: str, text: str, match: "regex.Match[str]", groups: dict) -> Mention | None:
    q = _quantity(label, *map(groups.get, _RESOLVED_GROUPS))
    if q is None:
        return None
    extra = {"hedge": q.hedge} if q.hedge else {}
    s, e = match.span("q")
    return Mention(label, s, e, text[s:e], q.value, q.unit, q.op, extra)


# The groups a quantity's value depends on: the same few amounts and years recur
# throughout a report, so each is resolved once.
_RESOLVED_GROUPS = ("num", "unit", "bare", "half", "op", "opafter", "hedge", "hedgemid", "hedgeafter")


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
    combined, alternatives = scanner(QUANTITY_TYPES)
    patterns = compiled_patterns()
    blocked_counts = [m.span() for m in cue_pattern("count_not").finditer(text)]
    found: list[Mention] = []
    for match in combined.finditer_by_lines(text):  # no quantity reads past a line break
        groups = named_groups(match)
        label = next(lab for name, lab in alternatives if groups[name] is not None)
        if not _accepted(label, text, match, groups, blocked_counts):
            match, label = _fallback(text, match.start(), label, patterns, blocked_counts)
            if match is None:
                continue
            groups = named_groups(match)
        mention = _resolved(label, text, match, groups)
        if mention:
            found.append(mention)
    return found


def _fallback(text: str, pos: int, rejected: str, patterns, blocked_counts) -> tuple["regex.Match[str] | None", str]:
    for label in QUANTITY_TYPES[QUANTITY_TYPES.index(rejected) + 1:]:
        for pattern in patterns[label]:
            match = pattern.match(text, pos)
            if match and _accepted(label, text, match, named_groups(match), blocked_counts):
                return match, label
    return None, rejected
