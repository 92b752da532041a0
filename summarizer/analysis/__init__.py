"""Deterministic cross-source analysis: quotes, names, dates, numbers, sourcing, alignment, findings.

No model and no network. Everything carries character offsets into the document text.

    analysis = analyse([doc_a, doc_b])       # Analysis: per-document extractions and findings
    analysis.of_type("quote_variant")        # Finding(id, type, kind, description, confidence, values)
    find_quotes(doc), find_names(doc)        # per-document extractors
    quotes_of(doc), names_of(doc)            # the same, found once per document (its TextIndex)
"""

from __future__ import annotations

from summarizer.analysis._indexed import names_of, quotes_of
from summarizer.analysis.compare import (
    HIGH_CONFIDENCE,
    Analysis,
    DocumentAnalysis,
    Finding,
    SourceValue,
    analyse,
    analyse_document,
)
from summarizer.analysis.framing import FramingAspect, FramingWording, find_framing
from summarizer.analysis.names import NameGroup, NameMention, find_names, group_names, same_name
from summarizer.analysis.quotes import QuoteMention, find_quotes
from summarizer.analysis.sourcing import Citation, find_citations

__all__ = [
    "HIGH_CONFIDENCE",
    "Analysis",
    "Citation",
    "DocumentAnalysis",
    "Finding",
    "FramingAspect",
    "FramingWording",
    "NameGroup",
    "NameMention",
    "QuoteMention",
    "SourceValue",
    "analyse",
    "analyse_document",
    "find_citations",
    "find_framing",
    "find_names",
    "find_quotes",
    "group_names",
    "names_of",
    "quotes_of",
    "same_name",
]
