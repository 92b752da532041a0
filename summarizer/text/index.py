"""One index per document, built once per run: the only place a `Span` is made (issue 10).

`index_of(doc)` returns the document's `TextIndex`, remembered for the last few documents, so the
analysis (extractors, detectors) and grounding (the checks of every attempt, then the result) read
one document through one object instead of each rebuilding its own lookups:

- sentences: offset → sentence (`sentence_at`), overlapping sentences (`sentence_ids`,
  `sentences_between`), their texts (`sentence_texts`), which are boilerplate;
- `span(start, end)`: a `Span` whose `text == doc.text[start:end]` and whose sentence ids are the
  sentences it overlaps, trimmed of surrounding whitespace unless `trim=False`;
- `folded`: the text with quote marks, dashes and whitespace runs folded, and the original offset of
  every folded character (verbatim search that tolerates `“”` for `""`);
- `derived(name, build)`: what higher layers compute from the whole document once (the analysis's
  names and quotes, see `summarizer.analysis.names_of` / `quotes_of`), built on first use and shared;
- `memo`: per-sentence results that extractors compute more than once.

The index lives in the text layer (under analysis and grounding, over documents and schemas): it knows
sentences and offsets, not what the extractors find, so the layers above store their results in it.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar, cast

from summarizer.schemas import Document, Span

T = TypeVar("T")

FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)
"""Quote marks, dashes and the no-break space as their ASCII forms; an ellipsis as three dots."""

_BOILERPLATE = re.compile(
    r"copyright|all rights reserved|licen[sc]ed under|may not be (?:re)?published|redistributed|"
    r"^(?:SKM|PA)\b|all content by",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_LONG_SPACE = re.compile(r"\s{2,}")
"""Whitespace (`\\s` is `str.isspace` for str patterns, the no-break space included)."""


def is_boilerplate(sentence: str) -> bool:
    """Copyright lines and licence notices: not part of the story."""
    return _BOILERPLATE.search(sentence) is not None


@dataclass(frozen=True)
class Folded:
    """A text normalised (`FOLD`, each whitespace run one space, leading whitespace dropped), with the
    original offset of every normalised character: `offset(i)`, or all of them as `offsets`."""

    text: str
    _out: tuple[int, ...]
    """Where each stretch of the folded text starts; within a stretch, offsets run on one by one."""
    _in: tuple[int, ...]
    """The original offset of each stretch's first character."""
    _each: tuple[int, ...] | None = None
    """Every character's offset, when a character folds into several (an ellipsis into three dots)."""

    def offset(self, i: int) -> int:
        """The offset in the original text of folded character `i`."""
        if self._each is not None:
            return self._each[i]
        k = bisect.bisect_right(self._out, i) - 1
        return self._in[k] + i - self._out[k]

    @property
    def offsets(self) -> list[int]:
        return [self.offset(i) for i in range(len(self.text))]


def fold(text: str) -> Folded:
    """`text` folded. Characters fold one for one except the ellipsis, and only whitespace runs of two
    or more (and leading whitespace) shift the offsets, so a text without ellipses is folded by a few C
    calls and its offsets kept as one stretch per collapsed run."""
    if "\u2026" in text:
        return _fold_each(text)
    folded = text.translate(FOLD)
    body = folded.lstrip()
    lead = len(folded) - len(body)
    starts_out, starts_in = [0], [lead]
    removed = lead
    for m in _LONG_SPACE.finditer(folded, lead):
        removed += m.end() - m.start() - 1
        starts_out.append(m.end() - removed)
        starts_in.append(m.end())
    return Folded(_SPACE.sub(" ", body), tuple(starts_out), tuple(starts_in))


def _fold_each(text: str) -> Folded:
    """`fold` one character at a time, for a text in which some character folds into several."""
    chars: list[str] = []
    offsets: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and chars:
                chars.append(" ")
                offsets.append(i)
            in_space = True
            continue
        in_space = False
        for out in ch.translate(FOLD):
            chars.append(out)
            offsets.append(i)
    return Folded("".join(chars), (0,), (0,), tuple(offsets))


