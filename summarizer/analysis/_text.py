"""The extractors' view of a document: `DocIndex` is the document's one `TextIndex` (sentence lookup, the
only place spans are made; get it with `index_of(doc)`); words, stems, stop words: `summarizer.text`."""

from __future__ import annotations

from summarizer.text.index import TextIndex, index_of, is_boilerplate

DocIndex = TextIndex
"""The name the extractors use for a document's `TextIndex`."""

__all__ = ["DocIndex", "index_of", "is_boilerplate", "words_set"]


def words_set(text: str) -> frozenset[str]:
    return frozenset(text.split())
