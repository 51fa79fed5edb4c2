"""Numbers as written -> Decimal: Arabic (with thousands separators, commas or the
spaces of PDF text), Chinese numerals in ordinary and 大写 forms, and the mixed forms
(3万4000, 6千8百万, 十亿3000万), read by cn2an; an approximate pair (三四, 两三) is a range.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import cn2an

from ..normalize import fold_width

MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}
# Scales in the order a mixed numeral is split at when cn2an cannot read it whole
# (3.5千万 = 3.5千 x 万): the largest first.
_SCALES = {"亿": Decimal(100000000), "万": Decimal(10000), "千": Decimal(1000), "仟": Decimal(1000),
           "百": Decimal(100), "佰": Decimal(100), "十": Decimal(10), "拾": Decimal(10)}
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {
    "〇": 0, "○": 0, "两": 2, "壹": 1, "贰": 2, "貮": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
# Two neighbouring digits written together are an approximate count (三四次: 3 or 4);
# 三五 (three to five) is the one common pair that is not neighbours.
_APPROXIMATE_PAIRS = {(a, a + 1) for a in range(1, 9)} | {(3, 5)}
# Longer numbers are digit runs (codes, noise), not amounts; they also overflow Decimal's precision.
MAX_DIGITS = 18
MAX_CHINESE_CHARS = 24


class NotANumber(ValueError):
    pass


def _folded(text: str) -> str:
    """Half width, no thousands separators (commas, or the single spaces of PDF text), ○ as 〇."""
    return fold_width(text).replace(",", "").replace(" ", "").replace("○", "〇").strip()


def parse_number(text: str) -> Decimal:
    """`1,234.56` -> 1234.56; `2 318.45` -> 2318.45; `3.56亿` -> 356000000; `九十八点五` -> 98.5;
    `叁拾` -> 30; `2万5000` -> 25000; `6千8百万` -> 68000000; `半` -> 0.5.
    Raises NotANumber for what is no number, and for an approximate pair (`三四`, see
    parse_approximate) or a run of Chinese digits without a scale (`二四`)."""
    written = _folded(text)
    if not written or sum(ch.isdigit() for ch in written) > MAX_DIGITS or len(written) > MAX_CHINESE_CHARS + MAX_DIGITS:
        raise NotANumber(text)
    if written == "半":
        return Decimal("0.5")
    try:
        return Decimal(written)
    except InvalidOperation:
        pass
    if written[-1] in MULTIPLIERS and written[:-1].replace(".", "", 1).isdigit():
        return Decimal(written[:-1]) * MULTIPLIERS[written[-1]]
    if len(written) > MAX_CHINESE_CHARS:
        raise NotANumber(text)
    if len(written) > 1 and all(ch in _DIGITS for ch in written):
        raise NotANumber(text)  # 三四 is three or four, 二四 no number at all; never 34
    for candidate in (written, "一" + written) if written[0] in "百佰千仟" else (written,):  # 百分之百: 一百
        try:
            return Decimal(str(cn2an.cn2an(candidate, "smart")))
        except (ValueError, KeyError, IndexError):
            continue
    return _split_at_scale(written, text)


def _split_at_scale(written: str, text: str) -> Decimal:
    """What cn2an does not read (十二点五亿, 3.5千万): the part before the largest scale
    times that scale, plus the part after it."""
    for scale, factor in _SCALES.items():
        k = written.rfind(scale) if scale in "亿万" else written.find(scale)
        if k > 0:
            head, tail = written[:k], written[k + 1:]
            value = parse_number(head) * factor
            return value + (parse_number(tail) if tail else 0)
    raise NotANumber(text)


def parse_approximate(text: str) -> tuple[Decimal, Decimal] | None:
    """An approximate pair of neighbouring Chinese digits, with the scales after it:
    `三四` -> (3, 4); `两三` -> (2, 3); `三五` -> (3, 5); `七八十` -> (70, 80); `三四百万` -> (3000000, 4000000).
    None for anything else."""
    written = _folded(text)
    if len(written) < 2 or written[0] not in _DIGITS or written[1] not in _DIGITS:
        return None
    low, high = _DIGITS[written[0]], _DIGITS[written[1]]
    if (low, high) not in _APPROXIMATE_PAIRS:
        return None
    factor = Decimal(1)
    for ch in written[2:]:
        if ch not in _SCALES:
            return None
        factor *= _SCALES[ch]
    return Decimal(low) * factor, Decimal(high) * factor


def chinese_digits(text: str) -> int:
    """A year or code written digit by digit: `二〇二四`, `二○二四` -> 2024."""
    written = _folded(text)
    if not written or not all(ch in _DIGITS for ch in written):
        raise NotANumber(text)
    return int("".join(str(_DIGITS[ch]) for ch in written))
