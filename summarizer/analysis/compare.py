"""Cross-source findings: quote variants, typed conflicts and what only some sources report.

`analyse(docs)` extracts per document (names, quotes, dates, numbers, citations), aligns sentences
across documents, and derives findings, each with a confidence (0 to 1) and exact evidence spans.
Findings at or above `HIGH_CONFIDENCE` are the ones the pipeline adds when a model's report lacks them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from rapidfuzz import fuzz, process

from summarizer.analysis._indexed import names_of, quotes_of
from summarizer.analysis._text import DocIndex, index_of
from summarizer.analysis.align import (
    ALIGN_THRESHOLD,
    OMIT_COVERAGE,
    OMIT_THRESHOLD,
    Alignment,
    DiffOp,
    Status,
    align_sentences,
    describe_diff,
    fold_words,
    word_diff,
)
from summarizer.analysis.dates import DateRef, find_dates
from summarizer.analysis.meaning import DIFFERENT_MEANING, SAME_MEANING, add_meaning, sentence_facts
from summarizer.analysis.names import (
    _ADJECTIVES,
    _TITLES,
    PLACES,
    NameGroup,
    NameMention,
    group_names,
    neutral_name,
    same_name,
    spelling_variant,
)
from summarizer.analysis.numbers import NumberMention, find_numbers
from summarizer.analysis.quotes import QuoteMention
from summarizer.analysis.sourcing import Citation, find_citations
from summarizer.rules import ALL, Selection, register
from summarizer.schemas import Document, Span
from summarizer.text import (
    NEXT_WORD,
    STOPWORDS_ANALYSIS,
    WORD_ANY_SCRIPT,
    WORD_RUN,
    Semantic,
    content_stems,
    ordered,
    stem_light,
    wordlist,
)

FindingType = Literal["conflict", "quote_variant", "only_some"]

# The detectors of this module, by stable code (`summarizer rules` lists them; issue 10).
QUOTE_VARIANT = register(
    "D101", "quote-variant", "detector", "one quotation worded differently by two outlets"
)
ATTRIBUTION = register(
    "D102", "attribution", "detector", "the same words given to two different people, each named at the quote"
)
NAME_SPELLING = register(
    "D103", "name-spelling", "detector", "one person or body whose name the outlets spell differently"
)
DATE_CONFLICT = register("D104", "date-conflict", "detector", "matching statements that give different dates")
NUMBER_CONFLICT = register(
    "D105", "number-conflict", "detector", "matching statements that give different numbers of the same thing"
)
ONLY_SOME_NAME = register("D106", "only-some-name", "detector", "a person or body only some outlets name")
ONLY_SOME_STATEMENT = register(
    "D107", "only-some-statement", "detector", "a statement some outlets make and another clearly omits"
)

HIGH_CONFIDENCE = 0.75
QUOTE_MATCH = 0.6
"""Similarity at or above which two quotations by the same (or an unknown) speaker are one statement."""
ATTRIBUTION_MATCH = 0.8
"""Similarity at or above which the same words given to two different people are an attribution conflict."""

# Confidence of each detector's findings: a base, what the similarity of the matched wordings or
# sentences adds, and a ceiling.
VARIANT_BASE, VARIANT_PER_SCORE, VARIANT_SAME_SPEAKER = 0.35, 0.55, 0.15
ATTRIBUTION_BASE, ATTRIBUTION_PER_SCORE, ATTRIBUTION_MAX = 0.3, 0.6, 0.95
NAME_SPELLING_CONFIDENCE = 0.9
DATE_BASE, NUMBER_BASE, VALUE_PER_SCORE, VALUE_MAX = 0.35, 0.3, 0.6, 0.9
PERSON_NAMED_TWICE, PERSON, BODY = 0.9, 0.8, 0.6
"""Only-some names: a person named more than once, a person named once, an organisation."""
STATEMENT_MIN, STATEMENT_MAX = 0.3, 0.9


@dataclass
class SourceValue:
    """One source's side of a finding: the value or wording as written, and where."""

    source: str
    value: str
    spans: list[Span]


