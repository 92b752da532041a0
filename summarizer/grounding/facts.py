"""A claim split into single facts, so that a judge rules on one fact at a time.

A small model asked about "Pat suggests emailing HR, but warns not to make it a habit" tends to rule on
the part it checks first. Split deterministically, each fact is a clause that stands alone:

- `;` ends a fact;
- `but`, `while`, `whereas` and `and` join two facts when what follows is a clause ("…, while others
  believed …", "… and they express …") or a predicate whose subject is the first clause's ("Steve
  defends himself and warns …" → "Steve warns …"; "… was arrested and charged …" → "… was charged …");
  a sentence opening with "While …," or "Although …," holds two facts;
- a relative clause between commas, or at the end, after a name ("Anna, who runs the shop, …") is a
  fact about that name (for "which", about a noun phrase opened by a determiner).

Both sides must hold a verb, so coordinated nouns ("apples and pears", "Steve and Carly") never split.
Word classes come from `summarizer/text/data/fact_clauses.txt` and `irregular_past.txt`; no parser.
Precision comes first: a claim this cannot split is one fact, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.text import TOKEN, table, wordlist

_CLASSES = table("fact_clauses")
_IRREGULAR = wordlist("irregular_past")
_CONTRASTS = frozenset({"but", "while", "whereas"})
_AND = frozenset({"and"})
_OPENERS = frozenset({"while", "whereas", "although", "though"})
_RELATIVES = frozenset({"who", "which"})
_QUOTES = frozenset('"“”')
MIN_WORDS = 3
"""A fact has at least this many words; a shorter piece stays with its neighbour."""
MAX_SUBJECT = 12
"""A predicate borrows its subject only when the subject is at most this many words."""
VERB_REACH = 6
"""A clause has its verb within this many words of its start."""


@dataclass(frozen=True)
class _Tok:
    text: str
    word: str
    """Lower case, punctuation stripped."""

    @property
    def comma(self) -> bool:
        return self.text.endswith(",")


def split_facts(claim: str) -> list[str]:
    """The single facts of `claim`, each a sentence; `[claim]` when it holds one fact."""
    toks = [_Tok(t, t.strip(".,;:!?()[]\"'“”‘’").lower()) for t in TOKEN.findall(claim)]
    if sum(1 for t in toks if t.text in _QUOTES or any(c in _QUOTES for c in t.text)):
        return [claim.strip()]  # a quotation is said as a whole
    pieces: list[list[_Tok]] = [[]]
    for t in toks:  # `;` ends a fact
        pieces[-1].append(t)
        if t.text.endswith(";"):
            pieces.append([])
    facts = [f for piece in pieces if piece for f in _split(piece)]
    facts = [f for f in facts if len(f) >= MIN_WORDS]
    return [_sentence(f) for f in facts] if len(facts) > 1 else [claim.strip()]


def _split(toks: list[_Tok]) -> list[list[_Tok]]:
    for find in (_opening, _relative, _joined):
        found = find(toks)
        if found is not None:
            return [f for part in found for f in _split(part)]
    return [toks]


def _opening(toks: list[_Tok]) -> list[list[_Tok]] | None:
    """ "While A, B." / "Although A, B." → A; B."""
    if len(toks) < 2 * MIN_WORDS or toks[0].word not in _OPENERS:
        return None
    comma = next((i for i, t in enumerate(toks[:-1]) if t.comma), None)
    if comma is None:
        return None
    first, second = toks[1 : comma + 1], toks[comma + 1 :]
    return [first, second] if _finite(first) is not None and _clause(second) else None


def _relative(toks: list[_Tok]) -> list[list[_Tok]] | None:
    """ "Anna, who runs the shop, left." → "Anna left."; "Anna runs the shop." """
    for i in range(1, len(toks) - 1):
        if (
            toks[i].word not in _RELATIVES
            or not toks[i - 1].comma
            or _verb(toks, i + 1) not in (i + 1, i + 2)
        ):
            continue  # "who left", "who recently left"; not "which they believe is …"
        if _CLASSES.get(toks[i + 1].word) in ("subject", "det") or toks[i + 1].text[:1].isupper():
            continue
        close = next((j for j in range(i + 1, len(toks) - 1) if toks[j].comma), None)
        end = len(toks) if close is None else close + 1
        head = _antecedent(toks[:i], toks[i].word)
        if not head:
            continue
        main = [*_bare(toks[:i]), *toks[end:]]
        about = head + toks[i + 1 : end]
        if len(toks[i + 1 : end]) >= 2 and _finite(main) is not None:
            return [main, about]
    return None


def _antecedent(before: Sequence[_Tok], relative: str) -> list[_Tok]:
    """What a relative clause is about: the whole subject when no verb comes before it ("The founder of
    X, who …"); else a name right after a verb ("met Anna, who"), or the noun phrase a determiner opens
    ("the minister, who")."""
    if _finite(before) is None:
        return _bare(before) if len(before) <= MAX_SUBJECT else []
    names: list[_Tok] = []
    for t in reversed(before):
        if relative != "who" or not t.text[:1].isupper() or (names and t.comma):
            break
        names.insert(0, t)
    if names and len(names) < len(before) and _kind(before[-len(names) - 1].word) is not None:
        return _bare(names)
    for back in range(1, min(5, len(before)) + 1):
        t = before[-back]
        if back > 1 and t.comma:
            return []
        if _CLASSES.get(t.word) == "det":
            return _bare(before[-back:])
    return []


def _bare(toks: Sequence[_Tok]) -> list[_Tok]:
    """`toks` without the comma after the last one."""
    return [*toks[:-1], _Tok(toks[-1].text.rstrip(","), toks[-1].word)]


def _joined(toks: list[_Tok]) -> list[list[_Tok]] | None:
    """A joiner between two clauses, or between a clause and a predicate that shares its subject;
    "but", "while" and "whereas" before "and", which more often joins smaller things."""
    for joiners in (_CONTRASTS, _AND):
        for i in range(MIN_WORDS - 1, len(toks) - MIN_WORDS + 1):
            joiner = toks[i].word
            if joiner not in joiners or toks[i].text != joiner:
                continue
            left, right = toks[:i], toks[i + 1 :]
            verb = _finite(left)
            if verb is None:
                continue
            if _clause(right) and (joiner != "and" or left[-1].comma or _pronoun(right[0])):
                return [left, right]
            if joiner in ("and", "but") and _predicate(left, verb, right):
                aux = [] if _kind(right[0].word) in ("aux", "modal") else _aux_chain(left, verb)
                return [left, left[:verb] + aux + right]
    return None


def _predicate(left: list[_Tok], verb: int, right: list[_Tok]) -> bool:
    """`right` continues `left`'s subject with a verb of the same kind ("defends … and warns"). When
    `left` holds a later clause ("said the man was arrested and will appear"), only a verb of the
    first one's kind and not the later one's goes back to the first subject."""
    if not 0 < verb <= MAX_SUBJECT or len(right) < 2:
        return False
    kind, lead, after = _kind(right[0].word), _kind(left[verb].word), right[1].word
    main = verb + len(_aux_chain(left, verb))
    later = {_kind(left[i].word) for i in range(main + 1, len(left)) if _verb(left, i) == i} - {"s"}
    if later and (kind != lead or kind in later):
        return False
    if kind in ("aux", "modal"):
        return True
    if kind == "past":  # "met X and left", "was arrested and charged"; not "had … and advanced users"
        return lead == "past" or (main < len(left) and _kind(left[main].word) == "past")
    opens_object = _CLASSES.get(after) in ("det", "subject", "object") or right[1].text[:1].isupper()
    if kind == "s" and lead == "s":  # "suggests X and warns …", not "buys apples and pears"
        listed = _kind(left[-1].word) == "s" and not left[-1].comma
        return not listed and opens_object
    if kind is None and lead == "modal":  # "will buy the tickets and send them"
        return opens_object
    return right[0].word in ("not", "never") and _kind(after) is not None


def _aux_chain(left: list[_Tok], verb: int) -> list[_Tok]:
    """The auxiliaries and modals from the first verb on ("has been" of "has been arrested")."""
    chain: list[_Tok] = []
    for t in left[verb:]:
        if _kind(t.word) not in ("aux", "modal"):
            break
        chain.append(t)
    return chain


def _clause(toks: Sequence[_Tok]) -> bool:
    """Opens with a subject and reaches a verb soon: a pronoun, a name or a determiner's noun phrase."""
    if len(toks) < MIN_WORDS:
        return False
    if _pronoun(toks[0]):
        return True
    opens = toks[0].text[:1].isupper() or _CLASSES.get(toks[0].word) == "det"
    verb = _verb(toks, 1)
    return opens and verb is not None and verb <= VERB_REACH


def _finite(toks: Sequence[_Tok]) -> int | None:
    """Where the first verb of a clause is, if it has one."""
    return _verb(toks, 0)


def _verb(toks: Sequence[_Tok], start: int) -> int | None:
    for i in range(start, len(toks)):
        kind = _kind(toks[i].word)
        if kind is None:
            continue
        if kind in ("s", "past") and (i == 0 or _CLASSES.get(toks[i - 1].word) == "det"):
            continue  # "the plans", "the troubled company": a noun, an adjective
        if kind == "s" and toks[i].text[:1].isupper():
            continue  # "Reuters"
        if i > start and toks[i - 1].comma and kind == "s":
            continue
        return i
    return None


def _kind(word: str) -> str | None:
    """`aux`, `modal`, `past` or `s` (a third-person present, or a plural: the caller decides)."""
    cls = _CLASSES.get(word)
    if cls in ("aux", "modal", "past"):
        return cls
    if word in _IRREGULAR or (word.endswith("ed") and len(word) >= 5 and cls != "not_past"):
        return "past"
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s")) and len(word) >= 4:
        return "s" if word.isalpha() else None
    return None


def _pronoun(tok: _Tok) -> bool:
    return _CLASSES.get(tok.word) == "subject"


def _sentence(toks: Sequence[_Tok]) -> str:
    text = " ".join(t.text for t in toks).strip(" ,;")
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
