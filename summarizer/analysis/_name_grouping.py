"""Names across sources: one group per person, organisation or place, spelling variants together.

Names whose tokens are near-identical (rapidfuzz) form one group (`Sergie Lavrov` / `Sergei Lavrov`);
common short forms of first names (`Mike` / `Michael`) match too, and a bare surname joins the one
person it names. `neutral_name` names a person the sources spell differently without taking one
outlet's side. Part of `summarizer.analysis.names`, which is where to import from.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from summarizer.analysis._name_typing import _ADJECTIVES, _ORG_WORDS, _TITLES, NameMention, NameType
from summarizer.text import groups

_NICKNAMES = [frozenset(family) for (family,) in groups("nicknames")]
_ABBREVIATED = {"ft": "fort", "mt": "mount"}
"""Abbreviations two spellings of one name use (`Ft. Myers` / `Fort Myers`)."""


@dataclass
class NameGroup:
    """One person, organisation or place across sources, with each source's spellings."""

    canonical: str
    type: NameType
    mentions: list[NameMention] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({m.source for m in self.mentions})

    def spellings(self, source: str) -> list[str]:
        return sorted({m.canonical for m in self.mentions if m.source == source})


def _key(name: str) -> str:
    """The form two spellings of one name share: no full stops, hyphens as spaces, one apostrophe,
    lower case, accents dropped (`Raúl` is `Raul`, `Trans-Pacific` is `Trans Pacific`)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(_ABBREVIATED.get(w, w) for w in _spelling(folded).split())


def _spelling(name: str) -> str:
    """The form that keeps accents, for telling spellings apart (`Raúl` / `Raul` differ in spelling)."""
    return re.sub(r"[.\s]+", " ", name.replace(".", "").replace("-", " ").replace("’", "'")).strip().lower()


def same_name(a: str, b: str, kind: NameType) -> bool:
    """True when `a` and `b` are one name spelled alike or as a transliteration variant."""
    ka, kb = _key(a), _key(b)
    if ka == kb:
        return True
    ta, tb = ka.split(), kb.split()
    if kind == "person":
        if not _close(ta[-1], tb[-1]):
            return False
        if len(ta) == 1 or len(tb) == 1:
            return True
        short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
        return all(any(_close(x, y, 70.0) for y in long[:-1]) for x in short[:-1])
    if len(ta) != len(tb):
        return False
    return all(_close(x, y) for x, y in zip(ta, tb))


def spelling_variant(a: str, b: str) -> bool:
    """True when two forms of one name spell a word differently (`Sergie` / `Sergei`, `Rouhani` /
    `Rohani`); a fuller or shorter form (`Michael R. Bloomberg`, `Bloomberg`) or a short first name
    (`Mike`) is not a spelling difference."""
    ta, tb = _spelling(a).split(), _spelling(b).split()
    only_a = [x for x in ta if x not in tb and len(x) > 1 and x not in _GENERIC]
    only_b = [y for y in tb if y not in ta and len(y) > 1 and y not in _GENERIC]
    return any(
        (_fuzzy(x, y, 70.0) or one_letter_apart(x, y)) and not _nickname(x, y) and not _inflected(x, y)
        for x in only_a
        for y in only_b
    )


def one_letter_apart(a: str, b: str) -> bool:
    """Two words of letters, three or more, with the same first letter, one slip apart: a letter
    changed, added or dropped, or two neighbours swapped (`Eric` / `Erik`, `Jodi` / `Jody`). Too short
    for `_fuzzy`, and true of some different first names (`Jon` / `Joe`): callers add the guards."""
    return (
        a != b
        and min(len(a), len(b)) >= 3
        and a[0] == b[0]
        and a.isalpha()
        and b.isalpha()
        and OSA.distance(a, b) == 1
    )


_GENERIC = frozenset(w.lower().rstrip(".") for w in _TITLES | _ADJECTIVES | _ORG_WORDS)
"""Titles, party words, demonyms and organisation words: `President` / `Presidents`, `Democrat` /
`Democratic` are words around names, not names spelt two ways."""


def _inflected(a: str, b: str) -> bool:
    """One word in another form: a plural or possessive (`Republican` / `Republicans`, `Obama's`)."""
    return a.removesuffix("'s").rstrip("s") == b.removesuffix("'s").rstrip("s")


def neutral_name(name: str, groups: Sequence[NameGroup]) -> str:
    """A person's name as no single outlet spells it, when the sources spell it differently: the
    spelling most sources use, saying so, or else the spellings side by side (`Sergei/Sergie Lavrov`).
    Any other name comes back unchanged."""
    group = next(
        (g for g in groups if g.type == "person" and any(m.canonical == name for m in g.mentions)), None
    )
    if group is None:
        return name
    by_source = [set(group.spellings(s)) for s in group.sources]
    forms = sorted(set().union(*by_source))
    variants = [f for f in forms if any(spelling_variant(f, o) for o in forms if o != f)]
    if len(variants) < 2:
        return name
    counts = {f: sum(f in spelled for spelled in by_source) for f in variants}
    leaders = [f for f in variants if counts[f] == max(counts.values())]
    if len(leaders) == 1:
        others = " / ".join(f for f in variants if f != leaders[0])
        return f"{leaders[0]} (as most sources spell it; also {others})"
    tokens = [f.split() for f in variants]
    if len({len(t) for t in tokens}) > 1:
        return " / ".join(variants)
    return " ".join("/".join(dict.fromkeys(column)) for column in zip(*tokens))


_NICKNAME_GROUPS: dict[str, frozenset[int]] = {
    name: frozenset(n for n, g in enumerate(_NICKNAMES) if name in g) for g in _NICKNAMES for name in g
}
"""Each first name or short form → the nickname groups holding it."""


def _nickname(a: str, b: str) -> bool:
    return not _NICKNAME_GROUPS.get(a, frozenset()).isdisjoint(_NICKNAME_GROUPS.get(b, frozenset()))


def _close(a: str, b: str, threshold: float = 84.0) -> bool:
    return a == b or _nickname(a, b) or _fuzzy(a, b, threshold)


def _fuzzy(a: str, b: str, threshold: float = 84.0) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    return fuzz.ratio(a, b) >= threshold


def group_names(mentions: Sequence[NameMention]) -> list[NameGroup]:
    """Group mentions from all sources into people, organisations and places, variants together.

    A mention joins the first group (in order of creation) whose name is the same name; only groups
    whose last word is close to the mention's (`_CloseWords`) can be, so only those are compared."""
    groups: list[NameGroup] = []
    by_canonical: dict[tuple[str, str], NameGroup] = {}
    ordered = sorted(mentions, key=lambda m: -len(m.canonical))
    close = _CloseWords(_last_word(m.canonical) for m in ordered)
    by_last: dict[tuple[str, str], list[int]] = {}  # (type, last word) → numbers of its groups
    for m in ordered:
        key = (m.type, m.canonical)
        group = by_canonical.get(key)
        if group is None:
            last = _last_word(m.canonical)
            numbers = sorted(n for w in close.of(last) for n in by_last.get((m.type, w), ()))
            group = next(
                (groups[n] for n in numbers if same_name(groups[n].canonical, m.canonical, m.type)), None
            )
            if group is None:
                group = NameGroup(m.canonical, m.type)
                by_last.setdefault((m.type, last), []).append(len(groups))
                groups.append(group)
        by_canonical[key] = group
        group.mentions.append(m)
    groups = _join_surnames(groups, close)
    for g in groups:
        g.mentions.sort(key=lambda m: (m.source, m.start))
    return groups


