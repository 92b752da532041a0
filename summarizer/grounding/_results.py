"""Drafts → results: every cited id and verbatim text resolved to spans, every item's grounding set.

The model's draft never carries offsets or provenance; the result built here carries both (the
provenance is a placeholder that the caller replaces with the run's own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from summarizer._version import __version__
from summarizer.grounding._align import Grounder
from summarizer.grounding._checks import (
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
)


def _placeholder_provenance() -> Provenance:
    return Provenance(tool_version=__version__, engine="llm", created_at=dt.datetime.now(dt.timezone.utc))


def build_summary(draft: SummaryDraft, doc: Document, length: Length, *, rules: Selection = ALL) -> Summary:
    g = Grounder([doc], rules)
    key_points = [
        KeyPoint(text=k.text, evidence=ev, grounding=gr)
        for k in draft.key_points
        for ev, gr in [g.supported(k.text, k.sentence_ids, doc.id)]
    ]
    quotes = []
    for q in draft.quotes:
        evidence, grounding = g.quoted(doc.id, q.speaker, q.text, q.sentence_ids)
        quotes.append(
            Quote(speaker=q.speaker, role=q.role, text=q.text, evidence=evidence, grounding=grounding)
        )
    dates = [
        DateMention(text=d.text, iso=d.iso, event=d.event, evidence=ev, grounding=gr)
        for d in draft.dates
        for ev, gr in [g.supported_date(d.text, d.iso, d.event, d.sentence_ids, doc.id)]
    ]
    entities = [
        Entity(name=e.name, type=e.type, role=e.role, evidence=g.sentence_spans(e.sentence_ids))
        for e in draft.entities
    ]
    caveats = [Caveat(text=c.text, evidence=g.sentence_spans(c.sentence_ids)) for c in draft.caveats]
    prose = [
        prose_grounding("headline", prose_issues(draft.headline, [doc], rules=rules)),
        prose_grounding("summary", prose_issues(draft.summary, [doc], length_limit(length), rules=rules)),
    ]
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
        entities=entities,
        dates=dates,
        caveats=caveats,
        language=draft.language,
        source=SourceInfo.of(doc),
        grounding=summarise_grounding(checked),
        provenance=_placeholder_provenance(),
    )


def build_comparison(
    draft: ComparisonDraft, docs: Sequence[Document], *, rules: Selection = ALL
) -> Comparison:
    g = Grounder(docs, rules)
    claims = [_claim(g, c) for c in draft.claims]
    conflicts = [_conflict(g, c) for c in draft.conflicts]
    variants = [_variant(g, v) for v in draft.quote_variants]
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
    prose = [
        prose_grounding("story", prose_issues(draft.story, docs, rules=rules)),
        prose_grounding("overview", prose_issues(draft.overview, docs, rules=rules)),
    ]
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


def _merge_groundings(groundings: Sequence[Grounding]) -> Grounding:
    reasons = [r for gr in groundings for r in gr.reasons]
    checks = [c for gr in groundings for c in gr.checks]
    return Grounding(grounded=all(gr.grounded for gr in groundings), reasons=reasons, checks=checks)


def _claim(g: Grounder, draft: Any) -> Claim:
    statuses: list[SourceStatus] = []
    groundings: list[Grounding] = []
    for st in draft.sources:
        if st.status == "omits":
            statuses.append(SourceStatus(source=st.source, status=st.status, evidence=[]))
            continue
        if st.status == "reports":  # only a reporting source must back the claim's numbers, dates, names
            evidence, grounding = g.supported(draft.claim, st.sentence_ids, st.source)
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


def _variant(g: Grounder, draft: Any) -> QuoteVariant:
    wordings = []
    for w in draft.wordings:
        evidence, grounding = g.quoted(w.source, draft.speaker, w.text, w.sentence_ids)
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
