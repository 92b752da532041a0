"""Build the document model of a `Comparison`."""

from __future__ import annotations

import difflib

from summarizer.render._blocks import (
    Block,
    BlockQuote,
    Cell,
    Doc,
    Heading,
    Inline,
    Item,
    ItemList,
    Para,
    Seg,
    Style,
    Table,
    plain,
)
from summarizer.render._origin import LEGEND as ORIGIN_LEGEND
from summarizer.render._origin import (
    candidate_head,
    candidate_verdict,
    candidates_intro,
    found_by_cell,
    origin,
    review_seg,
    shows_origin,
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
    with_flags,
)
from summarizer.schemas import Claim, Comparison, FoundBy, Review, Status

STATUS: dict[Status, tuple[str, Style]] = {
    "reports": ("✔ reports", "ok"),
    "omits": ("— omits", "warn"),
    "contradicts": ("✘ contradicts", "bad"),
    "unclear": ("? unclear", "note"),
}
VERBS: dict[Status, str] = {
    "reports": "reported by",
    "omits": "omitted by",
    "contradicts": "contradicted by",
    "unclear": "unclear in",
}
LEGEND = "Status: ✔ reports · — omits · ✘ contradicts · ? unclear"


def status_cell(claim: Claim, source_id: str) -> Cell:
    for st in claim.sources:
        if st.source == source_id:
            text, style = STATUS[st.status]
            missing = st.status != "omits" and not st.evidence
            return Cell(
                (Seg(text, style), *((Seg(" ⚠ no evidence", "warn"),) if missing else ())), st.evidence
            )
    return Cell(plain("⚠ not assessed", "warn"))


def claims_section(doc: Doc, c: Comparison) -> None:
    found = shows_origin(c)
    headers = ["#", "Claim", *(["Found by"] if found else []), *(who(c.sources, s.id) for s in c.sources)]
    rows = [
        [
            Cell(plain(str(n))),
            Cell(
                with_flags(
                    plain(cl.claim),
                    flags(cl.grounding, [e for st in cl.sources for e in st.evidence], checks=False)
                    + ((review_seg(cl.review),) if cl.review else ()),
                )
            ),
            *([Cell(found_by_cell(cl.found_by, cl.confidence))] if found else []),
            *(status_cell(cl, s.id) for s in c.sources),
        ]
        for n, cl in enumerate(c.claims, 1)
    ]
    legends: list[Block] = [Para(plain(LEGEND, "dim"))]
    legends += [Para(plain(ORIGIN_LEGEND, "dim"))] if found else []
    notes = check_notes([(f"Claim {n}", cl.grounding) for n, cl in enumerate(c.claims, 1)])
    section(doc, "Claims", *((*legends, Table(headers, rows), *notes) if c.claims else ()))


def claim_views(doc: Doc, c: Comparison) -> None:
    ids = [s.id for s in c.sources]
    everyone, some = [], []
    for n, cl in enumerate(c.claims, 1):
        status = {st.source: st.status for st in cl.sources}
        if ids and all(status.get(i) == "reports" for i in ids):
            everyone.append(Item(plain(f"({n}) {cl.claim}")))
        elif any(st == "omits" for st in status.values()):
            detail = "; ".join(
                f"{verb} " + ", ".join(who(c.sources, i) for i in ids if status.get(i) == k)
                for k, verb in VERBS.items()
                if k in status.values()
            )
            some.append(Item((Seg(f"({n}) {cl.claim} "), Seg(f"— {detail}", "dim"))))
    section(doc, "Reported by all", *listing(everyone))
    section(doc, "Reported only by some", *listing(some))


def origin_paras(found_by: FoundBy, conf: float | None, review: Review | None) -> list[Block]:
    """Who found the finding and how sure it is, one line each (nothing for a plain model finding)."""
    return [Para(line) for line in origin(found_by, conf, review)]


