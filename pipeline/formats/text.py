"""Plain text (.txt, .md): UTF-8 (with or without BOM), GB18030/GBK, UTF-16 and Big5.

Chinese government files come in all of these; charset-normalizer decides when
the bytes do not say so themselves, but only among the encodings Chinese text is
written in: for random bytes it happily names a Cyrillic code page.
"""
from __future__ import annotations

import codecs
import unicodedata

import regex
from charset_normalizer import from_bytes

from .. import errors
from ..errors import InputError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CHINESE_ENCODINGS = {"gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950", "cp936",
                      "utf_8", "utf_16", "utf_16_le", "utf_16_be"}
# Control characters no text document holds (tab, line breaks and form feed are fine).
_CONTROL = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
# Share of control characters above which decoded bytes are taken for binary content.
MAX_CONTROL_SHARE = 0.005
_SAMPLE_CHARS = 65_536


def read(data: bytes, name: str, max_bytes: int | None = None) -> tuple[str, str]:
    """Bytes -> (text, encoding name), or InputError naming `name`. (A text has no
    more characters than bytes: `max_bytes`, checked by the loader, bounds it.)"""
    if not data:
        raise InputError(name, errors.EMPTY)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(name, f"{errors.UNDECODABLE}: {exc.reason} at byte {exc.start}") from exc
    if b"\x00" in data:
        # Text in UTF-8 or GB18030 holds no NUL byte; UTF-16 holds one in every ASCII character.
        found = _utf16(data)
        if found is None:
            raise InputError(name, errors.BINARY)
        return found
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            raise InputError(name, f"truncated UTF-8: the last character is cut off at byte {exc.start}") from exc
    best = from_bytes(data, cp_isolation=["gb18030", "utf_16", "big5"]).best()
    if best is not None and best.encoding in _CHINESE_ENCODINGS:
        text = str(best)
        if not is_text(text):
            raise InputError(name, errors.BINARY)
        return text, best.encoding
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(name, f"{errors.UNDECODABLE}: invalid byte at {exc.start}") from exc


def is_text(text: str) -> bool:
    sample = text[:_SAMPLE_CHARS]
    controls = sum(1 for _ in _CONTROL.finditer(sample))
    return controls <= MAX_CONTROL_SHARE * len(sample)


def _utf16(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16 as text, or None for binary content.

    ASCII characters put their NUL byte first in big-endian and second in
    little-endian order; the order with more NULs in its high bytes is tried first.
    Binary content decodes to NULs, controls or unassigned characters.
    """
    if len(data) % 2:
        return None
    sample = data[:2 * _SAMPLE_CHARS]
    order = ["utf-16-be", "utf-16-le"]
    if sample[1::2].count(0) > sample[0::2].count(0):
        order.reverse()
    for encoding in order:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        head = text[:_SAMPLE_CHARS]
        if "\x00" not in head and is_text(head) and not any(unicodedata.category(c) in ("Cn", "Co") for c in head):
            return text, encoding
    return None
