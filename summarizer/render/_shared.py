"""Pieces shared by the summary and comparison builders: warnings, sections, grounding, provenance."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.render._blocks import (
    Block,
    Cell,
    Doc,
    Heading,
    Inline,
    Item,
    ItemList,
    Para,
    Seg,
    Table,
    flatten,
    plain,
)
from summarizer.schemas import (
    Grounding,
    GroundingSummary,
    Provenance,
    SourceInfo,
    Span,
)


def flags(grounding: Grounding | None, evidence: Sequence[Span]) -> Inline:
    """Visible warnings: not grounded (with reasons), approximate alignment, no evidence at all."""
    out: list[Seg] = []
    if grounding is not None and not grounding.grounded:
        reasons = "; ".join(grounding.reasons) or "no reason given"
        out.append(Seg(f"⚠ not grounded: {reasons}", "bad"))
    elif grounding is not None and grounding.alignment == "fuzzy":
        score = f", similarity {grounding.score:.0f}/100" if grounding.score is not None else ""
        out.append(Seg(f"≈ approximate match to the source{score}", "warn"))
    elif grounding is not None and grounding.alignment == "missing":
        out.append(Seg("⚠ wording not found in the source", "bad"))
    if not evidence and (grounding is None or grounding.grounded):
        out.append(Seg("⚠ no evidence cited", "warn"))
    return tuple(out)


def with_flags(inline: Inline, marks: Inline) -> Inline:
    return (*inline, Seg(" "), *marks) if marks else inline


def section(doc: Doc, title: str, *blocks: Block) -> None:
    doc.add(Heading(title, 2), *(blocks or (Para(plain("None.", "dim")),)))


def paragraphs(text: str) -> list[Block]:
    return [Para(plain(flatten(p))) for p in text.split("\n\n") if p.strip()]


def listing(items: Sequence[Item]) -> tuple[Block, ...]:
    return (ItemList(items),) if items else ()


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> tuple[Block, ...]:
    return (Table(headers, rows),) if rows else ()


def labelled(label: str, *value: Seg) -> Item:
    return Item((Seg(label, "strong"), Seg(": "), *value))


def who(sources: Sequence[SourceInfo], source_id: str) -> str:
    for s in sources:
        if s.id == source_id:
            return f"{s.outlet} ({s.id})"
    return f"{source_id} (unknown source)"


def short(sha: str) -> str:
    return sha[:12]


def grounding_section(doc: Doc, g: GroundingSummary) -> None:
    line = (
        Seg(f"{g.items} items: "),
        Seg(f"{g.grounded} grounded", "ok"),
        Seg(", "),
        Seg(f"{g.ungrounded} not grounded", "bad" if g.ungrounded else ""),
    )
    reasons = [Item(plain(f"⚠ {r}", "bad")) for r in g.reasons]
    section(doc, "Grounding", Para(line), *listing(reasons))


def provenance_section(doc: Doc, p: Provenance) -> None:
    templates = ", ".join(
        f"{t.name} {short(t.sha256)}" + (" (overridden)" if t.overridden else "") for t in p.templates
    )
    inputs = [
        labelled(f"Input {i.source}", Seg(i.origin), Seg(" sha256 "), Seg(short(i.sha256), "code"))
        for i in p.inputs
    ]
    items = [
        labelled("Model", Seg(p.model or "none", "code"), Seg(f" via {p.backend}" if p.backend else "")),
        labelled("Engine", Seg(p.engine)),
        labelled("Endpoint host", Seg(p.endpoint_host or "none")),
        labelled("Structured output", Seg(p.structured_output or "none")),
        labelled("Templates", Seg(templates or "none")),
        labelled("Attempts", Seg(f"{p.attempts} (re-asks: {p.reasks})")),
        labelled("Tokens", Seg(f"{p.usage.input_tokens} in / {p.usage.output_tokens} out")),
        labelled("Wall time", Seg(f"{p.wall_time_s:.1f} s")),
        labelled("Fixture origin", Seg(p.fixture_origin or "none (not a replay)")),
        labelled("Created", Seg(p.created_at.isoformat())),
        labelled("Versions", Seg(f"tool {p.tool_version}, schema {p.schema_version}")),
        *inputs,
    ]
    section(doc, "Provenance", ItemList(items))


def mentions(evidence: Sequence[Span]) -> Inline:
    ids = [i for span in evidence for i in (span.sentence_ids or [span.source])]
    return plain(", ".join(dict.fromkeys(ids))) if ids else plain("⚠ no evidence cited", "warn")
