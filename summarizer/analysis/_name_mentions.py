"""Finding the names of one document: runs of capitalised words, title-case lines, the fullest form.

A bare surname (`Vaezi`) resolves to the fullest name in the document that ends with it (`Mahmoud
Vaezi`). Weekdays, and months written as dates, end a name. On title-case lines (headlines, subheads)
only names that also occur in the running text of the document are taken. Part of
`summarizer.analysis.names`, which is where to import from.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence

from summarizer.analysis._name_typing import (
    _CONNECTORS,
    _MONTHS_DAYS,
    _NAME_MONTHS,
    _WEEKDAYS,
    NameMention,
    _from_run,
)
from summarizer.analysis._text import DocIndex, index_of
from summarizer.analysis.align import is_notice, title_case
from summarizer.schemas import Document
from summarizer.text import NAME_TOKEN


def find_names(doc: Document, index: DocIndex | None = None) -> list[NameMention]:
    """Every name mention in the document, typed, with the fullest form of each name."""
    idx = index or index_of(doc)
    raw: list[NameMention] = []
    headings: list[tuple[int, int]] = []
    lines = _TitleLines(idx.text)
    for i, s in enumerate(doc.sentences):
        if idx.boilerplate[i] or is_notice(idx.sentence_texts[i]):
            continue
        if lines.holds(s.start, s.end):
            headings.append((s.start, s.end))
        else:
            raw.extend(_names_in(idx, s.start, s.end))
    if headings:
        raw = sorted(raw + _names_in_headings(idx, headings, raw), key=lambda m: m.start)
    return _canonicalise(raw, headings)


class _TitleLines:
    """Which lines of a text are title-case lines (all words capitalised, so capitals say nothing).
    Each line is read once, however many sentences it holds: a text without line breaks stays linear."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.known: dict[tuple[int, int], bool] = {}

    def holds(self, start: int, end: int) -> bool:
        """Whether the line(s) holding `start:end` form a title-case line."""
        first, last = bisect.bisect_left(self.breaks, start), bisect.bisect_left(self.breaks, end)
        if (first, last) not in self.known:
            lo = self.breaks[first - 1] + 1 if first else 0
            hi = self.breaks[last] if last < len(self.breaks) else len(self.text)
            self.known[first, last] = title_case(self.text[lo:hi])
        return self.known[first, last]


def _names_in_headings(
    idx: DocIndex, headings: list[tuple[int, int]], running: list[NameMention]
) -> list[NameMention]:
    """Names on title-case lines: only those the running text also names, as it writes them. At each
    word start the longest known name written there is taken (names are looked up by their first
    word, not tried one by one), and the search goes on after it."""
    known: dict[str, NameMention] = {}
    for m in running:
        known.setdefault(m.text, m)
    by_first: dict[str, list[str]] = {}
    for name in sorted(known, key=len, reverse=True):
        by_first.setdefault(name.split(None, 1)[0], []).append(name)
    text = idx.text
    out = []
    for start, end in headings:
        pos = start
        while pos < end:
            opens = pos == 0 or (text[pos - 1] not in _NOT_BEFORE and not text[pos - 1].isalnum())
            found = _known_at(text, pos, end, by_first) if opens else None
            if found is None:
                pos += 1
                continue
            m = known[found]
            out.append(NameMention(idx.id, pos, pos + len(found), found, m.type, None))
            pos += len(found)
    return out


_NOT_BEFORE = "_'’.-"
"""Besides letters and digits, what may not stand right before a name (or `_NOT_AFTER` after it)."""
_NOT_AFTER = "_'’-"


def _known_at(text: str, pos: int, end: int, by_first: dict[str, list[str]]) -> str | None:
    """The longest known name written at `pos` and ending at a word boundary before `end`."""
    stop = pos
    while stop < end and not text[stop].isspace():
        stop += 1
    candidates = [n for k in range(pos + 1, stop + 1) for n in by_first.get(text[pos:k], ())]
    for name in sorted(candidates, key=len, reverse=True):
        after = pos + len(name)
        if after > end or not text.startswith(name, pos):
            continue
        if after == end or (text[after] not in _NOT_AFTER and not text[after].isalnum()):
            return name
    return None


