"""The `number` and `date` support checks (see `_support.py`): quantities and dates of an item
against those of its evidence."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re

from summarizer.analysis.dates import MONTHS, WEEKDAYS, DateRef, date_key, find_dates
from summarizer.analysis.numbers import NumberMention, find_numbers
from summarizer.grounding._evidence import Evidence, issue
from summarizer.rules import register
from summarizer.schemas import SupportIssue
from summarizer.text import WORD, wordlist

NUMBER = register(
    "S101",
    "number",
    "check",
    "a number of the claim is not in its evidence, or counts another span of time (one-month/one-year)",
)
DATE = register("S102", "date", "check", "a date of the claim does not match a date of its evidence")


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
