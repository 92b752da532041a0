"""Articles in: loading files and standard input, metadata, and sentence segmentation.

load_document("mehr.txt")               # Document with id A, sentences A1, A2, …
load_documents(["a.txt", "b.md"])       # ids A, B
document_from_text(text, outlet="Mehr")
segment(text, "A")                      # list[Sentence] with offsets into text
"""

from __future__ import annotations

from summarizer.documents.loading import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_EXTENSIONS,
    document_from_text,
    load_document,
    load_documents,
)
from summarizer.documents.metadata import METADATA_KEYS, sidecar_path
from summarizer.documents.segment import segment, source_ids

__all__ = [
    "DEFAULT_MAX_BYTES",
    "METADATA_KEYS",
    "SUPPORTED_EXTENSIONS",
    "document_from_text",
    "load_document",
    "load_documents",
    "segment",
    "sidecar_path",
    "source_ids",
]
