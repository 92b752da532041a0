"""Build the document model of a `Summary`."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.render._blocks import (
    BlockQuote,
    Cell,
    Doc,
    Heading,
    Item,
    Para,
    Seg,
    plain,
)
from summarizer.render._shared import (
    check_notes,
    engine_line,
    flags,
    grounding_section,
    listing,
    mentions,
    paragraphs,
    provenance_section,
    section,
    short,
    table,
    with_flags,
)
from summarizer.schemas import KeyPoint, Quote, SourceInfo, Span, Summary


def source_line(src: SourceInfo) -> Para:
    parts: list[Seg] = [Seg("Source: ", "strong"), Seg(src.outlet)]
    if src.title:
        parts.append(Seg(f" · “{src.title}”"))
    parts.append(Seg(f" · published {src.published.isoformat()}" if src.published else " · date unknown"))
    parts += [
        Seg(" · "),
        Seg(src.url or src.origin, "code"),
        Seg(" · sha256 "),
        Seg(short(src.sha256), "code"),
    ]
    return Para(tuple(parts))


def same_words(text: str, evidence: Sequence[Span]) -> bool:
    """Whether the evidence says exactly what the item says (extractive items): then its sentence ids
    are enough, and the words are not printed twice."""
    plain_text = " ".join(text.split()).strip("“”\"' ")
    return bool(evidence) and all(" ".join(e.text.split()).strip("“”\"' ") == plain_text for e in evidence)


def ids(evidence: Sequence[Span]) -> Seg:
    return Seg(
        " [" + ", ".join(dict.fromkeys(i for e in evidence for i in e.sentence_ids or [e.source])) + "]",
        "dim",
    )


def quote(q: Quote) -> BlockQuote:
    speaker = (Seg(q.speaker, "strong"), Seg(f" ({q.role})" if q.role else ""))
    if same_words(q.text, q.evidence):
        return BlockQuote(q.text, (*speaker, ids(q.evidence)), (), flags(q.grounding, q.evidence))
    return BlockQuote(q.text, speaker, q.evidence, flags(q.grounding, q.evidence))


def point(k: KeyPoint) -> Item:
    if same_words(k.text, k.evidence):
        return Item((Seg(k.text), ids(k.evidence)), (), flags(k.grounding, k.evidence))
    return Item(plain(k.text), k.evidence, flags(k.grounding, k.evidence))


def tables(doc: Doc, s: Summary) -> None:
    entity_rows = [
        [Cell(plain(e.name)), Cell(plain(e.type)), Cell(plain(e.role)), Cell(mentions(e.evidence))]
        for e in s.entities
    ]
    note = (
        [
            Para(
                plain(
                    "Names extracted by the offline engine; their part in the story is not analysed.", "dim"
                )
            )
        ]
        if s.provenance.engine == "offline" and entity_rows
        else []
    )
    section(doc, "Entities", *note, *table(["Name", "Type", "Role", "Mentioned in"], entity_rows))
    date_rows = [
        [
            Cell(plain(d.text)),
            Cell(plain(d.iso) if d.iso else plain("? unresolved", "note")),
            Cell(with_flags(plain(d.event), flags(d.grounding, d.evidence, checks=False)), d.evidence),
        ]
        for d in s.dates
    ]
    notes = check_notes([(f"Date “{d.text}”", d.grounding) for d in s.dates])
    section(doc, "Dates", *table(["As written", "ISO", "Event"], date_rows), *notes)


def build_summary(s: Summary) -> Doc:
    doc = Doc()
    doc.add(Heading(s.headline, 1), Para(engine_line(s.provenance)), source_line(s.source))
    doc.add(Para(plain(f"Length: {s.length} · language: {s.language}", "dim")), *paragraphs(s.summary))
    points = [point(k) for k in s.key_points]
    section(doc, "Key points", *listing(points))
    section(doc, "Quotes", *(quote(q) for q in s.quotes))
    tables(doc, s)
    caveats = [Item(plain(c.text), c.evidence, flags(None, c.evidence)) for c in s.caveats]
    section(doc, "Caveats", *listing(caveats))
    grounding_section(doc, s.grounding)
    provenance_section(doc, s.provenance)
    return doc
