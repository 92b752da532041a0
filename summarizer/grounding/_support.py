"""Support checks: does an item say only what its cited sentences say? Deterministic, no model.

Each check is a `Check` unit (`_evidence.py`): a registered rule (code, name, description; see
`summarizer rules`), a cheap gate and a run over the claim's `ClaimContext`. `CHECKS` runs them in
order; `support_issues(claim, evidence, rules)` runs those a `Selection` enables. Word lists come from
`summarizer.text` (package data with sources). Each reports the offending token of the item and the
evidence it was held against:
- `number`: every quantity of the item (digits or words, with scale, unit, percent, currency) appears
  in the evidence with the same value and a compatible unit; "1.2 million" accepts 1,187,000.
- `date`: every date of the item, resolved against the article's publication date where relative,
  matches a date of the evidence at the item's precision ("in September 2020" accepts "on Friday").
- `entity`: every capitalised name of the item is found in the evidence, tolerating possessives,
  spelling variants (rapidfuzz), demonyms ("Iranian"/"Iran"), acronyms and a few aliases ("U.S.");
  a given name that differs from the evidence's ("Hassan Vaezi" for "Mahmoud Vaezi") fails.
- `negation`: a negated word of the item is not negated in the evidence, or the reverse; an item that
  negates when none of its evidence negates anything (no cue, no "rejected", "failed", "unsolved").
- `number` also catches a count of one span of time given as another ("one-month" for "one-year").
- `antonym` and `attribute` (opposites, closed sets) live in `_contrast.py`.
Numbers and dates live in `_values.py`, names in `_names.py`, opposites the source never says in
`_opposites.py`; negation, the order of the checks (`CHECKS`) and evidence choice stay here.
Each check reads the text once with precompiled patterns: cost grows linearly with the evidence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from summarizer.grounding._contrast import ANTONYM_CHECK, ATTRIBUTE_CHECK
from summarizer.grounding._evidence import Check, ClaimContext, Evidence, issue
from summarizer.grounding._names import ENTITY, _entity_issues
from summarizer.grounding._opposites import opposites, unsaid_opposites
from summarizer.grounding._values import (
    DATE,
    NUMBER,
    _date_issues,
    _dates,
    _incidental,
    _number_issues,
    _numbers,
    issue_for_iso,
)
from summarizer.rules import ALL, Selection, register
from summarizer.schemas import SupportIssue
from summarizer.text import STOPWORDS, WORD, root, suffix_stem, wordlist

__all__ = [
    "CHECKS",
    "DATE",
    "ENTITY",
    "EVIDENCE_NEGATED_SPAN",
    "MIN_NEGATION_CONTEXT",
    "NEGATION",
    "NEGATION_CONTEXT",
    "NUMBER",
    "best_sentences",
    "issue_for_iso",
    "negates",
    "negation_partners",
    "opposites",
    "support_issues",
    "unsaid_opposites",
]

NEGATION = register(
    "S104", "negation", "check", "the claim negates what its evidence states, or states what it negates"
)

_CUES = sorted(wordlist("negation_cues"), key=lambda w: (-len(w), w))
_NEGATION = re.compile(rf"\b(?!no\s+matter\b)(?:{'|'.join(_CUES)})\b(?![-‐])|n[’']t\b", re.IGNORECASE)
"""A cue followed by a hyphen starts a compound ("a no-fee tool", "no-show"): not a negation; nor is
"no matter" ("no matter their insurance": whatever it is)."""


def support_issues(claim: str, evidence: Evidence, rules: Selection = ALL) -> list[SupportIssue]:
    """Everything in `claim` that its evidence does not back, one issue per offending token, from the
    checks `rules` enables (every check by default)."""
    return [found.model_copy() for found in _support_issues(claim, evidence, rules)]


@functools.lru_cache(maxsize=4096)
def _support_issues(claim: str, evidence: Evidence, rules: Selection) -> tuple[SupportIssue, ...]:
    """Memoised: the re-ask check and the result builder ask the same questions of an answer."""
    if not evidence.sentences:
        return ()
    ctx = ClaimContext(claim, evidence, evidence.text)
    return tuple(
        found
        for check in CHECKS
        if rules.enabled(check.rule.code) and check.applies(ctx)
        for found in check.run(ctx)
    )


# -- negation --------------------------------------------------------------------------------------

_STOP = wordlist("function_words")


def _negation_applies(ctx: ClaimContext) -> bool:
    """A negation cue on either side: without one nothing can fire."""
    return _may_negate(ctx.claim) or any(_may_negate(s) for s in ctx.evidence.sentences)


def _negation_issues(claim: str, evidence: Evidence) -> list[SupportIssue]:
    """A word the claim negates that its closest evidence sentence mentions and no evidence sentence
    negates (the negation may sit in the second one cited), or the reverse."""
    if not _negation_applies(ClaimContext(claim, evidence, "")):
        return []
    in_claim = _negated_words(claim)
    in_evidence: dict[str, str] = {}
    for sentence in evidence.sentences:  # generous: a disfluent "not for the e for the elderly" counts
        for key, word in _negated_words(sentence, EVIDENCE_NEGATED_SPAN).items():
            in_evidence.setdefault(key, word)
    issues = []
    best = max(evidence.sentences, key=lambda s: fuzz.token_set_ratio(claim, s))
    for key, word in in_claim.items():
        if _mentions(best, key) and key not in in_evidence:
            message = f"the item negates {word!r}; the evidence does not"
            issues.append(issue(NEGATION, f"not {word}", evidence, message))
    for key, word in _negated_words(best).items():
        if _mentions(claim, key) and key not in in_claim and _same_context(claim, best, key):
            message = f"the evidence negates {word!r}; the item does not"
            issues.append(issue(NEGATION, word, evidence, message))
    if in_claim and not issues and not any(_negative(s) for s in evidence.sentences):
        word = next(iter(in_claim.values()))
        message = f"the item negates {word!r}; none of the cited sentences negates anything"
        issues.append(issue(NEGATION, f"not {word}", evidence, message))
    return issues


_NEGATION_PARTS = ("no", "never", "neither", "without", "n't", "n’t")
"""Every match of `_NEGATION` holds one of these, in lower case: substring tests rule most texts out."""


EVIDENCE_NEGATED_SPAN = 3
"""Content words after a cue of the evidence that count as negated when the claim negates one of them."""
_IMPLICIT_GATE = re.compile(r"fail|lack|den[iy]|forg[eo]t|refus|unable|absence", re.IGNORECASE)


def _may_negate(text: str) -> bool:
    lower = text.lower()
    if _IMPLICIT_GATE.search(text) and _IMPLICIT.search(text):
        return True
    return any(part in lower for part in _NEGATION_PARTS) and _NEGATION.search(text) is not None


# Words that say "not" without a negation cue: "Iran rejected the offer" backs "Iran did not accept it".
_NEGATIVE_ROOTS = tuple(sorted(wordlist("negative_roots")))
"""Words that say "not" without a negation cue: "Iran rejected the offer" backs "Iran did not accept it"."""
_NOT_NEGATIVE_UN = tuple(sorted(wordlist("not_negative_un")))


def negates(text: str) -> bool:
    """Whether a text negates anything (see `_negative`): a feature of the learned verdict."""
    return _negative(text)


@functools.lru_cache(maxsize=4096)
def _negative(sentence: str) -> bool:
    """Whether a sentence negates anything: a negation cue, a word of refusal, failure or absence, or
    an un- word ("unsolved")."""
    if _NEGATION.search(sentence):
        return True
    for w in WORD.findall(sentence.lower()):
        if w.startswith(_NEGATIVE_ROOTS):
            return True
        if w.startswith("un") and len(w) > 5 and not w.startswith(_NOT_NEGATIVE_UN):
            return True
    return False


def _implicit_pattern() -> re.Pattern[str]:
    phrases = []
    for line in sorted(wordlist("implicit_negation_phrases"), key=len, reverse=True):
        first, *rest = line.split("_")
        phrases.append(r"\s+".join([re.escape(first) + r"\w*", *map(re.escape, rest)]))
    return re.compile(rf"\b(?:{'|'.join(phrases)})\b", re.IGNORECASE)


_IMPLICIT = _implicit_pattern()
"""Implicit negation ("failed to show", "lack of funding"): negates the next content word too."""


def _negated_words(text: str, span: int = 1) -> dict[str, str]:
    """The first content word after each negation cue, explicit or implicit, by stem: "no intention
    of" → intention, "failed to show" → show."""
    out: dict[str, str] = {}
    cues = [*_NEGATION.finditer(text), *(_IMPLICIT.finditer(text) if _IMPLICIT_GATE.search(text) else ())]
    for m in cues:
        window = text[m.end() : m.end() + 40 * span]
        following = [w for w in WORD.findall(window) if w.lower() not in _STOP and len(w) > 1]
        if following and following[0].lower() not in ("only", "just"):  # "not only … but": no negation
            for word in following[:span]:
                out.setdefault(suffix_stem(word), word)
    return out


