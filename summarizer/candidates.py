"""Analysis findings as result items, the candidates a model reviews, and the merge after it answers.

Both engines use the conversions (`conflict_of`, `variant_of`, `framing_of`, `claim_of`): the offline
engine to assemble its comparison, the model path to add the high-confidence findings a model's report
lacks (`found_by: analysis`). `candidate_view` is what the comparison prompt shows of each candidate;
`merge_analysis` attaches the model's verdicts to them and adds what it left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from summarizer.analysis import Analysis, Finding, FramingAspect
from summarizer.schemas import (
    CandidateReview,
    Claim,
    Comparison,
    ComparisonDraft,
    Conflict,
    ConflictKind,
    ConflictValue,
    Document,
    Framing,
    FramingChoice,
    Grounding,
    QuoteVariant,
    QuoteWording,
    Review,
    SourceStatus,
    Span,
)

# ------------------------------------------------------------------------------------------------
# Findings as result items
# ------------------------------------------------------------------------------------------------


def conflict_of(f: Finding, review: Review | None = None) -> Conflict:
    kind: ConflictKind = f.kind if f.kind in ("date", "number", "name", "attribution") else "fact"  # type: ignore[assignment]
    return Conflict(
        kind=kind,
        description=f.description,
        values=[ConflictValue(source=v.source, value=v.value, evidence=v.spans) for v in f.values],
        grounding=Grounding(),
        found_by="analysis",
        confidence=f.confidence,
        rule=f.rule or None,
        review=review,
    )


_MEANING = re.compile(r"\b(?:not|no|never|n't|without|\d[\d.,]*)\b", re.IGNORECASE)


def variant_of(f: Finding, review: Review | None = None) -> QuoteVariant:
    """A quote variant; `meaning_differs` is a heuristic here: a negation or a number in the changed words."""
    differs = any(_MEANING.search(op.a) or _MEANING.search(op.b) for op in f.diff)
    wordings = [
        QuoteWording(source=v.source, text=v.value, evidence=v.spans, grounding=Grounding(alignment="exact"))
        for v in f.values
    ]
    return QuoteVariant(
        speaker=f.speaker or "unattributed",
        wordings=wordings,
        meaning_differs=differs,
        note=f.description,  # how it was judged: said once, in the overview
        found_by="analysis",
        confidence=f.confidence,
        rule=f.rule or None,
        review=review,
    )


def framing_of(aspect: FramingAspect) -> Framing:
    """A framing aspect as the result schema has it: each wording is its evidence span's text."""
    return Framing(
        aspect=aspect.aspect,
        choices=[
            FramingChoice(
                source=c.source,
                wording=c.span.text,
                evidence=[c.span],
                grounding=Grounding(alignment="exact"),
            )
            for c in aspect.choices
        ],
        found_by="analysis",
        confidence=round(aspect.confidence, 2),
        rule=aspect.rule or None,
    )


def claim_of(f: Finding, docs: Sequence[Document], omitted: dict[str, SourceStatus] | None = None) -> Claim:
    """The finding as a claim with each source's status. With `omitted`, the claims of one result
    share one `omits` status per source, kept there (it has no evidence, and nothing changes a status
    in place; `contradicts` is a copy): a comparison of n sources holds about n statuses per claim,
    and building each was most of the time of assembling a 20-source comparison."""
    omitted = {} if omitted is None else omitted
    status: dict[str, SourceStatus] = {}
    for v in f.values:
        evidence = [f.lead.get(v.source, v.spans[0])] if f.lead and v.spans else v.spans
        status[v.source] = SourceStatus(source=v.source, status="reports", evidence=evidence)
    for v in f.unclear:
        status[v.source] = SourceStatus(source=v.source, status="unclear", evidence=v.spans)
    for source in f.omits:
        if source not in omitted:
            omitted[source] = SourceStatus(source=source, status="omits", evidence=[])
        status[source] = omitted[source]
    text = f.values[0].value if f.kind == "statement" else f.description
    return Claim(
        claim=text,
        sources=[status[d.id] for d in docs if d.id in status],
        found_by="analysis",
        confidence=f.confidence,
        rule=f.rule or None,
    )