@dataclass
class Finding:
    id: str
    type: FindingType
    kind: str
    """conflict: date|number|name|attribution; quote_variant: quote;
    only_some: statement|person|organization."""
    description: str
    confidence: float
    values: list[SourceValue]
    omits: list[str] = field(default_factory=list)
    unclear: list[SourceValue] = field(default_factory=list)
    """only_some: sources with a loosely similar sentence, neither clearly reporting nor omitting."""
    speaker: str | None = None
    diff: list[DiffOp] = field(default_factory=list)
    rule: str = ""
    """The code of the detector that produced the finding (`D101`…): `summarizer rules` lists them."""
    clear: bool = True
    """Whether the offline report states it. A model reviews every candidate; the offline claims matrix
    keeps, of the people and bodies only some name, the actors whose part the others do not tell."""
    lead: dict[str, Span] = field(default_factory=dict)
    """only_some names: per source, the mention the offline claim cites (in an untold sentence)."""

    @property
    def high(self) -> bool:
        return self.confidence >= HIGH_CONFIDENCE

    @property
    def sources(self) -> list[str]:
        return [v.source for v in self.values]


@dataclass
class DocumentAnalysis:
    index: DocIndex
    names: list[NameMention]
    quotes: list[QuoteMention]
    dates: list[DateRef]
    citations: list[Citation]

    @property
    def doc(self) -> Document:
        return self.index.doc

    @cached_property
    def numbers(self) -> list[NumberMention]:
        """Computed on first use: summaries do not need them."""
        return find_numbers(self.doc.text)


@dataclass
class Analysis:
    documents: list[DocumentAnalysis]
    names: list[NameGroup]
    alignment: Alignment
    findings: list[Finding]

    def of_type(self, kind: FindingType) -> list[Finding]:
        return [f for f in self.findings if f.type == kind]

    def candidates(self) -> list[Finding]:
        """What the model is asked to review: conflicts, quote variants, people and bodies only some name."""
        return [f for f in self.findings if f.type != "only_some" or f.kind in ("person", "organization")]


def analyse_document(doc: Document) -> DocumentAnalysis:
    idx = index_of(doc)
    names = names_of(doc)
    quotes = quotes_of(doc)
    return DocumentAnalysis(
        index=idx,
        names=names,
        quotes=quotes,
        dates=find_dates(doc.text, doc.published),
        citations=find_citations(idx, names, quotes),
    )


def analyse(docs: Sequence[Document], rules: Selection = ALL, meaning: Semantic | None = None) -> Analysis:
    """Extractions and findings of `docs`; only the findings of the detectors `rules` enables
    (`--select` / `--ignore`), dropped before conflicts are merged and findings numbered. With
    `meaning` (a sentence-embedding model, `summarizer.text.semantic("minilm")`), "same statement" is
    decided by meaning too (`summarizer.analysis.meaning`); else by shared words."""
    per_doc = [analyse_document(d) for d in docs]
    groups = group_names([m for d in per_doc for m in d.names])
    indexes = [d.index for d in per_doc]
    alignment = align_sentences(indexes)
    numbers, dates = [a.numbers for a in per_doc], [a.dates for a in per_doc]
    alignment.facts = sentence_facts(indexes, groups, numbers, dates)
    if meaning is not None:
        add_meaning(alignment, indexes, alignment.facts, meaning)
    findings = [
        *_quote_findings(per_doc, groups),
        *_name_conflicts(per_doc, groups),
        *_value_conflicts(per_doc, alignment),
        *_names_only_some(per_doc, groups, alignment),
        *_statements_only_some(per_doc, alignment),
    ]
    if not rules.everything:
        findings = [f for f in findings if rules.enabled(f.rule)]
    findings = _distinct(findings)
    for n, f in enumerate(findings, 1):
        f.id = f"C{n}"
    return Analysis(per_doc, groups, alignment, findings)


