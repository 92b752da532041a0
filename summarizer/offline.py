"""The offline engine: complete summaries and comparisons from the deterministic analysis, no model.

Summaries are extractive: the most central and earliest sentences, quotes from the quote extractor,
names as entities, dates with ISO values resolved against the publication date. Comparisons are
the analysis's findings, under the most central headline or sentence of the sources, with the
framing aspects `analysis.framing` finds (headlines, loaded words, labels, lead emphasis; verbatim
wordings). The summary and overview say they were produced extractively; provenance says `engine:
offline`. Findings become result items in `summarizer.candidates`, which the model path uses too;
nothing here is the model's.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from collections.abc import Sequence

from summarizer._version import __version__
from summarizer.analysis import Analysis, analyse, find_framing
from summarizer.analysis._text import DocIndex
from summarizer.analysis.align import tfidf_vectors
from summarizer.analysis.compare import ONLY_SOME_STATEMENT, analyse_document
from summarizer.analysis.layout import headline, is_notice
from summarizer.analysis.names import NameMention
from summarizer.candidates import (
    CONTRADICTING,
    claim_of,
    conflict_claims,
    conflict_of,
    framing_of,
    variant_of,
)
from summarizer.grounding import summarise_comparison, summarise_grounding
from summarizer.rules import ALL, Selection
from summarizer.schemas import (
    Caveat,
    Cited,
    Claim,
    Comparison,
    Conflict,
    DateMention,
    Document,
    Entity,
    EntityType,
    Framing,
    Grounding,
    InputRecord,
    KeyPoint,
    Length,
    Provenance,
    Quote,
    QuoteVariant,
    SourceInfo,
    SourceStatus,
    Sourcing,
    Span,
    Summary,
)
from summarizer.text import Semantic, content_stems

ENGINE = "offline"
NOTE = "produced extractively by the offline engine, without a model"
_SENTENCES = {"short": 2, "medium": 4, "long": 8}
_KEY_POINTS = {"short": 3, "medium": 5, "long": 8}


def provenance(docs: Sequence[Document], started: float) -> Provenance:
    return Provenance(
        tool_version=__version__,
        engine=ENGINE,
        inputs=[InputRecord(source=d.id, origin=d.origin, sha256=d.sha256) for d in docs],
        wall_time_s=round(time.perf_counter() - started, 3),
        created_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
    )


# ------------------------------------------------------------------------------------------------
# Summaries
# ------------------------------------------------------------------------------------------------


def rank_sentences(idx: DocIndex) -> list[int]:
    """Sentence numbers, most central and earliest first (boilerplate and fragments left out)."""
    usable = [i for i, t in enumerate(idx.sentence_texts) if not is_notice(t) and len(t.split()) >= 5]
    vectors = tfidf_vectors([idx.sentence_texts[i] for i in usable])
    centroid: dict[str, float] = {}
    for vec in vectors:
        for w, v in vec.items():
            centroid[w] = centroid.get(w, 0.0) + v
    norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    scores = {}
    for rank, (i, vec) in enumerate(zip(usable, vectors)):
        central = sum(v * centroid.get(w, 0.0) for w, v in vec.items()) / norm
        scores[i] = central + 0.25 / (1 + rank)
    return sorted(scores, key=lambda i: -scores[i])


def summarize_offline(doc: Document, length: Length = "medium", started: float | None = None) -> Summary:
    started = time.perf_counter() if started is None else started
    a = analyse_document(doc)
    idx = a.index
    ranked = rank_sentences(idx)
    chosen = sorted(ranked[: _SENTENCES[length]])
    points = sorted(ranked[: _KEY_POINTS[length]])
    key_points = [KeyPoint(text=idx.sentence_text(i), evidence=[idx.sentence_span(i)]) for i in points]
    quotes = [
        Quote(
            speaker=q.speaker or "unattributed",
            text=q.text,
            evidence=[idx.span(q.start, q.end)],
            grounding=Grounding(alignment="exact"),
        )
        for q in a.quotes
        if q.kind == "direct"
    ]
    dates = _dates(idx, a.dates)
    summary = Summary(
        headline=_headline(doc, idx, ranked),
        summary=" ".join(idx.sentence_text(i) for i in chosen),  # how it was made: provenance
        length=length,
        key_points=key_points,
        quotes=quotes,
        entities=_entities(idx, a.names),
        dates=dates,
        caveats=_caveats(idx, a.citations),
        language=doc.language or "und",
        source=SourceInfo.of(doc),
        grounding=summarise_grounding(
            [k.grounding for k in key_points] + [q.grounding for q in quotes] + [d.grounding for d in dates]
        ),
        provenance=provenance([doc], started),
    )
    return summary


def _headline(doc: Document, idx: DocIndex, ranked: list[int]) -> str:
    if given := _headline_text(idx):
        return given
    first = idx.sentence_text(min(ranked)) if ranked else doc.text[:200]
    words = first.split()
    return " ".join(words[:15]) + ("…" if len(words) > 15 else "")


def _headline_text(idx: DocIndex) -> str | None:
    """The document's headline: its title, else the first line `analysis.layout.headline` reads as one
    (`Mayor loses harbour vote` over the body of an untitled text); None when it has neither."""
    if idx.doc.title:
        return idx.doc.title
    found = headline(idx)
    return None if found is None else idx.text[found[0] : found[1]]


def _entities(idx: DocIndex, names: Sequence[NameMention]) -> list[Entity]:
    by_name: dict[str, list[NameMention]] = {}
    for m in names:
        by_name.setdefault(m.canonical, []).append(m)
    ranked = sorted(by_name.items(), key=lambda kv: (-len(kv[1]), kv[1][0].start))[:15]
    out = []
    for name, ms in ranked:
        kind: EntityType = ms[0].type if ms[0].type != "other" else "other"
        role = next((m.role for m in ms if m.role), None)
        out.append(
            Entity(
                name=name,
                type=kind,
                role=(f"{role}; " if role else "") + f"named {len(ms)} time{'s' if len(ms) > 1 else ''}",
                evidence=[idx.span(m.start, m.end) for m in ms[:3]],
            )
        )
    return out


def _dates(idx: DocIndex, dates: Sequence[object]) -> list[DateMention]:
    out = []
    for d in dates:
        start, end = d.start, d.end  # type: ignore[attr-defined]
        sentence = idx.sentence_at(start)
        if sentence is None or idx.boilerplate[sentence]:
            continue
        out.append(
            DateMention(
                text=d.text,  # type: ignore[attr-defined]
                iso=d.iso,  # type: ignore[attr-defined]
                event=f"(extracted) {idx.sentence_text(sentence)}",
                evidence=[idx.span(start, end)],
            )
        )
    return out


def _caveats(idx: DocIndex, citations: Sequence[object]) -> list[Caveat]:
    out = []
    for c in citations:
        if c.kind == "anonymous":  # type: ignore[attr-defined]
            spans = [idx.span(s, e) for s, e in c.spans]  # type: ignore[attr-defined]
            out.append(Caveat(text=f"Attributed to unnamed sources: {c.name}.", evidence=spans))  # type: ignore[attr-defined]
    return out


# ------------------------------------------------------------------------------------------------
# Comparisons
# ------------------------------------------------------------------------------------------------


def compare_offline(
    docs: Sequence[Document],
    started: float | None = None,
    rules: Selection = ALL,
    meaning: Semantic | None = None,
) -> Comparison:
    """The comparison of `docs` from the analysis alone. `meaning`: a sentence-embedding model
    (`summarizer.text.semantic("minilm")`, `--alignment semantic`) with which statements are matched by
    meaning too; None matches them by shared words (`provenance.alignment` says which ran)."""
    started = time.perf_counter() if started is None else started
    analysis = analyse(docs, rules, meaning)
    omitted: dict[str, SourceStatus] = {}  # one `omits` status per source, shared by the claims
    only_some = [claim_of(f, docs, omitted) for f in analysis.of_type("only_some") if f.clear]
    claims = _shared_claims(analysis) + only_some
    conflicts = [conflict_of(f) for f in analysis.of_type("conflict") if f.confidence >= 0.5]
    claims = [_contradicted(c, conflicts) for c in claims]
    claims += conflict_claims(analysis, claims, conflicts)
    variants = [variant_of(f) for f in analysis.of_type("quote_variant") if f.confidence >= 0.5]
    framing = [framing_of(a) for a in find_framing(analysis, rules=rules)]
    return Comparison(
        story=_story(analysis),
        overview=_overview(analysis, claims, conflicts, variants, framing),
        claims=claims,
        conflicts=conflicts,
        quote_variants=variants,
        sourcing=_sourcing(analysis),
        framing=framing,
        sources=[SourceInfo.of(d) for d in docs],
        grounding=summarise_comparison(claims, conflicts, variants, framing),
        provenance=provenance(docs, started).model_copy(update={"alignment": analysis.alignment.method}),
    )


def _story(analysis: Analysis) -> str:
    """The story in one line: of the sources' headlines (titles, else first lines read as headlines by
    `_headline_text`; else each one's most central sentence), the one that shares most words with the
    other sources."""
    lines = [(n, h) for n, a in enumerate(analysis.documents) if (h := _headline_text(a.index))]
    if not lines:
        for n, a in enumerate(analysis.documents):
            ranked = rank_sentences(a.index)
            lines += [(n, _DATELINE.sub("", a.index.sentence_text(ranked[0])))] if ranked else []
    if not lines:
        return analysis.documents[0].doc.outlet
    vocab = [set(content_stems(a.doc.text)) for a in analysis.documents]

    def shared(line: tuple[int, str]) -> float:
        words = set(content_stems(line[1]))
        return sum(len(words & v) / (len(words) or 1) for o, v in enumerate(vocab) if o != line[0])

    return max(lines, key=shared)[1]


_DATELINE = re.compile(r"^[A-Z][A-Z.,' ]+(?:\([^)]*\))?\s*[-–—]+\s+")
"""`TEHRAN - `, `WASHINGTON (Reuters) — ` opening a lede: not part of the story."""


def _overview(
    analysis: Analysis,
    claims: list[Claim],
    conflicts: list[Conflict],
    variants: list[QuoteVariant],
    framing: list[Framing],
) -> str:
    shared = sum(all(s.status == "reports" for s in c.sources) for c in claims)
    only = sum(any(s.status in ("omits", "unclear") for s in c.sources) for c in claims)
    return (
        f"This comparison was {NOTE}: {_MATCHED[analysis.alignment.method]} "
        f"{_count(shared, 'statement appears', 'statements appear')} in every source; "
        f"{_count(only, 'statement or name appears', 'statements or names appear')} in only some; "
        f"{_count(len(conflicts), 'possible conflict', 'possible conflicts')} (dates, numbers, name "
        f"spellings, attributions); {_count(len(variants), 'quotation', 'quotations')} worded "
        "differently (word-level diffs; whether the meaning differs is judged only by negations and "
        "numbers among the changed words); "
        f"{_count(len(framing), 'framing aspect', 'framing aspects')} (headlines, and words "
        "from a fixed list of loaded terms where matching statements or descriptions of the same person "
        "differ, and statements one outlet leads with that another reports only far down; tone is not "
        "judged). Each finding "
        "carries a confidence from 0 to 1; check the evidence before relying on it."
    )


_MATCHED = {
    "lexical": "statements are matched by shared words, not by meaning, so a paraphrase can be missed "
    "and a loosely similar sentence can be taken for the same statement.",
    "minilm": "statements are matched by meaning (sentence embeddings, all-MiniLM-L6-v2) and shared "
    "words together, and only when they name the same people and give the same numbers and days, so a "
    "loose paraphrase can still be missed and a close one taken for the same statement.",
}
"""How statements were matched, by `Alignment.method`: the overview says it."""


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _shared_claims(analysis: Analysis) -> list[Claim]:
    """Statements of the first source that every other source also makes, none of whose sentences is
    told by only some: best matches are not symmetric, so A's sentence may be told in C while B's
    counterpart of it finds nothing there and is reported as omitted by C; a sentence is not both."""
    docs = analysis.documents
    first = docs[0].index
    by_some = {
        (v.source, i)
        for f in analysis.of_type("only_some")
        if f.rule == ONLY_SOME_STATEMENT.code
        for v in f.values
        for span in v.spans
        for i in span.sentence_ids
    }
    claims = []
    for s in range(len(first.doc.sentences)):
        matches = [analysis.alignment.same(0, s, o) for o in range(1, len(docs))]
        if (0, s) in analysis.alignment.skipped or not all(matches):
            continue
        told = [(first.id, first.doc.sentences[s].id)] + [
            (docs[o].index.id, docs[o].index.doc.sentences[m[0]].id) for o, m in enumerate(matches, 1) if m
        ]
        if any(t in by_some for t in told):
            continue
        statuses = [SourceStatus(source=first.id, status="reports", evidence=[first.sentence_span(s)])]
        for o, m in enumerate(matches, 1):
            assert m is not None
            statuses.append(
                SourceStatus(
                    source=docs[o].index.id, status="reports", evidence=[docs[o].index.sentence_span(m[0])]
                )
            )
        # 0.6 at the threshold of "same statement", rising with the weakest match.
        confidence = round(min(m[1] for m in matches if m) - analysis.alignment.threshold + 0.6, 2)
        claims.append(
            Claim(
                claim=first.sentence_text(s),
                sources=statuses,
                found_by="analysis",
                confidence=min(confidence, 0.95),
            )
        )
    return claims


def _contradicted(claim: Claim, conflicts: Sequence[Conflict]) -> Claim:
    """The claim with `contradicts` for each source whose matching sentence gives a date or number
    that conflicts with the claim's own (the first reporting source's), or its words to another
    speaker: the matrix shows the conflict."""
    origin = next((s for s in claim.sources if s.status == "reports"), None)
    if origin is None:
        return claim
    against: set[str] = set()
    for c in conflicts:
        if c.kind not in CONTRADICTING:
            continue
        if not any(v.source == origin.source and _touch(v.evidence, origin.evidence) for v in c.values):
            continue
        for v in c.values:
            mine = next((s for s in claim.sources if s.source == v.source), None)
            if v.source != origin.source and mine is not None and _touch(v.evidence, mine.evidence):
                against.add(v.source)
    if not against:
        return claim
    sources = [
        s.model_copy(update={"status": "contradicts"}) if s.source in against else s for s in claim.sources
    ]
    return claim.model_copy(update={"sources": sources})


def _touch(a: Sequence[Span], b: Sequence[Span]) -> bool:
    return any(x.source == y.source and x.start < y.end and y.start < x.end for x in a for y in b)


def _sourcing(analysis: Analysis) -> list[Sourcing]:
    out = []
    for a in analysis.documents:
        cited = [
            Cited(name=c.name, kind=c.kind, evidence=[a.index.span(s, e) for s, e in c.spans[:4]])
            for c in a.citations
        ]
        out.append(Sourcing(source=a.index.id, cited=cited))
    return out
