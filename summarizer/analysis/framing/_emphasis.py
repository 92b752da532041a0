"""Emphasis: what each outlet puts in its lead. A statement one source opens with (its first `LEAD` body
sentences) that another source reports only well down its article (`LATER`), while the two leads share
no statement, is shown from both: the first source's lead sentence and the sentence where the other
reports it, each verbatim.

A lead statement another article does not report at all is not reported here: on the tune stories most
such pairs were the same lead in other words (a paraphrase shares too few words to be matched), and
what one outlet leaves out is the only-some detector's to say."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.analysis.align import Alignment
from summarizer.analysis.compare import Analysis
from summarizer.analysis.framing._aspects import EMPHASIS, FramingAspect, FramingWording
from summarizer.analysis.framing._doc import _Doc
from summarizer.analysis.layout import headline

LEAD = 2
"""Body sentences that make an article's lead."""
LATER = 5
"""A statement reported at this body sentence (0-based) or later is not in that article's lead."""
SAME_FACT = 0.35
"""Lexical similarity at or above which two sentences, each the other's best match, state one fact."""
MAX_EMPHASIS = 2
"""At most this many emphasis aspects per comparison, the most similar pairs first."""
LATER_BASE = 0.4


@dataclass(frozen=True)
class _Body:
    """A document's body sentences in order (not its headline, boilerplate or fragments)."""

    sentences: list[int]

    @property
    def lead(self) -> list[int]:
        return self.sentences[:LEAD]

    def rank(self, sentence: int) -> int | None:
        return self.sentences.index(sentence) if sentence in self.sentences else None


def _body(doc: _Doc, d: int, alignment: Alignment) -> _Body:
    found = headline(doc.idx)
    after = found[1] if found is not None else 0
    return _Body(
        [
            s
            for s, sent in enumerate(doc.idx.doc.sentences)
            if sent.start >= after
            and (d, s) not in alignment.skipped
            and (d, s) not in alignment.fragments
            and _SENTENCE_END.search(doc.idx.text, sent.start, sent.end) is not None
        ]
    )


_SENTENCE_END = re.compile(r"[.!?…][”\"’')\]]*\s*$")
"""A body sentence ends like one: a line without (`NRA urges states to act`) is a subhead or caption."""


def _same_fact(alignment: Alignment, d: int, s: int, o: int) -> tuple[int, float] | None:
    """The sentence of document `o` that states the fact of sentence `s` of `d`, with their word
    similarity: the statement `Alignment.same` finds (by meaning too, when that ran), each the other's
    best match by words, and similar in words (`SAME_FACT`) whichever method ran, since a sentence
    near in meaning only is often another fact of the same story."""
    found = alignment.same(d, s, o)
    if found is None:
        return None
    t = found[0]
    score = found[1] if alignment.method == "lexical" else alignment.lexical((d, s), (o, t))
    back = alignment.match(o, t, d)
    return (t, score) if score >= SAME_FACT and back is not None and back[0] == s else None


def _emphasis(docs: Sequence[_Doc], analysis: Analysis) -> list[FramingAspect]:
    alignment = analysis.alignment
    bodies = [_body(doc, d, alignment) for d, doc in enumerate(docs)]
    found: list[tuple[float, FramingAspect]] = []
    for d in range(len(docs)):
        for o in range(len(docs)):
            if o == d or not bodies[d].lead or not bodies[o].lead:
                continue
            if _leads_share(alignment, bodies[d], d, bodies[o], o):
                continue
            for s in bodies[d].lead:
                aspect = _later(docs, bodies, alignment, d, s, o)
                if aspect is not None:
                    found.append(aspect)
    found.sort(key=lambda x: -x[0])
    return [a for _, a in found[:MAX_EMPHASIS]]


def _leads_share(alignment: Alignment, a: _Body, d: int, b: _Body, o: int) -> bool:
    """Whether two leads state one fact: a lead sentence of one matched in the other's lead."""
    for s in a.lead:
        found = alignment.same(d, s, o)
        if found is not None and found[0] in b.lead:
            return True
    for t in b.lead:
        found = alignment.same(o, t, d)
        if found is not None and found[0] in a.lead:
            return True
    return False


def _later(
    docs: Sequence[_Doc], bodies: Sequence[_Body], alignment: Alignment, d: int, s: int, o: int
) -> tuple[float, FramingAspect] | None:
    found = _same_fact(alignment, d, s, o)
    if found is None:
        return None
    t, score = found
    rank = bodies[o].rank(t)
    if rank is None or rank < LATER:
        return None
    a, b = docs[d], docs[o]
    aspect = FramingAspect(
        f"Emphasis: {a.id} leads with a statement {b.id} reports only in the {_ordinal(rank + 1)} sentence "
        "of its body",
        "emphasis",
        round(LATER_BASE + 0.25 * min(score, 1.0), 2),
        [FramingWording(a.id, a.idx.sentence_span(s)), FramingWording(b.id, b.idx.sentence_span(t))],
        EMPHASIS.code,
    )
    return score, aspect


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
