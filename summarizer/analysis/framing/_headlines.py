"""The headline aspect: each source's headline as it stands in its text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.analysis._text import DocIndex
from summarizer.analysis.align import is_notice, title_case
from summarizer.analysis.dates import find_dates
from summarizer.analysis.framing._aspects import HEADLINE, FramingAspect, FramingWording
from summarizer.analysis.framing._doc import _Doc

_FIRST_LINE = re.compile(r"[ \t]*(?:#{1,6}[ \t]+)?([^\n]+?)[ \t]*\r?\n\s*\S")
_MAX_HEADLINE_WORDS = 25


def headline(idx: DocIndex) -> tuple[int, int] | None:
    """Where the document's headline stands in its text: the title when the text opens with it (within
    its first lines), else a first line that reads as a headline: three to 25 words, followed by more
    text, one phrase (no full stop inside or at its end unless written in title case), not a byline,
    date or dateline."""
    text = idx.text
    title = (idx.doc.title or "").strip()
    if title:
        pos = text.find(title)
        end = pos + len(title)
        if (
            pos >= 0
            and text[:pos].count("\n") <= 4
            and (pos == 0 or text[pos - 1] == "\n")
            and not text[end:].split("\n", 1)[0].strip()  # the whole line, not a prefix of it
            and not _metadata(title)
        ):
            return pos, end
    m = _FIRST_LINE.match(text)
    if m is None:
        return None
    line = m.group(1)
    core = line.rstrip("”\"'’)")
    words = line.split()
    if not 3 <= len(words) <= _MAX_HEADLINE_WORDS or is_notice(line) or _metadata(line):
        return None
    if (core.endswith((".", ":", ",", ";")) or _INNER_STOP.search(core)) and not title_case(line):
        return None
    return m.start(1), m.end(1)


def _metadata(line: str) -> bool:
    """Whether a line is a byline, credit, date, share prompt or label rather than a headline: it opens
    with `By`, `Written by`, `Photo`, `Share`…; names a staff role or picture agency; holds `|`
    (`John Smith | Reuters`); is written all in capitals (`JOHN SMITH AND MARY JONES`); or is mostly
    dates and times (`Tuesday, June 3, 2019`)."""
    if _NOT_HEADLINE.search(line) or _CREDIT.search(line) or "|" in line:
        return True
    letters = [ch for ch in line if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return True
    dated = sum(d.end - d.start for d in find_dates(line))
    return dated * 2 >= len(line.strip())


_NOT_HEADLINE = re.compile(
    r"^(?:published|updated|posted|last updated|by|written by|reported by|story by|words by|photo|photos|"
    r"photograph|image|video|watch|listen|share|sign up|subscribe|advertisement|credit)\b|^[\d\W]+$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"\b(?:staff writer|staff reporter|contributing writer|senior writer|correspondent|getty images|"
    r"getty|afp|reuters|associated press|the ap|\(ap\)|photo credit)\b|^\W*(?:ap|reuters|afp)\W*$",
    re.IGNORECASE,
)
_INNER_STOP = re.compile(r"[a-z][.!?][”\"’]?\s+[A-Z“\"]")


def _headlines(docs: Sequence[_Doc]) -> list[FramingAspect]:
    choices = []
    for d in docs:
        where = headline(d.idx)
        if where is not None:
            choices.append(FramingWording(d.id, d.idx.span(*where)))
    distinct = {_normalised(c.span.text) for c in choices}
    if len(choices) < 2 or len(distinct) < 2:
        return []
    return [FramingAspect("Headline", "headline", 0.95, choices, HEADLINE.code)]


def _normalised(headline: str) -> str:
    """A headline as compared: case, quotation marks, dashes and other punctuation aside (`U.S.` and
    `US`, `“No”` and `"No"`, `—` and `-` are the same headline)."""
    return " ".join(re.sub(r"[^\w\s]", "", headline.casefold()).split())
