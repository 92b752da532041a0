"""The `entity` support check (see `_support.py`): the capitalised names of an item against those of
its evidence."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from summarizer.analysis.dates import MONTHS, WEEKDAYS
from summarizer.grounding._evidence import Evidence, issue
from summarizer.rules import register
from summarizer.schemas import SupportIssue
from summarizer.text import WORD, groups, strip_possessive, wordlist

ENTITY = register(
    "S103", "entity", "check", "a name of the claim is not in its evidence, or has another given name"
)

NAME_SIMILARITY = 85.0
"""rapidfuzz ratio (0-100) at or above which two name tokens count as the same name."""

GIVEN_NAME_SIMILARITY = 70.0
"""Below this ratio a given name differs from the evidence's: "Hassan"/"Mahmoud", not "Sergei"/"Sergie"."""

_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"“(]\s*)$")

_NOT_NAMES = wordlist("not_names")
"""Capitalised words that are not names by themselves: titles, function words that open sentences."""
_NUMBER_WORDS = wordlist("number_words")
_ALIASES = [{" ".join(words) for words in group} for group in groups("aliases")]
"""Names of one entity (`text/data/aliases.txt`), news metonymy included ("Moscow" for Russia)."""


# -- names -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    text: str
    tokens: tuple[str, ...]


def names(text: str) -> list[_Name]:
    """Runs of capitalised words, split at titles and possessives, without sentence-opening words."""
    found: list[_Name] = []
    run: list[str] = []
    run_start = run_end = 0
    for m in WORD.finditer(text):
        word = m.group(0)
        capital = word[:1].isupper()
        bare = strip_possessive(word) if capital else word  # only a capitalised word's is used
        capital = capital and not _not_a_name(bare)
        opener = capital and _looks_common(bare)  # only then does the opening position matter
        if opener and _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
            capital = False
        if capital and run and text[run_end : m.start()].strip():
            found.append(_Name(text[run_start:run_end], tuple(run)))  # "Ukraine, U.K." are two names
            run = []
        if capital:
            if not run:
                run_start = m.start()
            run.append(bare)
            run_end = m.end()
        if run and (not capital or bare != word):
            found.append(_Name(text[run_start:run_end], tuple(run)))
            run = []
    if run:
        found.append(_Name(text[run_start:run_end], tuple(run)))
    return found


def _not_a_name(word: str) -> bool:
    """Function words, titles, months, weekdays, number words ("Twenty-five") and period notation
    ("Q2", "4Q", "FY2021", "H1") are not names."""
    lower = word.lower()
    if lower in _NOT_NAMES or lower.rstrip(".") in MONTHS or lower in WEEKDAYS:
        return True
    if _PERIOD.fullmatch(word):
        return True
    return bool(lower) and all(part in _NUMBER_WORDS for part in lower.split("-"))


def _looks_common(word: str) -> bool:
    """A sentence-opening word that is probably not a name: an inflected common word, or one of the
    common openers of summaries ("Shares", "Later", "Overall")."""
    lower = word.lower()
    return (lower.endswith(("ing", "ed", "ly")) and len(word) > 5) or lower in _OPENERS


_OPENERS = wordlist("common_openers")
_PERIOD = re.compile(r"[QH][1-4]|[1-4][QH]|FY\d{2,4}|[QH]")
"""Quarter, half and fiscal-year notation: "Q2", "4Q", "H1", "FY2021" (and the "Q" of "4Q")."""


@functools.lru_cache(maxsize=1024)
def _name_index(text: str) -> tuple[list[str], list[str], str, tuple[str, ...]]:
    """Lower-cased tokens, capitalised words, the spaced token string and the initials of each run of
    consecutive capitalised words ("Securities and Exchange Commission" → "SEC") of some evidence."""
    words = [strip_possessive(w) for w in WORD.findall(text)]
    tokens = [w.lower() for w in words]
    runs, run, glued = [], "", ""  # initials of a run, without and with its glue words ("of": JCPOA)
    for w in words:
        if w[:1].isupper():
            run, glued = run + w[0], glued + w[0]
        elif w.lower() in _ACRONYM_GLUE:
            glued += w[0]
        else:
            runs += [run, glued]
            run = glued = ""
    runs += [run, glued]
    capitals = [w for w in words if w[:1].isupper()]
    return tokens, capitals, " " + " ".join(tokens) + " ", tuple(r.upper() for r in runs if len(r) > 1)


