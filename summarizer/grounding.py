"""Evidence: checking what a model cites, and resolving sentence ids and quotes to character spans.

Two jobs shared by every task: `check_*` functions list what is wrong with a draft (sent back to the
model as a re-ask), and `Grounder` turns sentence ids and verbatim text into `Span`s that satisfy
`span.text == document.text[span.start:span.end]`, with an alignment status for verbatim text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarizer.schemas import (
    Alignment,
    ComparisonDraft,
    Document,
    Grounding,
    GroundingSummary,
    Span,
    SummaryDraft,
)

FUZZY_THRESHOLD = 90.0
"""Similarity (0-100) at or above which a quote that is not found verbatim counts as `fuzzy`."""

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)
_QUOTE_MARKS = "\"'\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb "


def normalise(text: str) -> str:
    """Fold quote marks, dashes and whitespace runs, so `“We…”` and `"We…"` compare equal."""
    return re.sub(r"\s+", " ", text.translate(_FOLD)).strip()


@dataclass
class _Folded:
    """A document's text normalised, with the original offset of every normalised character."""

    text: str
    offsets: list[int]


def _fold(text: str) -> _Folded:
    chars: list[str] = []
    offsets: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace() or ch == "\u00a0":
            if not in_space and chars:
                chars.append(" ")
                offsets.append(i)
            in_space = True
            continue
        in_space = False
        for out in ch.translate(_FOLD):
            chars.append(out)
            offsets.append(i)
    return _Folded("".join(chars), offsets)


@dataclass(frozen=True)
class Located:
    span: Span | None
    alignment: Alignment
    score: float | None = None


