"""Alignment: sentence ids and verbatim text resolved to character spans, with an alignment status.

`Grounder` turns sentence ids and verbatim text into `Span`s that satisfy
`span.text == document.text[span.start:span.end]`; quotes are found `exact`, `normalised` (quote marks,
dashes, whitespace), `fuzzy` (rapidfuzz, with a score) or `missing`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarizer.analysis import quotes_of
from summarizer.grounding._evidence import Evidence, issue
from summarizer.grounding._speakers import SPEAKER, speaker_issue
from summarizer.grounding._support import DATE, issue_for_iso, support_issues
from summarizer.rules import ALL, Selection, register
from summarizer.schemas import Alignment, Document, Grounding, Span, SupportIssue
from summarizer.text import content_roots
from summarizer.text.index import FOLD, index_of

CITATION = register(
    "S201",
    "citation",
    "check",
    "an item cites no sentence, an unknown sentence id, or another source's sentence (always on)",
    switchable=False,
)
QUOTE = register(
    "S202", "quote", "check", "quoted text is not verbatim in the cited source (always on)", switchable=False
)

MISPLACED_MIN_WORDS = 5
"""Items this long or longer that are copied word for word must cite the sentences they come from."""

FUZZY_THRESHOLD = 90.0
"""Similarity (0-100) at or above which a quote that is not found verbatim counts as `fuzzy`."""

_ONE_MARK = str.maketrans("'", '"')
"""Single and double quotation marks as one, where a text is not found with each as it is."""
_QUOTE_MARKS = "\"'\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb "


def normalise(text: str) -> str:
    """Fold quote marks, dashes and whitespace runs, so `“We…”` and `"We…"` compare equal (as the
    index's `folded` text of a document is folded)."""
    return re.sub(r"\s+", " ", text.translate(FOLD)).strip()


@dataclass(frozen=True)
class Located:
    span: Span | None
    alignment: Alignment
    score: float | None = None


class Grounder:
    """Resolves citations against a fixed set of documents, each read through its `TextIndex` (spans,
    sentence lookup, folded text and quotes are built once per document and shared)."""

    def __init__(self, documents: Sequence[Document], rules: Selection = ALL) -> None:
        self.docs = {d.id: d for d in documents}
        self.rules = rules
        """Which support checks run (`summarizer.rules`); citation and quote checks always do."""
        self.index = {d.id: index_of(d) for d in documents}
        self._sentence_of: dict[str, tuple[str, int, int]] = {}
        for d in documents:
            for s in d.sentences:
                self._sentence_of[s.id] = (d.id, s.start, s.end)

    # -- sentence ids --------------------------------------------------------------------------
    def source_of(self, sentence_id: str) -> str | None:
        found = self._sentence_of.get(sentence_id)
        return found[0] if found else None

    def span(self, source: str, start: int, end: int) -> Span:
        """The span `start:end` of a source as given (not trimmed), with the sentences it overlaps."""
        return self.index[source].span(start, end, trim=False)

    def sentence_spans(self, ids: Iterable[str]) -> list[Span]:
        """One span per known sentence id, in the order given; unknown ids are skipped."""
        spans: list[Span] = []
        for sid in dict.fromkeys(ids):
            found = self._sentence_of.get(sid)
            if found:
                spans.append(self.span(*found))
        return spans

    # -- verbatim text -------------------------------------------------------------------------
    def locate(self, source: str, text: str, within: Sequence[str] = (), *, fuzzy: bool = True) -> Located:
        """Find verbatim text in a source: first in the cited sentences, then anywhere in it; with
        `fuzzy=False`, text found neither exactly nor normalised is `missing` without the fuzzy search
        (for callers that act only on verbatim text)."""
        doc = self.docs.get(source)
        needle = text.strip().strip(_QUOTE_MARKS)
        if doc is None or not needle:
            return Located(None, "missing")
        regions = [(s.start, s.end) for s in self.sentence_spans(within) if s.source == source]
        for lo, hi in [*_merge(regions), (0, len(doc.text))]:
            pos = doc.text.find(needle, lo, hi)
            if pos >= 0:
                return Located(self.span(source, pos, pos + len(needle)), "exact")
        found = self._find_normalised(source, needle)
        if found is not None:
            return Located(self.span(source, *found), "normalised")
        return self._find_fuzzy(source, needle, regions) if fuzzy else Located(None, "missing")

    def _find_normalised(self, source: str, needle: str) -> tuple[int, int] | None:
        folded = self.index[source].folded
        target = normalise(needle)
        pos = folded.text.find(target)
        if pos < 0 and ("'" in target or '"' in target):  # a quote within a quote swaps ' and " (issue 14)
            pos = folded.text.translate(_ONE_MARK).find(target.translate(_ONE_MARK))
        if pos < 0 or not target:
            return None
        return folded.offset(pos), folded.offset(pos + len(target) - 1) + 1

    def _find_fuzzy(self, source: str, needle: str, regions: list[tuple[int, int]]) -> Located:
        try:
            from rapidfuzz import fuzz
        except ImportError:  # pragma: no cover - rapidfuzz is a core dependency
            return Located(None, "missing")
        doc = self.docs[source]
        best: tuple[float, int, int] | None = None
        for lo, hi in _merge(regions) or [(0, len(doc.text))]:
            hit = fuzz.partial_ratio_alignment(needle, doc.text[lo:hi], processor=normalise)
            if hit is not None and (best is None or hit.score > best[0]):
                best = (hit.score, lo + hit.dest_start, lo + hit.dest_end)
        if best is None or best[0] < FUZZY_THRESHOLD:
            return Located(None, "missing", best[0] if best else None)
        return Located(self.span(source, best[1], best[2]), "fuzzy", round(best[0], 1))

    def verbatim(self, source: str, text: str, ids: Sequence[str]) -> tuple[list[Span], Grounding]:
        """Evidence and grounding for verbatim text (a quote, a wording, a value)."""
        found = self.locate(source, text, ids)
        if found.span is not None and found.alignment in ("exact", "normalised"):
            return [found.span], Grounding(grounded=True, alignment=found.alignment)
        fallback = [s for s in self.sentence_spans(ids) if s.source == source]
        if found.span is not None:
            reason = f"text differs from source {source} (similarity {found.score})"
            issue = _quote_issue(text, found.span.text, reason)
            return [found.span], Grounding(
                grounded=False, alignment="fuzzy", score=found.score, reasons=[reason], checks=[issue]
            )
        reason = f"text not found in source {source}"
        issue = _quote_issue(text, " ".join(s.text for s in fallback), reason)
        return fallback, Grounding(grounded=False, alignment="missing", reasons=[reason], checks=[issue])

    def cited(self, ids: Sequence[str], source: str | None = None) -> tuple[list[Span], Grounding]:
        """Evidence and grounding for an item backed by sentence ids."""
        spans = self.sentence_spans(ids)
        reasons = []
        if not ids:
            reasons.append("no evidence cited")
        unknown = [i for i in ids if i not in self._sentence_of]
        if unknown:
            reasons.append(f"unknown sentence ids: {', '.join(unknown)}")
        if source is not None:
            foreign = [s.sentence_ids[0] for s in spans if s.source != source]
            if foreign:
                reasons.append(f"cites sentences of another source: {', '.join(foreign)}")
            spans = [s for s in spans if s.source == source]
        checks = [
            SupportIssue(check="citation", code=CITATION.code, token=", ".join(ids), evidence="", message=r)
            for r in reasons
        ]
        return spans, Grounding(grounded=not reasons, reasons=reasons, checks=checks)

    # -- support -------------------------------------------------------------------------------
    def cited_evidence(self, ids: Sequence[str], source: str) -> Evidence:
        """What the support checks read: the text of each known sentence of `source` among `ids`, in
        the order cited (the texts of `cited(ids, source)`'s spans, without building them)."""
        doc = self.docs.get(source)
        texts = []
        for sid in dict.fromkeys(ids):
            found = self._sentence_of.get(sid)
            if found is not None and found[0] == source and doc is not None:
                texts.append(doc.text[found[1] : found[2]])
        return Evidence(tuple(texts), doc.published if doc else None)

    def support_checks(self, text: str, ids: Sequence[str], source: str) -> list[SupportIssue]:
        """The failed support checks of an item backed by sentence ids (as `supported` records them)."""
        evidence = self.cited_evidence(ids, source)
        return [*self._misplaced(text, ids, source, evidence), *support_issues(text, evidence, self.rules)]

    def _misplaced(
        self, text: str, ids: Sequence[str], source: str, evidence: Evidence
    ) -> list[SupportIssue]:
        """An item copied word for word from the source must cite the sentences it was copied from: a
        sentence copied from A7 and cited as A6 is miscited, whatever the checks of A6 find, unless the
        cited sentences share at least half of its content words."""
        if len(text.split()) < MISPLACED_MIN_WORDS or not ids or source not in self.docs:
            return []
        found = self.locate(source, text, fuzzy=False)  # a paraphrase is searched for in the whole source
        if found.span is None or found.alignment not in ("exact", "normalised"):
            return []
        if set(found.span.sentence_ids) & set(ids):
            return []
        words = set(content_roots(text))
        if len(words & set(content_roots(evidence.text))) * 2 >= len(words):
            return []  # the cited sentences say much the same (a headline line and the lead)
        where = ", ".join(found.span.sentence_ids)
        message = f"the text is copied from {where}, not from the cited {', '.join(ids)}"
        return [issue(CITATION, ", ".join(ids), evidence, message)]

    def date_checks(
        self, text: str, iso: str | None, event: str, ids: Sequence[str], source: str
    ) -> list[SupportIssue]:
        """The failed support checks of a date item: its date as written, its ISO form and its event."""
        evidence = self.cited_evidence(ids, source)
        issues = support_issues(f"{text}: {event}", evidence, self.rules)
        checked = evidence.sentences and self.rules.enabled(DATE.code)
        iso_issue = issue_for_iso(iso, evidence) if iso and checked else None
        return [*issues, *([iso_issue] if iso_issue else [])]

    def speaker_checks(self, source: str, speaker: str, text: str, ids: Sequence[str]) -> list[SupportIssue]:
        """The failed speaker check of a quote: the article attributes it to someone else (or names
        the given speaker nowhere before it). A quote that cannot be found is the quote check's."""
        found = self.locate(source, text, ids)
        if found.span is None or found.alignment not in ("exact", "normalised"):
            return []
        if not self.rules.enabled(SPEAKER.code):
            return []
        issue = speaker_issue(self.docs[source], quotes_of(self.docs[source]), found.span, speaker)
        return [issue] if issue else []


def with_issues(grounding: Grounding, issues: Sequence[SupportIssue]) -> Grounding:
    """`grounding` with failed support checks added: the item is then not grounded."""
    if not issues:
        return grounding
    reasons = [*grounding.reasons, *(f"{i.check}: {i.message}" for i in issues)]
    return grounding.model_copy(
        update={"grounded": False, "reasons": reasons, "checks": [*grounding.checks, *issues]}
    )


def _quote_issue(text: str, evidence: str, reason: str) -> SupportIssue:
    shown = evidence if len(evidence) <= 300 else evidence[:299] + "…"
    return SupportIssue(check="quote", code=QUOTE.code, token=text[:120], evidence=shown, message=reason)


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(regions):
        if merged and lo <= merged[-1][1] + 2:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged
