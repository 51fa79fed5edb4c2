"""Recognisers: find typed spans in normalised text. One module per mention family."""
from __future__ import annotations

from .mention import MENTION_TYPES, NAME_TYPES, Mention

# Among overlapping spans of the same length, the type listed first wins.
PRIORITY = {t: i for i, t in enumerate(("DOCNO", "DATE", "MONEY", "PERCENT", "LENGTH", "DURATION", "COUNT", "ROAD", "ORG", "PROJECT"))}


def select(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping spans; names (ORG, PROJECT) may overlap other types."""
    kept: list[Mention] = []
    for group in (lambda m: m.type not in NAME_TYPES, lambda m: m.type in NAME_TYPES):
        taken: list[tuple[int, int]] = []
        candidates = sorted((m for m in mentions if group(m)), key=lambda m: (m.start - m.end, PRIORITY[m.type], m.start))
        for m in candidates:
            if m.end > m.start and not any(s < m.end and m.start < e for s, e in taken):
                taken.append((m.start, m.end))
                kept.append(m)
    kept.sort(key=lambda m: (m.start, m.end, PRIORITY[m.type]))
    return kept


__all__ = ["MENTION_TYPES", "Mention", "select"]
