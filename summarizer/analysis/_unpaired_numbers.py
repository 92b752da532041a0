"""Figures of one thing in statements the alignment does not pair (`compare`): one outlet `received
55,000 pages of emails`, another, in a sentence worded otherwise, `50,000 pages of printed emails`.

The aligned pass (`_value_findings`) compares the values of sentences that tell the same statement.
A figure told in sentences worded too differently to pair is compared here, under stricter guards,
all of which must hold:
- the same noun written right after each value (`pages`; `12 dead` and `15 wounded` count people
  but not the same people); a sum of money, a percentage, a span of time or a bare number is too
  common a unit to say that two figures count one thing;
- each is the only exact value its document gives of that unit, and the two differ;
- neither is approximate (`about`, `nearly`, `more than` before it: `approximators`);
- no sentence holding one is paired with a sentence holding the other (then the aligned pass judged);
- the two sentences name a person or body in common, or share the word that says what the value
  measures (`_same_context`);
- they are not set on different days or in different years (days of speaking aside: `said Monday`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.analysis._findings import (
    UNPAIRED_NUMBER,
    UNPAIRED_NUMBER_CONFIDENCE,
    DocumentAnalysis,
    Finding,
)
from summarizer.analysis._value_findings import (
    VALUE_MATCH,
    _a_day,
    _both,
    _in_sentence,
    _may_be,
    _same_context,
    _when_said,
)
from summarizer.analysis.align import Alignment
from summarizer.analysis.dates import DateRef
from summarizer.analysis.names import NameGroup
from summarizer.analysis.numbers import NumberMention
from summarizer.text import NEXT_WORD, STOPWORDS_ANALYSIS, ordered, stem_light, table

_APPROXIMATE = tuple(p.replace("_", " ") for p in ordered("approximators"))
_WORDS_BEFORE = re.compile(r"((?:[\w'’-]+\s+){1,3})$")
_COMMON_UNITS = frozenset({*table("units").values(), "clock"}) - frozenset(
    {"people", "km", "mi", "m", "kg", "t"}
)
"""Units of `find_numbers` too common to say what a figure counts: money, percentages, spans and times."""


def _unpaired_number_conflicts(
    per_doc: Sequence[DocumentAnalysis], alignment: Alignment, groups: Sequence[NameGroup]
) -> list[Finding]:
    """Number conflicts between sentences the alignment does not pair (see the module's guards)."""
    exact = [_exact_by_unit(a) for a in per_doc]
    actors = _actors(per_doc, groups)
    findings = []
    for d in range(len(per_doc)):
        for e in range(d + 1, len(per_doc)):
            for unit in sorted(exact[d].keys() & exact[e].keys()):
                found = _pair(per_doc, alignment, actors, d, e, exact[d][unit], exact[e][unit], unit)
                if found is not None:
                    findings.append(found)
    return findings


def _pair(
    per_doc: Sequence[DocumentAnalysis],
    alignment: Alignment,
    actors: dict[tuple[int, int], set[int]],
    d: int,
    e: int,
    xs: list[tuple[int, NumberMention]],
    ys: list[tuple[int, NumberMention]],
    unit: str,
) -> Finding | None:
    """The conflict of document `d`'s and `e`'s only values of `unit` (each `(sentence, mention)`)."""
    if {x.value for _, x in xs} & {y.value for _, y in ys}:
        return None
    if any(_paired(alignment, d, s, e, t) for s, _ in xs for t, _ in ys):
        return None  # the aligned pass compared these statements
    a, b = per_doc[d], per_doc[e]
    for s, x in xs:
        for t, y in ys:
            if (d, s) in alignment.skipped or (e, t) in alignment.skipped:
                continue
            if _other_days(a, s, b, t):
                continue
            shared = actors.get((d, s), set()) & actors.get((e, t), set())
            if not shared and not _same_context(a, s, x.start, x.end, b, t, y.start, y.end, ignore=unit):
                continue
            return Finding(
                "",
                "conflict",
                "number",
                f"Statements worded differently give different numbers ({unit}): {x.text} in "
                f"{a.index.id}, {y.text} in {b.index.id}.",
                UNPAIRED_NUMBER_CONFIDENCE,
                _both(a, x, b, y),
                rule=UNPAIRED_NUMBER.code,
            )
    return None


def _exact_by_unit(a: DocumentAnalysis) -> dict[str, list[tuple[int, NumberMention]]]:
    """Per unit noun, the exact mentions of the document's only exact value of it, with their sentences."""
    text = a.index.text
    by_unit: dict[str, list[tuple[int, NumberMention]]] = {}
    for n in a.numbers:
        unit = _unit_noun(n, text)
        s = a.index.sentence_at(n.start)
        if unit and s is not None and not _approximate(text, n):
            by_unit.setdefault(unit, []).append((s, n))
    return {u: ms for u, ms in by_unit.items() if len({n.value for _, n in ms}) == 1}


def _unit_noun(n: NumberMention, text: str) -> str:
    """What a figure counts, as written: the noun right after it (`pages`; `dead` and `wounded` apart,
    though both count people), never money, a percentage, a span of time, a word joined by a hyphen
    (`a four-page summary`, `a 14-year-old`) or a stop word."""
    if n.unit in _COMMON_UNITS or "-" in n.text:
        return ""
    if n.unit is not None:
        word = n.text.split()[-1]
    else:
        after = NEXT_WORD.match(text, n.end)
        if after is None:
            return ""
        word = after.group(1)
    lower = word.lower()
    return "" if lower in STOPWORDS_ANALYSIS or not word.islower() else stem_light(lower)


def _approximate(text: str, n: NumberMention) -> bool:
    before = _WORDS_BEFORE.search(text, max(0, n.start - 40), n.start)
    words = " ".join(before.group(1).lower().split()) if before else ""
    return any(words == p or words.endswith(" " + p) for p in _APPROXIMATE)


def _paired(alignment: Alignment, d: int, s: int, e: int, t: int) -> bool:
    """Whether sentences `(d, s)` and `(e, t)` are each other's best match at `VALUE_MATCH` or above."""
    there, back = alignment.match(d, s, e), alignment.match(e, t, d)
    return (
        there is not None and back is not None and there[0] == t and back[0] == s and there[1] >= VALUE_MATCH
    )


def _other_days(a: DocumentAnalysis, s: int, b: DocumentAnalysis, t: int) -> bool:
    """Whether the sentences date what they tell differently: both to a day, and no day of one may be a
    day of the other; or both to a year at least, and no year in common. A day of speaking (`said
    Monday`) dates no event."""
    da, db = _event_dates(a, s), _event_dates(b, t)
    days_a = {day for x in da if _a_day(x) for day in _may_be(a, x)}
    days_b = {day for y in db if _a_day(y) for day in _may_be(b, y)}
    if days_a and days_b and days_a.isdisjoint(days_b):
        return True
    years_a, years_b = {x.iso[:4] for x in da if x.iso}, {y.iso[:4] for y in db if y.iso}
    return bool(years_a and years_b) and years_a.isdisjoint(years_b)


def _event_dates(a: DocumentAnalysis, s: int) -> list[DateRef]:
    return [x for x in _in_sentence(a.dates, a.index, s) if not _when_said(a, x)]


def _actors(
    per_doc: Sequence[DocumentAnalysis], groups: Sequence[NameGroup]
) -> dict[tuple[int, int], set[int]]:
    """For every sentence `(document, sentence)`, the people and bodies it names (numbers of `groups`)."""
    number = {a.index.id: d for d, a in enumerate(per_doc)}
    out: dict[tuple[int, int], set[int]] = {}
    for g, group in enumerate(groups):
        if group.type not in ("person", "organization"):
            continue
        for m in group.mentions:
            d = number.get(m.source)
            s = per_doc[d].index.sentence_at(m.start) if d is not None else None
            if d is not None and s is not None:
                out.setdefault((d, s), set()).add(g)
    return out
