"""Numbers as written -> Decimal: Arabic (with thousands separators and a 万/亿
multiplier), Chinese numerals in both ordinary and 大写 forms (via cn2an)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import cn2an

from ..normalize import fold_width

MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}
# Longer numbers are digit runs (codes, noise), not amounts; they also overflow Decimal's precision.
MAX_DIGITS = 18
MAX_CHINESE_CHARS = 24


class NotANumber(ValueError):
    pass


def parse_number(text: str) -> Decimal:
    """`1,234.56` -> 1234.56; `3.56亿` -> 356000000; `九十八点五` -> 98.5; `叁拾` -> 30."""
    written = fold_width(text).replace(",", "").strip()
    if not written or sum(ch.isdigit() for ch in written) > MAX_DIGITS or len(written) > MAX_CHINESE_CHARS + MAX_DIGITS:
        raise NotANumber(text)
    scale = Decimal(1)
    if written[-1] in MULTIPLIERS and written[:-1][-1:].isdigit():
        scale = MULTIPLIERS[written[-1]]
        written = written[:-1]
    try:
        return Decimal(written) * scale
    except InvalidOperation:
        pass
    if len(written) > MAX_CHINESE_CHARS:
        raise NotANumber(text)
    for candidate in (written, "一" + written) if written[0] in "百佰千仟" else (written,):  # 百分之百: 一百
        try:
            return Decimal(str(cn2an.cn2an(candidate, "smart"))) * scale
        except (ValueError, KeyError, IndexError):
            continue
    if written[-1] in MULTIPLIERS and len(written) > 1:  # 十二点五亿: cn2an takes no decimals before a scale
        return parse_number(written[:-1]) * MULTIPLIERS[written[-1]] * scale
    raise NotANumber(text)
