"""Quotes (`compare`): one quotation worded differently by two outlets, or given to two people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from summarizer.analysis._findings import (
    ATTRIBUTION,
    ATTRIBUTION_BASE,
    ATTRIBUTION_MATCH,
    ATTRIBUTION_MAX,
    ATTRIBUTION_PER_SCORE,
    QUOTE_MATCH,
    QUOTE_VARIANT,
    VARIANT_BASE,
    VARIANT_PER_SCORE,
    VARIANT_SAME_SPEAKER,
    DocumentAnalysis,
    Finding,
    SourceValue,
)
from summarizer.analysis.align import describe_diff, fold_words, word_diff
from summarizer.analysis.names import _ADJECTIVES, PLACES, NameGroup, neutral_name, same_name
from summarizer.analysis.quotes import QuoteMention
from summarizer.text import content_stems


@dataclass(frozen=True)
class _Segment:
    doc: int
    quote: QuoteMention
    start: int
    end: int
    text: str


def _segments(d: int, analysis: DocumentAnalysis) -> list[_Segment]:
    """Direct quotes cut at sentence boundaries, so a two-sentence quote meets two shorter ones."""
    out = []
    idx = analysis.index
    for q in analysis.quotes:
        if q.kind != "direct":
            continue
        for s in idx.sentences_between(q.start, q.end):
            sent = idx.doc.sentences[s]
            lo, hi = max(q.start, sent.start), min(q.end, sent.end)
            span = idx.span(lo, hi)
            text = span.text.strip('“”"')
            if len(text.split()) >= 3:
                start = span.start + span.text.index(text)
                out.append(_Segment(d, q, start, start + len(text), text))
    return out


def _quote_findings(per_doc: Sequence[DocumentAnalysis], groups: Sequence[NameGroup]) -> list[Finding]:
    segments = [s for d, a in enumerate(per_doc) for s in _segments(d, a)]
    folded = [fold_words(s.text) for s in segments]
    pairs = []
    for i, j in _candidate_pairs(segments, folded):
        score = _folded_similarity(folded[i], folded[j])
        if score >= QUOTE_MATCH:
            pairs.append((score, segments[i], segments[j]))
    pairs.sort(key=lambda p: -p[0])
    used: set[tuple[int, int]] = set()
    findings = []
    for score, a, b in pairs:
        if (a.doc, a.start) in used or (b.doc, b.start) in used:
            continue
        used |= {(a.doc, a.start), (b.doc, b.start)}
        found = _quote_pair(per_doc, score, a, b, groups)
        if found is not None:
            findings.append(found)
    return findings


def _candidate_pairs(segments: Sequence[_Segment], folded: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i < j) of quote segments from different documents that may be one quotation worded
    alike, in order, found through an index instead of trying all pairs: each segment meets the
    segments that use one of its `_RAREST` rarest content words among those another document's
    quotes use too (a quotation and its shorter or reworded twin share their rarest words); a
    segment of fewer than `_FEW_WORDS` content words (`That is not true.`) meets any. Of those, the
    pairs whose character or word-set ratio reaches the match threshold (rapidfuzz's cut-off, compared
    in C, one call per segment): every pair `_folded_similarity` would find alike, and fewer others."""
    words = [set(content_stems(seg.text)) for seg in segments]
    postings: dict[str, list[int]] = {}
    for n, ws in enumerate(words):
        for w in ws:
            postings.setdefault(w, []).append(n)
    spread = {w: len({segments[j].doc for j in js}) for w, js in postings.items()}  # documents using w
    own: dict[int, set[int]] = {}  # document → its segments
    for n, seg in enumerate(segments):
        own.setdefault(seg.doc, set()).add(n)
    pairs: set[tuple[int, int]] = set()
    pools: dict[int, list[int]] = {}  # document → other documents' segments
    for i, ws in enumerate(words):
        doc = segments[i].doc
        if len(ws) < _FEW_WORDS:
            if doc not in pools:
                pools[doc] = [j for j, s in enumerate(segments) if s.doc != doc]
            met = pools[doc]
        else:
            shared = [w for w in ws if spread[w] > 1]  # another document's quotes use it too
            rarest = sorted(shared, key=lambda w: (len(postings[w]), w))[:_RAREST]
            met = sorted(set().union(*(postings[w] for w in rarest)) - own[doc])
        if not met:
            continue
        choices = [folded[j] for j in met]
        found = process.extract(folded[i], choices, scorer=fuzz.ratio, score_cutoff=_CUTOFF, limit=None)
        if folded[i].count(" ") >= 4:
            found += process.extract(
                folded[i], choices, scorer=fuzz.token_set_ratio, score_cutoff=_CUTOFF / 0.8, limit=None
            )
        pairs.update((min(i, met[k]), max(i, met[k])) for _, _, k in found)
    return sorted(pairs)


