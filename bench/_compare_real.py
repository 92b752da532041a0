"""Real stories for bench/compare_eval.py (parts 2-5 of its docstring): speakers, only-some selectivity,
conflicts and what a reader needs to judge an only-some claim."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analysis_basil import locate, speaker_verdict
from rapidfuzz import fuzz, process

from summarizer.analysis import analyse
from summarizer.candidates import CONTRADICTING
from summarizer.offline import compare_offline
from summarizer.schemas import Claim, Comparison, Conflict, Document, Span
from summarizer.text import Semantic

OFFLINE_CUT = 0.5
"""The confidence from which `compare_offline` reports a conflict; below it a conflict is a candidate."""


@dataclass
class RealScore:
    speakers: dict[str, int] = field(default_factory=lambda: {"right": 0, "wrong": 0, "abstained": 0})
    sentences: int = 0
    flagged: int = 0
    info: int = 0
    info_flagged: int = 0
    conflicts: list[dict[str, str]] = field(default_factory=list)
    only_some: list[dict[str, object]] = field(default_factory=list)
    cells: int = 0
    contradicts: int = 0
    statement_conflicts: int = 0
    shown: int = 0
    both: int = 0
    review: list[dict[str, str]] = field(default_factory=list)  # conflicts below the offline cut


def told_both_ways(comparison: Comparison) -> int:
    """How many sentences are evidence of a statement all sources report and of a statement only some
    report (D107): a sentence must not be both."""
    by_all: set[str] = set()
    by_some: set[str] = set()
    for c in comparison.claims:
        told = {i for s in c.sources if s.status == "reports" for e in s.evidence for i in e.sentence_ids}
        if all(s.status == "reports" for s in c.sources):
            by_all |= told
        elif c.rule == "D107":
            by_some |= told
    return len(by_all & by_some)


def real(
    folder: Path,
    docs: Sequence[Document],
    gold: dict[str, list[dict[str, object]]],
    score: RealScore,
    meaning: Semantic | None = None,
) -> None:
    analysis = analyse(docs, meaning=meaning)
    comparison = compare_offline(docs, meaning=meaning)
    for a in analysis.documents:
        for span in gold.get(a.index.id, []):
            region = None if span.get("in_title") else locate(a.doc, span)
            if region is not None and span.get("is_quote"):
                verdict = speaker_verdict(str(span.get("quote_speaker") or ""), region, a.quotes)
                if verdict:
                    score.speakers[verdict] += 1
    flagged: set[str] = set()
    for c in comparison.claims:
        if not any(s.status in ("omits", "unclear") for s in c.sources):
            continue
        for s in c.sources:
            if s.status == "reports":
                flagged |= {i for e in s.evidence for i in e.sentence_ids}
    info: set[str] = set()
    for d in docs:
        for span in gold.get(d.id, []):
            region = None if span.get("in_title") else locate(d, span)
            if region is not None and span.get("bias_type") == "informational":
                info |= {s.id for s in d.sentences if s.start < region[1] and region[0] < s.end}
    every = {s.id for d in docs for s in d.sentences}
    score.sentences += len(every)
    score.flagged += len(flagged & every)
    score.info += len(info)
    score.info_flagged += len(info & flagged)
    for c in comparison.conflicts:
        score.conflicts.append({"story": folder.name, "kind": c.kind, "description": c.description})
    for f in analysis.of_type("conflict"):
        if f.confidence < OFFLINE_CUT:
            score.review.append({"story": folder.name, "kind": f.kind, "description": f.description})
    score.cells += sum(len(c.sources) for c in comparison.claims)
    score.both += told_both_ways(comparison)
    score.contradicts += sum(s.status == "contradicts" for c in comparison.claims for s in c.sources)
    score.statement_conflicts += sum(c.kind in CONTRADICTING for c in comparison.conflicts)
    score.shown += sum(c.kind in CONTRADICTING and _shown(c, comparison.claims) for c in comparison.conflicts)
    texts = {d.id: [d.text[s.start : s.end] for s in d.sentences] for d in docs}
    for c in comparison.claims:
        if any(s.status == "omits" for s in c.sources):
            score.only_some.append(
                {"story": folder.name, "claim": c.claim, "rule": c.rule, **_reading(c, texts)}
            )


def _shown(conflict: Conflict, claims: Sequence[Claim]) -> bool:
    """Whether a claim reported by the conflict's first source at its evidence marks the other source
    `contradicts` at the other's evidence."""
    first, other = conflict.values[0], conflict.values[-1]

    def touch(a: Sequence[Span], b: Sequence[Span]) -> bool:
        return any(x.source == y.source and x.start < y.end and y.start < x.end for x in a for y in b)

    return any(
        any(
            s.source == first.source and s.status == "reports" and touch(s.evidence, first.evidence)
            for s in c.sources
        )
        and any(
            s.source == other.source and s.status == "contradicts" and touch(s.evidence, other.evidence)
            for s in c.sources
        )
        for c in claims
    )


def _reading(claim: Claim, texts: dict[str, list[str]]) -> dict[str, object]:
    """What a reader needs to judge an only-some claim: each reporting outlet's evidence and, for each
    omitting outlet, its three sentences most similar to the first evidence."""
    reports = {s.source: [e.text for e in s.evidence] for s in claim.sources if s.status == "reports"}
    first = next(iter(reports.values()))[0] if reports else claim.claim
    omitted = {}
    for s in claim.sources:
        if s.status == "omits":
            near = process.extract(first, texts[s.source], scorer=fuzz.token_set_ratio, limit=3)
            omitted[s.source] = [t for t, _, _ in near]
    return {"reports": reports, "nearest_in_omitting": omitted}
