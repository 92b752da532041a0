"""The pieces of the self-contained HTML page: the findings beside the full texts of the sources.

Each finding (a claim, conflict, quote variant, cited source, framing, key point, …) carries the ids
of the evidence spans behind it; each source's text is cut at every span and sentence boundary, so
overlapping spans become flat runs, each wrapped in a `<mark>` listing every finding it backs
(and its character offsets in the source).
Selecting a finding highlights its marks in every column and scrolls them into view.

Every string that came from an article or a model goes through `esc`; the page's only script and
stylesheet are constants, allowed by hash in its Content-Security-Policy, and nothing is fetched.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from summarizer.documents.segment import segment
from summarizer.render._blocks import Inline, Style, span_label
from summarizer.render._html_assets import CSS, JS
from summarizer.render._shared import checks_by_kind, engine_line, flags, run_facts, short
from summarizer.schemas import (
    Grounding,
    GroundingSummary,
    Provenance,
    SourceInfo,
    Span,
)

_TAGS: dict[Style, tuple[str, str]] = {
    "strong": ("<strong>", "</strong>"),
    "code": ("<code>", "</code>"),
    "ins": ('<ins><span class="vh">added: </span>', "</ins>"),
    "del": ('<del><span class="vh">removed: </span>', "</del>"),
}


def esc(text: object) -> str:
    """Escape text for element content and quoted attribute values alike."""
    return html.escape(str(text), quote=True)


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def inline(segs: Inline) -> str:
    out = []
    for seg in segs:
        opening, closing = _TAGS.get(seg.style, ("", ""))
        if not opening and seg.style:
            opening, closing = f'<span class="{seg.style}">', "</span>"
        out.append(f"{opening}{esc(seg.text)}{closing}" if seg.text.strip() else esc(seg.text))
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Findings and the evidence marks they own
# --------------------------------------------------------------------------------------------------


@dataclass
class Evidence:
    """Which findings cite which character ranges of which source."""

    texts: dict[str, str]
    ranges: dict[str, dict[tuple[int, int], list[str]]] = field(default_factory=dict)

    def add(self, finding: str, spans: Iterable[Span]) -> None:
        for s in spans:
            text = self.texts.get(s.source)
            if text is None or not 0 <= s.start < s.end <= len(text):
                continue  # a span outside its source cannot be drawn; its finding still lists it
            owners = self.ranges.setdefault(s.source, {}).setdefault((s.start, s.end), [])
            if finding not in owners:
                owners.append(finding)


class Findings:
    """Hands out finding ids and records their evidence."""

    def __init__(self, sources: Sequence[SourceInfo]) -> None:
        self.evidence = Evidence({s.id: s.text for s in sources})
        self.count = 0

    def open(
        self,
        tag: str,
        label: str,
        spans: Sequence[Span],
        grounding: Grounding | None = None,
        extra_class: str = "",
    ) -> str:
        """The opening tag of a finding's element; its evidence is registered under a fresh id."""
        self.count += 1
        fid = f"f{self.count}"
        self.evidence.add(fid, spans)
        classes = " ".join(
            c for c in ("finding", extra_class, _ungrounded(grounding, spans) and "ungrounded") if c
        )
        return f'<{tag} class="{classes}" data-finding="{fid}" data-label="{esc(label)}" id="{fid}">'


def _ungrounded(grounding: Grounding | None, spans: Sequence[Span]) -> bool:
    return bool(grounding is not None and (not grounding.grounded or grounding.alignment == "missing"))


def pick(label_html: str) -> str:
    """The finding's keyboard handle: a real button, so Tab reaches it and Enter/Space select it."""
    return f'<button type="button" class="pick" aria-pressed="false">{label_html}</button>'


def refs(spans: Sequence[Span]) -> str:
    labels = list(dict.fromkeys(span_label(s) for s in spans))
    if not labels:
        return ""
    listed = esc(" · ".join(labels))
    return f'<span class="refs" aria-label="evidence: {listed}">[{listed}]</span>'


