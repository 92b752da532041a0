"""Sentence alignment across sources (TF-IDF cosine over content words) and word-level diffs.

Fast enough for ten long articles: an inverted index means only sentences that share a word are
ever scored, so the cost grows with shared words, not with the square of the sentence count.

Whether another source reports a sentence is decided from two measures, both IDF-weighted over the
sentences being compared (a word every source repeats, like the main actor's name, weighs little):

- `best`: the cosine of the most similar sentence anywhere in the other source;
- `coverage`: the share of the sentence's weighted content words that occur anywhere in the other
  source, so a statement split over two sentences or paraphrased around its key terms still counts.

`reports` when the best match reaches `ALIGN_THRESHOLD`; `omits` only when the best match is below
`OMIT_THRESHOLD` *and* most of the sentence's distinctive words never occur in the other source
(`coverage < OMIT_COVERAGE`, half); anything between is `unclear` (a paraphrase band, not an omission).
The headline (the document's title, else a first line laid out as one, in any letter case) and subheads
(`analysis.layout.headings`), boilerplate (copyright, licence and rights notices, bylines, credits)
and fragments too short to be a statement are never reported as present in only some sources; headings
are still aligned, so a statement another source makes counts as told where a headline tells it.
"""

from __future__ import annotations

import bisect
import difflib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Literal

from summarizer.analysis._text import DocIndex
from summarizer.analysis.layout import headings
from summarizer.analysis.layout import is_notice as is_notice  # where names and prompts read it
from summarizer.analysis.layout import title_case as title_case
from summarizer.text import TOKEN, Method, content_stems

ALIGN_THRESHOLD = 0.2
"""Cosine similarity at or above which two sentences of different sources tell the same thing."""
OMIT_THRESHOLD = 0.15
"""Below this best-match cosine a source may omit a statement (if `coverage` agrees)."""
OMIT_COVERAGE = 0.5
"""A source omits a statement only when less than half of its weighted content words occur in it."""
COMMON_WORD = 50
"""A word used by more sentences than this (all sources together), or than a tenth of them when that is
more, is not scored when sentences are matched: it adds little (a low IDF) and costs most."""
CLOSE_COPY = 0.5
"""A source follows another closely (a copy, an edited wire story) when the median best match of the
other's sentences in it reaches this: the real outlets of the dev stories stay below 0.35. In such a
pair a sentence is reported only when its best match reaches half the pair's median (`Alignment.levels`)."""
MIN_STATEMENT_WORDS = 4
"""Sentences with fewer content words (“I couldn’t agree more.”) are aligned but never reported as unique."""

Status = Literal["reports", "unclear", "omits"]

SentenceRef = tuple[int, int]
"""(document number, sentence number), both 0-based."""


@dataclass(frozen=True)
class Facts:
    """What a sentence states that a paraphrase must keep: people named (name groups), numbers by unit,
    days (ISO dates)."""

    people: frozenset[int] = frozenset()
    numbers: frozenset[tuple[str, float]] = frozenset()
    days: frozenset[str] = frozenset()


_NO_FACTS = Facts()


def agree(a: Facts, b: Facts) -> bool:
    """Whether two sentences may state the same thing: when both name people, one person in common;
    for every unit both give numbers of, one value in common; when both give days, one day in common.
    A sentence that names no one, gives no number or no day constrains nothing on that side."""
    if a.people and b.people and not a.people & b.people:
        return False
    if a.days and b.days and not a.days & b.days:
        return False
    units_a: dict[str, set[float]] = {}
    for unit, value in a.numbers:
        units_a.setdefault(unit, set()).add(value)
    units_b: dict[str, set[float]] = {}
    for unit, value in b.numbers:
        units_b.setdefault(unit, set()).add(value)
    return all(not (units_a[u].isdisjoint(units_b[u])) for u in units_a.keys() & units_b.keys())


