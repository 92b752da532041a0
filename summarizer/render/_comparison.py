"""Build the document model of a `Comparison`, in the reading order of `_view`."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from summarizer.render._blocks import (
    Block,
    Cell,
    Doc,
    Finding,
    Heading,
    Inline,
    Item,
    ItemList,
    Para,
    Seg,
    Style,
    Table,
    plain,
    quoted,
)
from summarizer.render._origin import (
    candidate_head,
    candidate_verdict,
    candidates_intro,
    short_origin,
    where_shown,
)
from summarizer.render._shared import (
    check_notes,
    engine_line,
    flags,
    grounding_section,
    listing,
    paragraphs,
    provenance_section,
    section,
    who,
)
from summarizer.render._view import Group, Numbered, ReportOptions, Sentences, View, build_view
from summarizer.schemas import Claim, Comparison, Conflict, QuoteVariant, SourceInfo, Span, Status

STATUS: dict[Status, tuple[str, Style]] = {
    "reports": ("✔ reports", "ok"),
    "omits": ("— omits", "warn"),
    "contradicts": ("✘ contradicts", "bad"),
    "unclear": ("? unclear", "note"),
}
MARK: dict[Status, tuple[str, Style]] = {
    "reports": ("✔", "ok"),
    "omits": ("—", "warn"),
    "contradicts": ("✘", "bad"),
    "unclear": ("?", "note"),
}
VERBS: dict[Status, str] = {
    "reports": "reported by",
    "omits": "omitted by",
    "contradicts": "contradicted by",
    "unclear": "unclear in",
}
LEGEND = (
    "✔ reports · — omits · ✘ contradicts · ? unclear; claims by their number above, evidence by sentence."
)


DIFF_LEGEND: Inline = (
    Seg("Diffs mark ", "dim"),
    Seg("struck", "del"),
    Seg(" words only in the first wording and ", "dim"),
    Seg("added", "ins"),
    Seg(" words only in the other.", "dim"),
)


def offline(c: Comparison) -> bool:
    return c.provenance.engine == "offline"


def ids_of(spans: Sequence[Span]) -> str:
    """`A2, A3`: the sentences (or offsets) the spans lie in, each once."""
    labels = [i for s in spans for i in (s.sentence_ids or [f"{s.source}:{s.start}–{s.end}"])]
    return ", ".join(dict.fromkeys(labels))


def refs(spans: Sequence[Span]) -> Inline:
    ids = ids_of(spans)
    return (Seg(f" [{ids}]", "dim"),) if ids else (Seg(" ⚠ no evidence cited", "warn"),)


def conf(value: float | None) -> Inline:
    return (Seg(f" · confidence {value:.2f}", "dim"),) if value is not None else ()


def word_diff(old: str, new: str) -> Inline:
    a, b = old.split(), new.split()
    out: list[Seg] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Seg(" ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(Seg(" ".join(a[i1:i2]), "del"))
        if op in ("insert", "replace"):
            out.append(Seg(" ".join(b[j1:j2]), "ins"))
    spaced: list[Seg] = []
    for seg in out:
        spaced += [Seg(" "), seg] if spaced else [seg]
    return tuple(spaced)


def more(doc_blocks: list[Block], view: View, name: str) -> None:
    """The line that says how many items `--max-items` left out of a section."""
    left = view.cut.get(name)
    if left:
        doc_blocks.append(
            Para(plain(f"… and {left} more (--max-items; --format json or html has all).", "dim"))
        )


def glance(c: Comparison, v: View, options: ReportOptions) -> Para:
    parts = [
        plural(len(v.conflicts) + v.cut.get("conflicts", 0), "conflict"),
        plural(len(v.variants) + v.cut.get("quotes", 0), "quote difference"),
        plural(v.partial_total, "statement") + " only some report",
        f"{len(v.shared) + v.cut.get('shared', 0)} all report",
        plural(len(v.minor_conflicts) + len(v.minor_variants), "minor difference"),
    ]
    hidden = (
        [Seg(f" ({v.hidden} below confidence {options.min_confidence:g} hidden)", "dim")] if v.hidden else []
    )
    return Para((Seg("At a glance: ", "strong"), Seg(" · ".join(parts)), *hidden))


# --------------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------------


def conflict_finding(c: Comparison, n: int, cf: Conflict, sentences: Sentences) -> Finding:
    values = [
        Item(
            (Seg(who(c.sources, v.source), "strong"), Seg(": "), Seg(v.value)),
            sentences.widen(v.evidence),
            flags(None, v.evidence),
        )
        for v in cf.values
    ]
    origin = short_origin(cf.found_by, cf.confidence, cf.review, offline=offline(c), rule=cf.rule)
    marks = flags(cf.grounding, [s for v in cf.values for s in v.evidence])
    head = (Seg(f"{n}. {cf.kind}: ", "strong"), Seg(cf.description), *after(origin))
    return Finding(head, [(m,) for m in marks], values)


def after(origin: Inline) -> Inline:
    """Who found a finding and how sure, at the end of its head line."""
    return (Seg(" · ", "dim"), *origin) if origin else ()


def variant_finding(c: Comparison, n: int, qv: QuoteVariant, sentences: Sentences) -> Finding:
    differs = Seg("meaning differs", "bad") if qv.meaning_differs else Seg("same meaning", "ok")
    items = [
        Item(
            (Seg(who(c.sources, w.source), "strong"), Seg(f": “{w.text}”"), *refs(w.evidence)),
            sentences.widen(w.evidence) if w.grounding.alignment not in (None, "exact") else (),
            flags(w.grounding, w.evidence),
        )
        for w in qv.wordings
    ]
    first = qv.wordings[0] if qv.wordings else None
    diffs = [
        (Seg(f"Diff {first.source} → {w.source}: ", "strong"), *word_diff(first.text, w.text))
        for w in qv.wordings[1:]
        if first is not None
    ]
    origin = short_origin(qv.found_by, qv.confidence, qv.review, offline=offline(c), rule=qv.rule)
    notes = [plain(qv.note)] if qv.note else []
    head = (Seg(f"{n}. {qv.speaker}", "strong"), Seg(" · "), differs, *after(origin))
    return Finding(head, notes, items, diffs)


def claim_item(c: Comparison, item: Numbered, sentences: Sentences, claims: set[str] | None) -> Item:
    """`(n) claim [ids] · confidence`, and the sentences behind it unless `claims` is None."""
    cl = item.claim
    spans = [e for st in cl.sources if st.status != "omits" for e in st.evidence]
    by = {st.source: st.status for st in cl.sources}
    odd = [
        f"{VERBS[k]} " + ", ".join(who(c.sources, s.id) for s in c.sources if by.get(s.id) == k)
        for k in ("contradicts", "unclear")
        if k in by.values()
    ]
    inline = (
        Seg(f"({item.n}) "),
        Seg(cl.claim),
        *refs(spans),
        *conf(cl.confidence),
        *((Seg(f" ({cl.rule})", "dim"),) if cl.rule else ()),
        *((Seg(" — " + "; ".join(odd), "warn"),) if odd else ()),
    )
    evidence = _claim_evidence(spans, sentences, claims) if claims is not None else []
    return Item(inline, evidence, flags(cl.grounding, spans, checks=True))


def _claim_evidence(spans: Sequence[Span], sentences: Sentences, claims: set[str]) -> list[Span]:
    """The sentences behind a claim, but none that is itself a claim of the report, word for word (the
    offline engine's claims are sentences): it is printed already."""
    return [s for s in sentences.widen(spans) if _plain(s.text) not in claims][:3]


def _plain(text: str) -> str:
    return " ".join(text.split()).strip("“”\"' ")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def group_title(c: Comparison, g: Group) -> str:
    names = [who(c.sources, i) for i in g.reporters]
    if not names:
        return "No source reports these plainly"
    head = "Only in " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
    return head + f" ({len(g.claims)})"


def sourcing_items(c: Comparison) -> list[Item]:
    items = []
    for sg in c.sourcing:
        cited: list[Seg] = []
        for ct in sg.cited:
            cited += [Seg("; ")] if cited else []
            cited += [Seg(f"{ct.name} ({ct.kind.replace('_', ' ')})"), *refs(ct.evidence)]
        body = cited or [Seg("cites no one", "dim")]
        items.append(Item((Seg(who(c.sources, sg.source), "strong"), Seg(": "), *body)))
    return items


def framing_findings(c: Comparison, options: ReportOptions) -> list[Finding]:
    out = []
    for fr in c.framing:
        if fr.confidence is not None and fr.confidence < options.min_confidence:
            continue
        choices = [
            Item(
                (
                    Seg(who(c.sources, ch.source), "strong"),
                    Seg(f": {quoted(ch.wording)}"),
                    *refs(ch.evidence),
                ),
                (),
                flags(ch.grounding, ch.evidence),
            )
            for ch in fr.choices
        ]
        rule = (Seg(f" ({fr.rule})", "dim"),) if fr.rule else ()
        out.append(Finding((Seg(fr.aspect, "strong"), *conf(fr.confidence), *rule), (), choices))
    return out


def minor_items(c: Comparison, v: View) -> list[Item]:
    items = []
    for n, qv in v.minor_variants:
        first = qv.wordings[0]
        for w in qv.wordings[1:]:
            items.append(
                Item(
                    (
                        Seg(f"Quote {n}, {qv.speaker}, {first.source} → {w.source}: "),
                        *word_diff(first.text, w.text),
                        *refs([*first.evidence, *w.evidence]),
                    )
                )
            )
    for n, cf in v.minor_conflicts:
        values = " / ".join(f"{val.value} ({val.source})" for val in cf.values)
        items.append(
            Item(
                (Seg(f"Conflict {n}, {cf.kind}: {values}"), *refs([e for x in cf.values for e in x.evidence]))
            )
        )
    return items


def matrix(c: Comparison, rows: Sequence[Numbered], printed: set[int]) -> tuple[Block, ...]:
    def cell(cl: Claim, source: SourceInfo) -> Cell:
        st = next((x for x in cl.sources if x.source == source.id), None)
        if st is None:
            return Cell(plain("⚠ not assessed", "warn"))
        mark, style = MARK[st.status]
        missing = st.status != "omits" and not st.evidence
        ids = "" if st.status == "omits" else " " + ids_of(st.evidence)
        return Cell(
            (Seg(mark, style), Seg(ids.rstrip()), *((Seg(" ⚠ no evidence", "warn"),) if missing else ()))
        )

    with_text = any(r.n not in printed for r in rows)
    headers = ["#", *(["Claim"] if with_text else []), *(s.id for s in c.sources)]
    body = [
        [
            Cell(plain(f"{r.n}" + ("" if r.claim.grounding.grounded else " ⚠"))),
            *([Cell(plain("" if r.n in printed else r.claim.claim))] if with_text else []),
            *(cell(r.claim, s) for s in c.sources),
        ]
        for r in rows
    ]
    notes = check_notes([(f"Claim {r.n}", r.claim.grounding) for r in rows])
    return (Para(plain(LEGEND, "dim")), Table(headers, body), *notes)


def review_items(c: Comparison) -> list[Item]:
    shown = where_shown(c)
    return [
        Item(candidate_head(cr), (), candidate_verdict(cr, shown.get(cr.candidate_id)))
        for cr in c.candidate_reviews
    ]


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------


def sources_table(c: Comparison) -> Table:
    rows = [
        [
            Cell(plain(s.id)),
            Cell(plain(s.outlet)),
            Cell(plain(s.published.isoformat() if s.published else "unknown")),
            Cell(plain(s.title or "—")),
        ]
        for s in c.sources
    ]
    return Table(["Source", "Outlet", "Published", "Title"], rows)


def build_comparison(c: Comparison, options: ReportOptions | None = None) -> Doc:
    options = options or ReportOptions()
    v = build_view(c, options)
    sentences = Sentences(c.sources)
    doc = Doc()
    doc.add(Heading(c.story, 1), Para(engine_line(c.provenance)), sources_table(c))
    if options.shows("overview"):
        doc.add(*paragraphs(c.overview), glance(c, v, options))
    printed: set[int] = set()
    if options.shows("conflicts"):
        blocks: list[Block] = [conflict_finding(c, n, cf, sentences) for n, cf in v.conflicts]
        more(blocks, v, "conflicts")
        section(doc, f"Conflicts ({len(v.conflicts) + v.cut.get('conflicts', 0)})", *blocks)
    if options.shows("quotes"):
        blocks = [variant_finding(c, n, qv, sentences) for n, qv in v.variants]
        if blocks:
            blocks.insert(0, Para(DIFF_LEGEND))
        more(blocks, v, "quotes")
        section(doc, f"Quote differences ({len(v.variants) + v.cut.get('quotes', 0)})", *blocks)
    if options.shows("only-some"):
        blocks = []
        claims = {_plain(cl.claim) for cl in c.claims}
        for g in v.groups:
            items = [claim_item(c, i, sentences, claims) for i in g.claims]
            blocks += [Heading(group_title(c, g), 3), ItemList(items)]
            printed |= {i.n for i in g.claims}
        more(blocks, v, "only-some")
        section(doc, f"Reported only by some ({v.partial_total})", *blocks)
    if options.shows("shared"):
        blocks = list(listing([claim_item(c, i, sentences, None) for i in v.shared]))
        printed |= {i.n for i in v.shared}
        more(blocks, v, "shared")
        section(doc, f"Reported by all ({len(v.shared) + v.cut.get('shared', 0)})", *blocks)
    if options.shows("sourcing"):
        section(doc, "Who each outlet cites", *listing(sourcing_items(c)))
    if options.shows("framing"):
        section(doc, "Framing", *framing_findings(c, options))
    if options.shows("minor"):
        intro = Para(plain("Punctuation, letter case or the spelling of a word only; not ranked.", "dim"))
        items = minor_items(c, v)
        section(doc, f"Minor differences ({len(items)})", *((intro, ItemList(items)) if items else ()))
    if options.shows("claims"):
        section(doc, "Claims matrix", *(matrix(c, v.matrix, printed) if v.matrix else ()))
    if options.shows("review"):
        section(
            doc, "Review of the analysis's candidates", Para(candidates_intro(c)), *listing(review_items(c))
        )
    if options.shows("grounding"):
        grounding_section(doc, c.grounding)
    if options.shows("provenance"):
        provenance_section(doc, c.provenance)
    return doc
