"""Dates in text: absolute forms, weekdays and relative phrases, resolved against a publication date.

`find_dates(text, published)` returns every date mention with its character offsets, an ISO form when
one can be derived and how precise it is:

- `day`: "June 24", "May 8, 2018", "8 May 2018", "2018-05-08", "05/08/2018" (when unambiguous);
  ISO `YYYY-MM-DD`. A day without a year takes the year that puts it closest to `published`.
- `month`: "May 2018", "in May"; ISO `YYYY-MM`.
- `year`: "2018", "in 2015"; ISO `YYYY`.
- `weekday`: "on Friday", "last Friday", "next Friday"; the most recent such day on or before
  `published` (the next one after it for "next"); ISO `YYYY-MM-DD`.
- `relative`: "yesterday", "today", "tomorrow", "two days ago", "last week" (ISO week `YYYY-Www`),
  "last month" (`YYYY-MM`), "last year" (`YYYY`).
- `unknown`: a date whose reading is ambiguous ("05/08/2018") or needs a publication date that is
  not given; ISO is None.

Without `published`, weekdays, relative phrases and days without a year get `iso=None`. Everything is
precompiled regular expressions scanned once: linear in the text length.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

from summarizer.text import ONES, groups, ordered

__all__ = ["MONTHS", "WEEKDAYS", "DateRef", "Precision", "date_key", "find_dates"]

Precision = Literal["day", "month", "year", "weekday", "relative", "unknown"]


@dataclass(frozen=True)
class DateRef:
    """One date mention: `text == source[start:end]`."""

    start: int
    end: int
    text: str
    iso: str | None
    """`YYYY-MM-DD`, `YYYY-MM`, `YYYY` or an ISO week `YYYY-Www`; None when it cannot be resolved."""
    precision: Precision


MONTHS = {name: n for n, (names,) in enumerate(groups("months"), 1) for name in names}
WEEKDAYS = {name: n for n, (names,) in enumerate(groups("weekdays")) for name in names}
_SMALL = {"a": 1, "an": 1, **{word: n for word, n in ONES.items() if 1 <= n <= 12}}

# Month names are capitalised in running text; matching them case-sensitively keeps the verb "may"
# and the word "march" out. Abbreviations may carry a full stop ("Sept.", "Feb.").
_FULL_MONTHS = [names[0].capitalize() for (names,) in groups("months")]
_SHORT_MONTHS = [  # longest first: "Sept" before "Sep"
    short.capitalize() for (names,) in groups("months") for short in sorted(names[1:], key=len, reverse=True)
]
_MONTH = r"(?P<{g}>(?:" + "|".join([*_FULL_MONTHS, *_SHORT_MONTHS]) + r")\b\.?)"
_WEEKDAY = r"(?:" + "|".join(line[0][0].capitalize() for line in groups("weekdays")) + ")"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:1[89]|20)\d\d)"
# A four-digit number followed by one of these is a count, not a year ("2000 people").
_COUNT_NOUNS = "|".join(ordered("count_nouns"))
_COUNT = r"(?P<n>\d{1,3}|" + "|".join(_SMALL) + ")"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:1[89]|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("numeric", re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:1[89]|20)\d\d)\b")),
    (
        "mdy",
        re.compile(
            rf"(?:\b{_WEEKDAY},?\s+)?\b{_MONTH.format(g='m')}\s+{_DAY.format(g='d')}\b"
            rf"(?:,?\s+{_YEAR.format(g='y')}\b)?"
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"(?:\b{_WEEKDAY},?\s+)?\b{_DAY.format(g='d')}\s+(?:of\s+)?{_MONTH.format(g='m')}"
            rf"(?:,?\s+{_YEAR.format(g='y')}\b)?"
        ),
    ),
    ("my", re.compile(rf"\b{_MONTH.format(g='m')},?\s+{_YEAR.format(g='y')}\b")),
    (
        "month",
        re.compile(
            rf"\b(?:in|of|since|until|till|by|from|during|early|late|mid|last|next|this)[\s-]+"
            rf"(?:early\s+|late\s+|mid-?)?{_MONTH.format(g='m')}"
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<rel>on|last|next|this|past|late|early)\s+)?(?P<w>{_WEEKDAY})\b"
            r"(?:\s+(?:morning|afternoon|evening|night))?",
        ),
    ),
    (
        "ago",
        re.compile(rf"\b{_COUNT}\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.IGNORECASE),
    ),
    (
        "relword",
        re.compile(
            r"\b(?:(?P<day>yesterday|today|tomorrow|tonight)"
            r"|(?P<rel>last|next|this|past)\s+(?P<unit>week|month|year))\b",
            re.IGNORECASE,
        ),
    ),
    ("vague", re.compile(r"\b(?:in\s+)?recent\s+(?:days|weeks|months|years)\b", re.IGNORECASE)),
    (
        "year",
        re.compile(
            rf"(?<![\d,.$€£]){_YEAR.format(g='y')}(?!\d|[,.]\d|\s*%|\s+(?:{_COUNT_NOUNS})\b)", re.IGNORECASE
        ),
    ),
]


_PATTERN_OF = dict(_PATTERNS)

# Cheap preconditions, one search each per text: a pattern whose gate finds nothing cannot match, so
# skipping it changes nothing. Each gate is a necessary part of every match of the patterns it guards,
# with the same case sensitivity.
_DIGIT = re.compile(r"\d")
_MONTH_NAME = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b"
)
_MONTH_GATE = re.compile(_MONTH_NAME)
_MDY_GATE = re.compile(rf"{_MONTH_NAME}\.?\s+\d")
_DMY_GATE = re.compile(rf"\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}")
_MY_GATE = re.compile(rf"{_MONTH_NAME}\.?,?\s+(?:1[89]|20)\d\d")
_WEEKDAY_GATE = re.compile(rf"{_WEEKDAY}\b")
_AGO_GATE = re.compile(r"ago\b", re.IGNORECASE)
_RELWORD_GATE = re.compile(r"(?:yesterday|today|tomorrow|tonight|week|month|year)\b", re.IGNORECASE)
_VAGUE_GATE = re.compile(r"recent\s", re.IGNORECASE)
_RELATIVE_GATE = re.compile(r"ago|recent|yesterday|today|tomorrow|tonight|week|month|year", re.IGNORECASE)
"""Part of every match of the three gates above: one search rules all three out."""


def _gates(text: str) -> dict[str, bool]:
    digit = _DIGIT.search(text) is not None
    month = _MONTH_GATE.search(text) is not None
    relative = _RELATIVE_GATE.search(text) is not None
    return {
        "iso": digit and "-" in text,
        "numeric": digit and "/" in text,
        "mdy": digit and month and _MDY_GATE.search(text) is not None,
        "dmy": digit and month and _DMY_GATE.search(text) is not None,
        "my": digit and month and _MY_GATE.search(text) is not None,
        "month": month,
        "weekday": _WEEKDAY_GATE.search(text) is not None,
        "ago": relative and _AGO_GATE.search(text) is not None,
        "relword": relative and _RELWORD_GATE.search(text) is not None,
        "vague": relative and _VAGUE_GATE.search(text) is not None,
        "year": digit,
    }


def find_dates(text: str, published: dt.date | None = None) -> list[DateRef]:
    """Every date mention in `text`, in order; earlier patterns win where matches overlap."""
    found = [_resolve(kind, m, published) for kind, m in _mentions(text)]
    return sorted([ref for ref in found if ref is not None], key=lambda r: r.start)


@functools.lru_cache(maxsize=256)
def _mentions(text: str) -> tuple[tuple[str, re.Match[str]], ...]:
    """The matches that make the date mentions of `text`, in the order the patterns take them.

    Which matches are mentions does not depend on the publication date (`_resolve` gives None for the
    same matches with or without one), so a text read with and without it is scanned once (memoised).
    """
    taken = bytearray(len(text))  # 1 where a match already lies: overlap tests stay linear
    found: list[tuple[str, re.Match[str]]] = []
    gates = _gates(text)
    for kind, pattern in _PATTERNS:
        if not gates[kind]:
            continue
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            if _resolve(kind, m, None) is None:
                continue
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            found.append((kind, m))
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def date_key(ref: DateRef) -> str:
    """A comparable form even without a year: the ISO form, or `--MM-DD` / `--MM` from the text."""
    if ref.iso:
        return ref.iso
    for kind in ("mdy", "dmy"):
        m = _PATTERN_OF[kind].search(ref.text)
        if m:
            return f"--{MONTHS[_month_name(m['m'])]:02d}-{int(m['d']):02d}"
    m = _PATTERN_OF["month"].search(ref.text)
    if m:
        return f"--{MONTHS[_month_name(m['m'])]:02d}"
    return ref.text.lower()


def _month_name(raw: str) -> str:
    return raw.rstrip(".").lower()


def _ref(m: re.Match[str], iso: str | None, precision: Precision) -> DateRef:
    return DateRef(m.start(), m.end(), m.group(0), iso, precision)


def _resolve(kind: str, m: re.Match[str], published: dt.date | None) -> DateRef | None:
    if kind in ("iso", "mdy", "dmy", "numeric"):
        return _absolute_day(kind, m, published)
    if kind in ("my", "month"):
        month = MONTHS[_month_name(m["m"])]
        year = int(m["y"]) if kind == "my" else _closest_year_for_month(month, published)
        return _ref(m, f"{year:04d}-{month:02d}" if year else None, "month")
    if kind == "year":
        return _ref(m, m["y"], "year")
    if kind == "weekday":
        return _weekday(m, published)
    if kind == "ago":
        return _ago(m, published)
    if kind == "relword":
        return _relative_word(m, published)
    return _ref(m, None, "relative")


def _absolute_day(kind: str, m: re.Match[str], published: dt.date | None) -> DateRef | None:
    if kind == "numeric":
        a, b = int(m["a"]), int(m["b"])
        if a != b and a <= 12 and b <= 12:
            return _ref(m, None, "unknown")
        month, day = (a, b) if a <= 12 else (b, a)
    else:
        month = int(m["m"]) if kind == "iso" else MONTHS[_month_name(m["m"])]
        day = int(m["d"])
    year = int(m["y"]) if m["y"] else _closest_year(month, day, published)
    if not 1 <= day <= 31:
        return None
    if year is None:
        return _ref(m, None, "day")
    try:
        return _ref(m, dt.date(year, month, day).isoformat(), "day")
    except ValueError:
        return None


def _closest_year(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    best: tuple[int, int] | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            gap = abs((dt.date(year, month, day) - published).days)
        except ValueError:
            continue
        if best is None or gap < best[0]:
            best = (gap, year)
    return best[1] if best else None


def _closest_year_for_month(month: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    candidates = [
        (published.year + k, abs((published.year + k) * 12 + month - _months(published))) for k in (-1, 0, 1)
    ]
    return min(candidates, key=lambda c: c[1])[0]


def _months(day: dt.date) -> int:
    return day.year * 12 + day.month


def _weekday(m: re.Match[str], published: dt.date | None) -> DateRef:
    if published is None:
        return _ref(m, None, "weekday")
    target = WEEKDAYS[m["w"].lower()]
    back = (published.weekday() - target) % 7
    rel = (m["rel"] or "").lower()
    if rel == "next":
        day = published + dt.timedelta(days=(target - published.weekday()) % 7 or 7)
    elif rel == "last" and back == 0:
        day = published - dt.timedelta(days=7)
    else:
        day = published - dt.timedelta(days=back)
    return _ref(m, day.isoformat(), "weekday")


def _ago(m: re.Match[str], published: dt.date | None) -> DateRef:
    if published is None:
        return _ref(m, None, "relative")
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else _SMALL[raw]
    return _ref(m, _shift(published, m["unit"].lower(), -n), "relative")


def _relative_word(m: re.Match[str], published: dt.date | None) -> DateRef:
    if published is None:
        return _ref(m, None, "relative")
    if m["day"]:
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[m["day"].lower()]
        return _ref(m, (published + dt.timedelta(days=offset)).isoformat(), "relative")
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return _ref(m, _shift(published, m["unit"].lower(), step), "relative")


def _shift(published: dt.date, unit: str, n: int) -> str:
    """ISO form of `published` moved by n units, at the unit's precision."""
    if unit == "day":
        return (published + dt.timedelta(days=n)).isoformat()
    if unit == "week":
        year, week, _ = (published + dt.timedelta(weeks=n)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if unit == "month":
        total = _months(published) - 1 + n
        return f"{total // 12:04d}-{total % 12 + 1:02d}"
    return f"{published.year + n:04d}"
