"""What a comparison report shows, and in which order: the same view for text, Markdown and HTML.

An editor reads the report top down and stops when they have what they need, so it opens with what
needs a decision and ends with what only a reviewer wants:

    overview → conflicts → quote differences → what only some report (by outlet, most important first)
    → what all report → sourcing → framing → minor differences → claims matrix → review → provenance

Each claim is printed once (the matrix refers to claims by number). *Minor* differences are quote
variants or conflicts whose wordings differ only in punctuation, letter case, "O.K."/"okay", or the
spelling of the same word (one or two letters in a word of four or more); they are listed, one line each,
near the bottom, never above a real difference. A name spelled two ways stays a conflict: a misspelt
name is a correction to make. `ReportOptions` focuses the report (`--min-confidence`, `--only`,
`--max-items`); findings without a confidence (a model's) are never filtered out by confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from rapidfuzz.distance import Levenshtein

from summarizer.documents.segment import segment
from summarizer.schemas import Claim, Comparison, Conflict, Document, QuoteVariant, SourceInfo, Span
from summarizer.text.index import TextIndex

T = TypeVar("T")

SECTIONS = (
    "overview",
    "conflicts",
    "quotes",
    "only-some",
    "shared",
    "sourcing",
    "framing",
    "minor",
    "claims",
    "review",
    "grounding",
    "provenance",
)
"""The sections of a comparison report, in the order printed; `--only` takes any of these names."""

ALIASES = {
    "quote": "quotes",
    "quote-variants": "quotes",
    "conflict": "conflicts",
    "omissions": "only-some",
    "only": "only-some",
    "all": "shared",
    "agreed": "shared",
    "matrix": "claims",
    "cosmetic": "minor",
    "candidates": "review",
}


@dataclass(frozen=True)
class ReportOptions:
    """Focus for text, Markdown and HTML reports (JSON always holds the whole result)."""

    min_confidence: float = 0.0
    """Hide findings of the analysis below this confidence (0 to 1); a model's findings have none."""
    only: frozenset[str] | None = None
    """Show only these sections (names in `SECTIONS`); the title and sources table always show."""
    max_items: int | None = None
    """At most this many items per section, the most important first."""
    width: int = 100
    """Columns of a text report: lines wrap, and tables too wide become lists."""

    def shows(self, section: str) -> bool:
        return self.only is None or section in self.only


def parse_sections(value: str) -> frozenset[str]:
    """`conflicts,quotes` → the section names; raises ValueError naming the valid ones."""
    names = set()
    for raw in value.split(","):
        name = raw.strip().lower().replace("_", "-")
        if not name:
            continue
        name = ALIASES.get(name, name)
        if name not in SECTIONS:
            raise ValueError(f"unknown section {raw.strip()!r}; choose from {', '.join(SECTIONS)}")
        names.add(name)
    if not names:
        raise ValueError(f"name at least one section: {', '.join(SECTIONS)}")
    return frozenset(names)


# --------------------------------------------------------------------------------------------------
# Minor (cosmetic) differences
# --------------------------------------------------------------------------------------------------

_OKAY = re.compile(r"\bo\.?\s?k\.?(?!\w)|\bokay\b", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w\s]+")


def _words(text: str) -> list[str]:
    return _NOT_WORD.sub(" ", _OKAY.sub(" okay ", text).lower()).split()


def _same_word(a: str, b: str) -> bool:
    """The same word spelt two ways: `color`/`colour`, `Sergei`/`Sergie`; never two numbers, nor a word
    and the same with an ending (`environmentalist`/`environmentalists`)."""
    if a == b:
        return True
    if any(ch.isdigit() for ch in a + b) or min(len(a), len(b)) < 4:
        return False
    if a.startswith(b) or b.startswith(a):  # an ending added (plural, tense) is another word form
        return False
    return Levenshtein.distance(a, b) <= (1 if min(len(a), len(b)) < 6 else 2)


def cosmetic(texts: Sequence[str]) -> bool:
    """Whether the texts differ only in punctuation, case, "O.K."/"okay" or a word's spelling."""
    if len(texts) < 2:
        return False
    first = _words(texts[0])
    for other in (_words(t) for t in texts[1:]):
        if len(other) != len(first) or not all(_same_word(a, b) for a, b in zip(first, other)):
            return False
    return True


def minor_variant(qv: QuoteVariant) -> bool:
    return not qv.meaning_differs and cosmetic([w.text for w in qv.wordings])


def minor_conflict(cf: Conflict) -> bool:
    """Values that differ only in punctuation or case; a name spelt two ways is never minor."""
    if cf.kind == "name":
        return False
    return cosmetic([v.value for v in cf.values])


# --------------------------------------------------------------------------------------------------
# Evidence sentences
# --------------------------------------------------------------------------------------------------