_ACRONYM_GLUE = frozenset({"of", "and", "the", "for", "on", "in", "&"})
"""Words an acronym skips inside the name it abbreviates ("Department of Justice" → DOJ)."""


def _entity_issues(claim: str, text: str, evidence: Evidence) -> list[SupportIssue]:
    claimed = names(claim)
    if not claimed:
        return []  # the evidence is indexed only for a claim that names someone
    tokens, capitals, lowered, runs = _name_index(text)
    issues = []
    for name in claimed:
        problem = _name_problem(name, tokens, capitals, lowered, runs)
        if problem:
            issues.append(issue(ENTITY, name.text, evidence, problem))
    return issues


def _name_problem(
    name: _Name, tokens: list[str], capitals: list[str], lowered: str, runs: tuple[str, ...]
) -> str | None:
    if _alias_found(name, lowered) or _acronym_found(name, capitals, runs):
        return None
    *given, last = [t.lower() for t in name.tokens]
    where = _find_token(last, tokens)
    if where is None:
        where = _capital_parts_found(name.tokens[-1], tokens)
    if where is None:
        return f"the name {name.text!r} is not in the cited sentences"
    for g in given:
        if _find_token(g, tokens) is None and _conflicting_given_name(g, where, tokens, capitals):
            return (
                f"the name {name.text!r} differs from the cited sentences ({_before(where, tokens)} {last})"
            )
    return None


def _find_token(token: str, tokens: list[str]) -> int | None:
    if token in tokens:
        return tokens.index(token)
    hit = process.extractOne(token, tokens, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY)
    if hit is not None:
        return int(hit[2])
    for i, t in enumerate(tokens):
        shorter, longer = sorted((token, t), key=len)
        if len(shorter) >= 4 and longer.startswith(shorter):
            return i  # demonyms and plurals: Iran/Iranian, Russia/Russians
    return None


def _capital_parts_found(word: str, tokens: list[str]) -> int | None:
    """For a hyphenated word with lower-case parts ("P-make-like", "Obama-era"), where the last of its
    capitalised parts stands in `tokens` when each of them does: its lower-case parts are common words
    a paraphrase may change ("P-produce-like"), and a transcript spaces the hyphens ("P - make like")."""
    parts = word.split("-")
    names = [p for p in parts if p[:1].isupper()]
    if len(names) == len(parts) or not names:
        return None
    found = [_find_token(p.lower(), tokens) for p in names]
    return None if None in found else found[-1]


def _conflicting_given_name(given: str, where: int, tokens: list[str], capitals: list[str]) -> bool:
    """The evidence puts another capitalised given name right before the surname."""
    before = _before(where, tokens)
    if not before or before in _NOT_NAMES:
        return False
    capitalised = {c.lower() for c in capitals}
    return before in capitalised and fuzz.ratio(given, before) < GIVEN_NAME_SIMILARITY


def _before(where: int, tokens: list[str]) -> str:
    return tokens[where - 1] if where > 0 else ""


def _alias_found(name: _Name, lowered: str) -> bool:
    key = " ".join(name.tokens).lower()
    for group in _ALIASES:
        if key in group:
            return any(f" {alias} " in lowered for alias in group)
    return False


def _acronym_found(name: _Name, capitals: list[str], runs: tuple[str, ...]) -> bool:
    """ "JCPOA" and "Joint Comprehensive Plan of Action" name the same thing: the acronym's letters are
    the initials of consecutive capitalised words (initials scattered over the text do not count)."""
    if len(name.tokens) == 1 and name.tokens[0].isupper() and len(name.tokens[0]) >= 2:
        acronym = name.tokens[0].replace(".", "")
        return any(acronym in run for run in runs)
    initials = "".join(t[0] for t in name.tokens).upper()
    return len(initials) >= 2 and initials in {c.replace(".", "") for c in capitals}
