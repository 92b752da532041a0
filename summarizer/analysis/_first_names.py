"""One person whose first name an outlet misspells by one letter (`Eric Holder` / `Erik Holder`).

`same_name` joins first names that are nicknames or close at five letters or more, so a slip in a
short first name left one person as two groups and no spelling conflict was found. Two person groups
become one person spelt two ways when all of these hold:
- the same surname (accents and case aside) and the same other words but one, one letter apart
  (`one_letter_apart`): the first name, or a middle one;
- no source writes both spellings: two relatives (`Jon` and `Joe` of one family) are named side by
  side (a bare surname is neither spelling);
- the same context: the roles they are given share a head word when both have one, and either they do, or
  a mention of each stands in sentences that tell the same statement (`same_context`);
- each is the other's only such partner.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

from summarizer.analysis.names import NameGroup, NameMention, _key, one_letter_apart

SameContext = Callable[[NameMention, NameMention], bool]
"""Whether two mentions, of different sources, stand in sentences that tell the same statement."""


def join_first_name_slips(groups: list[NameGroup], same_context: SameContext) -> list[NameGroup]:
    """`groups` with each pair of person groups that is one person, its first name misspelt by one
    letter in some sources, joined into the first of the two."""
    by_surname: dict[str, list[int]] = {}
    for n, g in enumerate(groups):
        words = _key(g.canonical).split()
        if g.type == "person" and len(words) >= 2:
            by_surname.setdefault(words[-1], []).append(n)
    partners: dict[int, list[int]] = {}
    for numbers in by_surname.values():
        for i, j in combinations(numbers, 2):
            if _one_person(groups[i], groups[j], same_context):
                partners.setdefault(i, []).append(j)
                partners.setdefault(j, []).append(i)
    joined = {
        js[0]: i for i, js in partners.items() if len(js) == 1 and len(partners[js[0]]) == 1 and i < js[0]
    }
    for j, i in joined.items():
        groups[i].mentions.extend(groups[j].mentions)
        groups[i].mentions.sort(key=lambda m: (m.source, m.start))
    return [g for n, g in enumerate(groups) if n not in joined]


def _one_person(g: NameGroup, h: NameGroup, same_context: SameContext) -> bool:
    slip = _one_word_slip(_key(g.canonical).split(), _key(h.canonical).split())
    if slip is None or _writers(g, h, slip[0]) & _writers(g, h, slip[1]):
        return False
    roles_g, roles_h = _role_words(g), _role_words(h)
    if roles_g and roles_h:
        return bool(roles_g & roles_h)
    return any(same_context(m, k) for m in g.mentions for k in h.mentions)


def _one_word_slip(a: list[str], b: list[str]) -> tuple[str, str] | None:
    """The two spellings, when two names of as many words are the same but for one word before the
    surname, one letter apart (`eric holder` / `erik holder`; a title read as part of the name stays
    in both)."""
    if len(a) != len(b):
        return None
    differ = [(x, y) for x, y in zip(a[:-1], b[:-1]) if x != y]
    return differ[0] if len(differ) == 1 and one_letter_apart(*differ[0]) else None


def _writers(g: NameGroup, h: NameGroup, word: str) -> set[str]:
    """The sources that write `word` in a name of either group (a bare surname writes neither
    spelling, so an outlet that uses one and the bare surname is still on one side)."""
    return {m.source for m in (*g.mentions, *h.mentions) if word in _key(m.canonical).split()}


def _role_words(g: NameGroup) -> set[str]:
    """The head word of each role given (`commissioner` of `Port Commissioner`, `sen` of `Democratic
    Sen.`): a party or place before it says nothing about who the person is."""
    return {_key(m.role).split()[-1] for m in g.mentions if m.role and _key(m.role).split()}