@dataclass
class Alignment:
    """For every sentence, its best match in each other document with the similarity."""

    best: dict[SentenceRef, dict[int, tuple[int, float]]] = field(default_factory=dict)
    skipped: set[SentenceRef] = field(default_factory=set)
    """Never reported as unique: boilerplate and sentences without content words (never aligned either),
    and headings (the headline, subheads), which are aligned: another source's statement may be told
    in them."""
    fragments: set[SentenceRef] = field(default_factory=set)
    """Aligned, but too short to be reported as a statement only some sources make."""
    coverage: dict[SentenceRef, dict[int, float]] = field(default_factory=dict)
    """For every aligned sentence, the IDF-weighted share of its content words each other document has."""
    vectors: dict[SentenceRef, dict[str, float]] = field(default_factory=dict)
    """Every aligned sentence's TF-IDF vector (unit length): the lexical score of any pair, on demand."""
    method: Method = "lexical"
    """How "same statement" is decided: `lexical` (shared words) or `minilm` (`summarizer.analysis.meaning`
    adds sentence embeddings under entity, number and date agreement, in `meaning`)."""
    threshold: float = ALIGN_THRESHOLD
    """The score at which `same` takes two sentences for one statement (`meaning.SAME_MEANING` there)."""
    facts: dict[SentenceRef, Facts] = field(default_factory=dict)
    """What each sentence states that its counterpart must keep (people, numbers by unit, days): two
    sentences whose facts disagree (`agree`) are not one statement, in either method."""
    meaning: dict[SentenceRef, dict[int, tuple[int, float]]] = field(default_factory=dict)
    """`minilm` only: for every aligned sentence, its counterpart in each other document by meaning
    (among the sentences whose names, numbers and dates agree with it) and their combined score."""
    levels: dict[tuple[int, int], float] = field(default_factory=dict)
    """For each pair of documents (d, o), the median best match of d's sentences in o: at `CLOSE_COPY`
    or above, o follows d closely and `floor` rises to half of it."""

    def floor(self, doc: int, other: int) -> float:
        """The lexical best match at which `other` reports a sentence of `doc`: `ALIGN_THRESHOLD`, or in a
        close copy half the pair's median match (a sentence matched below that is one the copy dropped,
        its best match some other sentence sharing a few words)."""
        level = self.levels.get((doc, other), 0.0)
        return level / 2 if level >= CLOSE_COPY else ALIGN_THRESHOLD

    def close(self, doc: int, other: int) -> bool:
        return self.levels.get((doc, other), 0.0) >= CLOSE_COPY

    def match(self, doc: int, sentence: int, other: int) -> tuple[int, float] | None:
        return self.best.get((doc, sentence), {}).get(other)

    def lexical(self, a: SentenceRef, b: SentenceRef) -> float:
        """The TF-IDF cosine of two aligned sentences (0 for one never aligned)."""
        va, vb = self.vectors.get(a, {}), self.vectors.get(b, {})
        if len(vb) < len(va):
            va, vb = vb, va
        return sum(v * vb.get(w, 0.0) for w, v in va.items())

    def same(self, doc: int, sentence: int, other: int) -> tuple[int, float] | None:
        """The sentence of `other` that tells the same statement, with its score, or None. `lexical`:
        the best match when it reaches `ALIGN_THRESHOLD`; `minilm`: the counterpart by meaning when its
        combined score reaches `threshold` (names, numbers and dates agreeing)."""
        lexical = self.match(doc, sentence, other)
        if self.close(doc, other) and (lexical is None or lexical[1] < self.floor(doc, other)):
            return None  # dropped from a close copy: the status says `omits`, whatever the method
        if self.method == "lexical":
            found = lexical
            if found is not None and not agree(
                self.facts.get((doc, sentence), _NO_FACTS), self.facts.get((other, found[0]), _NO_FACTS)
            ):
                return None
        else:
            found = self.meaning.get((doc, sentence), {}).get(other)
        return found if found is not None and found[1] >= self.threshold else None

    def status(self, doc: int, sentence: int, other: int) -> Status:
        """Whether document `other` reports the statement, omits it, or it is unclear."""
        found = self.match(doc, sentence, other)
        score = found[1] if found else 0.0
        if self.close(doc, other):
            return "reports" if score >= self.floor(doc, other) else "omits"
        if score >= ALIGN_THRESHOLD:
            return "reports"
        if score < OMIT_THRESHOLD and self.coverage.get((doc, sentence), {}).get(other, 0.0) < OMIT_COVERAGE:
            return "omits"
        return "unclear"

    def aligned(self, doc: int, sentence: int, other: int, threshold: float = ALIGN_THRESHOLD) -> bool:
        found = self.match(doc, sentence, other)
        return found is not None and found[1] >= threshold


def tfidf_vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    return _vectors([Counter(content_stems(t)) for t in texts])[0]


def _vectors(bags: Sequence[Counter[str]]) -> tuple[list[dict[str, float]], dict[str, float]]:
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags) or 1
    idf = {w: math.log(1 + n / c) for w, c in df.items()}
    vectors = []
    for bag in bags:
        vec = {w: (1 + math.log(c)) * idf[w] for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})
    return vectors, idf


def align_sentences(indexes: Sequence[DocIndex]) -> Alignment:
    refs: list[SentenceRef] = []
    bags: list[Counter[str]] = []
    result = Alignment()
    for d, idx in enumerate(indexes):
        heads = headings(idx)
        for s, text in enumerate(idx.sentence_texts):
            words = content_stems(text)
            if len(words) < 2 or is_notice(text):
                result.skipped.add((d, s))
                continue
            if s in heads:  # a headline is no statement of its own, but what it tells the source tells
                result.skipped.add((d, s))
            if len(set(words)) < MIN_STATEMENT_WORDS:
                result.fragments.add((d, s))
            refs.append((d, s))
            bags.append(Counter(words))
    vectors, idf = _vectors(bags)
    result.vectors = dict(zip(refs, vectors))
    _coverage(result, refs, bags, idf)
    _best_matches(result, refs, vectors)
    result.levels = _levels(result)
    return result


