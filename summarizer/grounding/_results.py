"""Drafts → results, in one pass: a draft's hard errors, its support advice, and its result.

The structured loop asks of each answer its errors (re-asked, then refused) and its advice (re-asked
while the budget lasts), and the run turns the accepted answer into a result. `resolve_summary` and
`resolve_comparison` give all three from one `Grounder` and one walk of the draft: every item is resolved
to spans and checked once, and its failed support checks are both the advice sent back to the model
(numbers, dates, names, negation the cited sentences do not back) and the grounding kept on the result,
marked not grounded with the reasons, never dropped. `support_*` and `build_*` are the advice and the
result alone.

The model's draft never carries offsets or provenance; the result built here carries both (the
provenance is a placeholder that the caller replaces with the run's own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from summarizer._version import __version__
from summarizer.grounding._align import Grounder, with_issues
from summarizer.grounding._checks import (
    check_comparison,
    check_summary,
    prose_grounding,
    prose_issues,
    summarise_comparison,
    summarise_grounding,
)
from summarizer.prompts import length_limit
from summarizer.rules import ALL, Selection
from summarizer.schemas import (
    Caveat,
    Cited,
    Claim,
    Comparison,
    ComparisonDraft,
    Conflict,
    ConflictValue,
    DateMention,
    Document,
    Entity,
    Framing,
    FramingChoice,
    Grounding,
    KeyPoint,
    Length,
    Provenance,
    Quote,
    QuoteVariant,
    QuoteWording,
    SourceInfo,
    SourceStatus,
    Sourcing,
    Summary,
    SummaryDraft,
    SupportIssue,
)

R = TypeVar("R", Summary, Comparison)


class Resolved(Generic[R]):
    """A draft resolved once: its hard `errors`, its support `advice`, and its `result` (built when
    first read, from the spans and checks the pass found: a refused draft is never built)."""

    def __init__(self, errors: list[str], advice: list[str], build: Callable[[], R]) -> None:
        self.errors = errors
        self.advice = advice
        self._build: Callable[[], R] | None = build
        self._result: R | None = None

    @property
    def result(self) -> R:
        if self._result is None:
            assert self._build is not None
            self._result, self._build = self._build(), None
        return self._result


def _placeholder_provenance() -> Provenance:
    return Provenance(tool_version=__version__, engine="llm", created_at=dt.datetime.now(dt.timezone.utc))


# ------------------------------------------------------------------------------------------------
# Summaries
# ------------------------------------------------------------------------------------------------


def resolve_summary(
    draft: SummaryDraft,
    doc: Document,
    length: Length | None = None,
    *,
    rules: Selection = ALL,
    max_words: int | None = None,
) -> Resolved[Summary]:
    """Errors, advice and result of a summary draft. `max_words` is the limit the advice holds the
    summary paragraph to (None for the parts of a long article); the result holds it to `length`'s."""
    g = Grounder([doc], rules)
    return _summary(g, draft, doc, length, max_words, check_summary(draft, doc, grounder=g))


def support_summary(
    draft: SummaryDraft, doc: Document, rules: Selection = ALL, max_words: int | None = None
) -> list[str]:
    return _summary(Grounder([doc], rules), draft, doc, None, max_words, []).advice


def build_summary(draft: SummaryDraft, doc: Document, length: Length, *, rules: Selection = ALL) -> Summary:
    return _summary(Grounder([doc], rules), draft, doc, length, length_limit(length), []).result


