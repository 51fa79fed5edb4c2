"""jixiao (绩效): information extraction for Chinese public-sector reports."""
from __future__ import annotations

from .document import KINDS, DocumentResult, extract_frame, extract_paths, process_document, process_text
from .extract import analyse, extract
from .knowledge import KnowledgeBase
from .recognize.mention import MENTION_TYPES, Mention

__version__ = "0.1.0"
__all__ = [
    "MENTION_TYPES",
    "KINDS",
    "DocumentResult",
    "KnowledgeBase",
    "Mention",
    "analyse",
    "extract",
    "extract_frame",
    "extract_paths",
    "process_document",
    "process_text",
]