def _mentions(text: str, word: str) -> bool:
    return word in {suffix_stem(w) for w in WORD.findall(text)}


NEGATION_CONTEXT = 6
"""Content words either side of a negated word that make up its context."""
MIN_NEGATION_CONTEXT = 2
"""Content words the claim's word and the evidence's negated word must share nearby for the evidence's
negation to contradict the claim: "not using the voice feature" says nothing of "using cheaper parts"."""


def _same_context(claim: str, sentence: str, key: str) -> bool:
    """Whether `key` (a stem) stands among the same content words in the claim as in the sentence."""
    mine, theirs = _context_of(claim, key), _context_of(sentence, key)
    return len(mine & theirs) >= MIN_NEGATION_CONTEXT


def _context_of(text: str, key: str) -> set[str]:
    words = [w for w in WORD.findall(text) if w.lower() not in STOPWORDS]
    out: set[str] = set()
    for i, w in enumerate(words):
        if suffix_stem(w) == key:
            near = words[max(0, i - NEGATION_CONTEXT) : i + NEGATION_CONTEXT + 1]
            out.update(root(n) for n in near if suffix_stem(n) != key)
    return out


def best_sentences(claim: str, sentences: Sequence[str], k: int = 2) -> list[int]:
    """Indices of the `k` sentences most like `claim` (rapidfuzz token-set similarity), best first."""
    scored = process.extract(claim, list(sentences), scorer=fuzz.token_set_ratio, limit=k)
    return [int(i) for _, _, i in scored]


