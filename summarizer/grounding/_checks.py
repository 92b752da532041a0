"""Draft checks: what is wrong with a model's draft, in words it can act on.

`check_*` find hard errors (unknown sentence ids, quotes that are not verbatim, missing sources): the
structured loop re-asks, and gives up when they persist. `support_*` find claims their cited sentences
do not back (numbers, dates, names, negation): they are re-asked within the same budget, and what still
fails is kept in the result, marked not grounded with the reasons, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from summarizer.grounding._align import Grounder
from summarizer.rules import ALL, Selection
from summarizer.schemas import (
    Claim,
    ComparisonDraft,
    Conflict,
    Document,
    Framing,
    Grounding,
    GroundingSummary,
    QuoteVariant,
    SummaryDraft,
    SupportIssue,
)


def summarise_grounding(items: Iterable[Grounding]) -> GroundingSummary:
    total = grounded = 0
    reasons: list[str] = []
    checks: dict[str, int] = {}
    for g in items:
        total += 1
        grounded += g.grounded
        reasons.extend(r for r in g.reasons if r not in reasons)
        for issue in g.checks:
            checks[issue.check] = checks.get(issue.check, 0) + 1
    return GroundingSummary(
        items=total, grounded=grounded, ungrounded=total - grounded, reasons=reasons, checks=checks
    )


def summarise_comparison(
    claims: Iterable[Claim],
    conflicts: Iterable[Conflict],
    variants: Iterable[QuoteVariant],
    framing: Iterable[Framing],
) -> GroundingSummary:
    """The grounding summary of a comparison: every claim, conflict, quote wording and framing choice
    is one checked item (the same count for the model's comparisons and the offline engine's)."""
    return summarise_grounding(
        [
            *(c.grounding for c in claims),
            *(c.grounding for c in conflicts),
            *(w.grounding for v in variants for w in v.wordings),
            *(ch.grounding for f in framing for ch in f.choices),
        ]
    )


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


# ------------------------------------------------------------------------------------------------
# Support advice: re-asked while the budget lasts, then recorded on the result instead.
# ------------------------------------------------------------------------------------------------


def support_summary(draft: SummaryDraft, doc: Document, rules: Selection = ALL) -> list[str]:
    g = Grounder([doc], rules)
    advice: list[str] = []
    for n, kp in enumerate(draft.key_points, 1):
        _advise(advice, f"key_points[{n}]", g.support_checks(kp.text, kp.sentence_ids, doc.id))
    for n, d in enumerate(draft.dates, 1):
        _advise(advice, f"dates[{n}]", g.date_checks(d.text, d.iso, d.event, d.sentence_ids, doc.id))
    return advice


def support_comparison(draft: ComparisonDraft, docs: Sequence[Document], rules: Selection = ALL) -> list[str]:
    g = Grounder(docs, rules)
    advice: list[str] = []
    for n, claim in enumerate(draft.claims, 1):
        for st in claim.sources:
            if st.status == "reports" and st.source in g.docs:
                issues = g.support_checks(claim.claim, st.sentence_ids, st.source)
                _advise(advice, f"claims[{n}] source {st.source}", issues)
    return advice


def _advise(advice: list[str], where: str, issues: Iterable[SupportIssue]) -> None:
    """Support issues only: citation and quote problems are the hard checks' to report."""
    for issue in issues:
        advice.append(
            f"{where}: {issue.message} (checked against: {issue.evidence!r}); state only what the cited "
            "sentences say, or cite the sentences that say it"
        )
