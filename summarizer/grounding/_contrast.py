"""The contrast checks: an item's word where its evidence, in the same context, says the opposite.

- `antonym`: "increase", "sink", "accepted" where the evidence says "fell", "prop up", "rejected"
  with content words shared nearby; a word negated shortly before counts as its opposite.
- `attribute`: a member of a closed set (colours, compass points, ordinals, sex) that the evidence
  replaces by another member.
Also the word roots and content keys that claim-to-sentence matching uses.
"""

from __future__ import annotations

import functools
import re

from summarizer.grounding._evidence import Check, ClaimContext, Evidence, issue
from summarizer.rules import Rule, register
from summarizer.schemas import SupportIssue
from summarizer.text import STOPWORDS, WORD, groups, root, wordlist
from summarizer.text import content_key as content_key
from summarizer.text import content_roots as content_roots
from summarizer.text._tokens import ROOTS_KEPT

ANTONYM = register(
    "S105",
    "antonym",
    "check",
    "the claim uses a word whose opposite the evidence uses in the same context, or one the source never "
    "uses whose opposite (WordNet antonym, un-/dis-/in- prefix) the evidence uses",
)
ATTRIBUTE = register(
    "S106",
    "attribute",
    "check",
    "the claim names a member of a closed set (colour, compass point, ordinal, sex) the evidence replaces",
)

# Families of mutually exclusive word groups (by `root`), from `text/data/polarity.txt` (two sides) and
# `attributes.txt` (closed sets): a claim word of one group whose context the evidence states with
# another group's word ("a fourth-quarter increase in sales" against "fourth-quarter sales fell") says
# the opposite of the evidence.
_CONTEXT_WINDOW = 8
"""Content words either side of a word that make up its context."""
MIN_CONTEXT = 2
"""Context words the evidence's contrasting word must share with the claim's word."""


def _families() -> tuple[tuple[dict[str, int], Rule], ...]:
    out: list[tuple[dict[str, int], Rule]] = []
    for rule, name in ((ANTONYM, "polarity"), (ATTRIBUTE, "attributes")):
        for family in groups(name):
            out.append(({root(w): g for g, words in enumerate(family) for w in words}, rule))
    return tuple(out)


_FAMILIES = _families()
_FAMILY_ROOTS = frozenset(r for members, _ in _FAMILIES for r in members)
_FAMILIES_OF = {
    r: tuple(f for f, (members, _) in enumerate(_FAMILIES) if r in members) for r in _FAMILY_ROOTS
}
"""The positions in `_FAMILIES` of the families a root belongs to."""


_NEGATORS = wordlist("negation_cues")
_NEGATED_SPAN = 3
"""Words after a negation cue that it negates: "did not accept" says what "rejected" says."""


@functools.lru_cache(maxsize=4096)
def _lower_roots(text: str) -> tuple[tuple[str, bool, bool], ...]:
    """Content roots with whether the word was written in lower case (so "White" the name is no colour)
    and whether a negation cue shortly before it negates it."""
    out = []
    since_negation = _NEGATED_SPAN + 1
    for w in WORD.findall(text):
        kind = _WORD_KINDS.get(w)
        if kind is None:
            kind = _word_kind(w)
        since_negation += 1
        if kind is True:
            since_negation = 0
        elif kind is not False:
            out.append((kind[0], kind[1], since_negation <= _NEGATED_SPAN))
    return tuple(out)


_WORD_KINDS: dict[str, bool | tuple[str, bool]] = {}


def _word_kind(w: str) -> bool | tuple[str, bool]:
    """For `_lower_roots`, remembered per word: True for a negation cue, False for a stop word, else the
    word's root and whether it was written in lower case."""
    lower = w.lower()
    kind: bool | tuple[str, bool]
    if lower in _NEGATORS or lower.endswith(("n't", "n’t")):
        kind = True
    elif lower in STOPWORDS:
        kind = False
    else:
        kind = (root(w), w.islower() or not w[:1].isalpha())
    if len(_WORD_KINDS) < ROOTS_KEPT and not w[:1].isdigit():  # numbers rarely recur: not kept
        _WORD_KINDS[w] = kind
    return kind


