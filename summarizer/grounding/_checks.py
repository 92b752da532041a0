"""Draft checks: what is wrong with a model's draft, in words it can act on.

`check_*` find hard errors (unknown sentence ids, quotes that are not verbatim, missing sources): the
structured loop re-asks, and gives up when they persist. `prose_issues` checks free prose against the
whole sources. The support advice (claims their cited sentences do not back) is found while a draft is
resolved into its result, in `_results.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from summarizer.grounding._align import Grounder, with_issues
from summarizer.grounding._evidence import Evidence
from summarizer.grounding._evidence import issue as make_issue
from summarizer.grounding._support import DATE, ENTITY, NUMBER, support_issues
from summarizer.rules import ALL, Selection, register
from summarizer.schemas import (
    Claim,
    ComparisonDraft,
    Conflict,
    Document,
    Framing,
    Grounding,
    GroundingSummary,
    QuoteVariant,
    SummaryDraft,
    SupportIssue,
)
from summarizer.text import ONES, TOKEN


def summarise_grounding(items: Iterable[Grounding]) -> GroundingSummary:
    total = grounded = 0
    reasons: list[str] = []
    checks: dict[str, int] = {}
    for g in items:
        total += 1
        grounded += g.grounded
        reasons.extend(r for r in g.reasons if r not in reasons)
        for issue in g.checks:
            checks[issue.check] = checks.get(issue.check, 0) + 1
    return GroundingSummary(
        items=total, grounded=grounded, ungrounded=total - grounded, reasons=reasons, checks=checks
    )


def summarise_comparison(
    claims: Iterable[Claim],
    conflicts: Iterable[Conflict],
    variants: Iterable[QuoteVariant],
    framing: Iterable[Framing],
    prose: Iterable[Grounding] = (),
) -> GroundingSummary:
    """The grounding summary of a comparison: every claim, conflict, quote wording and framing choice
    is one checked item (the same count for the model's comparisons and the offline engine's), and so
    is each piece of checked prose (a model's story line and overview)."""
    return summarise_grounding(
        [
            *prose,
            *(c.grounding for c in claims),
            *(c.grounding for c in conflicts),
            *(w.grounding for v in variants for w in v.wordings),
            *(ch.grounding for f in framing for ch in f.choices),
        ]
    )


class _Checker:
    def __init__(self, grounder: Grounder) -> None:
        self.g = grounder
        self.errors: list[str] = []

    def ids(
        self, where: str, ids: Sequence[str], source: str | None = None, *, required: bool = True
    ) -> None:
        if required and not ids:
            self.errors.append(f"{where}: cite at least one sentence id")
        for sid in ids:
            owner = self.g.source_of(sid)
            if owner is None:
                self.errors.append(f"{where}: sentence id {sid!r} does not exist")
            elif source is not None and owner != source:
                self.errors.append(
                    f"{where}: {sid} belongs to source {owner}, not {source}; cite {source}'s sentences"
                )

    def source(self, where: str, source: str) -> bool:
        if source in self.g.docs:
            return True
        self.errors.append(f"{where}: source {source!r} does not exist; sources are {', '.join(self.g.docs)}")
        return False

    def verbatim(self, where: str, source: str, text: str, ids: Sequence[str]) -> None:
        found = self.g.locate(source, text, ids)
        if found.alignment not in ("exact", "normalised"):
            self.errors.append(
                f"{where}: {text[:80]!r} is not verbatim in source {source}; copy the words exactly from the "
                "cited sentences"
            )
        elif found.span is not None and ids and not set(found.span.sentence_ids) & set(ids):
            actual = ", ".join(found.span.sentence_ids)
            self.errors.append(f"{where}: the text is in {actual}, not in the cited {', '.join(ids)}")


MAX_TEXT_CHARS = 5_000
"""Longest string an answer may hold in any one field (a long summary is about 2,000 characters)."""
MAX_ITEMS = 200
"""Most items an answer may hold in any one list."""
PROSE_CHECKS = ("number", "date", "entity")
LENGTH = register(
    "S204",
    "length",
    "check",
    "a summary paragraph is longer than the length asked for, or stops mid-sentence",
)
"""What free prose (headline, summary, story, overview) is checked for against the whole article."""


def _bounds(c: _Checker, value: Any, where: str = "") -> None:
    """No field of an answer is unbounded: a 50 MB summary is an invalid answer, not a result."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            c.errors.append(
                f"{where or 'answer'}: {len(value):,} characters, at most {MAX_TEXT_CHARS:,}; "
                "write it shorter"
            )
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS:
            c.errors.append(f"{where}: {len(value):,} items, at most {MAX_ITEMS}; keep the important ones")
        for n, item in enumerate(value[:MAX_ITEMS], 1):
            _bounds(c, item, f"{where}[{n}]")
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _bounds(c, getattr(value, name), f"{where}.{name}" if where else name)


def _filled(c: _Checker, where: str, text: str) -> None:
    if not text.strip():
        c.errors.append(f"{where}: empty; write it out, or leave the item out")


def check_summary(draft: SummaryDraft, doc: Document, *, grounder: Grounder | None = None) -> list[str]:
    c = _Checker(grounder or Grounder([doc]))
    _bounds(c, draft)
    if c.errors:  # an oversized answer is not worth checking further
        return c.errors
    _filled(c, "headline", draft.headline)
    _filled(c, "summary", draft.summary)
    for n, kp in enumerate(draft.key_points, 1):
        _filled(c, f"key_points[{n}].text", kp.text)
    for n, q in enumerate(draft.quotes, 1):
        _filled(c, f"quotes[{n}].text", q.text)
    for n, kp in enumerate(draft.key_points, 1):
        c.ids(f"key_points[{n}]", kp.sentence_ids, doc.id)
    for n, q in enumerate(draft.quotes, 1):
        c.ids(f"quotes[{n}]", q.sentence_ids, doc.id)
        c.verbatim(f"quotes[{n}]", doc.id, q.text, q.sentence_ids)
    for n, d in enumerate(draft.dates, 1):
        c.ids(f"dates[{n}]", d.sentence_ids, doc.id)
    for n, e in enumerate(draft.entities, 1):
        c.ids(f"entities[{n}]", e.sentence_ids, doc.id, required=False)
    for n, cv in enumerate(draft.caveats, 1):
        c.ids(f"caveats[{n}]", cv.sentence_ids, doc.id, required=False)
    return c.errors


def check_comparison(
    draft: ComparisonDraft, docs: Sequence[Document], *, grounder: Grounder | None = None
) -> list[str]:
    c = _Checker(grounder or Grounder(docs))
    _bounds(c, draft)
    if c.errors:
        return c.errors
    _filled(c, "story", draft.story)
    _filled(c, "overview", draft.overview)
    every = [d.id for d in docs]
    for n, claim in enumerate(draft.claims, 1):
        where = f"claims[{n}]"
        _filled(c, f"{where}.claim", claim.claim)
        given = [s.source for s in claim.sources]
        if sorted(given) != sorted(every):
            c.errors.append(
                f"{where}: give every source exactly once ({', '.join(every)}); got {', '.join(given)}"
            )
        for st in claim.sources:
            if not c.source(where, st.source):
                continue
            if st.status == "omits" and st.sentence_ids:
                c.errors.append(f"{where} source {st.source}: status omits takes no sentence ids")
            c.ids(f"{where} source {st.source}", st.sentence_ids, st.source, required=st.status != "omits")
    for n, conflict in enumerate(draft.conflicts, 1):
        where = f"conflicts[{n}]"
        _at_least_two(c, where, [v.source for v in conflict.values])
        for v in conflict.values:
            if c.source(where, v.source):
                c.ids(f"{where} source {v.source}", v.sentence_ids, v.source)
    for n, qv in enumerate(draft.quote_variants, 1):
        where = f"quote_variants[{n}]"
        _at_least_two(c, where, [w.source for w in qv.wordings])
        for w in qv.wordings:
            if c.source(where, w.source):
                c.ids(f"{where} source {w.source}", w.sentence_ids, w.source)
                c.verbatim(f"{where} source {w.source}", w.source, w.text, w.sentence_ids)
    for n, sourcing in enumerate(draft.sourcing, 1):
        if c.source(f"sourcing[{n}]", sourcing.source):
            for cited in sourcing.cited:
                c.ids(f"sourcing[{n}] {cited.name!r}", cited.sentence_ids, sourcing.source)
    for n, framing in enumerate(draft.framing, 1):
        where = f"framing[{n}]"
        for ch in framing.choices:
            if c.source(where, ch.source):
                c.ids(f"{where} source {ch.source}", ch.sentence_ids, ch.source)
                c.verbatim(f"{where} source {ch.source}", ch.source, ch.wording, ch.sentence_ids)
    return c.errors


def _at_least_two(c: _Checker, where: str, sources: list[str]) -> None:
    if len(set(sources)) < 2:
        c.errors.append(f"{where}: needs values from at least two different sources")


# ------------------------------------------------------------------------------------------------
# Prose: headline, summary paragraph, story line and overview, checked against the whole sources.
# ------------------------------------------------------------------------------------------------

_ENDS = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")


def prose_issues(
    text: str, docs: Sequence[Document], max_words: int | None = None, *, rules: Selection = ALL
) -> list[SupportIssue]:
    """What free prose states that no source backs (its numbers, dates and names, as verify checks a
    summary's sentences), and, for a paragraph with a word limit, its length and a cut-off last sentence."""
    if not text.strip() or not docs:
        return []
    failing: dict[tuple[str, str], SupportIssue] | None = None
    only_prose = _prose_rules(rules)  # the other checks would read every article for nothing
    for doc in docs:  # a token stands when no source backs it
        found: dict[tuple[str, str], SupportIssue] = {
            (i.check, i.token): i
            for i in support_issues(text, Evidence((doc.text,), doc.published), only_prose)
            if i.check in PROSE_CHECKS
        }
        failing = found if failing is None else {k: v for k, v in failing.items() if k in found}
    where = "the article" if len(docs) == 1 else "any of the sources"
    issues = [
        i.model_copy(update={"evidence": "", "message": i.message.replace("the cited sentences", where)})
        for i in (failing or {}).values()
        if not _names_a_source(i, docs) and not _counts_the_sources(i, text, docs)
    ]
    if max_words is not None and rules.enabled(LENGTH.code):
        words = len(TOKEN.findall(text))
        whole = Evidence((), None)
        if words > max_words:
            issues.append(
                make_issue(LENGTH, f"{words} words", whole, f"{words} words, at most {max_words}: shorten it")
            )
        if not _ENDS.search(text):
            cut = "the paragraph stops mid-sentence: finish its last sentence"
            issues.append(make_issue(LENGTH, text.split()[-1], whole, cut))
    return issues


def _prose_rules(rules: Selection) -> Selection:
    """The checks of `PROSE_CHECKS` that `rules` enables, and only those: prose keeps nothing else, and
    the others (negation, antonyms, attributes) would each scan the whole article to be dropped."""
    return Selection(select=frozenset(r.code for r in (NUMBER, DATE, ENTITY) if rules.enabled(r.code)))


_COVERAGE_WORDS = frozenset({"only", "both", "all", "neither", "and", "or", "source", "sources"})


def _names_a_source(issue: SupportIssue, docs: Sequence[Document]) -> bool:
    """Prose may say which source or outlet reports something ("Only B", "Mehr News Agency"): a source
    label or a whole outlet name is not a fact for the articles' text to back."""
    if issue.check != "entity":
        return False
    words = [w.strip("()").lower() for w in issue.token.split()]
    rest = [w for w in words if w not in _COVERAGE_WORDS]
    outlets = {" ".join(d.outlet.lower().split()) for d in docs}
    return all(w in {d.id.lower() for d in docs} for w in rest) or " ".join(rest) in outlets


_COUNT_WORDS = tuple(word for word, n in ONES.items() if 2 <= n <= 10)
_SOURCE_NOUNS = r"(?:sources|outlets|reports|articles|agencies|accounts|versions|media)"


def _counts_the_sources(issue: SupportIssue, text: str, docs: Sequence[Document]) -> bool:
    """ "All three sources agree": prose about the sources may count them; no article says how many
    sources the comparison has. Only the true count, followed by a word for the sources, is exempt."""
    if issue.check != "number" or len(docs) < 2:
        return False
    forms = {str(len(docs))} | ({_COUNT_WORDS[len(docs) - 2]} if len(docs) <= 10 else set())
    if issue.token.lower() not in forms:
        return False
    return (
        re.search(rf"\b{re.escape(issue.token)}\s+(?:\w+\s+)?{_SOURCE_NOUNS}\b", text, re.IGNORECASE)
        is not None
    )


def prose_grounding(where: str, issues: Sequence[SupportIssue]) -> Grounding:
    """The grounding of a piece of prose, its reasons prefixed with where it is."""
    grounding = with_issues(Grounding(grounded=True), issues)
    return grounding.model_copy(update={"reasons": [f"{where}: {r}" for r in grounding.reasons]})
