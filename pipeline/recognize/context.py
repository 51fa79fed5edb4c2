"""Context helpers shared by recognisers: same-line windows and cue lists."""
from __future__ import annotations

import re
from functools import lru_cache

from ..resources import lookup
from .guard import bounded
from .patterns import alternation


def line_before(text: str, pos: int, window: int) -> str:
    """Up to `window` characters before `pos`, not reaching back past a line break."""
    low = max(0, pos - window)  # look back no further than the window: linear on long lines
    start = max(text.rfind("\n", low, pos) + 1, low)
    return text[start:pos]


def line_after(text: str, pos: int, window: int) -> str:
    end = text.find("\n", pos, pos + window)
    return text[pos:end if end >= 0 else pos + window]


@lru_cache(maxsize=None)
def cue_words(name: str) -> tuple[str, ...]:
    value = lookup(f"cues.{name}")
    words = value["words"] if isinstance(value, dict) else value
    return tuple(sorted((str(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=None)
def cue_pattern(name: str) -> "re.Pattern[str]":
    return bounded(alternation(cue_words(name)))


@lru_cache(maxsize=None)
def cue_window(name: str) -> int:
    return int(lookup(f"cues.{name}.window"))