def _levels(alignment: Alignment) -> dict[tuple[int, int], float]:
    """For each pair of documents (d, o), the median best match of d's sentences in o."""
    scores: dict[tuple[int, int], list[float]] = {}
    for (d, s), best in alignment.best.items():
        if (d, s) in alignment.fragments:
            continue
        for o, (_, score) in best.items():
            scores.setdefault((d, o), []).append(score)
    counts: dict[int, int] = {}
    for d, s in alignment.best:
        if (d, s) not in alignment.fragments:
            counts[d] = counts.get(d, 0) + 1
    out = {}
    for (d, o), found in scores.items():
        found += [0.0] * (counts[d] - len(found))  # sentences with no match at all score 0
        found.sort()
        out[d, o] = found[len(found) // 2]
    return out


def _coverage(
    result: Alignment, refs: Sequence[SentenceRef], bags: Sequence[Counter[str]], idf: dict[str, float]
) -> None:
    """`Alignment.coverage` of every aligned sentence, through the documents each word occurs in."""
    in_docs: dict[str, list[int]] = defaultdict(list)  # word → the documents using it, in order
    for (d, _), bag in zip(refs, bags):
        for w in bag:
            if not in_docs[w] or in_docs[w][-1] != d:
                in_docs[w].append(d)
    others = sorted({d for d, _ in refs})
    docs = (others[-1] + 1) if others else 0
    for ref, bag in zip(refs, bags):
        total = sum(idf[w] for w in bag) or 1.0
        shared = [0.0] * docs
        for w in bag:  # the same order of additions as summing over the bag per document
            weight = idf[w]
            for d in in_docs[w]:
                shared[d] += weight
        mine = ref[0]
        result.coverage[ref] = {d: round(shared[d] / total, 3) for d in others if d != mine}


def _best_matches(
    result: Alignment, refs: Sequence[SentenceRef], vectors: Sequence[dict[str, float]]
) -> None:
    """`Alignment.best` of every aligned sentence: each sentence meets only the sentences of other
    documents that share a word with it (a word of more than `COMMON_WORD` sentences, or a tenth of
    them, left out). Postings are in sentence order and sentences in document order, so a document's
    own sentences are one stretch of each posting, found by bisection and stepped over."""
    doc_of = [d for d, _ in refs]
    sentence_of = [s for _, s in refs]
    docs = (doc_of[-1] + 1) if refs else 0
    first = [bisect.bisect_left(doc_of, d) for d in range(docs + 1)]  # first sentence of each document
    postings: dict[str, tuple[list[int], list[float]]] = {}  # word → its sentences and weights
    for n, vec in enumerate(vectors):
        for w, v in vec.items():
            if w not in postings:
                postings[w] = ([], [])
            ms, us = postings[w]
            ms.append(n)
            us.append(v)
    common = max(COMMON_WORD, len(vectors) // 10)
    scores = [0.0] * len(vectors)  # the dot products of one sentence; 0.0 where no word is shared
    top = [-1.0] * docs  # per document, the best score so far (rounded); -1: no candidate yet
    at = [0] * docs
    for n, vec in enumerate(vectors):
        mine = doc_of[n]
        lo_m, hi_m = first[mine], first[mine + 1]
        touched: list[int] = []  # candidates in the order first met, which decides ties
        for w, v in vec.items():
            ms, us = postings[w]
            if len(ms) > common:
                continue
            lo = bisect.bisect_left(ms, lo_m)
            hi = bisect.bisect_left(ms, hi_m, lo)
            for m, u in chain(zip(ms[:lo], us[:lo]), zip(ms[hi:], us[hi:])) if hi > lo else zip(ms, us):
                score = scores[m]
                if score:
                    scores[m] = score + v * u
                else:
                    scores[m] = v * u
                    touched.append(m)
        order: list[int] = []  # other documents in the order their first candidate was met
        for m in touched:
            score = scores[m]
            scores[m] = 0.0
            other = doc_of[m]
            if top[other] < 0.0:
                order.append(other)
            elif score <= top[other]:
                continue
            top[other] = round(score, 3)
            at[other] = m
        result.best[refs[n]] = {o: (sentence_of[at[o]], top[o]) for o in order}
        for o in order:
            top[o] = -1.0


# ------------------------------------------------------------------------------------------------
# Word-level diff
# ------------------------------------------------------------------------------------------------


def _fold(word: str) -> str:
    return word.strip(".,;:!?\"'“”‘’()[]").lower().replace("’", "'")


@dataclass(frozen=True)
class DiffOp:
    """One difference: `a` words replaced by `b` words (either side may be empty)."""

    a: str
    b: str


def word_diff(a: str, b: str) -> list[DiffOp]:
    """The differing stretches of two wordings, ignoring case and punctuation next to words."""
    wa, wb = TOKEN.findall(a), TOKEN.findall(b)
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
    return " ".join(_fold(w) for w in TOKEN.findall(text))


def similarity(a: str, b: str) -> float:
    """Word-sequence similarity of two wordings, 0 to 1."""
    wa = [_fold(w) for w in TOKEN.findall(a)]
    wb = [_fold(w) for w in TOKEN.findall(b)]
    return difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).ratio()