CONTRADICTING = frozenset({"date", "number", "attribution"})
"""Conflict kinds that tell one statement two ways, so the source telling it otherwise contradicts
the statement's claim; a name spelt two ways is not a statement told otherwise."""


def conflict_claims(
    analysis: Analysis, claims: Sequence[Claim], conflicts: Sequence[Conflict]
) -> list[Claim]:
    """Claims for the conflicts no claim of the matrix holds, so that the matrix marks every conflict
    `contradicts`: one claim per sentence of a conflict's first source, `reports` there, `contradicts`
    in each source giving it another value, every other source as the alignment has it (`reports`,
    `omits`, `unclear`, with its closest sentence). Conflicts a claim already marks (offline
    `_contradicted`: the claim of the conflict's first sentence) get none."""
    number = {a.index.id: n for n, a in enumerate(analysis.documents)}
    shown = set()  # (source, sentence id, contradicting source) some claim already marks
    for claim in claims:
        status = {st.source: st for st in claim.sources}
        for st in claim.sources:
            if st.status == "reports":
                shown |= {
                    (st.source, i, o)
                    for e in st.evidence
                    for i in e.sentence_ids
                    for o, other in status.items()
                    if other.status == "contradicts"
                }
    against: dict[tuple[int, int], dict[int, Span]] = {}  # (doc, sentence) → contradicting sources
    found: dict[tuple[int, int], Conflict] = {}  # (doc, sentence) → its first conflict
    for c in conflicts:
        if c.kind not in CONTRADICTING or not all(v.evidence and v.source in number for v in c.values):
            continue
        origin, *others = c.values
        d = number[origin.source]
        s = analysis.documents[d].index.sentence_at(origin.evidence[0].start)
        if s is None:
            continue
        sid = analysis.documents[d].doc.sentences[s].id
        for v in others:
            o = number[v.source]
            t = analysis.documents[o].index.sentence_at(v.evidence[0].start)
            if t is not None and o != d and (origin.source, sid, v.source) not in shown:
                against.setdefault((d, s), {})[o] = analysis.documents[o].index.sentence_span(t)
                found.setdefault((d, s), c)
    out = []
    for (d, s), contradicting in against.items():
        statuses = []
        for o, a in enumerate(analysis.documents):
            if o == d:
                statuses.append(
                    SourceStatus(source=a.index.id, status="reports", evidence=[a.index.sentence_span(s)])
                )
            elif o in contradicting:
                statuses.append(
                    SourceStatus(source=a.index.id, status="contradicts", evidence=[contradicting[o]])
                )
            else:
                seen = analysis.alignment.status(d, s, o)
                match = analysis.alignment.match(d, s, o)
                evidence = [a.index.sentence_span(match[0])] if match and seen != "omits" else []
                statuses.append(SourceStatus(source=a.index.id, status=seen, evidence=evidence))
        c = found[d, s]
        out.append(
            Claim(
                claim=analysis.documents[d].index.sentence_text(s),
                sources=statuses,
                found_by="analysis",
                confidence=c.confidence,
                rule=c.rule,
            )
        )
    return out


# ------------------------------------------------------------------------------------------------
# The candidates a model reviews, and the merge after it answers
# ------------------------------------------------------------------------------------------------


def candidate_view(analysis: Analysis, limit: int = 40) -> list[dict[str, object]]:
    """What the comparison template shows of each candidate: id, type, confidence, values with ids."""
    view: list[dict[str, object]] = []
    for f in sorted(analysis.candidates(), key=lambda f: -f.confidence)[:limit]:
        view.append(
            {
                "id": f.id,
                "type": f.type,
                "kind": f.kind,
                "confidence": f"{f.confidence:.2f}",
                "description": f.description,
                "values": [
                    {"source": v.source, "value": v.value, "sentence_ids": _ids(v.spans)} for v in f.values
                ],
                "omits": f.omits,
            }
        )
    return sorted(view, key=lambda v: int(str(v["id"])[1:]))


def _ids(spans: Sequence[Span]) -> list[str]:
    return list(dict.fromkeys(i for s in spans for i in s.sentence_ids))


