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
Each check reads the text once with precompiled patterns: cost grows linearly with the evidence.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from summarizer.analysis.dates import MONTHS, WEEKDAYS, DateRef, date_key, find_dates
from summarizer.analysis.numbers import NumberMention, find_numbers
from summarizer.grounding._contrast import ANTONYM, ANTONYM_CHECK, ATTRIBUTE_CHECK
from summarizer.grounding._evidence import Check, ClaimContext, Evidence, issue
from summarizer.rules import ALL, Selection, register
from summarizer.schemas import SupportIssue
from summarizer.text import STOPWORDS, WORD, groups, root, strip_possessive, suffix_stem, wordlist

NUMBER = register(
    "S101",
    "number",
    "check",
    "a number of the claim is not in its evidence, or counts another span of time (one-month/one-year)",
)
DATE = register("S102", "date", "check", "a date of the claim does not match a date of its evidence")
ENTITY = register(
    "S103", "entity", "check", "a name of the claim is not in its evidence, or has another given name"
)
NEGATION = register(
    "S104", "negation", "check", "the claim negates what its evidence states, or states what it negates"
)

NAME_SIMILARITY = 85.0
"""rapidfuzz ratio (0-100) at or above which two name tokens count as the same name."""

GIVEN_NAME_SIMILARITY = 70.0
"""Below this ratio a given name differs from the evidence's: "Hassan"/"Mahmoud", not "Sergei"/"Sergie"."""

_CUES = sorted(wordlist("negation_cues"), key=lambda w: (-len(w), w))
_NEGATION = re.compile(rf"\b(?!no\s+matter\b)(?:{'|'.join(_CUES)})\b(?![-‐])|n[’']t\b", re.IGNORECASE)
"""A cue followed by a hyphen starts a compound ("a no-fee tool", "no-show"): not a negation; nor is
"no matter" ("no matter their insurance": whatever it is)."""
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"“(]\s*)$")


_NOT_NAMES = wordlist("not_names")
"""Capitalised words that are not names by themselves: titles, function words that open sentences."""
_NUMBER_WORDS = wordlist("number_words")
_ALIASES = [{" ".join(words) for words in group} for group in groups("aliases")]
"""Names of one entity (`text/data/aliases.txt`), news metonymy included ("Moscow" for Russia)."""


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


# -- numbers ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _numbers(text: str) -> tuple[NumberMention, ...]:
    """Extraction is memoised: the same evidence (often the whole source) backs many items. A decimal
    read out in a transcript ("twelve dot fifty Euros", "two point five") also counts as its value."""
    found = find_numbers(text)
    return tuple(found) + tuple(_spoken_decimals(text, found))


_SPOKEN_POINT = re.compile(r"\s+(?:dot|point)\s+", re.IGNORECASE)


def _spoken_decimals(text: str, found: list[NumberMention]) -> list[NumberMention]:
    out = []
    for whole, part in itertools.pairwise(found):
        between = text[whole.end : part.start]
        if whole.unit is None and whole.value == int(whole.value) and _SPOKEN_POINT.fullmatch(between):
            digits = str(int(part.value))
            if part.value == int(part.value) and part.value >= 0:
                value = whole.value + part.value / 10 ** len(digits)
                spoken = text[whole.start : part.end]
                out.append(NumberMention(whole.start, part.end, spoken, value, part.unit))
    return out


@functools.lru_cache(maxsize=1024)
def _dates(text: str, published: dt.date | None) -> tuple[DateRef, ...]:
    return tuple(find_dates(text, published))


def _number_issues(claim: str, text: str, evidence: Evidence) -> list[SupportIssue]:
    claimed = [n for n in _numbers(claim) if not _incidental(n, claim)]
    if not claimed:
        return []  # the evidence is read only for a claim with a quantity
    found = _numbers(text)
    issues = []
    for n in claimed:
        if not any(_same_number(n, m) for m in found):
            issues.append(
                issue(NUMBER, n.text, evidence, f"the number {n.text!r} is not in the cited sentences")
            )
            continue
        same = [m for m in found if abs(n.value - m.value) <= _tolerance(n)]
        if _other_duration(n, same):
            other = next(m.text for m in same if m.unit in _DURATIONS)
            message = f"the number {n.text!r} differs from the cited sentences ({other!r})"
            issues.append(issue(NUMBER, n.text, evidence, message))
    return issues