CHECKS: tuple[Check, ...] = (
    Check(
        NUMBER,
        lambda ctx: any(not _incidental(n, ctx.claim) for n in _numbers(ctx.claim)),
        lambda ctx: _number_issues(ctx.claim, ctx.text, ctx.evidence),
    ),
    Check(
        DATE,
        lambda ctx: bool(_dates(ctx.claim, ctx.evidence.published)),
        lambda ctx: _date_issues(ctx.claim, ctx.text, ctx.evidence),
    ),
    Check(
        ENTITY,
        lambda ctx: any(c.isupper() for c in ctx.claim),
        lambda ctx: _entity_issues(ctx.claim, ctx.text, ctx.evidence),
    ),
    Check(NEGATION, _negation_applies, lambda ctx: _negation_issues(ctx.claim, ctx.evidence)),
    ANTONYM_CHECK,
    ATTRIBUTE_CHECK,
)
"""The support checks, in the order they run and report."""


def negation_partners(claim: str, sentences: Sequence[str]) -> list[int]:
    """Positions of the sentences that negate a word the claim negates ("no doubt" and "we have no doubt
    about …"): the evidence a negated claim needs, wherever it sits."""
    wanted = set(_negated_words(claim)) if _may_negate(claim) else set()
    if not wanted:
        return []
    return [
        i
        for i, s in enumerate(sentences)
        if _may_negate(s) and wanted & set(_negated_words(s, EVIDENCE_NEGATED_SPAN))
    ]