def _distinct(findings: Sequence[Finding]) -> list[Finding]:
    """Conflicts once each: the same conflict found from two quote segments or two aligned sentence
    pairs (same kind, same description) is one finding, the first kept."""
    seen: set[tuple[str, str]] = set()
    out = []
    for f in findings:
        if f.type == "conflict":
            if (f.kind, f.description) in seen:
                continue
            seen.add((f.kind, f.description))
        out.append(f)
    return out


# ------------------------------------------------------------------------------------------------
# Quotes
# ------------------------------------------------------------------------------------------------


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


# ------------------------------------------------------------------------------------------------
# Names
# ------------------------------------------------------------------------------------------------


def _name_conflicts(per_doc: Sequence[DocumentAnalysis], groups: Sequence[NameGroup]) -> list[Finding]:
    """People and bodies whose name one outlet spells in a way another never does (`Sergie` where the
    other writes `Sergei`), whatever shorter forms each also uses (`Lavrov`, a middle initial): a word
    of one source's forms that the other never writes and that is a spelling variant of one it does."""
    index = {a.index.id: a.index for a in per_doc}
    findings = []
    for g in groups:
        if g.type not in ("person", "organization") or len(g.sources) < 2:
            continue
        forms = {s: g.spellings(s) for s in g.sources}
        words = {s: {w for f in fs for w in _name_words(f)} for s, fs in forms.items()}
        odd: dict[str, set[str]] = {}  # source → its words that another source spells otherwise
        for s in g.sources:
            for t in g.sources:
                if s != t:
                    odd.setdefault(s, set()).update(
                        w for w in words[s] - words[t] if any(_misspelt(w, v) for v in words[t] - {w})
                    )
        if not any(odd.values()):
            continue  # fuller or shorter forms of one name (a middle initial, a bare surname)
        values = []
        for source in g.sources:
            spelling = _telling(forms[source], odd[source])
            first = next(m for m in g.mentions if m.source == source and m.canonical == spelling)
            full = _full_mention(index[source], first)
            values.append(SourceValue(source, spelling, [index[source].span(*full)]))
        listed = " / ".join(f"{v.value} ({v.source})" for v in values)
        findings.append(
            Finding(
                "",
                "conflict",
                "name",
                f"The sources spell a name differently: {listed}.",
                NAME_SPELLING_CONFIDENCE,
                values,
                rule=NAME_SPELLING.code,
            )
        )
    return findings


def _name_words(form: str) -> list[str]:
    """The words of a name as spelt, lower case, without full stops or quotation marks around them."""
    words = (w.strip("'\"‘“”,").lower() for w in form.replace("’", "'").replace(".", " ").split())
    return [w for w in words if w]


def _misspelt(a: str, b: str) -> bool:
    """Two words of one name spelt differently; not one cut from the other (`O'Rourke` / `Rourke`)."""
    return not (a.endswith(b) or b.endswith(a)) and spelling_variant(a, b)


def _telling(forms: Sequence[str], odd: set[str]) -> str:
    """The form that shows a source's spelling: the fullest holding one of its odd words, else its
    fullest form."""
    holding = [f for f in forms if odd & set(_name_words(f))]
    return max(holding or forms, key=lambda f: (len(f.split()), len(f)))


def _full_mention(idx: DocIndex, m: NameMention) -> tuple[int, int]:
    """The span of the fullest form near the first mention: the mention itself when it is the full name."""
    pos = idx.text.find(m.canonical)
    return (pos, pos + len(m.canonical)) if pos >= 0 else (m.start, m.end)


_GENERIC_OUTLETS = frozenset({"", "text", "unknown", "stdin", "-", "<text>"})


def outlet_label(doc: Document) -> str:
    """`A (HuffPost)`: the source id with its outlet when one is known (not a file-name placeholder)."""
    outlet = re.sub(r"\s*\(.*\)\s*$", "", doc.outlet or "").strip() or (doc.outlet or "").strip()
    generic = outlet.casefold() in _GENERIC_OUTLETS | {doc.id.casefold(), f"source {doc.id}".casefold()}
    return doc.id if generic else f"{doc.id} ({outlet})"


