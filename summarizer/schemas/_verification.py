"""Verification: any summary checked against its sources, claim by claim."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from summarizer.schemas._base import _Strict
from summarizer.schemas._results import Provenance, SourceInfo, Span, SupportIssue

ClaimVerdict = Literal["supported", "unsupported"]
ClaimState = Literal["supported", "unsupported", "cannot_verify"]
"""A verified claim's verdict: `cannot_verify` when its evidence is too weak to rule either way."""
DecidedBy = Literal[
    "number",
    "date",
    "entity",
    "negation",
    "antonym",
    "attribute",
    "similarity",
    "evidence",
    "judge",
    "verifier",
    "all checks",
]


class JudgeDraft(_Strict):
    """Whether the sources entail one claim, judged from the numbered source sentences."""

    verdict: ClaimVerdict
    """`supported` only when the sentences state the claim; `unsupported` when they contradict it or
    do not establish it (a changed number, date, name, or negation; an added fact)."""
    reason: str
    """One sentence: what in the sentences settles the verdict."""
    sentence_ids: list[str]
    """Ids of the sentences the verdict rests on, e.g. ["A4"]; empty if none bear on the claim."""


class CheckedFact(_Strict):
    """One single fact of a claim (`summarizer.grounding.facts`), ruled on by the judge by itself."""

    text: str
    verdict: ClaimVerdict | None = None
    """The judge's verdict on this fact; None when it gave no valid answer (see `judge_error`)."""
    reason: str = ""
    evidence: list[Span] = Field(default_factory=list)
    """The source sentences the judge cited, or those it was shown when it cited none."""
    judge_error: str | None = None


class VerifiedClaim(_Strict):
    """One claim of the checked summary, its verdict and the evidence behind it."""

    text: str
    verdict: ClaimState
    """`unsupported`: a check found the claim contradicts or goes beyond its evidence; `cannot_verify`:
    the closest source sentences cover too little of the claim to rule either way."""
    decided_by: DecidedBy
    """The check that settled the verdict: a deterministic check, `similarity` (no source sentence is
    close to the claim), `evidence` (too weak to rule), `judge` (the model), or `all checks`."""
    reason: str
    evidence: list[Span]
    """The source sentences the claim was checked against, best first."""
    checks: list[SupportIssue] = Field(default_factory=list)
    """Deterministic checks that failed."""
    similarity: float = 0.0
    """How much of the claim (0-100) its evidence sentences cover: the share of its content words, each
    weighted by how rare it is in the sources, found in them."""
    confidence: float | None = None
    """With the learned verdict (`--decide learned`): the probability (0-1) the packaged verifier gives
    that the claim is unsupported. None when the checks decided by rule."""
    judge_error: str | None = None
    """Set when the judge gave no valid answer on this claim: why. The verdict is the deterministic one."""
    facts: list[CheckedFact] = Field(default_factory=list)
    """The single facts the judge ruled on one by one, when the claim holds more than one (empty
    otherwise, or with no judge): the claim is unsupported when any fact is."""


class Verification(_Strict):
    """A summary checked claim by claim against its sources."""

    verdict: Literal["consistent", "inconsistent", "cannot_verify"]
    """`inconsistent` when any claim is unsupported; else `cannot_verify` when any claim's evidence is too
    weak to rule on; else `consistent`."""
    mode: Literal["deterministic", "deterministic+judge"]
    """Which checks ran: deterministic only (no model configured), or with a model as entailment judge."""
    evidence: Literal["lexical", "minilm"] = "lexical"
    """How each claim's evidence sentences were chosen: `lexical` (coverage of its content words) or
    `minilm` (that and sentence embeddings, all-MiniLM-L6-v2; `--evidence semantic`)."""
    decide: Literal["rules", "learned"] = "rules"
    """How the checks gave each claim's verdict: `rules` (any failed check) or `learned` (the packaged
    logistic regression over what they measured; `--decide learned`)."""
    claims: list[VerifiedClaim]
    sources: list[SourceInfo]
    provenance: Provenance