def _summary(
    g: Grounder,
    draft: SummaryDraft,
    doc: Document,
    length: Length | None,
    max_words: int | None,
    errors: list[str],
) -> Resolved[Summary]:
    advice: list[str] = []
    key_points = []
    for n, k in enumerate(draft.key_points, 1):
        evidence, cited = g.cited(k.sentence_ids, doc.id)
        issues = g.support_checks(k.text, k.sentence_ids, doc.id)
        _advise(advice, f"key_points[{n}]", issues)
        key_points.append(KeyPoint(text=k.text, evidence=evidence, grounding=with_issues(cited, issues)))
    quotes = []
    for n, q in enumerate(draft.quotes, 1):
        evidence, found = g.verbatim(doc.id, q.text, q.sentence_ids)
        issues = g.speaker_checks(doc.id, q.speaker, q.text, q.sentence_ids)
        _advise(advice, f"quotes[{n}]", issues)
        grounding = with_issues(found, issues)
        quote = Quote(speaker=q.speaker, role=q.role, text=q.text, evidence=evidence, grounding=grounding)
        quotes.append(quote)
    dates = []
    for n, d in enumerate(draft.dates, 1):
        evidence, cited = g.cited(d.sentence_ids, doc.id)
        issues = g.date_checks(d.text, d.iso, d.event, d.sentence_ids, doc.id)
        _advise(advice, f"dates[{n}]", issues)
        grounding = with_issues(cited, issues)
        date = DateMention(text=d.text, iso=d.iso, event=d.event, evidence=evidence, grounding=grounding)
        dates.append(date)
    headline = prose_issues(draft.headline, [doc], rules=g.rules)
    paragraph = prose_issues(draft.summary, [doc], max_words, rules=g.rules)
    _advise(advice, "headline", headline, prose=True)
    _advise(advice, "summary", paragraph, prose=True)

    def build() -> Summary:
        if length is None:
            raise ValueError("a summary's result needs the length it was asked for")
        limit = length_limit(length)
        if limit != max_words:  # the parts of a long article: the advice held no limit
            paragraph_issues = prose_issues(draft.summary, [doc], limit, rules=g.rules)
        else:
            paragraph_issues = paragraph
        prose = [prose_grounding("headline", headline), prose_grounding("summary", paragraph_issues)]
        checked = [
            *prose,
            *(k.grounding for k in key_points),
            *(q.grounding for q in quotes),
            *(d.grounding for d in dates),
        ]
        return Summary(
            headline=draft.headline,
            summary=draft.summary,
            length=length,
            key_points=key_points,
            quotes=quotes,
            entities=[
                Entity(name=e.name, type=e.type, role=e.role, evidence=g.sentence_spans(e.sentence_ids))
                for e in draft.entities
            ],
            dates=dates,
            caveats=[Caveat(text=c.text, evidence=g.sentence_spans(c.sentence_ids)) for c in draft.caveats],
            language=draft.language,
            source=SourceInfo.of(doc),
            grounding=summarise_grounding(checked),
            provenance=_placeholder_provenance(),
        )

    return Resolved(errors, advice, build)


# ------------------------------------------------------------------------------------------------
# Comparisons
# ------------------------------------------------------------------------------------------------


def resolve_comparison(
    draft: ComparisonDraft, docs: Sequence[Document], *, rules: Selection = ALL
) -> Resolved[Comparison]:
    """Errors, advice and result of a comparison draft."""
    g = Grounder(docs, rules)
    return _comparison(g, draft, docs, check_comparison(draft, docs, grounder=g))


def support_comparison(draft: ComparisonDraft, docs: Sequence[Document], rules: Selection = ALL) -> list[str]:
    return _comparison(Grounder(docs, rules), draft, docs, []).advice


def build_comparison(
    draft: ComparisonDraft, docs: Sequence[Document], *, rules: Selection = ALL
) -> Comparison:
    return _comparison(Grounder(docs, rules), draft, docs, []).result


def _comparison(
    g: Grounder, draft: ComparisonDraft, docs: Sequence[Document], errors: list[str]
) -> Resolved[Comparison]:
    claim_advice: list[str] = []
    variant_advice: list[str] = []
    claims = [_claim(g, c, f"claims[{n}]", claim_advice) for n, c in enumerate(draft.claims, 1)]
    variants = [
        _variant(g, v, f"quote_variants[{n}]", variant_advice) for n, v in enumerate(draft.quote_variants, 1)
    ]
    story = prose_issues(draft.story, docs, rules=g.rules)
    overview = prose_issues(draft.overview, docs, rules=g.rules)
    advice: list[str] = []
    _advise(advice, "story", story, prose=True)
    _advise(advice, "overview", overview, prose=True)
    advice += variant_advice + claim_advice

    def build() -> Comparison:
        conflicts = [_conflict(g, c) for c in draft.conflicts]
        sourcing = [
            Sourcing(
                source=s.source,
                cited=[
                    Cited(name=c.name, kind=c.kind, evidence=g.cited(c.sentence_ids, s.source)[0])
                    for c in s.cited
                ],
            )
            for s in draft.sourcing
        ]
        framing = [_framing(g, f) for f in draft.framing]
        prose = [prose_grounding("story", story), prose_grounding("overview", overview)]
        return Comparison(
            story=draft.story,
            overview=draft.overview,
            claims=claims,
            conflicts=conflicts,
            quote_variants=variants,
            sourcing=sourcing,
            framing=framing,
            sources=[SourceInfo.of(d) for d in docs],
            grounding=summarise_comparison(claims, conflicts, variants, framing, prose),
            provenance=_placeholder_provenance(),
        )

    return Resolved(errors, advice, build)


