"""What support checks read and how they are shaped.

- `Evidence`: the cited sentences of one source, read once and shared by every check of an item.
- `ClaimContext`: one claim and its evidence, the shared per-claim context every check runs over.
- `Check`: one support check: its rule (code, name, description), a cheap `applies` gate and a `run`
  that lists the claim's issues. `_support.CHECKS` holds them in the order they run.
- `issue`: how a check reports what does not hold, with its rule's name and code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from summarizer.rules import Rule, register
from summarizer.schemas import SupportIssue

SIMILARITY = register(
    "V101", "similarity", "check", "verify: no source sentence is close enough to the claim to support it"
)

EVIDENCE_SHOWN = 300
"""Characters of evidence quoted in a `SupportIssue`."""


@dataclass(frozen=True)
class Evidence:
    """The cited sentences of one source, read once and shared by every check of an item."""

    sentences: tuple[str, ...]
    published: dt.date | None = None

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def shown(self) -> str:
        text = self.text
        return text if len(text) <= EVIDENCE_SHOWN else text[: EVIDENCE_SHOWN - 1] + "…"


@dataclass(frozen=True)
class ClaimContext:
    """One claim and the evidence it is checked against (`text`: the evidence's sentences joined)."""

    claim: str
    evidence: Evidence
    text: str


@dataclass(frozen=True)
class Check:
    """A support check: `applies` is a cheap gate (no evidence parsing when the claim has nothing the
    check looks at); `run` lists the claim's issues, each carrying `rule`'s name and code."""

    rule: Rule
    applies: Callable[[ClaimContext], bool]
    run: Callable[[ClaimContext], list[SupportIssue]]


def issue(rule: Rule, token: str, evidence: Evidence, message: str) -> SupportIssue:
    return SupportIssue.model_validate(
        {
            "check": rule.name,
            "code": rule.code,
            "token": token,
            "evidence": evidence.shown,
            "message": message,
        }
    )