def conflicts_section(doc: Doc, c: Comparison) -> None:
    blocks: list[Block] = []
    for n, cf in enumerate(c.conflicts, 1):
        blocks.append(Heading(f"{n}. {cf.kind}: {cf.description}", 3))
        blocks += origin_paras(cf.found_by, cf.confidence, cf.review)
        marks = flags(cf.grounding, [span for v in cf.values for span in v.evidence])
        blocks += [Para(marks)] if marks else []
        values = [
            Item(
                (Seg(who(c.sources, v.source), "strong"), Seg(": "), Seg(v.value)),
                v.evidence,
                flags(None, v.evidence),
            )
            for v in cf.values
        ]
        blocks.append(ItemList(values))
    section(doc, "Conflicts", *blocks)


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


def variants_section(doc: Doc, c: Comparison) -> None:
    blocks: list[Block] = []
    for qv in c.quote_variants:
        differs = Seg("yes", "bad") if qv.meaning_differs else Seg("no", "ok")
        blocks += [
            Heading(qv.speaker, 3),
            *origin_paras(qv.found_by, qv.confidence, qv.review),
            Para((Seg("Meaning differs: ", "strong"), differs)),
            Para(plain(qv.note)),
        ]
        blocks += [
            BlockQuote(w.text, plain(who(c.sources, w.source)), w.evidence, flags(w.grounding, w.evidence))
            for w in qv.wordings
        ]
        for first, w in ((qv.wordings[0], w) for w in qv.wordings[1:]):
            label = Seg(f"Word diff {first.source} → {w.source}: ", "strong")
            blocks.append(Para((label, *word_diff(first.text, w.text))))
    section(doc, "Quote variants", *blocks)


def sourcing_section(doc: Doc, c: Comparison) -> None:
    blocks: list[Block] = []
    for sg in c.sourcing:
        cited = [
            Item(plain(f"{ct.name} ({ct.kind.replace('_', ' ')})"), ct.evidence, flags(None, ct.evidence))
            for ct in sg.cited
        ]
        blocks += [
            Heading(who(c.sources, sg.source), 3),
            *(listing(cited) or (Para(plain("Cites no one.", "dim")),)),
        ]
    section(doc, "Sourcing", *blocks)


def framing_section(doc: Doc, c: Comparison) -> None:
    blocks: list[Block] = []
    for fr in c.framing:
        choices = [
            Item(
                (Seg(who(c.sources, ch.source), "strong"), Seg(f": “{ch.wording}”")),
                ch.evidence,
                flags(ch.grounding, ch.evidence),
            )
            for ch in fr.choices
        ]
        blocks += [Heading(fr.aspect, 3), *origin_paras(fr.found_by, fr.confidence, None), *listing(choices)]
    section(doc, "Framing", *blocks)


def candidates_section(doc: Doc, c: Comparison) -> None:
    shown = where_shown(c)
    items = [
        Item(candidate_head(cr), (), candidate_verdict(cr, shown.get(cr.candidate_id)))
        for cr in c.candidate_reviews
    ]
    section(doc, "Candidate findings", Para(candidates_intro(c)), *listing(items))


def build_comparison(c: Comparison) -> Doc:
    doc = Doc()
    rows = [
        [
            Cell(plain(s.id)),
            Cell(plain(s.outlet)),
            Cell(plain(s.published.isoformat() if s.published else "unknown")),
            Cell(plain(s.title or "—")),
        ]
        for s in c.sources
    ]
    doc.add(
        Heading(c.story, 1),
        Para(engine_line(c.provenance)),
        Table(["Source", "Outlet", "Published", "Title"], rows),
        *paragraphs(c.overview),
    )
    claims_section(doc, c)
    claim_views(doc, c)
    conflicts_section(doc, c)
    variants_section(doc, c)
    sourcing_section(doc, c)
    framing_section(doc, c)
    candidates_section(doc, c)
    grounding_section(doc, c.grounding)
    provenance_section(doc, c.provenance)
    return doc