class TextIndex:
    """A document indexed once for every reader: sentence lookup, spans, folded text and derived data."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.id = doc.id
        self.text = doc.text
        sentences = doc.sentences
        self._starts = [s.start for s in sentences]
        ordered = all(a.end <= b.start for a, b in itertools.pairwise(sentences))
        self._ends: list[int] | None = [s.end for s in sentences] if ordered else None
        """Sentence ends when sentences are in order and apart (as segmenting makes them), else None."""
        self.position = {s.id: i for i, s in enumerate(sentences)}
        """Sentence id → its position in `doc.sentences`."""
        self.memo: dict[tuple[str, int], list[tuple[int, int]]] = {}
        """Per-sentence results that extractors compute more than once."""
        self._derived: dict[str, Any] = {}
        self._lock = threading.Lock()

    # -- sentences -----------------------------------------------------------------------------------
    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence holding `offset`, or None when it falls between sentences."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.doc.sentences[i].end:
            return i
        return None

    def sentence_ids(self, start: int, end: int) -> list[str]:
        """Ids of the sentences overlapping `start:end`, in text order."""
        sentences = self.doc.sentences
        if self._ends is None:  # sentences given out of order or overlapping: look at every one
            return [s.id for s in sentences if s.start < end and s.end > start]
        ids = []  # the first sentence ending after `start`, and those that follow it up to `end`
        for s in itertools.islice(sentences, bisect.bisect_right(self._ends, start), None):
            if s.start >= end:
                break
            ids.append(s.id)
        return ids

    def sentences_between(self, start: int, end: int) -> Iterator[int]:
        """Sentences overlapping `start:end`, found by bisection (sentences are in text order)."""
        sentences = self.doc.sentences
        for i in range(max(bisect.bisect_right(self._starts, start) - 1, 0), len(sentences)):
            s = sentences[i]
            if s.start >= end:
                break
            if s.end > start:
                yield i

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

    # -- spans ---------------------------------------------------------------------------------------
    def span(self, start: int, end: int, *, trim: bool = True) -> Span:
        """The span `start:end` (`text == doc.text[start:end]` holds), with the ids of the sentences it
        overlaps; trimmed of surrounding whitespace unless `trim=False` (verbatim matches, citations)."""
        text = self.text
        if trim:
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
        return Span(
            source=self.id,
            start=start,
            end=end,
            text=text[start:end],
            sentence_ids=self.sentence_ids(start, end),
        )

    def sentence_span(self, index: int) -> Span:
        s = self.doc.sentences[index]
        return self.span(s.start, s.end)

    # -- folded text and derived data ------------------------------------------------------------------
    @cached_property
    def folded(self) -> Folded:
        return fold(self.text)

    def derived(self, name: str, build: Callable[[], T]) -> T:
        """`build()`'s result, computed once per index under `name` (the same name must always mean the
        same computation); callers must not change what it returns."""
        if name in self._derived:
            return cast(T, self._derived[name])
        value = build()
        with self._lock:  # two threads may both build; the first result kept is the one every reader sees
            return cast(T, self._derived.setdefault(name, value))


INDEXES_KEPT = 64
"""Documents whose index is remembered (an item's checks and result, a comparison's sources). Editors
compare 20–50 outlets: a comparison whose sources outnumber this would evict each source before its
next use (least recently used, read in source order) and rebuild every index on each pass."""

CHARACTERS_KEPT = 20_000_000
"""...and at most this many characters of text among them (the one just used always stays): an index
with its names and quotes holds about 140 bytes per word of its text (dev articles), so a batch of very
long documents keeps a few hundred megabytes at most instead of 64 whole transcripts' worth."""

_FIELDS = tuple(name for name in Document.model_fields if name != "sentences")
_INDEXES: OrderedDict[tuple[object, ...], TextIndex] = OrderedDict()
_INDEXES_LOCK = threading.Lock()


def index_of(doc: Document) -> TextIndex:
    """The document's `TextIndex`, built on first use and remembered for the last `INDEXES_KEPT`
    documents, by content (every field and sentence), so an equal document read again shares it and a
    changed one gets its own. The index reads its own copy of the document (`idx.doc` is equal to `doc`,
    not `doc` itself): a caller who changes a document in place cannot change the one kept under the
    old content."""
    key = (
        *(getattr(doc, name) for name in _FIELDS),
        tuple((s.id, s.start, s.end) for s in doc.sentences),
    )
    with _INDEXES_LOCK:  # one Client serves many threads
        found = _INDEXES.get(key)
        if found is not None:
            _INDEXES.move_to_end(key)
            return found
    built = TextIndex(doc.model_copy(deep=True))
    with _INDEXES_LOCK:
        found = _INDEXES.setdefault(key, built)
        _INDEXES.move_to_end(key)
        kept = sum(len(i.doc.text) for i in _INDEXES.values())
        while len(_INDEXES) > 1 and (len(_INDEXES) > INDEXES_KEPT or kept > CHARACTERS_KEPT):
            kept -= len(_INDEXES.popitem(last=False)[1].doc.text)
    return found
