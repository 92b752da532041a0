"""A learned verdict on top of the deterministic checks: one logistic regression over what they compute.

The checks (`support_issues`, `unsaid_opposites`) say *why* a claim may be wrong and point at the
sentences; this module turns what they and the evidence choice measured into one probability that the
claim is unsupported, with weights fitted on the tune part of SummEdits (`bench/train_verifier.py`).

- `SourceStats`: what the features need from the sources, built once per run (content roots, which
  sentences each root occurs in, numbers and names used, a few domain-free document statistics).
- `claim_features(...)`: the feature vector of one claim, by name (`FEATURES`), all floats.
- `Verifier`: the fitted model read from `verifier.json` (weights, standardisation, thresholds and how
  they were made); `Verifier.score` is pure Python (no numpy), a few microseconds per claim.
- `load_verifier(path=None)`: the packaged model, validated; a damaged file is a `ConfigError` naming it.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from summarizer.errors import ConfigError
from summarizer.grounding._opposites import opposites
from summarizer.schemas import SupportIssue
from summarizer.text import CONTENT_WORD, STOPWORDS, TITLE_WORD, WORD, content_roots, root

VERIFIER_FILE = Path(__file__).with_name("verifier.json")
"""The packaged model: regenerate with `python bench/train_verifier.py --write`."""
FORMAT = 1
"""The layout of `verifier.json`; a file of another layout is refused with a message naming it."""

RULE_FEATURES = ("number", "date", "entity", "negation", "antonym", "attribute")
"""Checks whose firing is a feature each (`SupportIssue.check`)."""
DIALOGUE_CROSSED = (
    "rule_negation",
    "rule_number",
    "rule_date",
    "unsaid_lower",
    "unpaired_share",
    "uncovered",
)
"""Features also given times the share of the sources' sentences that are speaker turns ("Ann: …"), so
one model can weigh them differently for transcripts and for prose."""

FEATURES: tuple[str, ...] = (
    *(f"rule_{name}" for name in RULE_FEATURES),
    "rules_fired",
    "uncovered",
    "lead_similarity",
    "lead_ratio",
    "evidence_sentences",
    "lead_short",
    "unsaid_share",
    "unsaid_words",
    "unsaid_prefix_share",
    "unsaid_in_evidence_share",
    "unsaid_lower",
    "unsaid_names",
    "unsaid_numbers",
    "unsaid_with_opposite",
    "unpaired_share",
    "unpaired_pairs",
    "claim_words",
    "claim_negates",
    "lead_negates",
    "negation_differs",
    "source_sentences",
    "source_dialogue",
    "source_sentence_words",
    *(f"dialogue_{name}" for name in DIALOGUE_CROSSED),
)
"""Every feature, in the order `verifier.json` stores their weights. All are domain-free: nothing
says which kind of document it is, only what its text and the claim look like."""

SIGNS: dict[str, int] = {
    **{name: 1 for name in FEATURES if name.startswith(("rule_", "unsaid_", "unpaired_"))},
    "rules_fired": 1,
    "uncovered": 1,
    "negation_differs": 1,
    "lead_short": 1,
    "lead_similarity": -1,
    "lead_ratio": -1,
}
"""The direction a feature's weight may take (+1: never lowers the score; -1: never raises it): a failed
check, a word the source never uses or weaker evidence is never a sign of support, and closer evidence
never a sign against it. Without this, a fit on SummEdits (where every edited summary is a near copy of
a consistent one) flagged a sentence copied verbatim from its source."""

PAIR_WINDOW = 3
"""Two content words of a claim at most this far apart form a pair whose co-occurrence is checked."""
PREFIX = 5
"""Roots compared by their first letters up to this many (the evidence choice's loose match)."""
SHORT_LEAD = 6
"""A lead evidence sentence with fewer content words than this is short (a dialogue stub)."""

_TURN = re.compile(r"^\s*[A-Z][\w.'’ -]{0,30}:\s")
_DIGITS = re.compile(r"\d[\d,.]*\d|\d")


@dataclass(frozen=True)
class SourceStats:
    """The sources, as the features read them: built once per run."""

    roots: frozenset[str]
    prefixes: frozenset[str]
    postings: Mapping[str, frozenset[int]]
    numbers: frozenset[str]
    lower: frozenset[str]
    sentences: int
    dialogue: float
    sentence_words: float

    @classmethod
    def of(cls, texts: Sequence[str]) -> SourceStats:
        postings: dict[str, set[int]] = {}
        words = 0
        for i, text in enumerate(texts):
            rs = content_roots(text)
            words += len(rs)
            for r in rs:
                postings.setdefault(r, set()).add(i)
        whole = " ".join(texts)
        n = max(1, len(texts))
        return cls(
            roots=frozenset(postings),
            prefixes=frozenset(r[:PREFIX] for r in postings),
            postings={r: frozenset(v) for r, v in postings.items()},
            numbers=frozenset(_number_key(m.group(0)) for m in _DIGITS.finditer(whole)),
            lower=frozenset(w.lower() for w in WORD.findall(whole)),
            sentences=len(texts),
            dialogue=sum(bool(_TURN.match(t)) for t in texts) / n,
            sentence_words=words / n,
        )

    def together(self, a: str, b: str) -> bool:
        """Whether roots `a` and `b` occur in one sentence or in two adjacent ones."""
        near = self.postings.get(b, frozenset())
        return any(i in near or i - 1 in near or i + 1 in near for i in self.postings.get(a, ()))


def _number_key(token: str) -> str:
    return token.replace(",", "").rstrip(".")


def claim_features(
    claim: str,
    evidence: Sequence[str],
    coverage: float,
    issues: Sequence[SupportIssue],
    source: SourceStats,
    *,
    negates: tuple[bool, bool] = (False, False),
) -> dict[str, float]:
    """The features of one claim checked against `evidence` (its chosen sentences, best first, covering
    `coverage` (0-1) of it) with the checks' `issues`; `negates`: whether the claim and its lead
    sentence negate anything (the negation check's own reading)."""
    fired = {i.check for i in issues}
    roots = content_roots(claim)
    unique = list(dict.fromkeys(roots))
    n = max(1, len(unique))
    unsaid = [r for r in unique if r not in source.roots]
    in_evidence = {r for text in evidence for r in content_roots(text)}
    lead = evidence[0] if evidence else ""
    lead_roots = content_roots(lead)
    lower = [w for w in CONTENT_WORD.findall(claim) if w not in STOPWORDS and len(w) > 2]
    unsaid_lower = {w for w in lower if root(w) not in source.roots}
    names = _names(claim)
    pairs = _pairs(roots, source)
    unpaired = [p for p in pairs if not source.together(*p)]
    claim_negates, lead_negates = negates
    out = {
        **{f"rule_{name}": float(name in fired) for name in RULE_FEATURES},
        "rules_fired": float(len(fired)),
        "uncovered": 1.0 - coverage,
        "lead_similarity": fuzz.token_set_ratio(claim, lead) / 100 if lead else 0.0,
        "lead_ratio": fuzz.ratio(" ".join(roots), " ".join(lead_roots)) / 100 if lead else 0.0,
        "evidence_sentences": float(len(evidence)),
        "lead_short": float(len(set(lead_roots)) < SHORT_LEAD),
        "unsaid_share": len(unsaid) / n,
        "unsaid_words": math.log1p(len(unsaid)),
        "unsaid_prefix_share": sum(r[:PREFIX] not in source.prefixes for r in unique) / n,
        "unsaid_in_evidence_share": sum(r not in in_evidence for r in unique) / n,
        "unsaid_lower": math.log1p(len(unsaid_lower)),
        "unsaid_names": math.log1p(sum(name.lower() not in source.lower for name in names)),
        "unsaid_numbers": math.log1p(
            sum(_number_key(m.group(0)) not in source.numbers for m in _DIGITS.finditer(claim))
        ),
        "unsaid_with_opposite": math.log1p(sum(bool(opposites(r)) for r in unsaid)),
        "unpaired_share": len(unpaired) / len(pairs) if pairs else 0.0,
        "unpaired_pairs": math.log1p(len(unpaired)),
        "claim_words": math.log1p(len(unique)),
        "claim_negates": float(claim_negates),
        "lead_negates": float(lead_negates),
        "negation_differs": float(claim_negates != lead_negates),
        "source_sentences": math.log1p(source.sentences),
        "source_dialogue": source.dialogue,
        "source_sentence_words": math.log1p(source.sentence_words),
    }
    for name in DIALOGUE_CROSSED:
        out[f"dialogue_{name}"] = out[name] * source.dialogue
    return out


def _names(text: str) -> set[str]:
    """Title-case words that neither open the text nor follow a sentence's end or a colon and one space:
    names, mostly."""
    out = set()
    for m in TITLE_WORD.finditer(text):
        start = m.start()
        if start and not (start >= 2 and text[start - 1].isspace() and text[start - 2] in ".!?:"):
            out.add(m.group(0))
    return out


def _pairs(roots: Sequence[str], source: SourceStats) -> list[tuple[str, str]]:
    """Pairs of distinct content roots of the claim, near each other, both used by the source."""
    out: dict[tuple[str, str], None] = {}
    for i, a in enumerate(roots):
        if a not in source.roots:
            continue
        for b in roots[i + 1 : i + 1 + PAIR_WINDOW]:
            if b != a and b in source.roots:
                out[(a, b) if a < b else (b, a)] = None
    return list(out)


# -- the fitted model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verifier:
    """A logistic regression over `FEATURES`: p = 1 / (1 + exp(-(bias + Σ w·(x - mean) / scale)))."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    """A claim is unsupported at or above this probability."""
    abstain: float
    """Below `threshold` and at or above this, the claim cannot be verified either way."""
    provenance: Mapping[str, Any]

    def score(self, features: Mapping[str, float]) -> float:
        """The probability (0-1) that the claim with these features is unsupported."""
        z = self.bias
        for name, w, m, s in zip(self.features, self.weights, self.mean, self.scale):
            z += w * (features[name] - m) / s
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    def strongest(self, features: Mapping[str, float], k: int = 3) -> list[tuple[str, float]]:
        """The `k` features that push this claim's score up most by being high (a weight that raises the
        score, on a value above the tune claims' mean), with their contribution to the logit."""
        parts = [
            (name, w * (features[name] - m) / s)
            for name, w, m, s in zip(self.features, self.weights, self.mean, self.scale)
            if w > 0 and features[name] > m
        ]
        return sorted(parts, key=lambda p: -p[1])[:k]


@functools.cache
def load_verifier(path: Path | None = None) -> Verifier:
    """The model stored at `path` (the packaged `verifier.json` by default), validated: a missing,
    unreadable or inconsistent file is a `ConfigError` naming it and how to regenerate it."""
    where = path or VERIFIER_FILE
    fix = f"regenerate it with `python bench/train_verifier.py --write` or reinstall summarizer ({where})"
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"the learned verifier's file cannot be read: {exc}; {fix}") from exc
    try:
        return _verifier(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"the learned verifier's file {where} is damaged: {exc}; {fix}") from exc


