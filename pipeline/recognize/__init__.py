"""Recognisers: find typed spans in normalised text. One module per mention family."""
from __future__ import annotations

from .mention import MENTION_TYPES, NAME_TYPES, PRIORITY_ORDER, Mention

PRIORITY = {t: i for i, t in enumerate(PRIORITY_ORDER)}


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
    size = max((m.end for m in (*selected, *mentions)), default=0)
    for names in (False, True):
        if not any((m.type in NAME_TYPES) == names for m in mentions):
            kept.extend(m for m in selected if (m.type in NAME_TYPES) == names)
            continue
        taken = bytearray(size)  # 1 where a kept span of this group lies
        candidates = sorted(
            (m for m in (*selected, *mentions) if (m.type in NAME_TYPES) == names),
            key=lambda m: (m.start - m.end, PRIORITY[m.type], m.start),
        )
        for m in candidates:
            if m.end > m.start and taken.find(1, m.start, m.end) < 0:
                taken[m.start:m.end] = b"\x01" * (m.end - m.start)
                kept.append(m)
    kept.sort(key=lambda m: (m.start, m.end, PRIORITY[m.type]))
    return kept


__all__ = ["MENTION_TYPES", "Mention", "select"]