_DURATIONS = frozenset({"year", "month", "week", "day", "hour", "minute"})


def _other_duration(claimed: NumberMention, same: list[NumberMention]) -> bool:
    """ "one-month anniversary" against "one-year anniversary": the evidence has the count only for
    another span of time (a bare "one" elsewhere does not back it)."""
    if claimed.unit not in _DURATIONS:
        return False
    units = {m.unit for m in same}
    return claimed.unit not in units and bool(units & _DURATIONS)


def _incidental(n: NumberMention, text: str) -> bool:
    """Not a quantity the evidence must state: "one" and "a" without a unit (pronouns and articles more
    often than quantities); digits inside a name or code ("COVID-19", "4Q", "FY22"); a small count of
    the people taking part written in words ("a conversation between two people"), which a dialogue
    shows without saying."""
    if n.unit is None and n.value == 1 and not n.text[:1].isdigit():
        return True
    before, after = text[max(0, n.start - 2) : n.start], text[n.end : n.end + 1]
    if after.isalpha() or before[-1:].isalpha() or (before[-1:] == "-" and before[:1].isalpha()):
        return True
    if n.text[:1].isdigit() or n.value > 10:
        return False
    following = WORD.match(text, n.end + 1) if text[n.end : n.end + 1] == " " else None
    return n.unit == "people" or (following is not None and following.group(0).lower() in _PARTICIPANTS)


_PARTICIPANTS = wordlist("participants")


def _same_number(claimed: NumberMention, found: NumberMention) -> bool:
    if claimed.unit and found.unit and claimed.unit != found.unit:
        return False
    return abs(claimed.value - found.value) <= _tolerance(claimed)


def _tolerance(n: NumberMention) -> float:
    """Half a unit of the last digit written, times the scale: "1.2 million" covers ±50,000."""
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", n.text)
    if digits is None:
        return 1e-9
    written = float(digits.group(0).replace(",", ""))
    scale = n.value / written if written else 1.0
    if scale <= 1.0:
        return 1e-9
    return 0.5 * 10.0 ** -len(digits.group(1) or "") * scale


# -- dates -----------------------------------------------------------------------------------------


def _date_issues(claim: str, text: str, evidence: Evidence) -> list[SupportIssue]:
    lowered = text.lower()
    issues = []
    for d in _dates(claim, evidence.published):
        if d.iso is None and d.precision == "relative":
            continue  # "in recent weeks": nothing to compare
        if d.text.lower() in lowered:
            continue  # written the same way: the evidence's dates need not be read
        if d.iso is None and any(w in lowered for w in _unresolved_words(d.text)):
            continue  # no publication date to resolve "on Friday": "last Friday" backs it by its words
        if any(same_date(d, e) for e in _dates(text, evidence.published)):
            continue
        issues.append(issue(DATE, d.text, evidence, f"the date {d.text!r} is not in the cited sentences"))
    return issues


def _unresolved_words(text: str) -> list[str]:
    """The weekday and month words of a date that could not be resolved ("on Friday" → friday)."""
    return [w for w in WORD.findall(text.lower()) if w in WEEKDAYS or w.rstrip(".") in MONTHS]


def same_date(claimed: DateRef, found: DateRef) -> bool:
    """Whether `found` establishes `claimed`: the same date, or a finer one within it."""
    a, b = date_key(claimed), date_key(found)
    if a == b or b.startswith(a + "-"):
        return True
    if a.startswith("--") and len(b) >= 10 and b[4:].startswith(a[1:]):
        return True  # "June 24" (year unknown) and "2020-06-24"
    if "-W" in a and len(b) == 10:
        year, week, _ = dt.date.fromisoformat(b).isocalendar()
        return a == f"{year:04d}-W{week:02d}"
    return False


def issue_for_iso(iso: str, evidence: Evidence) -> SupportIssue | None:
    """A date item's ISO form must match a date of its evidence (e.g. "on Friday" → 2020-09-04)."""
    found = [e for e in _dates(evidence.text, evidence.published) if e.iso]
    claimed = DateRef(0, len(iso), iso, iso, "day")
    if not found or any(same_date(claimed, e) or same_date(e, claimed) for e in found):
        return None
    resolved = ", ".join(f"{e.text} = {e.iso}" for e in found)
    return issue(DATE, iso, evidence, f"the ISO date {iso} does not match the cited sentences ({resolved})")


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
