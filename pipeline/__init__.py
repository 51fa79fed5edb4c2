"""jixiao (绩效): information extraction for Chinese public-sector reports."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .document import KINDS, DocumentResult, extract_frame, extract_paths, process_document, process_text
from .extract import analyse, extract
from .recognize.mention import MENTION_TYPES, Mention

if TYPE_CHECKING:
    from .knowledge import KnowledgeBase


def __getattr__(name: str) -> Any:
    # KnowledgeBase brings pandas (0.3 s to import), which extraction, and so every
    # worker process, does without.
    if name == "KnowledgeBase":
        from .knowledge import KnowledgeBase

        return KnowledgeBase
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

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