def flag_lines(grounding: Grounding | None, spans: Sequence[Span]) -> str:
    return lines([(m,) for m in flags(grounding, spans)])


def lines(rows: Sequence[Inline]) -> str:
    """Each row on a line of its own (warnings, origin marks, verdicts)."""
    return "".join(f'<span class="flag">{inline(row)}</span>' for row in rows)


# --------------------------------------------------------------------------------------------------
# Source columns
# --------------------------------------------------------------------------------------------------


def source_text(src: SourceInfo, ranges: dict[tuple[int, int], list[str]]) -> str:
    """The text cut at sentence and span boundaries; sentences labelled, evidence runs marked."""
    text = src.text
    sentences = [s for s in segment(text, src.id) if s.end <= len(text)]
    cuts = {0, len(text)} | {b for s in sentences for b in (s.start, s.end)}
    cuts |= {b for key in ranges for b in key}
    points = sorted(cuts)
    starts = {s.start: s for s in sentences}
    ends = {s.end for s in sentences}
    out: list[str] = []
    in_sentence = False
    for a, b in itertools.pairwise(points):
        if a in ends and in_sentence:
            out.append("</span>")
            in_sentence = False
        if a in starts:
            sid = esc(starts[a].id)
            out.append(
                f'<span class="sent" data-sid="{sid}"><span class="sid" aria-hidden="true">{sid}</span>'
            )
            in_sentence = True
        owners = [f for (s, e), fs in ranges.items() if s <= a and b <= e for f in fs]
        firsts = [f for (s, _), fs in ranges.items() if s == a for f in fs]
        out.append(_run(text, a, b, owners, firsts))
    if in_sentence:
        out.append("</span>")
    return "".join(out)


def _run(text: str, a: int, b: int, owners: list[str], firsts: list[str]) -> str:
    """The run `text[a:b]`; inside evidence, a mark naming the findings it backs (and those it starts)
    and its character offsets, so a reader or a test can check it against the source text. Offsets count
    code points of the text as loaded (as the JSON result's spans do); a browser's DOM turns CRLF into
    LF and JavaScript counts UTF-16 units, so check them against the result, not the page's text."""
    if not owners:
        return esc(text[a:b])
    unique = list(dict.fromkeys(owners))
    first = f' data-first="{" ".join(dict.fromkeys(firsts))}"' if firsts else ""
    title = f"evidence for {len(unique)} finding" + ("s" if len(unique) > 1 else "")
    return (
        f'<mark class="ev" data-findings="{" ".join(unique)}"{first} data-start="{a}" data-end="{b}" '
        f'title="{title}">{esc(text[a:b])}</mark>'
    )


def source_column(src: SourceInfo, evidence: Evidence) -> str:
    meta = [src.published.isoformat() if src.published else "date unknown"]
    if src.language:
        meta.append(f"language {src.language}")
    lang = f' lang="{esc(src.language)}"' if src.language else ""
    title = f"<p>“{esc(src.title)}”</p>" if src.title else ""
    where = esc(src.url or src.origin)
    return (
        f'<article class="source" data-source="{esc(src.id)}" data-outlet="{esc(src.outlet)}" '
        f'aria-labelledby="src-{esc(src.id)}">'
        f'<header><h2 id="src-{esc(src.id)}">{esc(src.outlet)} <span class="dim">({esc(src.id)})</span></h2>'
        f"{title}<p>{esc(' · '.join(meta))} · <code>{where}</code></p></header>"
        f'<div class="source-text" tabindex="0" role="region" '
        f'aria-label="Full text: {esc(src.outlet)}"{lang}>'
        f"{source_text(src, evidence.ranges.get(src.id, {}))}</div></article>"
    )


# --------------------------------------------------------------------------------------------------
# Shared sections
# --------------------------------------------------------------------------------------------------