def _verifier(data: Any) -> Verifier:
    if not isinstance(data, dict):
        raise ValueError("it holds no JSON object")
    if data.get("format") != FORMAT:
        raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
    features = tuple(str(f) for f in data["features"])
    if features != FEATURES:
        missing = sorted(set(FEATURES) - set(features))
        extra = sorted(set(features) - set(FEATURES))
        raise ValueError(f"its features differ from this version's (missing {missing}, unknown {extra})")
    columns = {k: tuple(float(v) for v in data[k]) for k in ("weights", "mean", "scale")}
    for key, values in columns.items():
        if len(values) != len(features):
            raise ValueError(f"{key} has {len(values)} values for {len(features)} features")
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"{key} holds a value that is not a finite number")
    if any(s <= 0 for s in columns["scale"]):
        raise ValueError("scale holds a value that is not positive")
    wrong = [f for f, w in zip(features, columns["weights"]) if SIGNS.get(f, 0) * w < 0]
    if wrong:
        raise ValueError(f"the weights of {', '.join(wrong)} have the sign SIGNS forbids")
    bias, threshold, abstain = (float(data[k]) for k in ("bias", "threshold", "abstain"))
    if not (math.isfinite(bias) and 0 < abstain <= threshold < 1):
        raise ValueError(f"bias {bias}, abstain {abstain} and threshold {threshold} are out of range")
    provenance = data.get("provenance", {})
    if not isinstance(provenance, dict):
        raise ValueError("provenance is not an object")
    return Verifier(
        features,
        columns["weights"],
        bias,
        columns["mean"],
        columns["scale"],
        threshold,
        abstain,
        provenance,
    )
