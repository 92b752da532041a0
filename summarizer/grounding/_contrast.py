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

from summarizer.grounding._evidence import _WORD, Evidence, _issue, _wordset, strip_possessive
from summarizer.schemas import SupportIssue

# Families of mutually exclusive word groups (by `root`): a claim word of one group whose context the
# evidence states with another group's word ("a fourth-quarter increase in sales" against "fourth-quarter
# sales fell") says the opposite of the evidence. Polarity families report as `negation`, attribute
# families (colours, compass points, ordinals, sex) as `entity`.

_POLARITY = (
    (
        "increase rise rose risen grow grew grown growth gain climb jump surge soar rally expand expansion",
        "decrease decline drop fall fell fallen slump plunge dip shrink shrank contract contraction slide "
        "tumble reduce reduction cut",
    ),
    ("higher greater larger bigger more above", "lower smaller fewer less below"),
    ("win won winner victory", "lose lost loser defeat"),
    (
        "accept agree approve approval endorse support favor favour welcome embrace ratify",
        "reject refuse oppose opposition veto condemn",
    ),
    ("allow permit legalize legalise authorize authorise", "ban prohibit forbid outlaw"),
    ("before prior earlier", "after later"),
    ("start begin began begun launch", "end finish conclude halt stop"),
    (
        "support prop bolster shore buoy strengthen uphold rescue save float afloat",
        "undermine weaken sink sank sunk hurt harm damage sabotage destroy wreck",
    ),
    ("succeed success successful", "fail failure unsuccessful"),
    ("guilty convict conviction", "innocent acquit acquittal"),
    ("arrest detain imprison jail", "release free freed"),
    ("legal lawful", "illegal unlawful"),
    ("majority", "minority"),
    ("rich wealthy", "poor"),
    ("old older elder eldest", "young younger youngest"),
    ("import", "export"),
    ("buy bought purchase", "sell sold"),
    ("include", "exclude"),
)
_ATTRIBUTES = (
    "red orange yellow green blue purple pink brown black white grey/gray",
    "north/northern/northbound south/southern/southbound east/eastern/eastbound west/western/westbound",
    "first second third fourth fifth sixth seventh eighth ninth tenth last/final",
    "man/men/male/boy woman/women/female/girl",
)
_CONTEXT_WINDOW = 8
"""Content words either side of a word that make up its context."""
MIN_CONTEXT = 2
"""Context words the evidence's contrasting word must share with the claim's word."""

_STOPWORDS = _wordset(
    """
    a an the of to in on at by for with and or but be been being is are was were has have had do does did
    it its this that these those any as from about into onto than then there their they them he she his
    her him we our you your i me my who whom which what when where while will would can could should may
    might must shall also not no so such just very most some all each other over under up down out off
    per via says said told s
    """
)
_CONTENT_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")


_ROOTS: dict[str, str] = {}
_ROOTS_KEPT = 65536
"""Words whose root is remembered: the same words recur across sentences and articles."""


def root(word: str) -> str:
    """A stem stable across inflections: "filings", "filing" and "filed" share "fil"."""
    found = _ROOTS.get(word)
    if found is None:
        found = _root(word)
        if len(_ROOTS) < _ROOTS_KEPT and not word[:1].isdigit():  # numbers rarely recur: not kept
            _ROOTS[word] = found
    return found


def _root(word: str) -> str:
    w = strip_possessive(word.lower())
    for _ in range(2):
        for suffix in ("ing", "ed", "es", "s", "e", "ly"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
    return w


@functools.lru_cache(maxsize=8192)
def content_roots(text: str) -> tuple[str, ...]:
    """Roots of the content words of `text`, in order: the words that carry a sentence's meaning."""
    return tuple(root(w) for w in _CONTENT_WORD.findall(text.lower()) if w not in _STOPWORDS)


def content_key(text: str) -> str:
    """`text` as its content roots, for similarity that function words do not dominate."""
    return " ".join(content_roots(text))


def _families() -> tuple[tuple[dict[str, int], str], ...]:
    out: list[tuple[dict[str, int], str]] = []
    for groups in _POLARITY:
        out.append(({root(w): g for g, words in enumerate(groups) for w in words.split()}, "antonym"))
    for line in _ATTRIBUTES:
        members = {root(w): g for g, group in enumerate(line.split()) for w in group.split("/")}
        out.append((members, "attribute"))
    return tuple(out)


_FAMILIES = _families()
_FAMILY_ROOTS = frozenset(r for members, _ in _FAMILIES for r in members)
_FAMILIES_OF = {
    r: tuple(f for f, (members, _) in enumerate(_FAMILIES) if r in members) for r in _FAMILY_ROOTS
}
"""The positions in `_FAMILIES` of the families a root belongs to."""


_NEGATORS = _wordset("not no never without nor cannot neither")
_NEGATED_SPAN = 3
"""Words after a negation cue that it negates: "did not accept" says what "rejected" says."""


@functools.lru_cache(maxsize=4096)
def _lower_roots(text: str) -> tuple[tuple[str, bool, bool], ...]:
    """Content roots with whether the word was written in lower case (so "White" the name is no colour)
    and whether a negation cue shortly before it negates it."""
    out = []
    since_negation = _NEGATED_SPAN + 1
    for w in _WORD.findall(text):
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
    elif lower in _STOPWORDS:
        kind = False
    else:
        kind = (root(w), w.islower() or not w[:1].isalpha())
    if len(_WORD_KINDS) < _ROOTS_KEPT and not w[:1].isdigit():  # numbers rarely recur: not kept
        _WORD_KINDS[w] = kind
    return kind


@functools.lru_cache(maxsize=4096)
def _family_words(text: str) -> tuple[tuple[tuple[str, bool, bool], ...], tuple[int, ...]]:
    """`_lower_roots(text)` and the positions in it of lower-case words of any family."""
    words = _lower_roots(text)
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


def _contrast_issues(claim: str, evidence: Evidence) -> list[SupportIssue]:
    said, said_hits = _family_words(claim)
    if not said_hits:
        return []
    heard = [found for found in map(_family_words, evidence.sentences) if found[1]]
    issues = []
    hit = {f for i in said_hits for f in _FAMILIES_OF[said[i][0]]}
    for f, (members, check) in enumerate(_FAMILIES):
        if f not in hit:
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
                issues.append(_issue(check, word, evidence, message))
    return issues


def _word_of(text: str, members: dict[str, int], group: int) -> str:
    return next((w for w in _WORD.findall(text) if members.get(root(w)) == group), "")


def _negated_word_of(text: str, members: dict[str, int], group: int) -> str:
    """ "not face" for a negated word of the other side, which stands for this group ("did not face"
    says what "avoided" says); "" when there is none."""
    word = _word_of(text, members, group)
    return f"not {word}" if word else ""
