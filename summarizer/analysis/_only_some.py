"""Statements only some sources report (`compare`)."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.analysis._findings import (
    ONLY_SOME_STATEMENT,
    STATEMENT_MAX,
    STATEMENT_MIN,
    DocumentAnalysis,
    Finding,
    SourceValue,
    _who,
)
from summarizer.analysis.align import ALIGN_THRESHOLD, Alignment, Status
from summarizer.analysis.meaning import DIFFERENT_MEANING, SAME_MEANING
from summarizer.schemas import Span


def _statements_only_some(per_doc: Sequence[DocumentAnalysis], alignment: Alignment) -> list[Finding]:
    """Sentences some other source clearly omits, with their counterparts in the sources that report them.

    A source `omits` a sentence only when its best match is weak *and* most of the sentence's
    distinctive words never occur in it (`Alignment.status`); a loosely similar source is `unclear`.
    Headings, boilerplate and fragments of fewer than four content words are never reported, nor a
    sentence that is not clearly unmatched (`_unmatched` below `UNMATCHED`): most of a story's sentences
    are told by the other outlets in other words, and a finding for each is noise.
    """
    every = list(range(len(per_doc)))
    findings = []
    quoted = [_quoted_sentences(a) for a in per_doc]
    claimed: set[tuple[int, int]] = set()
    spans: dict[tuple[int, int], Span] = {}  # a sentence is evidence for many findings: one Span each

    def span(o: int, t: int) -> Span:
        if (o, t) not in spans:
            spans[o, t] = per_doc[o].index.sentence_span(t)
        return spans[o, t]

    for d, a in enumerate(per_doc):
        for s in range(len(a.doc.sentences)):
            if (d, s) in alignment.skipped or (d, s) in alignment.fragments or (d, s) in claimed:
                continue
            best = alignment.best.get((d, s), {})
            status = _statuses(alignment, d, s, every)
            omits = [o for o, st in status.items() if st == "omits"]
            if not omits:
                continue
            told = [o for o, st in status.items() if st == "reports"]
            reports = {d: s, **{o: _counterpart(alignment, d, s, o) for o in told}}
            claimed |= set(reports.items())
            top = max((best[o][1] for o in omits if o in best), default=0.0)
            cover = max((alignment.coverage.get((d, s), {}).get(o, 0.0) for o in omits), default=0.0)
            close = any(alignment.close(d, o) for o in omits)
            if not close and not _untold_sentence(alignment, d, s, omits, top, cover, quoted[d][s]):
                continue
            values = [
                SourceValue(
                    per_doc[o].index.id,
                    per_doc[o].index.sentence_text(t),
                    [span(o, t)],
                )
                for o, t in sorted(reports.items())
            ]
            unclear = [
                SourceValue(
                    per_doc[o].index.id,
                    per_doc[o].index.sentence_text(best[o][0]),
                    [span(o, best[o][0])],
                )
                for o, st in sorted(status.items())
                if st == "unclear" and o in best
            ]
            verb = "reports" if len(values) == 1 else "report"
            findings.append(
                Finding(
                    "",
                    "only_some",
                    "statement",
                    f"Only {_who(per_doc, [v.source for v in values])} {verb}: {values[0].value}",
                    round(max(STATEMENT_MIN, STATEMENT_MAX - 2 * top - 0.5 * cover), 2),
                    values,
                    omits=[per_doc[o].index.id for o in omits],
                    unclear=unclear,
                    rule=ONLY_SOME_STATEMENT.code,
                )
            )
    return findings


def _untold_sentence(
    alignment: Alignment, d: int, s: int, omits: Sequence[int], top: float, cover: float, quoted: bool
) -> bool:
    """Whether the omitting sources clearly lack sentence `s` of `d`: by words, `_unmatched` reaches
    `UNMATCHED`; by meaning, no omitting source's counterpart reaches `UNTOLD_MEANING` (lowered by
    `QUOTED_MEANING` for a direct quotation, outlet-specific material more than background)."""
    if _unmatched(top, cover, quoted) < UNMATCHED:
        return False
    if alignment.method == "lexical":
        return True
    told = max((_meaning(alignment, d, s, o) for o in omits), default=0.0)
    return told < UNTOLD_MEANING + (QUOTED_MEANING if quoted else 0.0)


UNTOLD_MEANING = 0.6
"""Semantic alignment: a sentence the words say is untold is reported as told by only some only when
its best counterpart in every omitting source scores below this (a paraphrase is not an omission).
Chosen on the tune stories (bench/compare_eval.py --alignment both): 0.6-0.7 alike, 1.68-1.74x."""
QUOTED_MEANING = 0.1
"""What a direct quotation adds to `UNTOLD_MEANING`."""


def _counterpart(alignment: Alignment, d: int, s: int, o: int) -> int:
    """The sentence of `o` that reports sentence `s` of `d`: by meaning when the alignment has it."""
    found = alignment.same(d, s, o) or alignment.match(d, s, o)
    assert found is not None
    return found[0]


UNMATCHED = 1.05
"""How clearly unmatched a sentence must be (`_unmatched`) to be reported as told by only some sources.
Chosen on the tune stories of bench/splits.py (bench/compare_eval.py): about 30% of their sentences
score above it, and those hold informational-bias spans more often than the rest."""
QUOTED_WEIGHT = 0.3
"""What a direct quotation adds: words put in someone's mouth that another outlet does not carry are
outlet-specific material, more than background told in other words."""


def _unmatched(top: float, cover: float, quoted: bool) -> float:
    """How clearly the omitting sources lack a sentence: the share of its weighted words they never
    use (1 - coverage), plus how far their best match falls short of `ALIGN_THRESHOLD`, plus
    `QUOTED_WEIGHT` for a sentence holding a direct quotation."""
    return (1 - cover) + (ALIGN_THRESHOLD - min(top, ALIGN_THRESHOLD)) + (QUOTED_WEIGHT if quoted else 0.0)


def _quoted_sentences(a: DocumentAnalysis) -> list[bool]:
    """For each sentence, whether it holds (part of) a direct quotation."""
    out = [False] * len(a.doc.sentences)
    for q in a.quotes:
        if q.kind == "direct":
            for n in a.index.sentences_between(q.start, q.end):
                out[n] = True
    return out


def _statuses(alignment: Alignment, d: int, s: int, every: Sequence[int]) -> dict[int, Status]:
    """`Alignment.status` of sentence `s` of document `d` in every other document (in a source that
    follows `d` closely, `CLOSE_COPY`, a sentence whose best match falls below half the pair's usual
    match is omitted there, whatever words the rest of the copy shares with it), by meaning too when
    the alignment has it."""
    out: dict[int, Status] = {}
    for o in every:
        if o == d:
            continue
        out[o] = alignment.status(d, s, o)
        if alignment.method != "lexical":
            out[o] = _by_meaning(out[o], _meaning(alignment, d, s, o), close=alignment.close(d, o))
    return out


def _meaning(alignment: Alignment, d: int, s: int, o: int) -> float:
    """The combined score of sentence `s` of document `d` with its counterpart by meaning in `o` (0
    when no sentence of `o` agrees with it on names, numbers and days)."""
    found = alignment.meaning.get((d, s), {}).get(o)
    return found[1] if found else 0.0


def _by_meaning(lexical: Status, score: float, close: bool) -> Status:
    """The status by meaning: in a close copy (an edited wire story) the lexical status, whose
    threshold follows the pair's usual match; else the same statement at `SAME_MEANING` (words and
    meaning together, facts agreeing), omitted below `DIFFERENT_MEANING`, unclear between."""
    if close:
        return lexical
    if score >= SAME_MEANING:
        return "reports"
    if lexical == "omits":
        return "omits" if score < DIFFERENT_MEANING else "unclear"
    if lexical == "reports":
        return "reports" if score >= DIFFERENT_MEANING else "unclear"
    return "unclear"
