"""Reading a run of capitalised words as a name, and typing it: person, organisation, place or other.

Titles in front of a name (`Russian Foreign Minister Sergie Lavrov`) are split off as the role and mark
a person; organisation words (`Agency`, `Council`…) mark an organisation; a small gazetteer marks places.
A number after a word such as `Resolution`, `Article` or `Flight` belongs to the name (`Resolution 2231`).
Part of `summarizer.analysis.names`, which is where to import from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from summarizer.analysis._text import DocIndex, words_set
from summarizer.text import STOPWORDS_ANALYSIS, groups, wordlist

NameType = Literal["person", "organization", "place", "other"]
_CONNECTORS = wordlist("name_connectors")
_TITLES = wordlist("name_titles")
_ADJECTIVES = wordlist("nationality_adjectives")
_ORG_WORDS = wordlist("organisation_words")
_PLACE_WORDS = wordlist("place_words")
PLACES = wordlist("places")
_ABBREVIATIONS = wordlist("name_abbreviations")
_WEEKDAYS = frozenset(line[0][0].capitalize() for line in groups("weekdays"))
_MONTHS_DAYS = frozenset(w.capitalize() for line in groups("months") for w in line[0]) | _WEEKDAYS
_NUMBERED = wordlist("numbered_nouns")
"""Words that name something together with the number after them (`Resolution 2231`, `Flight 370`)."""
_NUMBER_AFTER = re.compile(r"[ \u00a0](\d+(?:[/.\-]\d+)*[A-Za-z]?)\b")
_NAME_MONTHS = words_set("April May June August")
"""Months that are also first or last names (`Theresa May`): a break only when a day number follows."""
_INITIAL = re.compile(r"[A-Z]\.")
_PLACE_PREFIXES = wordlist("place_prefixes")
"""Words that open a place's name, never a person's."""
_NEVER_FIRST_NAMES = words_set("The New")
"""Words that never open a person's name: `The Apprentice`, `New York City`, `New Yorkers`."""
_NOT_NAMES = wordlist("not_names_analysis")
_GROUP_NOUNS = wordlist("group_nouns")
"""Common nouns for the people and parts of a place (`residents`, `parts`): no name before `of` + a place."""
_COMPASS = words_set("North South East West Northern Southern Eastern Western")
"""Words before a place that make another place (`South Dakota`, `West Bank` is a place word already)."""


@dataclass(frozen=True)
class NameMention:
    """One mention of a name: `start:end` covers the name itself, without any title before it."""

    source: str
    start: int
    end: int
    text: str
    type: NameType
    role: str | None = None
    """Title words written right before the name, e.g. `Russian Foreign Minister`."""
    canonical: str = ""
    """The fullest form of the name in the same document (`Mahmoud Vaezi` for `Vaezi`)."""


def _from_run(idx: DocIndex, run: list[tuple[int, int, str]], *, at_start: bool) -> list[NameMention]:
    while run and run[-1][2].lower() in _CONNECTORS:
        run = run[:-1]
    if not run:
        return []
    if at_start and _opens_no_name(idx, run):
        run = run[1:]
    words = [_word(t[2]) for t in run]
    cut = _title_cut(words)
    role = " ".join(t[2] for t in run[:cut]) or None
    run = run[cut:]
    words = words[cut:]
    while words and words[0] in _CONNECTORS:  # `Republican of South Carolina` → the place (not `Del Rio`)
        run, words, role = run[1:], words[1:], None
    home = _home_place(words)
    if home:  # `Nancy Pelosi of California`: the person, without the place she represents
        run, words = run[:home], words[:home]
    if not run or all(w in _MONTHS_DAYS or w in _NOT_NAMES for w in words):
        return []
    if len(words) == 1 and (
        words[0] in _NOT_NAMES
        or words[0] in _MONTHS_DAYS
        or words[0] in _ADJECTIVES - PLACES
        or len(words[0]) < 2
    ):
        return []
    start, end = run[0][0], run[-1][1]
    if idx.text[end - 1] == "." and not _is_abbreviation(idx.text[start:end]):
        end -= 1
    number = _NUMBER_AFTER.match(idx.text, end) if words[-1] in _NUMBERED else None
    if number:  # `Resolution 2231`, `Article 5`, `Flight 370`: the number is part of the name
        end = number.end()
    text = idx.text[start:end]
    kind = _classify(words, role)
    if number and kind == "person":
        kind = "other"  # `Malaysia Airlines Flight 370` names no one
    return [NameMention(idx.id, start, end, text, kind, role)]


def _home_place(words: list[str]) -> int:
    """Where `of <place>` starts after a person's name (`Richard M. Burr of North Carolina`), else 0."""
    if "of" not in words:
        return 0
    k = words.index("of")
    head, tail = words[:k], words[k + 1 :]
    if len(head) < 2 or any(w in _ORG_WORDS or w in _PLACE_WORDS or w in PLACES for w in head):
        return 0
    places = all(w in PLACES or w in _ADJECTIVES or w in ("New", "Rhode", "West") for w in tail)
    return k if tail and places and tail[-1] in PLACES else 0


