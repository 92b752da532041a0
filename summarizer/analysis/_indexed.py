"""The analysis's whole-document extractions, kept on the document's `TextIndex` (`summarizer.text.index`):
found once per document and shared by the analysis of a comparison and by grounding's checks (the
speaker of a quote), whichever asks first."""

from __future__ import annotations

from summarizer.analysis.names import NameMention, find_names
from summarizer.analysis.quotes import QuoteMention, find_quotes
from summarizer.schemas import Document
from summarizer.text.index import index_of


def names_of(doc: Document) -> list[NameMention]:
    """`find_names(doc)`, found once per document."""
    idx = index_of(doc)
    return list(idx.derived("names", lambda: tuple(find_names(idx.doc, idx))))


def quotes_of(doc: Document) -> list[QuoteMention]:
    """`find_quotes(doc)` (speakers resolved against `names_of(doc)`), found once per document."""
    idx = index_of(doc)
    return list(idx.derived("quotes", lambda: tuple(find_quotes(idx.doc, idx, names_of(idx.doc)))))
