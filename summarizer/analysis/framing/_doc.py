"""The per-document view the detectors share: quotation marks, lexicon terms, names, tokens; and the
helpers that turn token ranges into short verbatim spans."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.analysis._text import DocIndex
from summarizer.analysis.compare import DocumentAnalysis
from summarizer.analysis.framing._lexicon import LEXICON, find_terms
from summarizer.analysis.quotes import quoted_stretches
from summarizer.schemas import Span
from summarizer.text import STOPWORDS_ANALYSIS, TOKEN

_PUNCT = "\"'“”‘’()[]«»"


@dataclass(frozen=True)
class _Term:
    start: int
    end: int
    folded: str
    cls: str


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    folded: str


class _Doc:
    """A document's index with what the detectors look up repeatedly: quotes, terms, names."""

    def __init__(self, analysis: DocumentAnalysis) -> None:
        self.a = analysis
        self.idx: DocIndex = analysis.index
        closed = quoted_stretches(self.idx.text) + single_quoted(self.idx.text)
        quoted = _merged(closed + unclosed(self.idx.text, closed))
        self._q_starts = [s for s, _ in quoted]
        self._q_ends = [e for _, e in quoted]
        self.terms = [
            _Term(start, end, term, LEXICON[term])
            for start, end, term in find_terms(self.idx.text)
            if not self.quoted(start)
        ]
        self._term_starts = [t.start for t in self.terms]
        self.name_end = {m.end: m for m in analysis.names}
        self.name_start = {m.start: m for m in analysis.names}
        self._tokens: dict[int, list[_Token]] = {}

    @property
    def id(self) -> str:
        return self.idx.id

    def quoted(self, offset: int) -> bool:
        """Whether `offset` lies between quotation marks: the words of a speaker, not the outlet's."""
        i = bisect.bisect_right(self._q_starts, offset) - 1
        return i >= 0 and offset < self._q_ends[i] + 1

    def terms_in(self, start: int, end: int) -> list[_Term]:
        lo = bisect.bisect_left(self._term_starts, start)
        hi = bisect.bisect_left(self._term_starts, end)
        return self.terms[lo:hi]

    def tokens(self, sentence: int) -> list[_Token]:
        if sentence in self._tokens:
            return self._tokens[sentence]
        s = self.idx.doc.sentences[sentence]
        self._tokens[sentence] = [
            _Token(m.start(), m.end(), _fold(m.group(0)))
            for m in TOKEN.finditer(self.idx.text, s.start, s.end)
        ]
        return self._tokens[sentence]

    def whole_names(self, start: int, end: int) -> tuple[int, int]:
        """`start:end` widened so that it cuts no name in two (`hardline cleric Ahmad Khatami`)."""
        for m in self.a.names:
            if m.start < end and start < m.end:
                start, end = min(start, m.start), max(end, m.end)
        return start, end

    def has_name(self, start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in self.a.names)

    def uses(self, folded: str) -> bool:
        return any(t.folded == folded for t in self.terms)


_SINGLE = re.compile(r"(?<![\w’'])[‘'](?=[^\W\d_])([^\n‘’']{1,300}?[^\s])['’](?![\w’'])")


def single_quoted(text: str) -> list[tuple[int, int]]:
    """Stretches between single quotation marks (`‘…’`, `'…'`), as headlines and British outlets quote:
    the opening mark after a space, the closing one before a non-letter, so `don’t` is no quote."""
    return [(m.start(1), m.end(1)) for m in _SINGLE.finditer(text)]


_OPENING = re.compile(r"[“«]|(?<![^\s(\[—–:-])\"(?=\S)")


def unclosed(text: str, closed: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The rest of the paragraph after an opening quotation mark that no closing mark answers
    (`Schiff said: “The plan …` to the line's end): a speaker's words all the same."""
    starts = {s for s, _ in closed}
    out = []
    for m in _OPENING.finditer(text):
        start = m.end()
        inside = any(s <= m.start() < e for s, e in closed)
        if inside or any(start <= s <= start + 2 for s in starts):
            continue  # the mark of a quote already found, or one within it
        end = text.find("\n", start)
        out.append((start, len(text) if end < 0 else end))
    return out


def _merged(stretches: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(stretches):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _fold(word: str) -> str:
    word = word.strip(".,;:!?" + _PUNCT).lower().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


def _fold_term(term: str) -> str:
    return " ".join(term.lower().split())


def _trimmed(idx: DocIndex, start: int, end: int) -> Span:
    """The span of `start:end` without quotation marks, brackets or clause punctuation at its edges
    (a final full stop stays when it ends an abbreviation such as `U.S.`)."""
    text = idx.text
    while start < end and (text[start] in _PUNCT or text[start].isspace()):
        start += 1
    while end > start:
        ch = text[end - 1]
        word = text[start:end].split()[-1] if text[start:end].split() else ""
        if ch in _PUNCT or ch in ",;:!?" or ch.isspace() or (ch == "." and word.count(".") == 1):
            end -= 1
        else:
            break
    return idx.span(start, end)


def _window(doc: _Doc, tokens: Sequence[_Token], lo: int, hi: int) -> Span:
    """A few words around tokens `lo:hi` (or around the gap at `lo` when empty), within their clause:
    up to two words either side, not across a comma or other clause mark, no trailing function words."""
    text = doc.idx.text
    left = min(lo, len(tokens) - 1)
    while left > max(0, lo - 2) and not _ends_clause(text, tokens[left - 1]):
        left -= 1
    right = max(hi, left + 1)
    if not _ends_clause(text, tokens[right - 1]):
        limit = min(len(tokens), max(hi, lo) + 2)
        while right < limit:
            right += 1
            if _ends_clause(text, tokens[right - 1]) or tokens[right - 1].folded not in STOPWORDS_ANALYSIS:
                break
    while right > max(hi, left + 1) and tokens[right - 1].folded in STOPWORDS_ANALYSIS:
        right -= 1
    start, end = doc.whole_names(tokens[left].start, tokens[right - 1].end)
    return _trimmed(doc.idx, start, end)


def _ends_clause(text: str, token: _Token) -> bool:
    return text[token.start : token.end].rstrip(_PUNCT)[-1:] in (",", ";", ":", "—", "–")


def _token_range(tokens: Sequence[_Token], term: _Term) -> tuple[int, int]:
    inside = [n for n, tok in enumerate(tokens) if tok.start < term.end and term.start < tok.end]
    return inside[0], inside[-1] + 1
