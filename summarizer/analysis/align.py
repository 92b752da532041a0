"""Sentence alignment across sources (TF-IDF cosine over content words) and word-level diffs.

Fast enough for ten long articles: an inverted index means only sentences that share a word are
ever scored, so the cost grows with shared words, not with the square of the sentence count.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from summarizer.analysis._text import DocIndex, content_words, is_boilerplate

ALIGN_THRESHOLD = 0.2
"""Cosine similarity at or above which two sentences of different sources tell the same thing."""

SentenceRef = tuple[int, int]
"""(document number, sentence number), both 0-based."""


@dataclass
class Alignment:
    """For every sentence, its best match in each other document with the similarity."""

    best: dict[SentenceRef, dict[int, tuple[int, float]]] = field(default_factory=dict)
    skipped: set[SentenceRef] = field(default_factory=set)
    """Boilerplate and sentences without content words: never aligned, never reported as unique."""

    def match(self, doc: int, sentence: int, other: int) -> tuple[int, float] | None:
        return self.best.get((doc, sentence), {}).get(other)

    def aligned(self, doc: int, sentence: int, other: int, threshold: float = ALIGN_THRESHOLD) -> bool:
        found = self.match(doc, sentence, other)
        return found is not None and found[1] >= threshold


def tfidf_vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    bags = [Counter(content_words(t)) for t in texts]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(texts) or 1
    vectors = []
    for bag in bags:
        vec = {w: (1 + math.log(c)) * math.log(1 + n / df[w]) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})
    return vectors


def align_sentences(indexes: Sequence[DocIndex]) -> Alignment:
    refs: list[SentenceRef] = []
    texts: list[str] = []
    result = Alignment()
    for d, idx in enumerate(indexes):
        for s, text in enumerate(idx.sentence_texts):
            if is_boilerplate(text) or len(content_words(text)) < 2:
                result.skipped.add((d, s))
                continue
            refs.append((d, s))
            texts.append(text)
    vectors = tfidf_vectors(texts)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for n, vec in enumerate(vectors):
        for w, v in vec.items():
            postings[w].append((n, v))
    common = max(50, len(vectors) // 5)  # words in a fifth of all sentences add little and cost most
    for n, vec in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        doc = refs[n][0]
        for w, v in vec.items():
            if len(postings[w]) > common:
                continue
            for m, u in postings[w]:
                if refs[m][0] != doc:
                    scores[m] += v * u
        best: dict[int, tuple[int, float]] = {}
        for m, score in scores.items():
            other, sentence = refs[m]
            if other not in best or score > best[other][1]:
                best[other] = (sentence, round(score, 3))
        result.best[refs[n]] = best
    return result


# ------------------------------------------------------------------------------------------------
# Word-level diff
# ------------------------------------------------------------------------------------------------

_WORDS = re.compile(r"\S+")


def _fold(word: str) -> str:
    return word.strip(".,;:!?\"'“”‘’()[]").lower().replace("’", "'")


@dataclass(frozen=True)
class DiffOp:
    """One difference: `a` words replaced by `b` words (either side may be empty)."""

    a: str
    b: str


def word_diff(a: str, b: str) -> list[DiffOp]:
    """The differing stretches of two wordings, ignoring case and punctuation next to words."""
    wa, wb = _WORDS.findall(a), _WORDS.findall(b)
    matcher = difflib.SequenceMatcher(a=[_fold(w) for w in wa], b=[_fold(w) for w in wb], autojunk=False)
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            ops.append(DiffOp(" ".join(wa[i1:i2]), " ".join(wb[j1:j2])))
    return ops


def describe_diff(ops: Sequence[DiffOp], a_name: str, b_name: str, limit: int = 3) -> str:
    parts = []
    for op in ops[:limit]:
        if op.a and op.b:
            parts.append(f"{a_name} has “{op.a}” where {b_name} has “{op.b}”")
        elif op.b:
            parts.append(f"{b_name} adds “{op.b}”")
        else:
            parts.append(f"{a_name} adds “{op.a}”")
    more = len(ops) - limit
    if more > 0:
        parts.append(f"{more} more difference{'s' if more > 1 else ''}")
    return "; ".join(parts) if parts else "the wordings differ only in punctuation or case"


def fold_words(text: str) -> str:
    """Lower-cased words without the punctuation around them, joined by single spaces."""
    return " ".join(_fold(w) for w in _WORDS.findall(text))


def similarity(a: str, b: str) -> float:
    """Word-sequence similarity of two wordings, 0 to 1."""
    wa = [_fold(w) for w in _WORDS.findall(a)]
    wb = [_fold(w) for w in _WORDS.findall(b)]
    return difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).ratio()