def _word(token: str) -> str:
    """A token as the name rules read it: a final full stop dropped, except after a short abbreviation
    (`Ft.`, `Jr.`)."""
    return token.rstrip(".") if not token.endswith(".") or len(token) > 4 else token


def _opens_no_name(idx: DocIndex, run: list[tuple[int, int, str]]) -> bool:
    """Whether the first word of a run that opens a sentence is an ordinary word, not part of the name.

    Before `of`, a word that makes names with it stays (`Bank of America`, `University of Florida`,
    `Gulf of Mexico`, `Port of Miami`), even when the text also writes it in lower case; a common noun
    goes (`Residents of Ft. Myers`, `Parts of Florida`, `Supporters of Donald Trump`): what follows `of`
    is the name, typed on its own (a place stays a place). No person's name opens with a common noun
    and `of`, whether or not the gazetteer knows the place (`Residents of Naples`)."""
    first = run[0][2]
    before_of = len(run) > 2 and run[1][2] == "of"
    if before_of and (first in _ORG_WORDS or first in _PLACE_WORDS or first in _PLACE_PREFIXES):
        return False
    if _common_word(idx, first):
        return True
    return before_of and _common_noun(idx, first)


def _common_noun(idx: DocIndex, word: str) -> bool:
    """A capitalised common noun: the word or, for a plural, its singular is written in lower case in
    the text or is a common noun of `group_nouns` (`Residents`, `Voters`, `Parts`)."""
    lower = word.lower()
    forms = {lower}
    if lower.endswith("s") and not lower.endswith("ss"):
        forms.add(lower[:-1])  # voters → voter
        if lower.endswith("es"):
            forms.add(lower[:-2])  # churches → church
        if lower.endswith("ies"):
            forms.add(lower[:-3] + "y")  # parties → party
    return any(f in _GROUP_NOUNS or f in idx.lowercase_words for f in forms)


def _common_word(idx: DocIndex, word: str) -> bool:
    """A capitalised first word of a sentence that is an ordinary word, not a name."""
    lower = word.lower()
    if lower in STOPWORDS_ANALYSIS or word in _NOT_NAMES or lower.endswith(("ing", "ed", "ly")):
        return True
    return lower in idx.lowercase_words


def _title_cut(words: list[str]) -> int:
    """How many leading words are titles and adjectives (`US Secretary of State`), when a name follows."""
    last = -1
    for n, w in enumerate(words):
        if w in _TITLES or (w in _ADJECTIVES and n + 1 < len(words) and words[n + 1] in _TITLES):
            last = n
        elif w.lower() in _CONNECTORS and last == n - 1:
            continue
        elif last >= 0 or w not in _ADJECTIVES:
            break
    if last < 0:
        last = _title_after_place(words)
    if last < 0 or last + 1 >= len(words) or any(w in _ORG_WORDS for w in words[last + 1 :]):
        return 0
    return last + 1


def _title_after_place(words: list[str]) -> int:
    """The last title word when a title follows a place of one to three words and a full name follows it
    (`Del Rio Mayor Bruno Lozano`: the role is `Del Rio Mayor`), else -1."""
    for k in range(1, min(4, len(words))):
        if words[k] in _TITLES and words[k - 1] not in _TITLES:
            end = k
            while end + 1 < len(words) and words[end + 1] in _TITLES:
                end += 1
            return end if len(words) - end - 1 >= 2 else -1
    return -1


def _is_abbreviation(text: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.){2,}", text)) or text.split()[-1] in _ABBREVIATIONS


def _classify(words: list[str], role: str | None) -> NameType:
    joined = " ".join(words)
    if any(w in _ORG_WORDS for w in words):
        return "organization"
    if role is not None:
        return "person"
    if (
        joined in PLACES
        or all(w in PLACES or w.title() in PLACES for w in words)
        or words[-1] in _PLACE_WORDS
        or (len(words) > 2 and words[0] in _PLACE_WORDS and words[1] == "of")  # `Gulf of Mexico`
        or (len(words) > 1 and words[0] in _COMPASS and all(w in PLACES for w in words[1:]))
    ):
        return "place"
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}|(?:[A-Z]\.){2,4}", words[0]):
        return "organization"
    if words[0] in _PLACE_PREFIXES and len(words) > 1:
        return "place"  # `Fort Myers`, `Ft. Myers`, `Mount Vernon`
    if words[0] in _NEVER_FIRST_NAMES:
        return "place" if words[0] == "New" and len(words) > 1 and words[1] in PLACES else "other"
    if 2 <= len(words) <= 4 and not any(w.isupper() and not _INITIAL.fullmatch(w) for w in words):
        return "person"
    return "other"
