"""jixiao (绩效): information extraction for Chinese public-sector reports."""
from __future__ import annotations

from .extract import DocumentResult, extract, extract_document, extract_frame, extract_paths
from .recognize.mention import MENTION_TYPES, Mention

__version__ = "0.1.0"
__all__ = [
    "MENTION_TYPES",
    "DocumentResult",
    "Mention",
    "extract",
    "extract_document",
    "extract_frame",
    "extract_paths",
]
