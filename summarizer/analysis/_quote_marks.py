"""Quoted stretches: the words between a pair of quotation marks (curly or straight; a quote left open
at the end of a paragraph continues when the next paragraph opens with a quotation mark).

A private part of `summarizer.analysis.quotes`, which re-exports `quoted_stretches`.
"""

from __future__ import annotations

import bisect
import re

_OPEN = "“«„"


def quoted_stretches(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks."""
    found: list[tuple[int, int]] = []
    marks = _Marks(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _OPEN or (ch == '"' and _opens(text, i)):
            close = marks.closing(i + 1, '"' if ch == '"' else _CURLY_CLOSERS)
            if close is None:
                i += 1
                continue
            found.append((i + 1, close))
            i = close + 1
        else:
            i += 1
    return [(s, e) for s, e in (_trim(text, s, e) for s, e in found) if e > s]


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-:") and not after.isspace()


_CURLY_CLOSERS = '”»"'
_CLOSER = re.compile(r'[”»]|(?<=\S)"(?!\w)')


class _Marks:
    """Where the closing marks and line breaks of a text are, so that finding a quote's end costs a
    lookup, not a scan: a text with many unclosed quotes and no line break stays linear."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[str, list[int]] = {
            marks: [m.start() for m in re.finditer(f"[{re.escape(marks)}]", text)]
            for marks in ('"', "”»", "\n")
        }
        # A curly quotation closed by a straight mark (`“… everyone," Inslee said`): a straight mark
        # that closes (after a non-space, before no letter) ends it as well as a curly one.
        self.at[_CURLY_CLOSERS] = [m.start() for m in _CLOSER.finditer(text)]

    def _next(self, marks: str, start: int) -> int | None:
        found = self.at[marks]
        k = bisect.bisect_left(found, start)
        return found[k] if k < len(found) else None

    def closing(self, start: int, marks: str) -> int | None:
        """The closing mark; a paragraph break ends an open quote unless the next paragraph reopens it."""
        close, brk = self._next(marks, start), self._next("\n", start)
        if close is not None and (brk is None or close < brk):
            return close
        if brk is None:
            return None
        nxt = brk
        while nxt < len(self.text) and self.text[nxt].isspace():
            nxt += 1
        if nxt >= len(self.text) or self.text[nxt] not in _OPEN + '"':
            return None
        return brk  # the quote runs on into the next paragraph; end this part here


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end
