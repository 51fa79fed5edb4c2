"""Numbers as written -> Decimal: Arabic (with thousands separators and a 万/亿
multiplier), Chinese numerals in both ordinary and 大写 forms (via cn2an)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import cn2an

from ..normalize import fold_width

MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}


class NotANumber(ValueError):
    pass


def parse_number(text: str) -> Decimal:
    """`1,234.56` -> 1234.56; `3.56亿` -> 356000000; `九十八点五` -> 98.5; `叁拾` -> 30."""
    written = fold_width(text).replace(",", "").strip()
    if not written:
        raise NotANumber(text)
    scale = Decimal(1)
    if written[-1] in MULTIPLIERS and written[:-1][-1:].isdigit():
        scale = MULTIPLIERS[written[-1]]
        written = written[:-1]
    try:
        return Decimal(written) * scale
    except InvalidOperation:
        pass
    try:
        value = cn2an.cn2an(written, "smart")
    except (ValueError, KeyError, IndexError) as exc:
        raise NotANumber(text) from exc
    return Decimal(str(value)) * scale