class Grounder:
    """Resolves citations against a fixed set of documents; caches per-document folded text."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.docs = {d.id: d for d in documents}
        self._folded: dict[str, _Folded] = {}
        self._sentence_of: dict[str, tuple[str, int, int]] = {}
        for d in documents:
            for s in d.sentences:
                self._sentence_of[s.id] = (d.id, s.start, s.end)

    # -- sentence ids --------------------------------------------------------------------------
    def source_of(self, sentence_id: str) -> str | None:
        found = self._sentence_of.get(sentence_id)
        return found[0] if found else None

    def span(self, source: str, start: int, end: int) -> Span:
        doc = self.docs[source]
        ids = [s.id for s in doc.sentences if s.start < end and s.end > start]
        return Span(source=source, start=start, end=end, text=doc.text[start:end], sentence_ids=ids)

    def sentence_spans(self, ids: Iterable[str]) -> list[Span]:
        """One span per known sentence id, in the order given; unknown ids are skipped."""
        spans: list[Span] = []
        for sid in dict.fromkeys(ids):
            found = self._sentence_of.get(sid)
            if found:
                spans.append(self.span(*found))
        return spans

    # -- verbatim text -------------------------------------------------------------------------
    def locate(self, source: str, text: str, within: Sequence[str] = ()) -> Located:
        """Find verbatim text in a source: first in the cited sentences, then anywhere in it."""
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
        return self._find_fuzzy(source, needle, regions)

    def _folded_doc(self, source: str) -> _Folded:
        if source not in self._folded:
            self._folded[source] = _fold(self.docs[source].text)
        return self._folded[source]

    def _find_normalised(self, source: str, needle: str) -> tuple[int, int] | None:
        folded = self._folded_doc(source)
        target = normalise(needle)
        pos = folded.text.find(target)
        if pos < 0 or not target:
            return None
        return folded.offsets[pos], folded.offsets[pos + len(target) - 1] + 1

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
            return [found.span], Grounding(
                grounded=False, alignment="fuzzy", score=found.score, reasons=[reason]
            )
        reason = f"text not found in source {source}"
        return fallback, Grounding(grounded=False, alignment="missing", reasons=[reason])

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
        return spans, Grounding(grounded=not reasons, reasons=reasons)


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(regions):
        if merged and lo <= merged[-1][1] + 2:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def summarise_grounding(items: Iterable[Grounding]) -> GroundingSummary:
    total = grounded = 0
    reasons: list[str] = []
    for g in items:
        total += 1
        grounded += g.grounded
        reasons.extend(r for r in g.reasons if r not in reasons)
    return GroundingSummary(items=total, grounded=grounded, ungrounded=total - grounded, reasons=reasons)


# ------------------------------------------------------------------------------------------------
# Draft checks: each returns the problems to send back to the model, in words it can act on.
# ------------------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, grounder: Grounder) -> None:
        self.g = grounder
        self.errors: list[str] = []

    def ids(
        self, where: str, ids: Sequence[str], source: str | None = None, *, required: bool = True
    ) -> None:
        if required and not ids:
            self.errors.append(f"{where}: cite at least one sentence id")
        for sid in ids:
            owner = self.g.source_of(sid)
            if owner is None:
                self.errors.append(f"{where}: sentence id {sid!r} does not exist")
            elif source is not None and owner != source:
                self.errors.append(
                    f"{where}: {sid} belongs to source {owner}, not {source}; cite {source}'s sentences"
                )

    def source(self, where: str, source: str) -> bool:
        if source in self.g.docs:
            return True
        self.errors.append(f"{where}: source {source!r} does not exist; sources are {', '.join(self.g.docs)}")
        return False

    def verbatim(self, where: str, source: str, text: str, ids: Sequence[str]) -> None:
        found = self.g.locate(source, text, ids)
        if found.alignment not in ("exact", "normalised"):
            self.errors.append(
                f"{where}: {text[:80]!r} is not verbatim in source {source}; copy the words exactly from the "
                "cited sentences"
            )
        elif found.span is not None and ids and not set(found.span.sentence_ids) & set(ids):
            actual = ", ".join(found.span.sentence_ids)
            self.errors.append(f"{where}: the text is in {actual}, not in the cited {', '.join(ids)}")


def check_summary(draft: SummaryDraft, doc: Document) -> list[str]:
    c = _Checker(Grounder([doc]))
    for n, kp in enumerate(draft.key_points, 1):
        c.ids(f"key_points[{n}]", kp.sentence_ids, doc.id)
    for n, q in enumerate(draft.quotes, 1):
        c.ids(f"quotes[{n}]", q.sentence_ids, doc.id)
        c.verbatim(f"quotes[{n}]", doc.id, q.text, q.sentence_ids)
    for n, d in enumerate(draft.dates, 1):
        c.ids(f"dates[{n}]", d.sentence_ids, doc.id)
    for n, e in enumerate(draft.entities, 1):
        c.ids(f"entities[{n}]", e.sentence_ids, doc.id, required=False)
    for n, cv in enumerate(draft.caveats, 1):
        c.ids(f"caveats[{n}]", cv.sentence_ids, doc.id, required=False)
    return c.errors


def check_comparison(draft: ComparisonDraft, docs: Sequence[Document]) -> list[str]:
    c = _Checker(Grounder(docs))
    every = [d.id for d in docs]
    for n, claim in enumerate(draft.claims, 1):
        where = f"claims[{n}]"
        given = [s.source for s in claim.sources]
        if sorted(given) != sorted(every):
            c.errors.append(
                f"{where}: give every source exactly once ({', '.join(every)}); got {', '.join(given)}"
            )
        for st in claim.sources:
            if not c.source(where, st.source):
                continue
            if st.status == "omits" and st.sentence_ids:
                c.errors.append(f"{where} source {st.source}: status omits takes no sentence ids")
            c.ids(f"{where} source {st.source}", st.sentence_ids, st.source, required=st.status != "omits")
    for n, conflict in enumerate(draft.conflicts, 1):
        where = f"conflicts[{n}]"
        _at_least_two(c, where, [v.source for v in conflict.values])
        for v in conflict.values:
            if c.source(where, v.source):
                c.ids(f"{where} source {v.source}", v.sentence_ids, v.source)
    for n, qv in enumerate(draft.quote_variants, 1):
        where = f"quote_variants[{n}]"
        _at_least_two(c, where, [w.source for w in qv.wordings])
        for w in qv.wordings:
            if c.source(where, w.source):
                c.ids(f"{where} source {w.source}", w.sentence_ids, w.source)
                c.verbatim(f"{where} source {w.source}", w.source, w.text, w.sentence_ids)
    for n, sourcing in enumerate(draft.sourcing, 1):
        if c.source(f"sourcing[{n}]", sourcing.source):
            for cited in sourcing.cited:
                c.ids(f"sourcing[{n}] {cited.name!r}", cited.sentence_ids, sourcing.source)
    for n, framing in enumerate(draft.framing, 1):
        where = f"framing[{n}]"
        for ch in framing.choices:
            if c.source(where, ch.source):
                c.ids(f"{where} source {ch.source}", ch.sentence_ids, ch.source)
                c.verbatim(f"{where} source {ch.source}", ch.source, ch.wording, ch.sentence_ids)
    return c.errors


def _at_least_two(c: _Checker, where: str, sources: list[str]) -> None:
    if len(set(sources)) < 2:
        c.errors.append(f"{where}: needs values from at least two different sources")
