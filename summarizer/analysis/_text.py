"""Sentence lookup and spans of the extractors (`DocIndex`); words, stems, stop words: `summarizer.text`."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cached_property

from summarizer.schemas import Document, Span


def words_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
