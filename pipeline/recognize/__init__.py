"""Recognisers: find typed spans in normalised text. One module per mention family."""
from __future__ import annotations

from operator import attrgetter

from .mention import MENTION_TYPES, NAME_TYPES, PRIORITY_ORDER, Mention

PRIORITY = {t: i for i, t in enumerate(PRIORITY_ORDER)}
_START = attrgetter("start")
_PLACE = attrgetter("start", "end")


def select(mentions: list[Mention], selected: list[Mention] | None = None) -> list[Mention]:
    """Keep the longest of overlapping spans; names (ORG, PROJECT) may overlap other types.

    `selected`: the result of an earlier call, to which `mentions` are added. Of the two
    groups (names, other types), one that gets no new mention stands as it was selected.
    """
    if not selected and all(a.end <= b.start for a, b in zip(mentions, mentions[1:])) \
            and all(m.end > m.start for m in mentions):
        return list(mentions)  # in text order and disjoint, as one scan finds them: nothing to choose
    selected = selected or []
    kept: list[Mention] = []
    for names in (False, True):
        new = [m for m in mentions if (m.type in NAME_TYPES) == names]
        old = [m for m in selected if (m.type in NAME_TYPES) == names]
        kept.extend(_longest(old + new) if new else old)
    # In order of (start, end, PRIORITY): a group's spans do not overlap, and names, last in
    # PRIORITY_ORDER, come after the other types' where two spans tie (a stable sort).
    kept.sort(key=_PLACE)
    return kept


def _longest(candidates: list[Mention]) -> list[Mention]:
    """Longest first (then by PRIORITY, then leftmost), each span kept unless it overlaps one
    kept before it; an empty span never. A span decides only among those it overlaps, and
    they among theirs: each run of overlapping spans is chosen in on its own, and a span
    that overlaps none is kept as it is."""
    kept: list[Mention] = []
    run: list[Mention] = []  # the run of overlapping spans read so far, and where it ends
    end = -1
    for m in sorted((m for m in candidates if m.end > m.start), key=_START):  # stable: ties keep their order
        if m.start < end:
            run.append(m)
            if m.end > end:
                end = m.end
            continue
        if len(run) > 1:
            _choose(run, end, kept)
        elif run:
            kept.append(run[0])
        run, end = [m], m.end
    if len(run) > 1:
        _choose(run, end, kept)
    elif run:
        kept.append(run[0])
    return kept


def _choose(run: list[Mention], end: int, kept: list[Mention]) -> None:
    """Add to `kept` the spans chosen in a run of overlapping spans that ends at `end`."""
    # a run can chain any number of spans, so what is taken is marked, not compared
    base = run[0].start
    taken = bytearray(end - base)  # 1 where a kept span lies
    for m in sorted(run, key=lambda m: (m.start - m.end, PRIORITY[m.type], m.start)):
        if taken.find(1, m.start - base, m.end - base) < 0:
            taken[m.start - base:m.end - base] = b"\x01" * (m.end - m.start)
            kept.append(m)


__all__ = ["MENTION_TYPES", "Mention", "select"]
