"""Verification: any summary checked against its sources, claim by claim."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from summarizer.schemas._base import _Strict
from summarizer.schemas._results import Provenance, SourceInfo, Span, SupportIssue

ClaimVerdict = Literal["supported", "unsupported"]
DecidedBy = Literal[
    "number", "date", "entity", "negation", "antonym", "attribute", "similarity", "judge", "all checks"
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


class VerifiedClaim(_Strict):
    """One claim of the checked summary, its verdict and the evidence behind it."""

    text: str
    verdict: ClaimVerdict
    decided_by: DecidedBy
    """The check that settled the verdict: a deterministic check, `similarity` (no source sentence is
    close to the claim), `judge` (the model), or `all checks` (every check passed)."""
    reason: str
    evidence: list[Span]
    """The source sentences the claim was checked against, best first."""
    checks: list[SupportIssue] = Field(default_factory=list)
    """Deterministic checks that failed."""
    similarity: float = 0.0
    """rapidfuzz token-set similarity (0-100) of the claim to its best source sentence."""
    judge_error: str | None = None
    """Set when the judge gave no valid answer on this claim: why. The verdict is the deterministic one."""


class Verification(_Strict):
    """A summary checked claim by claim against its sources."""

    verdict: Literal["consistent", "inconsistent"]
    """`inconsistent` when any claim is unsupported."""
    mode: Literal["deterministic", "deterministic+judge"]
    """Which checks ran: deterministic only (no model configured), or with a model as entailment judge."""
    claims: list[VerifiedClaim]
    sources: list[SourceInfo]
    provenance: Provenance
