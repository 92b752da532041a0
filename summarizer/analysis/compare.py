"""Cross-source findings: quote variants, typed conflicts and what only some sources report.

`analyse(docs)` extracts per document (names, quotes, dates, numbers, citations), aligns sentences
across documents, and derives findings, each with a confidence (0 to 1) and exact evidence spans.
Findings at or above `HIGH_CONFIDENCE` are the ones the pipeline adds when a model's report lacks them.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.analysis._findings import (
    ATTRIBUTION,
    ATTRIBUTION_BASE,
    ATTRIBUTION_MATCH,
    ATTRIBUTION_MAX,
    ATTRIBUTION_PER_SCORE,
    BODY,
    DATE_BASE,
    DATE_CONFLICT,
    HIGH_CONFIDENCE,
    NAME_SPELLING,
    NAME_SPELLING_CONFIDENCE,
    NUMBER_BASE,
    NUMBER_CONFLICT,
    ONLY_SOME_NAME,
    ONLY_SOME_STATEMENT,
    PERSON,
    PERSON_NAMED_TWICE,
    QUOTE_MATCH,
    QUOTE_VARIANT,
    STATEMENT_MAX,
    STATEMENT_MIN,
    VALUE_MAX,
    VALUE_PER_SCORE,
    VARIANT_BASE,
    VARIANT_PER_SCORE,
    VARIANT_SAME_SPEAKER,
    Analysis,
    DocumentAnalysis,
    Finding,
    FindingType,
    SourceValue,
    outlet_label,
)
from summarizer.analysis._first_names import SameContext, join_first_name_slips
from summarizer.analysis._indexed import names_of, quotes_of
from summarizer.analysis._name_findings import _name_conflicts, _names_only_some
from summarizer.analysis._only_some import (
    QUOTED_MEANING,
    QUOTED_WEIGHT,
    UNMATCHED,
    UNTOLD_MEANING,
    _statements_only_some,
)
from summarizer.analysis._quote_findings import (
    _candidate_pairs,
    _folded_similarity,
    _quote_findings,
    _Segment,
)
from summarizer.analysis._text import DocIndex, index_of
from summarizer.analysis._unpaired_numbers import _unpaired_number_conflicts
from summarizer.analysis._value_findings import CONTEXT_WORDS, VALUE_MATCH, _value_conflicts
from summarizer.analysis.align import ALIGN_THRESHOLD, CLOSE_COPY, Alignment, align_sentences
from summarizer.analysis.dates import find_dates
from summarizer.analysis.meaning import add_meaning, sentence_facts
from summarizer.analysis.names import NameMention, group_names
from summarizer.analysis.sourcing import find_citations
from summarizer.rules import ALL, Selection
from summarizer.schemas import Document
from summarizer.text import Semantic

__all__ = [
    "ATTRIBUTION",
    "ATTRIBUTION_BASE",
    "ATTRIBUTION_MATCH",
    "ATTRIBUTION_MAX",
    "ATTRIBUTION_PER_SCORE",
    "BODY",
    "CLOSE_COPY",
    "CONTEXT_WORDS",
    "DATE_BASE",
    "DATE_CONFLICT",
    "HIGH_CONFIDENCE",
    "NAME_SPELLING",
    "NAME_SPELLING_CONFIDENCE",
    "NUMBER_BASE",
    "NUMBER_CONFLICT",
    "ONLY_SOME_NAME",
    "ONLY_SOME_STATEMENT",
    "PERSON",
    "PERSON_NAMED_TWICE",
    "QUOTED_MEANING",
    "QUOTED_WEIGHT",
    "QUOTE_MATCH",
    "QUOTE_VARIANT",
    "STATEMENT_MAX",
    "STATEMENT_MIN",
    "UNMATCHED",
    "UNTOLD_MEANING",
    "VALUE_MATCH",
    "VALUE_MAX",
    "VALUE_PER_SCORE",
    "VARIANT_BASE",
    "VARIANT_PER_SCORE",
    "VARIANT_SAME_SPEAKER",
    "Analysis",
    "DocumentAnalysis",
    "Finding",
    "FindingType",
    "SourceValue",
    "_Segment",
    "_candidate_pairs",
    "_folded_similarity",
    "analyse",
    "analyse_document",
    "outlet_label",
]


def analyse_document(doc: Document) -> DocumentAnalysis:
    idx = index_of(doc)
    names = names_of(doc)
    quotes = quotes_of(doc)
    return DocumentAnalysis(
        index=idx,
        names=names,
        quotes=quotes,
        dates=find_dates(doc.text, doc.published),
        citations=find_citations(idx, names, quotes),
    )


def analyse(docs: Sequence[Document], rules: Selection = ALL, meaning: Semantic | None = None) -> Analysis:
    """Extractions and findings of `docs`; only the findings of the detectors `rules` enables
    (`--select` / `--ignore`), dropped before conflicts are merged and findings numbered. With
    `meaning` (a sentence-embedding model, `summarizer.text.semantic("minilm")`), "same statement" is
    decided by meaning too (`summarizer.analysis.meaning`); else by shared words."""
    per_doc = [analyse_document(d) for d in docs]
    indexes = [d.index for d in per_doc]
    alignment = align_sentences(indexes)
    groups = group_names([m for d in per_doc for m in d.names])
    groups = join_first_name_slips(groups, _paired(alignment, indexes))
    numbers, dates = [a.numbers for a in per_doc], [a.dates for a in per_doc]
    alignment.facts = sentence_facts(indexes, groups, numbers, dates)
    if meaning is not None:
        add_meaning(alignment, indexes, meaning)
    findings = [
        *_quote_findings(per_doc, groups),
        *_name_conflicts(per_doc, groups),
        *_value_conflicts(per_doc, alignment),
        *_unpaired_number_conflicts(per_doc, alignment, groups),
        *_names_only_some(per_doc, groups, alignment),
        *_statements_only_some(per_doc, alignment),
    ]
    if not rules.everything:
        findings = [f for f in findings if rules.enabled(f.rule)]
    findings = _distinct(findings)
    for n, f in enumerate(findings, 1):
        f.id = f"C{n}"
    return Analysis(per_doc, groups, alignment, findings)


def _paired(alignment: Alignment, indexes: Sequence[DocIndex]) -> SameContext:
    """Whether two mentions stand in sentences the lexical alignment pairs (either one the other's best
    match at `ALIGN_THRESHOLD` or above)."""
    number = {idx.id: n for n, idx in enumerate(indexes)}

    def paired(a: NameMention, b: NameMention) -> bool:
        da, db = number[a.source], number[b.source]
        sa, sb = indexes[da].sentence_at(a.start), indexes[db].sentence_at(b.start)
        if sa is None or sb is None:
            return False
        return any(
            found is not None and found[0] == target and found[1] >= ALIGN_THRESHOLD
            for found, target in ((alignment.match(da, sa, db), sb), (alignment.match(db, sb, da), sa))
        )

    return paired


def _distinct(findings: Sequence[Finding]) -> list[Finding]:
    """Conflicts once each: the same conflict found from two quote segments or two aligned sentence
    pairs (same kind, same description) is one finding, the first kept."""
    seen: set[tuple[str, str]] = set()
    out = []
    for f in findings:
        if f.type == "conflict":
            if (f.kind, f.description) in seen:
                continue
            seen.add((f.kind, f.description))
        out.append(f)
    return out
