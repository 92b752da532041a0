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
    SupportIssue,
)


def flags(grounding: Grounding | None, evidence: Sequence[Span], *, checks: bool = True) -> Inline:
    """Visible warnings, one per segment: not grounded (with reasons, then each failed support check:
    its kind, the offending token, the evidence it was checked against), approximate alignment, no
    evidence at all. Tables pass `checks=False` and list the checks after the table (`check_notes`)."""
    out: list[Seg] = []
    if grounding is not None and not grounding.grounded:
        below = " (listed below the table)" if grounding.checks and not checks else ""
        out.append(Seg(f"⚠ not grounded: {not_grounded_reasons(grounding)}{below}", "bad"))
        out += [Seg(check_text(issue), "bad") for issue in grounding.checks] if checks else []
    elif grounding is not None and grounding.alignment == "fuzzy":
        score = f", similarity {grounding.score:.0f}/100" if grounding.score is not None else ""
        out.append(Seg(f"≈ approximate match to the source{score}", "warn"))
    elif grounding is not None and grounding.alignment == "missing":
        out.append(Seg("⚠ wording not found in the source", "bad"))
    if not evidence and (grounding is None or grounding.grounded):
        out.append(Seg("⚠ no evidence cited", "warn"))
    return tuple(out)


def check_notes(rows: Sequence[tuple[str, Grounding]]) -> tuple[Block, ...]:
    """After a table: each row's failed support checks, which would not fit in a cell."""
    items = [
        Item((Seg(label, "strong"),), (), tuple(Seg(check_text(i), "bad") for i in g.checks))
        for label, g in rows
        if not g.grounded and g.checks
    ]
    return (Para(plain("Support checks that failed:", "strong")), ItemList(items)) if items else ()


def not_grounded_reasons(grounding: Grounding) -> str:
    """The reasons not already told by a failed check (each check's reason repeats its message)."""
    told = {m for i in grounding.checks for m in (i.message, f"{i.check}: {i.message}")}
    rest = [r for r in grounding.reasons if r not in told]
    n = len(grounding.checks)
    if n:
        rest.append(f"{n} support check{'s' if n > 1 else ''} failed")
    return "; ".join(rest) or "no reason given"


def check_text(issue: SupportIssue) -> str:
    """One failed support check in words: kind, offending token, what it was checked against."""
    against = (
        f"checked against “{flatten(issue.evidence)}”" if issue.evidence else "no evidence to check against"
    )
    code = f" ({issue.code})" if issue.code else ""  # what --ignore takes
    told = f"{flatten(issue.message)} ({against})"
    return f"⚠ {issue.check} check{code} failed on “{flatten(issue.token)}”: {told}"


def with_flags(inline: Inline, marks: Inline) -> Inline:
    """The item's text followed by its warnings, kept apart by spaces (for table cells)."""
    return (*inline, *(seg for mark in marks for seg in (Seg(" "), mark)))


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


def checks_by_kind(g: GroundingSummary) -> str:
    """`date 1, quote 2`: failed support checks counted by kind."""
    return ", ".join(f"{kind} {n}" for kind, n in sorted(g.checks.items()))


def grounding_section(doc: Doc, g: GroundingSummary) -> None:
    if g.status == "unverified":
        section(doc, "Grounding", Para((Seg("unverified: no item was checked against the sources", "bad"),)))
        return
    line = (
        Seg(f"{g.items} items: "),
        Seg(f"{g.grounded} grounded", "ok"),
        Seg(", "),
        Seg(f"{g.ungrounded} not grounded", "bad" if g.ungrounded else ""),
    )
    counts = (
        [Para((Seg("Failed support checks by kind: ", "strong"), Seg(checks_by_kind(g), "bad")))]
        if g.checks
        else []
    )
    reasons = [Item(plain(f"⚠ {r}", "bad")) for r in g.reasons]
    section(doc, "Grounding", Para(line), *counts, *listing(reasons))


ENGINES = {
    "offline": "offline: deterministic analysis, extractive, no model",
    "llm": "llm: findings from a model's answer, checked against the sources",
    "deterministic": "deterministic: checks only, no model",
}
CACHE = {
    "hit": "hit: every model answer came from the response cache (no tokens, no cost)",
    "miss": "miss: at least one answer was fetched from the model and stored",
    "off": "off: no response cache used",
}


def cost_text(p: Provenance) -> str:
    if p.cost_usd is None:
        return "none (no model called)" if p.model is None else "unknown (no list price for this model)"
    if 0 < p.cost_usd < 0.0001:
        return "under $0.0001 at list prices"
    return f"${p.cost_usd:.4f} at list prices" + (
        " (cache hits and replays cost nothing)" if not p.cost_usd else ""
    )


def chunks_text(p: Provenance) -> str:
    if p.digested:
        return (
            f"{p.digested} source(s) too long for one request were digested first; the comparison was "
            "made over excerpts (the sentences each digest cites), grounded against the full texts"
        )
    if p.chunks > 1:
        return f"{p.chunks} (a long input, summarised in {p.chunks} parts, then merged: map-reduce)"
    return "1 (the input fit the context budget)"


def run_facts(p: Provenance) -> list[tuple[str, Inline]]:
    """Who produced the result and at what cost: engine, model, cache, cost, chunks, report language."""
    return [
        ("Engine", plain(ENGINES.get(p.engine, p.engine))),
        ("Model", (Seg(p.model or "none", "code"), Seg(f" via {p.backend}" if p.backend else ""))),
        ("Cache", plain(CACHE.get(p.cache, p.cache))),
        ("Cost", plain(cost_text(p))),
        ("Chunks", plain(chunks_text(p))),
        ("Report language", plain(p.report_language or "not set")),
    ]


def engine_line(p: Provenance) -> Inline:
    """The one line under a report's title that says what produced it."""
    if p.engine == "offline":
        return plain("Produced by the offline engine (extractive, no model).", "note")
    if p.engine != "llm":
        return plain(f"Produced by the {p.engine} engine.", "note")
    model = Seg(p.model or "an unnamed model", "code")
    origin = (p.fixture_origin or "").split(" ", 1)[0]
    if origin == "authored":
        return (
            Seg("Replayed from answers written by hand as ", "note"),
            model,
            Seg(" should answer: no model was called (see Provenance).", "note"),
        )
    if origin:
        return (
            Seg("Produced by the model ", "note"),
            model,
            Seg(f", replayed from {origin} answers.", "note"),
        )
    return (Seg("Produced by the model ", "note"), model, Seg(".", "note"))


def provenance_section(doc: Doc, p: Provenance) -> None:
    templates = ", ".join(
        f"{t.name} {short(t.sha256)}" + (" (overridden)" if t.overridden else "") for t in p.templates
    )
    inputs = [
        labelled(f"Input {i.source}", Seg(i.origin), Seg(" sha256 "), Seg(short(i.sha256), "code"))
        for i in p.inputs
    ]
    items = [
        *(labelled(label, *value) for label, value in run_facts(p)),
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