class Sentences:
    """The sentences evidence spans lie in, from the sources' texts (segmented as when loaded)."""

    def __init__(self, sources: Sequence[SourceInfo]) -> None:
        self._sources = {s.id: s for s in sources}
        self._cache: dict[str, list[Span]] = {}

    def _of(self, source: str) -> list[Span]:
        if source not in self._cache:
            src = self._sources.get(source)
            text = src.text if src is not None else ""
            sentences = [s for s in segment(text, source) if s.end <= len(text)]
            idx = TextIndex(Document(id=source, outlet="", text=text, sentences=sentences))
            self._cache[source] = [idx.span(s.start, s.end, trim=False) for s in sentences]
        return self._cache[source]

    def widen(self, spans: Iterable[Span]) -> list[Span]:
        """Each span replaced by the whole sentences it lies in (each sentence once)."""
        out: dict[tuple[str, int], Span] = {}
        for span in spans:
            found = [s for s in self._of(span.source) if s.start < span.end and span.start < s.end]
            if not found:
                out.setdefault((span.source, span.start), span)
            for s in found:
                out.setdefault((s.source, s.start), s)
        return list(out.values())


# --------------------------------------------------------------------------------------------------
# The view
# --------------------------------------------------------------------------------------------------


@dataclass
class Numbered:
    """A claim with its number in the result (the matrix and the views refer to it by number)."""

    n: int
    claim: Claim


@dataclass
class Group:
    """Claims reported by the same set of sources and not by the others."""

    reporters: list[str]
    others: list[str]
    claims: list[Numbered]


@dataclass
class View:
    """The comparison's findings, filtered by the options and ordered for reading."""

    conflicts: list[tuple[int, Conflict]] = field(default_factory=list)
    variants: list[tuple[int, QuoteVariant]] = field(default_factory=list)
    minor_conflicts: list[tuple[int, Conflict]] = field(default_factory=list)
    minor_variants: list[tuple[int, QuoteVariant]] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    shared: list[Numbered] = field(default_factory=list)
    matrix: list[Numbered] = field(default_factory=list)
    hidden: int = 0
    """Findings hidden by --min-confidence."""
    cut: dict[str, int] = field(default_factory=dict)
    """Section → items left out by --max-items."""
    partial_total: int = 0


def _keep(conf: float | None, options: ReportOptions) -> bool:
    return conf is None or conf >= options.min_confidence


def _importance(conf: float | None) -> float:
    """A model's finding (no confidence) ranks with the surest findings of the analysis."""
    return 1.0 if conf is None else conf


def _cap(items: list[T], section: str, options: ReportOptions, cut: dict[str, int]) -> list[T]:
    if options.max_items is None or len(items) <= options.max_items:
        return items
    cut[section] = len(items) - options.max_items
    return items[: options.max_items]


def build_view(c: Comparison, options: ReportOptions) -> View:
    v = View()
    ids = [s.id for s in c.sources]
    conflicts = [(n, cf) for n, cf in enumerate(c.conflicts, 1) if _keep(cf.confidence, options)]
    variants = [(n, qv) for n, qv in enumerate(c.quote_variants, 1) if _keep(qv.confidence, options)]
    claims = [Numbered(n, cl) for n, cl in enumerate(c.claims, 1) if _keep(cl.confidence, options)]
    v.hidden = (
        len(c.conflicts)
        - len(conflicts)
        + len(c.quote_variants)
        - len(variants)
        + len(c.claims)
        - len(claims)
    )
    real_conflicts = [(n, cf) for n, cf in conflicts if not minor_conflict(cf)]
    v.minor_conflicts = [(n, cf) for n, cf in conflicts if minor_conflict(cf)]
    real_variants = [(n, qv) for n, qv in variants if not minor_variant(qv)]
    v.minor_variants = [(n, qv) for n, qv in variants if minor_variant(qv)]
    by_rank = sorted(real_conflicts, key=lambda x: -_importance(x[1].confidence))
    v.conflicts = _cap(by_rank, "conflicts", options, v.cut)
    by_rank_q = sorted(real_variants, key=lambda x: (not x[1].meaning_differs, -_importance(x[1].confidence)))
    v.variants = _cap(by_rank_q, "quotes", options, v.cut)
    shared: list[Numbered] = []
    partial: list[Numbered] = []
    for item in claims:
        status = {st.source: st.status for st in item.claim.sources}
        (shared if ids and all(status.get(i) == "reports" for i in ids) else partial).append(item)
    v.shared = _cap(shared, "shared", options, v.cut)
    v.partial_total = len(partial)
    ranked = sorted(partial, key=lambda x: -_importance(x.claim.confidence))
    v.groups = _groups(_cap(ranked, "only-some", options, v.cut), ids)
    v.matrix = claims
    return v


def _groups(claims: list[Numbered], ids: list[str]) -> list[Group]:
    """Grouped by which sources report them: single outlets first, in source order."""
    groups: dict[tuple[str, ...], Group] = {}
    for item in claims:
        status = {st.source: st.status for st in item.claim.sources}
        reporters = tuple(i for i in ids if status.get(i) == "reports")
        if reporters not in groups:
            groups[reporters] = Group(list(reporters), [i for i in ids if i not in reporters], [])
        groups[reporters].claims.append(item)
    order = {i: n for n, i in enumerate(ids)}
    return sorted(
        groups.values(),
        key=lambda g: (len(g.reporters) or len(ids) + 1, [order[i] for i in g.reporters]),
    )