_DEGREE = re.compile(r"\b(?:more|less)\s+(?=[a-z]{2,}ly\b)")
_DEGREE_GATE = "ly "


@functools.lru_cache(maxsize=4096)
def _family_words(text: str) -> tuple[tuple[tuple[str, bool, bool], ...], tuple[int, ...]]:
    """`_lower_roots(text)` and the positions in it of lower-case words of any family. "more" or "less"
    before an adverb ("more specifically", "less likely") grades it: no comparison of amounts."""
    words = _lower_roots(_DEGREE.sub("", text) if _DEGREE_GATE in text else text)
    return words, tuple(i for i, (r, lower, _) in enumerate(words) if lower and r in _FAMILY_ROOTS)


def _contexts(
    words: tuple[tuple[str, bool, bool], ...], hits: tuple[int, ...], members: dict[str, int]
) -> dict[int, list[set[str]]]:
    """For each group of a family, the context (roots within the window) of each lower-case occurrence.
    A negated word of a two-sided family counts for the other side; of a larger family, for none.
    `hits` are the positions of the lower-case family words: no other word can be an occurrence."""
    out: dict[int, list[set[str]]] = {}
    for i in hits:
        r, _, negated = words[i]
        if r not in members:
            continue
        group = members[r]
        if negated:
            if len(set(members.values())) != 2:
                continue
            group = 1 - group
        near = words[max(0, i - _CONTEXT_WINDOW) : i + _CONTEXT_WINDOW + 1]
        out.setdefault(group, []).append({w for w, _, _ in near if w not in _FAMILY_ROOTS})
    return out


def _applies(ctx: ClaimContext) -> bool:
    return bool(_family_words(ctx.claim)[1])


def _contrast_issues(claim: str, evidence: Evidence, rule: Rule) -> list[SupportIssue]:
    said, said_hits = _family_words(claim)
    if not said_hits:
        return []
    heard = [found for found in map(_family_words, evidence.sentences) if found[1]]
    issues = []
    hit = {f for i in said_hits for f in _FAMILIES_OF[said[i][0]]}
    for f, (members, check) in enumerate(_FAMILIES):
        if f not in hit or check is not rule:
            continue  # none of the claim's words belongs to this family
        mine = _contexts(said, said_hits, members)
        if not mine:
            continue
        theirs: dict[int, list[set[str]]] = {}
        for words, hits in heard:
            for g, contexts in _contexts(words, hits, members).items():
                theirs.setdefault(g, []).extend(contexts)
        for group, contexts in mine.items():
            context = set().union(*contexts)
            backed = max((len(context & c) for c in theirs.get(group, [])), default=-1)
            rivals = [(len(context & c), g) for g, cs in theirs.items() if g not in mine for c in cs]
            if not rivals:
                continue
            shared, rival = max(rivals)
            if shared >= MIN_CONTEXT and shared > backed:
                word = _word_of(claim, members, group) or _negated_word_of(claim, members, 1 - group)
                other = _word_of(evidence.text, members, rival) or _negated_word_of(
                    evidence.text, members, 1 - rival
                )
                message = f"the item says {word!r} where the cited sentences say {other!r}"
                issues.append(issue(check, word, evidence, message))
    return issues


def _word_of(text: str, members: dict[str, int], group: int) -> str:
    return next((w for w in WORD.findall(text) if members.get(root(w)) == group), "")


def _negated_word_of(text: str, members: dict[str, int], group: int) -> str:
    """ "not face" for a negated word of the other side, which stands for this group ("did not face"
    says what "avoided" says); "" when there is none."""
    word = _word_of(text, members, group)
    return f"not {word}" if word else ""


ANTONYM_CHECK = Check(ANTONYM, _applies, lambda ctx: _contrast_issues(ctx.claim, ctx.evidence, ANTONYM))
ATTRIBUTE_CHECK = Check(ATTRIBUTE, _applies, lambda ctx: _contrast_issues(ctx.claim, ctx.evidence, ATTRIBUTE))
