"""Small text helpers shared by the extractors: tokens, stop words, spans and sentence lookup."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cached_property

from summarizer.schemas import Document, Span

WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)


def words_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = words_set(
    "a an the and or but nor so yet of in on at to for from by with about as into onto over under "
    "after before during since until than that this these those there here it its it's he she they we "
    "i you his her their our my your him them us me who whom whose which what when where why how not "
    "no is are was were be been being has have had do does did will would shall should can could may "
    "might must also said says say saying told tells according just very more most some any all each "
    "both other such only own same too s t if then while because though although however whether "
    "again further once up down out off one two new last first"
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [m.group(0).lower().replace("’", "'") for m in WORD.finditer(text)]


def content_words(text: str) -> list[str]:
    """Stems of the words that carry content (no stop words), for overlap and alignment."""
    out = []
    for w in words(text):
        if w in STOPWORDS or len(w) < 2:
            continue
        out.append(stem(w))
    return out


def stem(word: str) -> str:
    """A crude stem: the first six letters, so `negotiating` meets `negotiations`."""
    if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        word = word[:-1]
    return word[:6]


_BOILERPLATE = re.compile(
    r"copyright|all rights reserved|licen[sc]ed under|may not be (?:re)?published|redistributed|"
    r"^(?:SKM|PA)\b|all content by",
    re.IGNORECASE,
)


def is_boilerplate(sentence: str) -> bool:
    """Copyright lines and licence notices: not part of the story."""
    return _BOILERPLATE.search(sentence) is not None


class DocIndex:
    """A document with fast offset → sentence lookup and exact `Span` construction."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._starts = [s.start for s in doc.sentences]
        self.memo: dict[tuple[str, int], list[tuple[int, int]]] = {}
        """Per-sentence results that extractors compute more than once."""

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def text(self) -> str:
        return self.doc.text

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence holding `offset`, or None when it falls between sentences."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.doc.sentences[i].end:
            return i
        return None

    def sentence_ids(self, start: int, end: int) -> list[str]:
        first = max(bisect.bisect_right(self._starts, start) - 1, 0)
        ids = []
        for s in self.doc.sentences[first:]:
            if s.start >= end:
                break
            if s.end > start:
                ids.append(s.id)
        return ids

    def span(self, start: int, end: int) -> Span:
        """A span trimmed of surrounding whitespace; `text == doc.text[start:end]` holds."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Span(
            source=self.id,
            start=start,
            end=end,
            text=self.text[start:end],
            sentence_ids=self.sentence_ids(start, end),
        )

    def sentence_span(self, index: int) -> Span:
        s = self.doc.sentences[index]
        return self.span(s.start, s.end)

    def sentence_text(self, index: int) -> str:
        s = self.doc.sentences[index]
        return self.text[s.start : s.end]

    @cached_property
    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.doc.sentences]

    @cached_property
    def boilerplate(self) -> list[bool]:
        """Per sentence: a copyright line or licence notice."""
        return [is_boilerplate(t) for t in self.sentence_texts]

    @cached_property
    def lowercase_words(self) -> frozenset[str]:
        """Words the document writes in lower case somewhere: ordinary words, not names."""
        return frozenset(re.findall(r"(?<![\w])[a-z][\w'’\-]*", self.text))

    def sentences_between(self, start: int, end: int) -> Iterator[int]:
        """Sentences overlapping `start:end`, found by bisection (sentences are in text order)."""
        sentences = self.doc.sentences
        for i in range(max(bisect.bisect_right(self._starts, start) - 1, 0), len(sentences)):
            s = sentences[i]
            if s.start >= end:
                break
            if s.end > start:
                yield i
