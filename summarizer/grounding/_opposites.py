"""Opposites the source never says (`unsaid_opposites`, part of the antonym check S105; see
`_contrast.py`): WordNet antonyms and negative prefixes."""

from __future__ import annotations

import functools
from collections.abc import Collection

from summarizer.grounding._contrast import ANTONYM
from summarizer.grounding._evidence import Evidence, issue
from summarizer.schemas import SupportIssue
from summarizer.text import STOPWORDS, WORD, groups, root

# -- opposites the source never says --------------------------------------------------------------

OPPOSITE_PREFIXES = ("un", "dis", "non", "non-", "in", "im", "il", "ir")
"""A word and the same word with one of these prefixes are opposites ("impressive"/"unimpressive")."""
MIN_PREFIXED_ROOT = 4
"""The unprefixed root must be at least this long: short roots make chance pairs ("ion"/"union")."""


@functools.cache
def _antonym_table() -> tuple[dict[str, tuple[int, ...]], dict[int, tuple[str, ...]]]:
    """`text/data/antonyms.txt` (WordNet) by root: the sides each root stands on, and each side's roots,
    its head first. Side `2 * line + s` is opposite to side `2 * line + 1 - s`."""
    sides: dict[str, list[int]] = {}
    members: dict[int, tuple[str, ...]] = {}
    for line, family in enumerate(groups("antonyms")):
        for s, words in enumerate(family[:2]):
            side = 2 * line + s
            members[side] = tuple(root(w) for w in words)
            for r in members[side]:
                sides.setdefault(r, []).append(side)
    return {r: tuple(v) for r, v in sides.items()}, members


@functools.lru_cache(maxsize=8192)
def opposites(r: str) -> frozenset[str]:
    """The roots opposite to root `r` in WordNet: a head's antonyms and their satellites; a satellite's
    (an adjective "similar to" a head: "damp" to "wet") its head's antonyms only, since two satellites
    ("damp", "parched") are no antonyms of each other."""
    sides, members = _antonym_table()
    out: set[str] = set()
    for side in sides.get(r, ()):
        other = members[side ^ 1]
        out.update(other if members[side][0] == r else other[:1])
    out.discard(r)
    return frozenset(out)


def _prefixed(r: str, roots: Collection[str]) -> str | None:
    """A root of `roots` that is `r` with or without a negative prefix ("unimpressiv"/"impressiv")."""
    for p in OPPOSITE_PREFIXES:
        if len(r) >= MIN_PREFIXED_ROOT and p + r in roots:
            return p + r
        if r.startswith(p) and len(r) - len(p) >= MIN_PREFIXED_ROOT and r[len(p) :] in roots:
            return r[len(p) :]
    return None


@functools.lru_cache(maxsize=256)
def _all_roots(text: str) -> frozenset[str]:
    return frozenset(root(w) for w in WORD.findall(text))


def _lower_content(text: str) -> list[tuple[str, str]]:
    """(root, word) of the lower-case content words of a text."""
    return [(root(w), w) for w in WORD.findall(text) if w.islower() and len(w) > 2 and w not in STOPWORDS]


def unsaid_opposites(claim: str, evidence: Evidence, source: str) -> list[SupportIssue]:
    """A lower-case word of the claim that the whole `source` never uses (by root), whose opposite its
    evidence uses and the claim does not: "an unimpressive album" where the source only says the album
    was "impressive", "disagrees" where it says "agrees". Part of the antonym check (S105)."""
    said = _lower_content(claim)
    if not said:
        return []
    mine = _all_roots(claim)
    heard = {r: w for r, w in _lower_content(evidence.text) if r not in mine}
    issues = []
    for r, word in said:
        hit = next((h for h in opposites(r) if h in heard), None) or _prefixed(r, heard)
        if hit is not None and r not in _all_roots(source):  # the source is read only for a candidate
            message = (
                f"the item says {word!r}, which the source never says; the cited sentences say {heard[hit]!r}"
            )
            issues.append(issue(ANTONYM, word, evidence, message))
    return issues
