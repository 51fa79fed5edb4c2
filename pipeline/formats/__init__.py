"""One reader per input format: bytes in, the text that every offset indexes out.

A reader gets the file's bytes (already read within the size limit) and its name
for errors, and returns (text, how it was read: an encoding or a format name).
Tables come out as tab-separated rows, the layout the table parser reads best.
"""
from __future__ import annotations

from typing import Callable

from . import docx, html, pdf, text

Reader = Callable[[bytes, str], "tuple[str, str]"]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".pdf": pdf.read,
    ".docx": docx.read,
    ".html": html.read,
    ".htm": html.read,
}
SUFFIXES = tuple(READERS)
