"""What a line is by its place in the document, not by what it states: the headline, subheads, notices.

- `headline(idx)`: where the document's headline stands in its text: its title where the text holds it,
  else a first line that reads as a headline (found once per document, through its `TextIndex`);
- `headings(idx)`: the sentences that are the headline or a subhead, which alignment never reports as
  told by only some sources;
- `is_heading`: a title-case line standing alone (a subhead: `Cordial Ties Have Soured`);
- `is_notice`: copyright, licence and rights notices, bylines and credits.

One place for these facts: alignment (`align`), framing (the headline aspect, lead emphasis), names and
the offline engine all read them from here. The module sits under `align` and `framing` in the
analysis package and uses only `dates` and the text layer.
"""

from __future__ import annotations

import functools
import re

from summarizer.analysis._text import DocIndex, is_boilerplate
from summarizer.analysis.dates import find_dates
from summarizer.text import wordlist

_NOTICE = re.compile(
    r"copyright|\(c\)\s*\d{4}|©|rights reserved|creative commons|\blicen[sc]ed under\b|"
    r"may not be (?:re)?(?:published|broadcast|rewritten|redistributed|reproduced)|"
    r"without (?:prior )?(?:written )?permission|contributed (?:reporting|to this report)|"
    r"^\W*(?:additional )?(?:reporting|writing|editing) by\b|"
    r"^\W*(?:photo|image|video|graphic)s? (?:by|credit)\b|"
    r"follow (?:him|her|them|us|the author) on (?:twitter|x|facebook|instagram)",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\W*By (?:[A-Z][\w.'’\-]+ ){1,3}[A-Z][\w.'’\-]+(?:,? and [A-Z][\w.'’\-]+ [A-Z][\w.'’\-]+)?"
    r"\s*(?:[,|].{0,60})?$"
    r"|^\s*(?:[A-Z]{2,4}/)+[A-Z]{2,4}\b"
)
_MINOR = wordlist("minor_words")


@functools.lru_cache(maxsize=8192)
def is_notice(sentence: str) -> bool:
    """Copyright, licence and rights notices, bylines and credits: generic patterns, not outlet names."""
    return (
        is_boilerplate(sentence)
        or _NOTICE.search(sentence) is not None
        or _BYLINE.search(sentence.strip()) is not None
    )


def is_heading(text: str, start: int, end: int) -> bool:
    """A title-case line standing alone (headline, subhead): `Cordial Ties Have Soured`."""
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    if before not in ("", "\n") or after not in ("", "\n", "\r"):
        return False
    return title_case(text[start:end])


def title_case(line: str) -> bool:
    """Three or more words, every one but minor words (of, and, the…) capitalised."""
    words = [w.strip("\"'“”‘’()[],.:;!?—–-") for w in line.split()]
    words = [w for w in words if w and w[0].isalpha()]
    if len(words) < 3:
        return False
    major = [w for w in words[1:] if w.lower() not in _MINOR]
    return bool(major) and words[0][0].isupper() and all(w[0].isupper() for w in major)


def headings(idx: DocIndex) -> frozenset[int]:
    """The sentences (by position) that are the document's headline (`headline`, whatever its letter
    case, and its copy on the next line if the page prints it twice) or a title-case line standing
    alone (`is_heading`): a headline is no statement of the story."""
    return idx.derived("layout.headings", lambda: _headings(idx))


def _headings(idx: DocIndex) -> frozenset[int]:
    lines = [] if (found := headline(idx)) is None else [found, *_repeated(idx.text, *found)]
    out = set()
    for s, sent in enumerate(idx.doc.sentences):
        inside = any(lo <= sent.start and sent.end <= hi for lo, hi in lines)
        if inside or is_heading(idx.text, sent.start, sent.end):
            out.add(s)
    return frozenset(out)


def _repeated(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The headline's line printed again just under it (pages often repeat the title above the body):
    the next non-blank line, when it is the same words."""
    nxt = text.find("\n", end)
    while 0 <= nxt < len(text) and text[nxt].isspace():
        nxt += 1
    if nxt < 0 or nxt >= len(text):
        return []
    stop = text.find("\n", nxt)
    stop = len(text) if stop < 0 else stop
    line = text[nxt:stop].strip()
    same = " ".join(line.split()) == " ".join(text[start:end].split())
    return [(nxt, nxt + len(line))] if same else []


def headline(idx: DocIndex) -> tuple[int, int] | None:
    """Where the document's headline stands in its text: the title when the text opens with it (within
    its first lines), else a first line that reads as a headline: three to 25 words, followed by more
    text, one phrase (no full stop inside or at its end unless written in title case), not a byline,
    date or dateline. The layout decides, not the letter case: `Voters punish mayor over harbour plan`
    is a headline as much as `Voters Punish Mayor`."""
    return idx.derived("layout.headline", lambda: _headline(idx))


_FIRST_LINE = re.compile(r"[ \t]*(?:#{1,6}[ \t]+)?([^\n]+?)[ \t]*\r?\n\s*\S")
_MAX_HEADLINE_WORDS = 25


def _headline(idx: DocIndex) -> tuple[int, int] | None:
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
