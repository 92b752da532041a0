"""The lexicon of loaded words: verbs of saying by connotation, labels, contested names; finding them.

The lexicon (273 word forms: 155 verbs of saying in ten connotation classes, 118 labels, hedges and
evaluative words; plus 36 contested names) was compiled for this module from general news-language
guidance, not from any evaluation data: the AP Stylebook's advice that *said* is the neutral verb of
attribution and that *claimed*, *admitted*, *insisted* and the like carry connotations; the classes
of biased language of Recasens, Danescu-Niculescu-Mizil and Jurafsky (ACL 2013): report verbs,
assertives, factives, hedges and subjective intensifiers; and commonly cited contested-term pairs.
It leaves out words that are often literal in news (`dangerous`, `massive`, `historic`, `brutal`,
`fiery`, `blistering`, `meltdown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from summarizer.text import LETTERS_HYPHEN_WORD, NEXT_WORD, groups, table, wordlist


def _contested(name: str) -> dict[str, tuple[frozenset[str], frozenset[str], str]]:
    """Contested names (`key | loaded | neutral | label` a line) as key → (loaded, neutral, label)."""

    def terms(words: tuple[str, ...]) -> frozenset[str]:
        return frozenset(w.replace("_", " ") for w in words)

    return {
        key.replace("_", " "): (terms(loaded), terms(neutral), " ".join(label))
        for (key,), loaded, neutral, label in groups(name)
    }


SPEECH = table("speech_verbs_loaded")
"""Verbs of saying by connotation: counted only with a named (or pronoun) speaker next to them."""

LABELS = table("loaded_labels")
"""Loaded labels and evaluations, whatever they stand next to."""

_NOUN_LABELS = wordlist("noun_labels")
"""Labels that are (or can be) nouns: before a role noun they say what the role is about (`regime
critic`, `extremist researcher`), not what the person is."""

LEXICON = {**SPEECH, **LABELS}
_MILD = frozenset({"criticise", "accuse", "insist"})
"""Classes close enough to each other that a swap between two of them is not reported."""
_INVERTIBLE = frozenset({"said", "claim", "admit", "insist", "boast", "complain"})
"""Classes that follow their speaker after a quotation (`…,” said X`, `…,” claimed X`)."""

_NAMING: dict[str, tuple[frozenset[str], frozenset[str], str]] = _contested("contested_names")
"""Contested names for a group written after a shared modifier (`Assad regime` / `Assad government`):
loaded members, neutral members, and the neutral word used to name the aspect."""
_FIXED_NAMING: dict[str, tuple[frozenset[str], frozenset[str], str]] = _contested("contested_terms")
"""Contested names that identify their referent by themselves."""


def _alternation(terms: Sequence[str]) -> str:
    return "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len, reverse=True))


def _phrases() -> dict[str, frozenset[str]]:
    """First word → second words of the two-word terms (`lashed` → {`out`})."""
    out: dict[str, frozenset[str]] = {}
    for term in LEXICON:
        if " " in term:
            head, tail = term.split(" ", 1)
            out[head] = out.get(head, frozenset()) | {tail}
    return out


_PHRASES = _phrases()

_HEADS = frozenset(w for w in LEXICON if " " not in w) | frozenset(_PHRASES)


def find_terms(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded term) of every lexicon term in `text`, possessives included (`regime’s`).
    The words present are collected first (in C), so the pattern that locates them holds only the few
    lexicon words the text has: one pattern of every term would be several times slower."""
    lowered = text.lower().replace("’", "'")
    if len(lowered) != len(text):  # a character whose lower case is longer: offsets would drift
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text).replace("’", "'")
    present = {w[:-2] if w.endswith("'s") else w for w in LETTERS_HYPHEN_WORD.findall(lowered)} & _HEADS
    if not present:
        return
    pattern = re.compile(
        rf"(?<![\w\-'])({'|'.join(sorted(map(re.escape, present), key=len, reverse=True))})(?:'s)?(?![\w\-])"
    )
    for m in pattern.finditer(lowered):
        word, start, end = m.group(1), m.start(1), m.end(1)
        tails = _PHRASES.get(word)
        nxt = NEXT_WORD.match(lowered, end) if tails else None
        if tails and nxt is not None and nxt.group(1) in tails:
            yield start, nxt.end(1), f"{word} {nxt.group(1)}"
        elif word in LEXICON:
            yield start, end, word


_NAMING_TERM = re.compile(
    r"(?<![\w\-])([A-Z][\w.\-]*?)(?:['’]s)?\s+("
    + _alternation([w for loaded, neutral, _ in _NAMING.values() for w in loaded | neutral])
    + r")(?![\w\-])"
)
_FIXED_TERM = re.compile(
    rf"(?<![\w\-])(?:{_alternation([w for a, b, _ in _FIXED_NAMING.values() for w in a | b])})(?![\w\-])",
    re.IGNORECASE,
)