def _names_in(idx: DocIndex, start: int, end: int) -> list[NameMention]:
    text = idx.text
    tokens = [(m.start(), m.end(), m.group(0)) for m in NAME_TOKEN.finditer(text, start, end)]
    first = tokens[0][0] if tokens else -1
    found: list[NameMention] = []
    run: list[tuple[int, int, str]] = []

    def flush() -> None:
        nonlocal run
        found.extend(_from_run(idx, run, at_start=bool(run) and run[0][0] == first))
        run = []

    for n, tok in enumerate(tokens):
        joined = not run or not _gap_breaks(text, run[-1][1], tok[0])
        if _date_word(text, tok):
            flush()
        elif _capitalised(tok[2]):
            if not joined:
                flush()
            if tok[2].endswith(("’s", "'s")):
                run.append((tok[0], tok[1] - 2, tok[2][:-2]))
                flush()
            else:
                run.append(tok)
        elif run and joined and tok[2].lower() in _CONNECTORS and _continues(tokens, n):
            run.append(tok)
        else:
            flush()
    flush()
    return found


_DAY_NUMBER = re.compile(r"[ \u00a0]+\d{1,2}(?:st|nd|rd|th)?\b")


def _date_word(text: str, tok: tuple[int, int, str]) -> bool:
    """A weekday, or a month written as part of a date: never a word of a name."""
    word = tok[2].rstrip(".")
    if word in _WEEKDAYS:
        return True
    if word not in _MONTHS_DAYS:
        return False
    return word not in _NAME_MONTHS or _DAY_NUMBER.match(text, tok[1]) is not None


def _continues(tokens: list[tuple[int, int, str]], n: int) -> bool:
    nxt = tokens[n + 1][2] if n + 1 < len(tokens) else ""
    return _capitalised(nxt) and not nxt.endswith(("’s", "'s"))


def _capitalised(token: str) -> bool:
    return token[:1].isupper()


def _gap_breaks(text: str, end: int, start: int) -> bool:
    """Words of one name are separated by a single space (or a hyphen), nothing else."""
    gap = text[end:start]
    return gap not in (" ", "-", "\u00a0")


def _canonicalise(raw: list[NameMention], headings: Sequence[tuple[int, int]] = ()) -> list[NameMention]:
    """Resolve each mention to the fullest name of the document; a bare surname of a person is a person.

    A surname written bare in the body before any fuller name ending with it (`President Trump …`,
    then `Melania Trump` later) belongs to someone the document never names in full: its bare mentions
    are then left unresolved rather than given to the fuller name. Headlines (`headings`) commonly use
    surnames alone and do not count."""
    counts = Counter(m.text for m in raw if m.type == "person")
    first_at: dict[str, int] = {}
    for m in raw:
        first_at.setdefault(m.text, m.start)
    fullest: dict[str, str] = {}  # surname → the longest person name ending with it
    for p in sorted(counts, key=lambda p: (-len(p), -counts[p], first_at[p])):  # ties: most named, first
        fullest.setdefault(p.split()[-1], p)
    first_full: dict[str, int] = {}
    for m in raw:
        if m.type == "person" and len(m.text.split()) > 1:
            first_full.setdefault(m.text.split()[-1], m.start)
    heading_starts = [a for a, _ in headings]
    ambiguous = {
        m.text
        for m in raw
        if len(m.text.split()) == 1
        and not _inside(m.start, headings, heading_starts)
        and m.start < first_full.get(m.text, -1)
    }
    out = []
    for m in raw:
        full, kind = m.text, m.type
        words = m.text.split()
        fuller = fullest.get(words[-1]) if words else None
        if (
            fuller is not None
            and len(fuller) > len(m.text)
            and (m.type == "person" or (m.type == "other" and len(words) == 1))
        ):
            # a person all the same; named in full only when the surname is not ambiguous
            full, kind = (m.text if m.text in ambiguous else fuller), "person"
        out.append(NameMention(m.source, m.start, m.end, m.text, kind, m.role, full))
    return out


def _inside(offset: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """Whether `offset` lies in one of `spans` (sorted, not overlapping; `starts` their starts)."""
    n = bisect.bisect_right(starts, offset) - 1
    return n >= 0 and spans[n][0] <= offset < spans[n][1]


class NameIndex:
    """Name mentions in text order, with those that start in a range found by bisection, so that
    looking up the names near each quote or sentence does not read every name of the document."""

    def __init__(self, mentions: Sequence[NameMention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]

    def between(self, lo: int, hi: int) -> list[NameMention]:
        """The mentions starting at `lo` or later and before `hi`, in text order."""
        return self.mentions[bisect.bisect_left(self.starts, lo) : bisect.bisect_left(self.starts, hi)]


def fullest_name(mentions: Sequence[NameMention], surface: str) -> str:
    """The fullest person name in `mentions` that `surface` (e.g. `Vaezi`) is a form of."""
    last = surface.split()[-1] if surface.split() else surface
    best = surface
    for m in mentions:
        if m.type == "person" and m.canonical.split()[-1] == last and len(m.canonical) > len(best):
            best = m.canonical
    return best