def _who(per_doc: Sequence[DocumentAnalysis], sources: Sequence[str]) -> str:
    """`A (HuffPost)`, `A (HuffPost) and C (The New York Times)`, `A, B and C`."""
    by_id = {a.index.id: a.doc for a in per_doc}
    labels = [outlet_label(by_id[s]) if s in by_id else s for s in sources]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _names_only_some(
    per_doc: Sequence[DocumentAnalysis], groups: Sequence[NameGroup], alignment: Alignment
) -> list[Finding]:
    """People and bodies only some outlets name, when they are actors of the story (named twice, or
    quoted) and the others do not tell what they did in other words: a mention stands in a sentence
    that no omitting outlet matches (else the name alone is missing, `the governor` for `Ann Lee`)."""
    every = [a.index.id for a in per_doc]
    number = {a.index.id: n for n, a in enumerate(per_doc)}
    index = {a.index.id: a.index for a in per_doc}
    words: dict[str, _Words] = {}
    speakers = {q.speaker for a in per_doc for q in a.quotes if q.speaker}
    quoted = [_quoted_sentences(a) for a in per_doc]
    findings = []
    for g in groups:
        if g.type not in ("person", "organization") or len(g.sources) == len(every):
            continue
        if g.type == "organization" and g.canonical.lower() in {a.doc.outlet.lower() for a in per_doc}:
            continue
        if g.type == "organization" and g.canonical.strip(".").lower() in _GENERIC_BODIES:
            continue  # "the Committee", "the Company": a body named in full elsewhere, or not at all
        present = set(g.sources)  # a property that sorts the mentions' sources: read once
        omits = [s for s in every if s not in present]
        if g.type == "person" and any(_words_of(words, index[s]).may_name(g.canonical) for s in omits):
            continue  # "Only B mentions Donald Trump" while A says "President Trump": not reported
        if g.type == "person" and any(_words_of(words, index[s]).first_name(g.canonical) for s in omits):
            continue  # "Only A and B mention Hillary Clinton" while C says "Hillary"
        if g.type == "organization" and any(
            _words_of(words, index[s]).may_abbreviate(g.canonical) for s in omits
        ):
            continue  # "Only B mentions DNC" while the others write "Democratic National Convention"
        values = []
        for source in g.sources:
            ms = [m for m in g.mentions if m.source == source]
            spans = [index[source].span(m.start, m.end) for m in ms[:3]]
            values.append(SourceValue(source, g.canonical, spans))
        told = [m for m in g.mentions if _untold(alignment, number, index, quoted, m, omits)]
        clear = bool(told) and _actor(g, speakers)
        mentions = len(g.mentions)
        confidence = (
            PERSON_NAMED_TWICE
            if g.type == "person" and mentions > 1
            else PERSON
            if g.type == "person"
            else BODY
        )
        kind = "person" if g.type == "person" else "organization"
        verb = "mentions" if len(g.sources) == 1 else "mention"
        findings.append(
            Finding(
                "",
                "only_some",
                kind,
                f"Only {_who(per_doc, g.sources)} {verb} {g.canonical.rstrip('.')}.",  # "N.Y.", not "N.Y.."
                confidence,
                values,
                omits=omits,
                rule=ONLY_SOME_NAME.code,
                clear=clear,
                lead={m.source: index[m.source].span(m.start, m.end) for m in reversed(told)},
            )
        )
    return findings


def _actor(g: NameGroup, speakers: set[str]) -> bool:
    """Whether a person or body acts in the story rather than passing through it: named in full (two
    words or more: `Obama`, `Senate`, `CNN` alone the others name as "the president", "senators", or
    not at all) and not a place or description (`Los Angeles`, `California Republican`), named more
    than once or quoted."""
    if len(g.canonical.split()) < 2 or _place(g.canonical):
        return False
    return len(g.mentions) > 1 or g.canonical in speakers


