"""What support checks read and how they are shaped.

- `Evidence`: the cited sentences of one source, read once and shared by every check of an item.
- `ClaimContext`: one claim and its evidence, the shared per-claim context every check runs over.
- `Check`: one support check: its rule (code, name, description), a cheap `applies` gate and a `run`
  that lists the claim's issues. `_support.CHECKS` holds them in the order they run.
- `issue`: how a check reports what does not hold, with its rule's name and code.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from summarizer.rules import Rule, register
from summarizer.schemas import SupportIssue
from summarizer.text import content_roots

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


# -- choosing a claim's evidence -------------------------------------------------------------------

EVIDENCE_SENTENCES = 4
"""At most this many source sentences make up a claim's evidence, checked together."""
MIN_GAIN = 0.1
"""A further sentence joins the evidence only if it covers at least this share of the claim more."""
STUB_WORDS = 3
"""A sentence with fewer content words than this ("Jacob: Where?") never leads a claim's evidence."""
MEANING_WEIGHT = 0.5
"""How much similarity by meaning counts, against word coverage, when the lead sentence is chosen."""
PREFIX = 5
"""Content roots sharing their first letters up to this many count as the same word
("negotiat"/"negotiations"), for roots at least this long."""


@dataclass(frozen=True)
class Chosen:
    """A claim's evidence: sentence positions in the index, best first, and how much of the claim they
    cover together (0-1, each content word weighted by its rarity in the sources)."""

    sentences: tuple[int, ...]
    coverage: float


@dataclass(frozen=True)
class EvidenceIndex:
    """The sentences of some sources as sets of content roots, with each root's rarity (idf)."""

    texts: tuple[str, ...]
    roots: tuple[frozenset[str], ...]
    idf: dict[str, float]
    unseen: float
    """The weight of a root no sentence has: the rarest there is."""

    @classmethod
    def of(cls, texts: Sequence[str]) -> EvidenceIndex:
        roots = tuple(frozenset(_keys(t)) for t in texts)
        df: dict[str, int] = {}
        for rs in roots:
            for r in rs:
                df[r] = df.get(r, 0) + 1
        n = len(texts)
        idf = {r: math.log((n + 1) / (d + 0.5)) for r, d in df.items()}
        return cls(tuple(texts), roots, idf, math.log((n + 1) / 0.5))

    def choose(self, claim: str, k: int = EVIDENCE_SENTENCES, meaning: Sequence[float] = ()) -> Chosen:
        """The sentences that together cover most of the claim, greedily. `meaning`: each sentence's
        similarity to the claim by meaning (0-1, `summarizer.text.semantic`), which also counts towards
        the lead sentence (weighted by `MEANING_WEIGHT`)."""
        wanted = {r: self.idf.get(r, self.unseen) for r in _keys(claim)}
        total = sum(wanted.values())
        if not total or not self.texts:
            return Chosen((), 0.0)
        left = dict(wanted)
        chosen: list[int] = []
        while len(chosen) < k and left:
            best, gain, overlap = -1, 0.0, 0
            for i, rs in enumerate(self.roots):
                if i in chosen or (not chosen and len(rs) < STUB_WORDS):
                    continue
                g = sum(w for r, w in left.items() if r in rs)
                if meaning and not chosen and g:
                    g += MEANING_WEIGHT * total * meaning[i]
                if g > gain or (g == gain and g and len(rs & wanted.keys()) > overlap):
                    best, gain, overlap = i, g, len(rs & wanted.keys())
            if best < 0 or not gain or (chosen and gain < MIN_GAIN * total):
                break
            chosen.append(best)
            left = {r: w for r, w in left.items() if r not in self.roots[best]}
        covered = total - sum(w for r, w in wanted.items() if r in left)
        return Chosen(tuple(chosen), covered / total)


def _keys(text: str) -> list[str]:
    """Content roots, and each long root's prefix, so "negotiat" meets "negotiations"."""
    out = []
    for r in content_roots(text):
        out.append(r[:PREFIX] if len(r) >= PREFIX else r)
    return out