def grounding_html(g: GroundingSummary) -> str:
    if g.status == "unverified":
        return (
            '<h2 id="grounding">Grounding</h2><p class="grounding-line bad">'
            "⚠ unverified: no item was checked against the sources</p>"
        )
    bad = ' class="bad"' if g.ungrounded else ""
    line = (
        f'<p class="grounding-line">{g.items} items: <span class="ok">✔ {g.grounded} grounded</span>, '
        f"<span{bad}>{'⚠ ' if g.ungrounded else ''}{g.ungrounded} not grounded</span></p>"
    )
    counts = (
        f'<p class="grounding-line"><strong>Failed support checks by kind:</strong> '
        f'<span class="bad">{esc(checks_by_kind(g))}</span></p>'
        if g.checks
        else ""
    )
    reasons = "".join(f'<li class="bad">⚠ {esc(r)}</li>' for r in g.reasons)
    return f'<h2 id="grounding">Grounding</h2>{line}{counts}' + (f"<ul>{reasons}</ul>" if reasons else "")


def provenance_html(p: Provenance) -> str:
    rows: list[tuple[str, str]] = [(label, inline(value)) for label, value in run_facts(p)]
    rows += [
        ("Endpoint host", esc(p.endpoint_host or "none")),
        ("Structured output", esc(p.structured_output or "none")),
        ("Attempts", esc(f"{p.attempts} (re-asks: {p.reasks})")),
        ("Tokens", esc(f"{p.usage.input_tokens} in / {p.usage.output_tokens} out")),
        ("Wall time", esc(f"{p.wall_time_s:.1f} s")),
        ("Fixture origin", esc(p.fixture_origin or "none (not a replay)")),
        ("Created", esc(p.created_at.isoformat())),
        ("Versions", esc(f"tool {p.tool_version}, schema {p.schema_version}")),
    ]
    rows += [
        (f"Template {t.name}", f"<code>{short(t.sha256)}</code>" + (" (overridden)" if t.overridden else ""))
        for t in p.templates
    ]
    rows += [(f"Input {i.source}", f"{esc(i.origin)} <code>{short(i.sha256)}</code>") for i in p.inputs]
    body = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows)
    facts = [p.engine, p.model or "no model", f"cache {p.cache}"]
    facts += [f"{p.chunks} chunks"] if p.chunks > 1 else []
    facts += [f"{p.digested} source(s) digested"] if p.digested else []
    origin = f", {esc(p.fixture_origin)}" if p.fixture_origin else ""
    summary = f"Provenance: {esc(' · '.join(facts))}{origin}"
    return f'<details class="prov"><summary>{summary}</summary><dl class="kv">{body}</dl></details>'


def page(
    title: str,
    status: str,
    findings: str,
    columns: str,
    lang: str | None,
    provenance: Provenance,
    layout: str = "",
) -> str:
    """The whole page; `layout` is an extra class of the workspace (`single` for one source)."""
    csp = (
        "default-src 'none'; "
        f"style-src '{_hash(CSS)}'; script-src '{_hash(JS)}'; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    workspace = " ".join(c for c in ("workspace", layout) if c)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang or "en")}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="summarizer">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f'<header class="bar"><h1>{esc(title)}</h1>'
        f'<p class="engine">{inline(engine_line(provenance))}</p>'
        f'<p class="status" id="selection-status" role="status" aria-live="polite">{status}</p></header>'
        f'<main class="{workspace}"><section class="findings" aria-label="Findings">{findings}</section>'
        f'<section class="sources" aria-label="Sources side by side">{columns}</section></main>'
        f"<script>{JS}</script></body></html>\n"
    )


def common_language(sources: Sequence[SourceInfo]) -> str | None:
    """The page's language: the sources' own when they share one, else none (the page says `en`)."""
    languages = {s.language for s in sources}
    return languages.pop() if len(languages) == 1 else None


HINT = "Select a finding (click, or Tab then Enter) to highlight its evidence in every source."


def paragraphs(text: str) -> str:
    return "".join(
        f'<p class="prose">{esc(" ".join(p.split()))}</p>' for p in text.split("\n\n") if p.strip()
    )


def none_html() -> str:
    return '<p class="dim">None.</p>'