def _untold(
    alignment: Alignment,
    number: dict[str, int],
    index: dict[str, DocIndex],
    quoted: Sequence[Sequence[bool]],
    m: NameMention,
    omits: list[str],
) -> bool:
    """Whether the sentence of mention `m` is clearly unmatched by the omitting sources (`_unmatched`)."""
    s = index[m.source].sentence_at(m.start)
    if s is None:
        return False
    d = number[m.source]
    best, coverage = alignment.best.get((d, s), {}), alignment.coverage.get((d, s), {})
    top = max((best[number[o]][1] for o in omits if number[o] in best), default=0.0)
    cover = max((coverage.get(number[o], 0.0) for o in omits), default=0.0)
    return _untold_sentence(alignment, d, s, [number[o] for o in omits], top, cover, quoted[d][s])


def _words_of(known: dict[str, _Words], idx: DocIndex) -> _Words:
    if idx.id not in known:
        known[idx.id] = _Words(idx.text)
    return known[idx.id]


_GENERIC_BODIES = wordlist("generic_bodies")
"""Words that, alone, name a kind of body rather than one body: not a finding of "only some"."""


class _Words:
    """Where each word (a maximal run of letters, digits, `_` and `-`) of a text starts, so that a
    surname is looked up, not searched for, in every document for every name."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[str, list[int]] = {}
        for m in WORD_RUN.finditer(text):
            self.at.setdefault(m.group(0), []).append(m.start())

    def may_name(self, canonical: str) -> bool:
        """Whether the text may name the person `canonical` without the analysis having grouped it:
        their surname as a word that no other given name precedes (`President Trump`, `Trump said`,
        `Mr. Trump`), where names were told apart by given names only (`Melania Trump` is not
        `Donald Trump`)."""
        *given, surname = canonical.split()
        pattern = _surname_pattern(surname)
        first = WORD_RUN.match(surname)
        hits = (
            (m for pos in self.at.get(first.group(0), ()) if (m := pattern.match(self.text, pos)))
            if first is not None
            else pattern.finditer(self.text)
        )
        for m in hits:
            previous = _word_before(self.text, m.start())
            other_given = previous[:1].isupper() and previous not in _TITLES and previous not in given
            if not other_given:
                return True
        return False

    def first_name(self, canonical: str) -> bool:
        """Whether the text names the person by their first name alone (`Hillary`), not followed by
        another capitalised word (then it would be someone else's full name)."""
        words = canonical.split()
        given = words[0]
        if len(words) < 2 or len(given) < 3 or not given.isalpha() or given in _TITLES:
            return False
        for pos in self.at.get(given, ()):
            after = self.text[pos + len(given) : pos + len(given) + 2]
            if not (after[:1] == " " and after[1:2].isupper()):
                return True
        return False

    def may_abbreviate(self, canonical: str) -> bool:
        """Whether the text names the body by its initials or in full: `DNC` for `Democratic National
        Convention` and the other way round."""
        words = [w for w in canonical.split() if w[:1].isupper()]
        initials = "".join(w[0] for w in words)
        if len(words) >= 2 and len(initials) >= 2 and initials in self.at:
            return True
        if re.fullmatch(r"[A-Z]{2,6}", canonical):
            return canonical in self.initials
        return False

    @functools.cached_property
    def initials(self) -> set[str]:
        """The initials of every run of two to six capitalised words (`of`, `and`, `the` skipped)."""
        out = set()
        for m in _CAPITAL_RUN.finditer(self.text):
            caps = [w[0] for w in m.group(0).split() if w[:1].isupper()]
            if 2 <= len(caps) <= 6:
                out.add("".join(caps))
        return out


_CAPITAL_RUN = re.compile(r"[A-Z][\w'’\-]*(?:\s+(?:(?:of|and|for|the)\s+)?[A-Z][\w'’\-]*)+")


@functools.lru_cache(maxsize=4096)
def _surname_pattern(surname: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(surname)}(?![\w-])")


def _word_before(text: str, at: int) -> str:
    """The whitespace-separated word before offset `at` (what `text[:at].split()[-1]` is), or ''."""
    end = at
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


# ------------------------------------------------------------------------------------------------
# Values in aligned statements: dates and numbers
# ------------------------------------------------------------------------------------------------


VALUE_MATCH = 0.35
"""How alike two sentences must be (each the other's best match) for their dates and numbers to be
compared. At 0.2 the tune stories gain no true conflict and one false one (a relative day, now ruled
out by `_may_be`), the held-out ones one false one (two events of one story)."""


def _value_conflicts(per_doc: Sequence[DocumentAnalysis], alignment: Alignment) -> list[Finding]:
    findings = []
    seen: set[tuple[int, int, int, int]] = set()
    for (d, s), best in alignment.best.items():
        for other, (t, score) in best.items():
            if score < VALUE_MATCH or other < d or (d, s, other, t) in seen:
                continue
            back = alignment.match(other, t, d)
            if back is None or back[0] != s:
                continue  # not each other's best match: a related sentence, not the same statement
            seen.add((d, s, other, t))
            a, b = per_doc[d], per_doc[other]
            findings += _date_conflicts(a, s, b, t, score)
            findings += _number_conflicts(a, s, b, t, score)
    return findings


def _in_sentence(items: Sequence[DateRef] | Sequence[NumberMention], idx: DocIndex, s: int) -> list:  # type: ignore[type-arg]
    sent = idx.doc.sentences[s]
    return [x for x in items if sent.start <= x.start < sent.end]


_SPEECH_VERBS = frozenset(w for w in ordered("speech_verbs") if "_" not in w)
_SAID_BEFORE = re.compile(r"(?:\s*[\w'’-]+){1,2}\s*$")


def _when_said(a: DocumentAnalysis, x: DateRef) -> bool:
    """Whether a date tells when someone spoke rather than when the event told happened: a verb of
    saying one or two words before it (`said Thursday`, `told reporters on Friday`) or right after
    it (`on Friday said`; not after a comma: `killed 12 on Monday, officials said`)."""
    text = a.index.text
    before = _SAID_BEFORE.search(text, max(0, x.start - 40), x.start)
    words = before.group(0).lower().split() if before else []
    after = NEXT_WORD.match(text, x.end)
    return any(w in _SPEECH_VERBS for w in words) or bool(after and after.group(1).lower() in _SPEECH_VERBS)


def _a_day(x: DateRef) -> bool:
    """A date resolved to one day: a date, a weekday, or `yesterday` / `today` / `tomorrow`, each
    against its own outlet's publication date, so `yesterday` on Friday meets `Thursday` on Saturday."""
    return bool(x.iso) and len(x.iso or "") == 10 and x.precision in ("day", "weekday", "relative")


def _may_be(a: DocumentAnalysis, x: DateRef) -> set[str]:
    """The days a date may name: a bare weekday (`on Monday`) is read as the last one on or before the
    publication date, but may be the coming one (`he will speak on Monday` the day before)."""
    days = {x.iso or ""}
    published = a.doc.published
    if x.precision == "weekday" and published is not None and not x.text.lower().startswith(("last", "next")):
        back = (published - dt.date.fromisoformat(x.iso or "")).days
        days.add((published + dt.timedelta(days=(7 - back) % 7 or 7)).isoformat())
    return days


def _date_conflicts(a: DocumentAnalysis, s: int, b: DocumentAnalysis, t: int, score: float) -> list[Finding]:
    da = [x for x in _in_sentence(a.dates, a.index, s) if _a_day(x)]
    db = [x for x in _in_sentence(b.dates, b.index, t) if _a_day(x)]
    if len(da) != 1 or len(db) != 1 or not _may_be(a, da[0]).isdisjoint(_may_be(b, db[0])):
        return []
    x, y = da[0], db[0]
    if not _same_context(a, s, x.start, x.end, b, t, y.start, y.end):
        return []  # `said Thursday` / `tweeted on Friday`: two events, each with its day
    if _when_said(a, x) != _when_said(b, y):
        return []  # `killed 12 on Monday, officials said` / `officials said on Tuesday that …`
    confidence = round(min(VALUE_MAX, DATE_BASE + score * VALUE_PER_SCORE), 2)
    return [
        Finding(
            "",
            "conflict",
            "date",
            f"Matching statements give different dates: {x.text} ({x.iso}) in {a.index.id}, "
            f"{y.text} ({y.iso}) in {b.index.id}.",
            confidence,
            [
                SourceValue(a.index.id, x.text, [a.index.span(x.start, x.end)]),
                SourceValue(b.index.id, y.text, [b.index.span(y.start, y.end)]),
            ],
            rule=DATE_CONFLICT.code,
        )
    ]


CONTEXT_WORDS = 2
"""Content words on each side of a value that say what it measures (`killed`, `tax rate`, `wounded`):
two, so that the story's actors and places a few words off (`$500,000 of airtime in Miami` / `costing
Secure America $1 million` in Miami) do not make two quantities one (story-07, tune)."""


def _context(a: DocumentAnalysis, s: int, start: int, end: int) -> dict[str, bool]:
    """The content words next to a value, each with whether it is a common word (in lower case, or
    opening the sentence) rather than part of a name: `CONTEXT_WORDS` on each side, and on each side
    the nearest common word when those are all names (`released by the Justice Department on Friday`)."""
    sent = a.index.doc.sentences[s]
    text = a.index.text
    before = _words(text, sent.start, start, opening=True)[::-1]
    after = _words(text, end, sent.end)
    out: dict[str, bool] = {}
    for side in (before, after):
        seen = False  # a common word among those taken on this side
        for n, (stem, common) in enumerate(side):
            if n >= CONTEXT_WORDS and seen:
                break
            if n < CONTEXT_WORDS or common:
                out[stem] = out.get(stem, False) or common
                seen = seen or common
    return out


def _words(text: str, lo: int, hi: int, opening: bool = False) -> list[tuple[str, bool]]:
    """The content stems of `text[lo:hi]` with whether each is a common word (see `_context`);
    `opening`: `text[lo:hi]` opens a sentence."""
    out = []
    for n, m in enumerate(WORD_ANY_SCRIPT.finditer(text, lo, hi)):
        w = m.group(0).lower().replace("’", "'")
        if w in STOPWORDS_ANALYSIS or len(w) < 2:
            continue
        out.append((stem_light(w), (opening and n == 0) or not m.group(0)[:1].isupper()))
    return out


def _same_context(
    a: DocumentAnalysis,
    s: int,
    a_start: int,
    a_end: int,
    b: DocumentAnalysis,
    t: int,
    b_start: int,
    b_end: int,
    ignore: str = "",
) -> bool:
    """Whether two values in aligned sentences are about the same thing: the words next to them share
    a common content word other than the unit (and other than numbers), the verb or noun that says
    what the value measures. A shared name alone (`Reyes said Thursday that Halvorsen …` /
    `Reyes tweeted on Friday "#Halvorsen …`) tells who the statements are about, not one event."""
    ca, cb = _context(a, s, a_start, a_end), _context(b, t, b_start, b_end)
    return any(w != ignore and not w[:1].isdigit() and (ca[w] or cb[w]) for w in ca.keys() & cb.keys())


def _unit(n: NumberMention, text: str) -> str:
    if n.unit:
        return n.unit
    nxt = content_stems(text[n.end : n.end + 30])
    return nxt[0] if nxt else ""


def _by_unit(a: DocumentAnalysis, s: int) -> dict[str, list[NumberMention]]:
    out: dict[str, list[NumberMention]] = {}
    for n in _in_sentence(a.numbers, a.index, s):
        out.setdefault(_unit(n, a.index.text), []).append(n)
    return out


def _other_times(a: DocumentAnalysis, s: int, b: DocumentAnalysis, t: int) -> bool:
    """Whether two sentences are set in different years: each dates what it tells (a day, a month,
    a year) and no year of one is a year of the other. A different day of the same year is itself a
    date conflict (`12 arrested on March 3` / `15 arrested on March 4`), not another event."""
    ya = {x.iso[:4] for x in _in_sentence(a.dates, a.index, s) if x.iso}
    yb = {y.iso[:4] for y in _in_sentence(b.dates, b.index, t) if y.iso}
    return bool(ya and yb) and not ya & yb


def _number_conflicts(
    a: DocumentAnalysis, s: int, b: DocumentAnalysis, t: int, score: float
) -> list[Finding]:
    if _other_times(a, s, b, t):
        return []  # `the 2012 ad cost $500,000` / `the 2016 ad cost $1 million`: two ads
    na = _by_unit(a, s)
    nb = _by_unit(b, t)
    findings = []
    for unit in sorted(set(na) & set(nb)):
        xs = [n for n in na[unit] if all(n.value != m.value for m in nb[unit])]
        ys = [n for n in nb[unit] if all(n.value != m.value for m in na[unit])]
        if not unit or len(xs) != 1 or len(ys) != 1:
            continue  # `50 people killed and 53 wounded` / `50 killed, 53 wounded`: the same counts
        [x], [y] = xs, ys
        if not _same_context(a, s, x.start, x.end, b, t, y.start, y.end, ignore=unit):
            continue  # `earned $139 million` / `paid $44 million`: two quantities, not one
        if x.value in {n.value for ns in nb.values() for n in ns} or y.value in {
            n.value for ns in na.values() for n in ns
        }:
            continue  # both statements give both values, to different nouns: `No. 2 job, No. 3 position`
        confidence = round(min(VALUE_MAX, NUMBER_BASE + score * VALUE_PER_SCORE), 2)
        findings.append(
            Finding(
                "",
                "conflict",
                "number",
                f"Matching statements give different numbers ({unit}): {x.text} in {a.index.id}, "
                f"{y.text} in {b.index.id}.",
                confidence,
                [
                    SourceValue(a.index.id, x.text, [a.index.span(x.start, x.end)]),
                    SourceValue(b.index.id, y.text, [b.index.span(y.start, y.end)]),
                ],
                rule=NUMBER_CONFLICT.code,
            )
        )
    return findings


# ------------------------------------------------------------------------------------------------
# Statements only some sources report
# ------------------------------------------------------------------------------------------------


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
    levels = _levels(alignment)
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
            status = _statuses(alignment, d, s, every, levels)
            omits = [o for o, st in status.items() if st == "omits"]
            if not omits:
                continue
            told = [o for o, st in status.items() if st == "reports"]
            reports = {d: s, **{o: _counterpart(alignment, d, s, o) for o in told}}
            claimed |= set(reports.items())
            top = max((best[o][1] for o in omits if o in best), default=0.0)
            cover = max((alignment.coverage.get((d, s), {}).get(o, 0.0) for o in omits), default=0.0)
            close = any(levels.get((d, o), 0.0) >= CLOSE_COPY for o in omits)
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


CLOSE_COPY = 0.5
"""A source follows another closely (a copy, an edited wire story) when the median best match of the
other's sentences in it reaches this: the real outlets of the dev stories stay below 0.35."""


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


def _statuses(
    alignment: Alignment, d: int, s: int, every: Sequence[int], levels: dict[tuple[int, int], float]
) -> dict[int, Status]:
    """`Alignment.status` of sentence `s` of document `d` in every other document, in one pass; in a
    source that follows `d` closely (`CLOSE_COPY`), a sentence whose best match falls below half the
    pair's usual match is omitted there, whatever words the rest of the copy shares with it."""
    best = alignment.best.get((d, s), {})
    coverage = alignment.coverage.get((d, s), {})
    out: dict[int, Status] = {}
    for o in every:
        if o == d:
            continue
        found = best.get(o)
        score = found[1] if found else 0.0
        level = levels.get((d, o), 0.0)
        if level >= CLOSE_COPY:
            out[o] = "reports" if score >= level / 2 else "omits"
        elif score >= ALIGN_THRESHOLD:
            out[o] = "reports"
        elif score < OMIT_THRESHOLD and coverage.get(o, 0.0) < OMIT_COVERAGE:
            out[o] = "omits"
        else:
            out[o] = "unclear"
        if alignment.method != "lexical":
            out[o] = _by_meaning(out[o], _meaning(alignment, d, s, o), close=level >= CLOSE_COPY)
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