def _merge_groundings(groundings: Sequence[Grounding]) -> Grounding:
    reasons = [r for gr in groundings for r in gr.reasons]
    checks = [c for gr in groundings for c in gr.checks]
    return Grounding(grounded=all(gr.grounded for gr in groundings), reasons=reasons, checks=checks)


def _claim(g: Grounder, draft: Any, where: str, advice: list[str]) -> Claim:
    statuses: list[SourceStatus] = []
    groundings: list[Grounding] = []
    for st in draft.sources:
        if st.status == "omits":
            statuses.append(SourceStatus(source=st.source, status=st.status, evidence=[]))
            continue
        if st.status == "reports":  # only a reporting source must back the claim's numbers, dates, names
            evidence, cited = g.cited(st.sentence_ids, st.source)
            issues = g.support_checks(draft.claim, st.sentence_ids, st.source)
            if st.source in g.docs:
                _advise(advice, f"{where} source {st.source}", issues)
            grounding = with_issues(cited, issues)
        else:
            evidence, grounding = g.cited(st.sentence_ids, st.source)
        statuses.append(SourceStatus(source=st.source, status=st.status, evidence=evidence))
        groundings.append(
            grounding.model_copy(update={"reasons": [f"{st.source}: {r}" for r in grounding.reasons]})
        )
    return Claim(claim=draft.claim, sources=statuses, grounding=_merge_groundings(groundings))


def _conflict(g: Grounder, draft: Any) -> Conflict:
    values: list[ConflictValue] = []
    groundings: list[Grounding] = []
    for v in draft.values:
        evidence, grounding = g.verbatim(v.source, v.value, v.sentence_ids)
        if not grounding.grounded:
            # A value may be paraphrased ("Tuesday" for "on Tuesday"): the cited sentences still back it.
            evidence, grounding = g.cited(v.sentence_ids, v.source)
        values.append(ConflictValue(source=v.source, value=v.value, evidence=evidence))
        groundings.append(grounding)
    return Conflict(
        kind=draft.kind, description=draft.description, values=values, grounding=_merge_groundings(groundings)
    )


def _variant(g: Grounder, draft: Any, where: str, advice: list[str]) -> QuoteVariant:
    wordings = []
    for w in draft.wordings:
        evidence, found = g.verbatim(w.source, w.text, w.sentence_ids)
        issues = g.speaker_checks(w.source, draft.speaker, w.text, w.sentence_ids)
        if w.source in g.docs:
            _advise(advice, f"{where} source {w.source}", issues)
        grounding = with_issues(found, issues)
        wordings.append(QuoteWording(source=w.source, text=w.text, evidence=evidence, grounding=grounding))
    return QuoteVariant(
        speaker=draft.speaker, wordings=wordings, meaning_differs=draft.meaning_differs, note=draft.note
    )


def _framing(g: Grounder, draft: Any) -> Framing:
    choices = []
    for ch in draft.choices:
        evidence, grounding = g.verbatim(ch.source, ch.wording, ch.sentence_ids)
        choices.append(
            FramingChoice(source=ch.source, wording=ch.wording, evidence=evidence, grounding=grounding)
        )
    return Framing(aspect=draft.aspect, choices=choices)


def _advise(advice: list[str], where: str, issues: Iterable[SupportIssue], *, prose: bool = False) -> None:
    """Support issues only: citation and quote problems are the hard checks' to report."""
    for issue in issues:
        if issue.check == "length":
            advice.append(f"{where}: {issue.message}")
        elif issue.check == "speaker":
            advice.append(f"{where}: {issue.message}; give the speaker the article names for it")
        elif prose:
            advice.append(f"{where}: {issue.message}; state only what the article says")
        else:
            advice.append(
                f"{where}: {issue.message} (checked against: {issue.evidence!r}); state only what the cited "
                "sentences say, or cite the sentences that say it"
            )
