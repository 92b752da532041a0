"""Values in aligned statements (`compare`): dates and numbers two matching statements give differently."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from summarizer.analysis._findings import (
    DATE_BASE,
    DATE_CONFLICT,
    NUMBER_BASE,
    NUMBER_CONFLICT,
    VALUE_MAX,
    VALUE_PER_SCORE,
    DocumentAnalysis,
    Finding,
    SourceValue,
)
from summarizer.analysis._text import DocIndex
from summarizer.analysis.align import Alignment
from summarizer.analysis.dates import DateRef
from summarizer.analysis.numbers import NumberMention
from summarizer.text import NEXT_WORD, STOPWORDS_ANALYSIS, WORD_ANY_SCRIPT, content_stems, ordered, stem_light

VALUE_MATCH = 0.35
"""How alike two sentences must be (each the other's best match) for their dates and numbers to be
compared. At 0.2 the tune stories gain no true conflict and one false one (a relative day, now ruled
out by `_may_be`), the held-out ones one false one (two events of one story)."""


def _value_conflicts(per_doc: Sequence[DocumentAnalysis], alignment: Alignment) -> list[Finding]:
    findings = []
    seen: set[tuple[int, int, int, int]] = set()
    for (d, s), best in alignment.best.items():
        for other, (t, score) in best.items():
            if score < VALUE_MATCH or other < d or (d, s, other, t) in seen:
                continue
            back = alignment.match(other, t, d)
            if back is None or back[0] != s:
                continue  # not each other's best match: a related sentence, not the same statement
            seen.add((d, s, other, t))
            a, b = per_doc[d], per_doc[other]
            findings += _date_conflicts(a, s, b, t, score)
            findings += _number_conflicts(a, s, b, t, score)
    return findings


def _in_sentence(items: Sequence[DateRef] | Sequence[NumberMention], idx: DocIndex, s: int) -> list:  # type: ignore[type-arg]
    sent = idx.doc.sentences[s]
    return [x for x in items if sent.start <= x.start < sent.end]


_SPEECH_VERBS = frozenset(w for w in ordered("speech_verbs") if "_" not in w)
_SAID_BEFORE = re.compile(r"(?:\s*[\w'’-]+){1,2}\s*$")


def _when_said(a: DocumentAnalysis, x: DateRef) -> bool:
    """Whether a date tells when someone spoke rather than when the event told happened: a verb of
    saying one or two words before it (`said Thursday`, `told reporters on Friday`) or right after
    it (`on Friday said`; not after a comma: `killed 12 on Monday, officials said`)."""
    text = a.index.text
    before = _SAID_BEFORE.search(text, max(0, x.start - 40), x.start)
    words = before.group(0).lower().split() if before else []
    after = NEXT_WORD.match(text, x.end)
    return any(w in _SPEECH_VERBS for w in words) or bool(after and after.group(1).lower() in _SPEECH_VERBS)


def _a_day(x: DateRef) -> bool:
    """A date resolved to one day: a date, a weekday, or `yesterday` / `today` / `tomorrow`, each
    against its own outlet's publication date, so `yesterday` on Friday meets `Thursday` on Saturday."""
    return bool(x.iso) and len(x.iso or "") == 10 and x.precision in ("day", "weekday", "relative")


def _may_be(a: DocumentAnalysis, x: DateRef) -> set[str]:
    """The days a date may name: a bare weekday (`on Monday`) is read as the last one on or before the
    publication date, but may be the coming one (`he will speak on Monday` the day before)."""
    days = {x.iso or ""}
    published = a.doc.published
    if x.precision == "weekday" and published is not None and not x.text.lower().startswith(("last", "next")):
        back = (published - dt.date.fromisoformat(x.iso or "")).days
        days.add((published + dt.timedelta(days=(7 - back) % 7 or 7)).isoformat())
    return days


def _date_conflicts(a: DocumentAnalysis, s: int, b: DocumentAnalysis, t: int, score: float) -> list[Finding]:
    da = [x for x in _in_sentence(a.dates, a.index, s) if _a_day(x)]
    db = [x for x in _in_sentence(b.dates, b.index, t) if _a_day(x)]
    if len(da) != 1 or len(db) != 1 or not _may_be(a, da[0]).isdisjoint(_may_be(b, db[0])):
        return []
    x, y = da[0], db[0]
    if not _same_context(a, s, x.start, x.end, b, t, y.start, y.end):
        return []  # `said Thursday` / `tweeted on Friday`: two events, each with its day
    if _when_said(a, x) != _when_said(b, y):
        return []  # `killed 12 on Monday, officials said` / `officials said on Tuesday that …`
    confidence = round(min(VALUE_MAX, DATE_BASE + score * VALUE_PER_SCORE), 2)
    return [
        Finding(
            "",
            "conflict",
            "date",
            f"Matching statements give different dates: {x.text} ({x.iso}) in {a.index.id}, "
            f"{y.text} ({y.iso}) in {b.index.id}.",
            confidence,
            _both(a, x, b, y),
            rule=DATE_CONFLICT.code,
        )
    ]


CONTEXT_WORDS = 2
"""Content words on each side of a value that say what it measures (`killed`, `tax rate`, `wounded`):
two, so that the story's actors and places a few words off (`$500,000 of airtime in Miami` / `costing
Secure America $1 million` in Miami) do not make two quantities one (story-07, tune)."""


def _context(a: DocumentAnalysis, s: int, start: int, end: int) -> dict[str, bool]:
    """The content words next to a value, each with whether it is a common word (in lower case, or
    opening the sentence) rather than part of a name: `CONTEXT_WORDS` on each side, and on each side
    the nearest common word when those are all names (`released by the Justice Department on Friday`)."""
    sent = a.index.doc.sentences[s]
    text = a.index.text
    before = _words(text, sent.start, start, opening=True)[::-1]
    after = _words(text, end, sent.end)
    out: dict[str, bool] = {}
    for side in (before, after):
        seen = False  # a common word among those taken on this side
        for n, (stem, common) in enumerate(side):
            if n >= CONTEXT_WORDS and seen:
                break
            if n < CONTEXT_WORDS or common:
                out[stem] = out.get(stem, False) or common
                seen = seen or common
    return out


def _words(text: str, lo: int, hi: int, opening: bool = False) -> list[tuple[str, bool]]:
    """The content stems of `text[lo:hi]` with whether each is a common word (see `_context`);
    `opening`: `text[lo:hi]` opens a sentence."""
    out = []
    for n, m in enumerate(WORD_ANY_SCRIPT.finditer(text, lo, hi)):
        w = m.group(0).lower().replace("’", "'")
        if w in STOPWORDS_ANALYSIS or len(w) < 2:
            continue
        out.append((stem_light(w), (opening and n == 0) or not m.group(0)[:1].isupper()))
    return out


def _same_context(
    a: DocumentAnalysis,
    s: int,
    a_start: int,
    a_end: int,
    b: DocumentAnalysis,
    t: int,
    b_start: int,
    b_end: int,
    ignore: str = "",
) -> bool:
    """Whether two values in aligned sentences are about the same thing: the words next to them share
    a common content word other than the unit (and other than numbers), the verb or noun that says
    what the value measures. A shared name alone (`Reyes said Thursday that Halvorsen …` /
    `Reyes tweeted on Friday "#Halvorsen …`) tells who the statements are about, not one event."""
    ca, cb = _context(a, s, a_start, a_end), _context(b, t, b_start, b_end)
    return any(w != ignore and not w[:1].isdigit() and (ca[w] or cb[w]) for w in ca.keys() & cb.keys())


def _unit(n: NumberMention, text: str) -> str:
    if n.unit:
        return n.unit
    nxt = content_stems(text[n.end : n.end + 30])
    return nxt[0] if nxt else ""


def _by_unit(a: DocumentAnalysis, s: int) -> dict[str, list[NumberMention]]:
    out: dict[str, list[NumberMention]] = {}
    for n in _in_sentence(a.numbers, a.index, s):
        out.setdefault(_unit(n, a.index.text), []).append(n)
    return out


def _other_times(a: DocumentAnalysis, s: int, b: DocumentAnalysis, t: int) -> bool:
    """Whether two sentences are set in different years: each dates what it tells (a day, a month,
    a year) and no year of one is a year of the other. A different day of the same year is itself a
    date conflict (`12 arrested on March 3` / `15 arrested on March 4`), not another event."""
    ya = {x.iso[:4] for x in _in_sentence(a.dates, a.index, s) if x.iso}
    yb = {y.iso[:4] for y in _in_sentence(b.dates, b.index, t) if y.iso}
    return bool(ya and yb) and not ya & yb


def _number_conflicts(
    a: DocumentAnalysis, s: int, b: DocumentAnalysis, t: int, score: float
) -> list[Finding]:
    if _other_times(a, s, b, t):
        return []  # `the 2012 ad cost $500,000` / `the 2016 ad cost $1 million`: two ads
    na = _by_unit(a, s)
    nb = _by_unit(b, t)
    findings = []
    for unit in sorted(set(na) & set(nb)):
        xs = [n for n in na[unit] if all(n.value != m.value for m in nb[unit])]
        ys = [n for n in nb[unit] if all(n.value != m.value for m in na[unit])]
        if not unit or unit == "clock" or len(xs) != 1 or len(ys) != 1:
            continue  # `50 people killed and 53 wounded` / `50 killed, 53 wounded`: the same counts;
            # a time of day is no count (`7:16 p.m.` / `7:40 p.m.`)
        [x], [y] = xs, ys
        if not _same_context(a, s, x.start, x.end, b, t, y.start, y.end, ignore=unit):
            continue  # `earned $139 million` / `paid $44 million`: two quantities, not one
        if x.value in {n.value for ns in nb.values() for n in ns} or y.value in {
            n.value for ns in na.values() for n in ns
        }:
            continue  # both statements give both values, to different nouns: `No. 2 job, No. 3 position`
        confidence = round(min(VALUE_MAX, NUMBER_BASE + score * VALUE_PER_SCORE), 2)
        findings.append(
            Finding(
                "",
                "conflict",
                "number",
                f"Matching statements give different numbers ({unit}): {x.text} in {a.index.id}, "
                f"{y.text} in {b.index.id}.",
                confidence,
                _both(a, x, b, y),
                rule=NUMBER_CONFLICT.code,
            )
        )
    return findings


def _both(
    a: DocumentAnalysis, x: DateRef | NumberMention, b: DocumentAnalysis, y: DateRef | NumberMention
) -> list[SourceValue]:
    """The two values of a conflict, each with its source and span."""
    return [
        SourceValue(a.index.id, x.text, [a.index.span(x.start, x.end)]),
        SourceValue(b.index.id, y.text, [b.index.span(y.start, y.end)]),
    ]
