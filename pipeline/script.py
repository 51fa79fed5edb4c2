"""Traditional script: recognised and read as Simplified, character for character.

Recognisers and structure rules are written for Simplified text (`万元`, `报告`,
`产出指标`). A text in Traditional script (`萬元`, `報告`, `產出指標`) is
converted with OpenCC (t2s) to a string of the same length, so that every offset
found in the conversion is an offset into the original text too.
"""
from __future__ import annotations

from functools import lru_cache

import regex
from opencc import OpenCC

_HAN_RUN = regex.compile(r"\p{Han}+")
_HAN_CHAR = regex.compile(r"\p{Han}")
# A text is Traditional when at least this share of its Chinese characters change
# under t2s; Simplified text changes in a handful (乾, 著, 覆), Traditional in a quarter or more.
TRADITIONAL_SHARE = 0.05
# Detection looks at this many characters from the start: thousands of Chinese
# characters, where a Traditional text changes hundreds.
SAMPLE_CHARS = 5_000


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def _convert_run(run: str) -> str:
    """A run of Chinese characters in Simplified script, of the same length.

    OpenCC converts phrases as wholes; where a phrase changes length, the run is
    converted a character at a time, and a character whose conversion is not one
    character stays as it is.
    """
    converted = _t2s().convert(run)
    if len(converted) == len(run):
        return converted
    out = []
    for char in run:
        single = _t2s().convert(char)
        out.append(single if len(single) == 1 else char)
    return "".join(out)


# Characters looked up so far (OpenCC is pure Python and slow on long texts; the characters
# of a sample repeat, so each is looked up once): all of them, and the Chinese ones that
# t2s changes on their own. Keyed by a character, as a vocabulary lookup is.
_LOOKED_UP: set[str] = set()
_CHANGING: set[str] = set()


def _changing(chars: set[str]) -> set[str]:
    """The Chinese characters of `chars` that t2s changes on their own."""
    for char in chars - _LOOKED_UP:
        converted = _t2s().convert(char)
        if len(converted) == 1 and converted != char and _HAN_CHAR.match(char):
            _CHANGING.add(char)
        _LOOKED_UP.add(char)
    return chars & _CHANGING


def is_traditional(text: str) -> bool:
    sample = text[:SAMPLE_CHARS]
    # Each distinct character is looked up once; in Simplified text none or a few change.
    changing = _changing(set(sample))
    if not changing:
        return False
    changed = sum(sample.count(c) for c in changing)
    return changed >= TRADITIONAL_SHARE * len(_HAN_CHAR.findall(sample))


def simplified(text: str) -> str:
    """`text` in Simplified script when it is written in Traditional, else `text` itself;
    always of the same length, character i standing for character i."""
    if not is_traditional(text):
        return text
    converted = _t2s().convert(text)
    # Every entry of OpenCC's t2s dictionaries maps k characters to k, so the whole
    # text converts in one call; should an entry ever change length, run by run.
    if len(converted) == len(text):
        return converted
    return _HAN_RUN.sub(lambda m: _convert_run(m.group()), text)
