"""Meaning-based alignment: "same statement" decided by sentence embeddings and shared words together,
under agreement of the facts the two sentences state (issue 11).

    alignment = align_sentences(indexes)                     # lexical, always
    add_meaning(alignment, indexes, semantic("minilm"))   # under alignment.facts
    alignment.same(d, s, o)                                  # the counterpart by meaning, or None

For every aligned sentence and every other document, the counterpart is the sentence of that document
with the highest combined score `cosine + LEXICAL_WEIGHT * tf-idf cosine` among those whose facts
agree (`agree`): the people named, the numbers per unit and the days given. Two sentences that name
different people, give different numbers of the same unit or different days are not the same
statement, however close their wording or meaning (they may be a conflict, which the conflict detectors
judge from the lexical pairing). A combined score at or above `SAME_MEANING` is the same statement;
below `DIFFERENT_MEANING` the document may omit it (if the lexical measures agree too). The only-some
detector also asks that no omitting document's counterpart reach `compare.UNTOLD_MEANING`.
Thresholds chosen on the tune stories of bench/splits.py (`bench/compare_eval.py --alignment both`):
on them a meaning-only decision flagged sentences holding an informational-bias span no more often
than the rest (1.1-1.3x), so meaning vetoes the lexical decision rather than replacing it.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.analysis._text import DocIndex
from summarizer.analysis.align import Alignment, Facts, SentenceRef, agree
from summarizer.analysis.dates import DateRef
from summarizer.analysis.names import NameGroup
from summarizer.analysis.numbers import NumberMention
from summarizer.text import Semantic

LEXICAL_WEIGHT = 0.5
"""What the TF-IDF cosine of a pair adds to its embedding cosine: shared rare words (names, figures)
are evidence of one statement the embedding alone underrates."""
SAME_MEANING = 0.8
"""Combined score at or above which two sentences whose facts agree tell the same statement."""
DIFFERENT_MEANING = 0.8
"""Combined score below which a document may omit a statement (the tune stories read best with no band
between the two: 0.55-0.75 made the flag select informational material less, 1.55-1.69x vs 1.74x)."""


def sentence_facts(
    indexes: Sequence[DocIndex],
    groups: Sequence[NameGroup],
    numbers: Sequence[Sequence[NumberMention]],
    dates: Sequence[Sequence[DateRef]],
) -> dict[SentenceRef, Facts]:
    """The `Facts` of every sentence of `indexes` (document d's numbers and dates in `numbers[d]`,
    `dates[d]`; people from the name groups of all documents)."""
    number = {idx.id: d for d, idx in enumerate(indexes)}
    people: dict[SentenceRef, set[int]] = {}
    for g, group in enumerate(groups):
        if group.type != "person":
            continue
        for m in group.mentions:
            d = number.get(m.source)
            s = indexes[d].sentence_at(m.start) if d is not None else None
            if d is not None and s is not None:
                people.setdefault((d, s), set()).add(g)
    values: dict[SentenceRef, set[tuple[str, float]]] = {}
    for d, found in enumerate(numbers):
        for n in found:
            s = indexes[d].sentence_at(n.start)
            if s is not None:
                values.setdefault((d, s), set()).add((n.unit or "", n.value))
    days: dict[SentenceRef, set[str]] = {}
    for d, refs in enumerate(dates):
        for r in refs:
            s = indexes[d].sentence_at(r.start)
            if s is not None and r.iso and r.precision in ("day", "weekday"):
                days.setdefault((d, s), set()).add(r.iso)
    every = people.keys() | values.keys() | days.keys()
    return {
        r: Facts(frozenset(people.get(r, ())), frozenset(values.get(r, ())), frozenset(days.get(r, ())))
        for r in every
    }


def add_meaning(alignment: Alignment, indexes: Sequence[DocIndex], model: Semantic) -> None:
    """Fill `alignment.meaning` (every aligned sentence's counterpart in each other document by the
    combined score, `alignment.facts` agreeing) and set `alignment.method` to the model's method."""
    facts = alignment.facts
    refs: list[list[SentenceRef]] = [[] for _ in indexes]
    for d, s in alignment.vectors:
        refs[d].append((d, s))
    texts = [[indexes[d].sentence_text(s) for _, s in mine] for d, mine in enumerate(refs)]
    none = Facts()
    for d, mine in enumerate(refs):
        for o in range(d + 1, len(indexes)):
            theirs = refs[o]
            if not mine or not theirs:
                continue
            cosines = model.similarity(texts[d], texts[o])
            for i, a in enumerate(mine):
                fa = facts.get(a, none)
                for j, b in enumerate(theirs):
                    if not agree(fa, facts.get(b, none)):
                        continue
                    score = round(cosines[i][j] + LEXICAL_WEIGHT * alignment.lexical(a, b), 3)
                    _keep(alignment, a, o, b[1], score)
                    _keep(alignment, b, d, a[1], score)
    alignment.method = model.method
    alignment.threshold = SAME_MEANING


def _keep(alignment: Alignment, ref: SentenceRef, other: int, sentence: int, score: float) -> None:
    found = alignment.meaning.setdefault(ref, {})
    if other not in found or score > found[other][1]:
        found[other] = (sentence, score)