_RAREST = 4
_FEW_WORDS = 3
_CUTOFF = 100 * QUOTE_MATCH - 0.1
"""rapidfuzz's scores run 0 to 100; a hair below the threshold, as the similarity is rounded after."""


def _quote_similarity(a: str, b: str) -> float:
    """Similarity of two wordings, 0 to 1: character-level, or word-set overlap for longer quotes."""
    return _folded_similarity(fold_words(a), fold_words(b))


def _folded_similarity(fa: str, fb: str) -> float:
    seq = fuzz.ratio(fa, fb) / 100.0
    if min(fa.count(" "), fb.count(" ")) < 4:
        return round(seq, 3)
    return round(max(seq, 0.8 * fuzz.token_set_ratio(fa, fb) / 100.0), 3)


def _quote_pair(
    per_doc: Sequence[DocumentAnalysis], score: float, a: _Segment, b: _Segment, groups: Sequence[NameGroup]
) -> Finding | None:
    sa, sb = a.quote.speaker, b.quote.speaker
    same = sa is not None and sb is not None and same_name(sa, sb, "person")
    values = [
        SourceValue(per_doc[s.doc].index.id, s.text, [per_doc[s.doc].index.span(s.start, s.end)])
        for s in (a, b)
    ]
    if (
        sa is not None
        and sb is not None
        and not same
        and score >= ATTRIBUTION_MATCH
        and _two_people(per_doc, a, b)
    ):
        return Finding(
            "",
            "conflict",
            "attribution",
            f"The same words are attributed to {sa} by {values[0].source} and to {sb} by {values[1].source}.",
            round(min(ATTRIBUTION_MAX, ATTRIBUTION_BASE + ATTRIBUTION_PER_SCORE * score), 2),
            [
                SourceValue(values[0].source, sa, values[0].spans),
                SourceValue(values[1].source, sb, values[1].spans),
            ],
            rule=ATTRIBUTION.code,
        )
    ops = word_diff(a.text, b.text)
    if not ops:
        return None
    longest = _longest(sa, sb) if same or sa is None or sb is None else _stated(a, b)
    speaker = neutral_name(longest, groups) if longest else None  # not one outlet's spelling
    confidence = (
        VARIANT_BASE + VARIANT_PER_SCORE * score + (VARIANT_SAME_SPEAKER if same else -VARIANT_SAME_SPEAKER)
    )
    note = describe_diff(ops, values[0].source, values[1].source)
    return Finding(
        "",
        "quote_variant",
        "quote",
        f"{values[0].source} and {values[1].source} word a quotation by {speaker or 'an unnamed speaker'} "
        f"differently: {note}.",
        round(max(0.0, min(confidence, 0.99)), 2),
        values,
        speaker=speaker,
        diff=ops,
        rule=QUOTE_VARIANT.code,
    )


def _two_people(per_doc: Sequence[DocumentAnalysis], a: _Segment, b: _Segment) -> bool:
    """Whether two quotations give the same words to two different people by the outlets' own account:
    each outlet names its speaker at the quote (a resolved pronoun, a continued quote or a description
    is the analysis' inference, not the outlet's claim), both are people named in their documents, and
    they do not share a surname (`Trump` / `Donald Trump Jr.`, `Mad Dog Mattis` / `Jim Mattis`: the
    same person, or one the outlets could confuse, not a conflict)."""
    sa, sb = a.quote.speaker or "", b.quote.speaker or ""
    if a.quote.resolution != "named" or b.quote.resolution != "named":
        return False
    if not (_named(per_doc[a.doc], sa) and _named(per_doc[b.doc], sb)):
        return False
    if _place(sa) or _place(sb):
        return False  # `North Carolina` said: a place stands for someone unnamed
    return not same_name(_surname(sa), _surname(sb), "person")


_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def _surname(name: str) -> str:
    """The surname, without a generational suffix (`Donald Trump Jr.` → `Trump`)."""
    words = [w for w in name.split() if w.lower().strip(",") not in _SUFFIXES]
    return words[-1] if words else name


def _place(name: str) -> bool:
    return all(w in PLACES or w in _ADJECTIVES for w in name.split())


def _stated(a: _Segment, b: _Segment) -> str | None:
    """The speaker of two wordings whose speakers differ: the one an outlet names at the quote when the
    other was inferred, else nobody (neither outlet's version is taken)."""
    named = [s.quote.speaker for s in (a, b) if s.quote.resolution == "named"]
    return named[0] if len(named) == 1 else None


def _named(analysis: DocumentAnalysis, speaker: str) -> bool:
    return any(m.canonical == speaker and m.type == "person" for m in analysis.names)


def _longest(a: str | None, b: str | None) -> str | None:
    names = [n for n in (a, b) if n]
    return max(names, key=len) if names else None