def _last_word(name: str) -> str:
    words = _key(name).split()
    return words[-1] if words else ""


class _CloseWords:
    """For a set of words, which of them each one is `_close` to (the same, a nickname, or a spelling
    variant). Spelling variants are looked up in C (rapidfuzz) among words of a length that can reach
    the threshold only: a ratio of 84 needs the longer word at most 1.38 times the shorter."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(set(words))
        self.close: dict[str, set[str]] = {w: {w} for w in self.words}
        for w in self.words:
            for group in _NICKNAME_GROUPS.get(w, ()):
                self.close[w] |= _NICKNAMES[group] & self.close.keys()
        by_length: dict[int, list[str]] = {}
        for w in self.words:
            if len(w) >= 5:
                by_length.setdefault(len(w), []).append(w)
        for size, words in by_length.items():
            others = [w for n in range(size, math.floor(size * 1.39) + 1) for w in by_length.get(n, ())]
            for w in words:
                for other, _, _ in process.extract(
                    w, others, scorer=fuzz.ratio, score_cutoff=84.0, limit=None
                ):
                    self.close[w].add(other)
                    self.close[other].add(w)

    def of(self, word: str) -> set[str]:
        return self.close.get(word, {word})


def _join_surnames(groups: list[NameGroup], close: _CloseWords) -> list[NameGroup]:
    """A bare surname left untyped (`Bloomberg` in an outlet that never gives the first name) joins
    the one person group whose surname it is; with no such person, or several, it stays apart."""
    people: dict[str, list[NameGroup]] = {}
    for g in groups:
        if g.type == "person":
            people.setdefault(_last_word(g.canonical), []).append(g)
    out = []
    for g in groups:
        if g.type == "other" and len(g.canonical.split()) == 1:
            key = _last_word(g.canonical)
            owners = [p for w in close.of(key) for p in people.get(w, ()) if _close(w, key)]
            if len(owners) == 1:
                owners[0].mentions.extend(g.mentions)
                continue
        out.append(g)
    return out