def _overlaps(f: Finding, evidence: dict[str, set[str]]) -> bool:
    """A model finding covers a candidate when it cites the same sentences in at least two sources."""
    hits = sum(bool(set(_ids(v.spans)) & evidence.get(v.source, set())) for v in f.values)
    return hits >= min(2, len(f.values))


def _evidence_of(values: Sequence[ConflictValue] | Sequence[QuoteWording]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for v in values:
        out.setdefault(v.source, set()).update(i for s in v.evidence for i in s.sentence_ids)
    return out


def merge_analysis(
    comparison: Comparison, draft: ComparisonDraft, analysis: Analysis, shown: Sequence[str]
) -> Comparison:
    """Attach the model's verdicts to the findings that correspond to its candidates (claims for people
    and bodies only some sources name), and add high-confidence findings its report lacks (not
    rejected ones). Only confirmations are attached to the model's own findings."""
    verdicts = {r.candidate_id: r for r in draft.candidate_reviews}
    reviews: list[CandidateReview] = []
    for f in analysis.findings:
        if f.id not in shown:
            continue
        r = verdicts.get(f.id)
        review = Review(candidate_id=f.id, verdict=r.verdict, reason=r.reason) if r else None
        added = _attach_or_add(comparison, f, review)
        reviews.append(
            CandidateReview(
                candidate_id=f.id,
                kind=f"{f.type}: {f.kind}",
                description=f.description,
                confidence=f.confidence,
                verdict=r.verdict if r else None,
                reason=r.reason if r else None,
                added=added,
            )
        )
    comparison.candidate_reviews = reviews
    return comparison


def _attach_or_add(comparison: Comparison, f: Finding, review: Review | None) -> bool:
    """Attach the verdict to the model's finding that corresponds to `f` (same kind, or a conflict of
    kind `fact`; same evidence), or add `f` when the model's report lacks it. A rejected verdict is
    never attached to a model finding: the model reported that finding itself, so a "rejected" mark
    on it would mislead."""
    kept = review if review is not None and review.verdict == "confirmed" else None
    if f.type == "conflict":
        for c in comparison.conflicts:
            if c.found_by == "model" and c.kind in (f.kind, "fact") and _overlaps(f, _evidence_of(c.values)):
                c.review = c.review or kept
                return False
        if f.high and not (review and review.verdict == "rejected"):
            comparison.conflicts.append(conflict_of(f, review))
            _count_added(comparison, 1)
            return True
    elif f.type == "quote_variant":
        for v in comparison.quote_variants:
            if v.found_by == "model" and _overlaps(f, _evidence_of(v.wordings)):
                v.review = v.review or kept
                return False
        if f.high and not (review and review.verdict == "rejected"):
            comparison.quote_variants.append(variant_of(f, review))
            _count_added(comparison, len(f.values))
            return True
    elif f.type == "only_some":
        for cl in comparison.claims:
            if cl.found_by == "model" and _claim_covers(cl, f):
                cl.review = cl.review or kept
                return False
    return False


def _claim_covers(claim: Claim, f: Finding) -> bool:
    """A model claim corresponds to an "only some name X" candidate when it names X, cites the
    candidate's sentences in the sources that name X, and is not reported by the sources that omit X."""
    status = {s.source: s for s in claim.sources}
    if any(status[o].status == "reports" for o in f.omits if o in status):
        return False
    reported = {s: st.evidence for s, st in status.items() if st.status == "reports"}
    evidence = {s: {i for e in spans for i in e.sentence_ids} for s, spans in reported.items()}
    return _overlaps(f, evidence) and _names(claim.claim, f.values[0].value, f.kind)


def _names(text: str, name: str, kind: str) -> bool:
    """Whether `text` names `name`: the surname of a person, else the name nearly as written."""
    words = {w.casefold() for w in re.findall(r"[\w-]+", text)}
    if kind == "person" and name.split() and name.split()[-1].casefold() in words:
        return True
    return fuzz.partial_ratio(name.casefold(), text.casefold()) >= 85


def _count_added(comparison: Comparison, items: int) -> None:
    g = comparison.grounding
    g.items += items
    g.grounded += items
