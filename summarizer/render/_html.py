"""Write a result as one self-contained HTML page: the findings beside the full texts of the sources.

Each finding (a claim, conflict, quote variant, cited source, framing, key point, …) carries the ids
of the evidence spans behind it; each source's text is cut at every span and sentence boundary, so
overlapping spans become flat runs, each wrapped in a `<mark>` listing every finding it backs.
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
from summarizer.render._comparison import STATUS, word_diff
from summarizer.render._html_assets import CSS, JS
from summarizer.render._shared import flags, short, who
from summarizer.schemas import (
    Comparison,
    Grounding,
    GroundingSummary,
    Provenance,
    SourceInfo,
    Span,
    Summary,
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
class _Evidence:
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


class _Findings:
    """Hands out finding ids and records their evidence."""

    def __init__(self, sources: Sequence[SourceInfo]) -> None:
        self.evidence = _Evidence({s.id: s.text for s in sources})
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
    marks = flags(grounding, spans)
    return "".join(f'<span class="flag">{inline((m,))}</span>' for m in marks)


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
        out.append(_run(text[a:b], owners, firsts))
    if in_sentence:
        out.append("</span>")
    return "".join(out)


def _run(piece: str, owners: list[str], firsts: list[str]) -> str:
    """A run of text; inside evidence, a mark naming the findings it backs (and those it starts)."""
    if not owners:
        return esc(piece)
    unique = list(dict.fromkeys(owners))
    first = f' data-first="{" ".join(dict.fromkeys(firsts))}"' if firsts else ""
    title = f"evidence for {len(unique)} finding" + ("s" if len(unique) > 1 else "")
    return f'<mark class="ev" data-findings="{" ".join(unique)}"{first} title="{title}">{esc(piece)}</mark>'


def source_column(src: SourceInfo, evidence: _Evidence) -> str:
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
    bad = ' class="bad"' if g.ungrounded else ""
    line = (
        f'<p class="grounding-line">{g.items} items: <span class="ok">✔ {g.grounded} grounded</span>, '
        f"<span{bad}>{'⚠ ' if g.ungrounded else ''}{g.ungrounded} not grounded</span></p>"
    )
    reasons = "".join(f'<li class="bad">⚠ {esc(r)}</li>' for r in g.reasons)
    return f'<h2 id="grounding">Grounding</h2>{line}' + (f"<ul>{reasons}</ul>" if reasons else "")


def provenance_html(p: Provenance) -> str:
    rows: list[tuple[str, str]] = [
        ("Model", f"<code>{esc(p.model or 'none')}</code>" + (f" via {esc(p.backend)}" if p.backend else "")),
        ("Engine", esc(p.engine)),
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
    origin = f", {esc(p.fixture_origin)}" if p.fixture_origin else ""
    summary = f"Provenance: {esc(p.engine)} · {esc(p.model or 'no model')}{origin}"
    return f'<details class="prov"><summary>{summary}</summary><dl class="kv">{body}</dl></details>'


def page(title: str, status: str, findings: str, columns: str, lang: str | None) -> str:
    csp = (
        "default-src 'none'; "
        f"style-src '{_hash(CSS)}'; script-src '{_hash(JS)}'; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang or "en")}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="summarizer">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f'<header class="bar"><h1>{esc(title)}</h1>'
        f'<p class="status" id="selection-status" role="status" aria-live="polite">{status}</p></header>'
        f'<main class="workspace"><section class="findings" aria-label="Findings">{findings}</section>'
        f'<section class="sources" aria-label="Sources side by side">{columns}</section></main>'
        f"<script>{JS}</script></body></html>\n"
    )


_HINT = "Select a finding (click, or Tab then Enter) to highlight its evidence in every source."


def paragraphs(text: str) -> str:
    return "".join(
        f'<p class="prose">{esc(" ".join(p.split()))}</p>' for p in text.split("\n\n") if p.strip()
    )


def _none() -> str:
    return '<p class="dim">None.</p>'


# --------------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------------


def comparison_html(c: Comparison) -> str:
    f = _Findings(c.sources)
    parts = [
        '<h2 id="overview">Overview</h2>',
        paragraphs(c.overview),
        _sources_table(c.sources),
        provenance_html(c.provenance),
        grounding_html(c.grounding),
        _claims(c, f),
        _conflicts(c, f),
        _variants(c, f),
        _sourcing(c, f),
        _framing(c, f),
    ]
    columns = "".join(source_column(s, f.evidence) for s in c.sources)
    languages = {s.language for s in c.sources}
    lang = languages.pop() if len(languages) == 1 else None
    return page(c.story, esc(_HINT), "".join(parts), columns, lang)


def _sources_table(sources: Sequence[SourceInfo]) -> str:
    rows = "".join(
        f"<tr><td>{esc(s.id)}</td><td>{esc(s.outlet)}</td>"
        f"<td>{esc(s.published.isoformat() if s.published else 'unknown')}</td>"
        f"<td>{esc(s.title or '—')}</td></tr>"
        for s in sources
    )
    head = '<tr><th scope="col">Source</th><th scope="col">Outlet</th><th scope="col">Published</th>'
    return (
        f'<div class="table-wrap"><table><caption class="vh">Sources</caption><thead>{head}'
        f'<th scope="col">Title</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )


def _claims(c: Comparison, f: _Findings) -> str:
    if not c.claims:
        return '<h2 id="claims">Claims</h2>' + _none()
    head = "".join(f'<th scope="col">{esc(who(c.sources, s.id))}</th>' for s in c.sources)
    rows = []
    for n, cl in enumerate(c.claims, 1):
        spans = [e for st in cl.sources for e in st.evidence]
        cells = []
        for s in c.sources:
            st = next((x for x in cl.sources if x.source == s.id), None)
            if st is None:
                cells.append('<td class="st"><span class="warn">⚠ not assessed</span></td>')
                continue
            text, style = STATUS[st.status]
            missing = (
                ' <span class="warn">⚠ no evidence</span>' if st.status != "omits" and not st.evidence else ""
            )
            cells.append(
                f'<td class="st"><span class="{style}">{esc(text)}</span>{missing}{refs(st.evidence)}</td>'
            )
        rows.append(
            f'{f.open("tr", f"claim {n}", spans, cl.grounding)}<td class="num">{n}</td>'
            f"<td>{pick(esc(cl.claim))}{flag_lines(cl.grounding, spans)}</td>{''.join(cells)}</tr>"
        )
    legend = '<p class="legend">Status: ✔ reports · — omits · ✘ contradicts · ? unclear</p>'
    return (
        f'<h2 id="claims">Claims</h2>{legend}<div class="table-wrap"><table>'
        '<caption class="vh">Claims and each source\'s status</caption>'
        f'<thead><tr><th scope="col">#</th><th scope="col">Claim</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _conflicts(c: Comparison, f: _Findings) -> str:
    items = []
    for n, cf in enumerate(c.conflicts, 1):
        spans = [s for v in cf.values for s in v.evidence]
        values = "".join(
            f"<li><strong>{esc(who(c.sources, v.source))}</strong>: {esc(v.value)}{refs(v.evidence)}"
            f"{flag_lines(None, v.evidence)}</li>"
            for v in cf.values
        )
        diff = ""
        if len(cf.values) >= 2:
            first = cf.values[0]
            diff = "".join(
                f'<p class="diff"><span class="dim">{esc(first.source)} → {esc(v.source)}:</span> '
                f"{inline(word_diff(first.value, v.value))}</p>"
                for v in cf.values[1:]
            )
        items.append(
            f.open("div", f"conflict {n}", spans, cf.grounding)
            + f"<h3>{pick(f'{n}. {esc(cf.kind)}: {esc(cf.description)}')}</h3>"
            f"{flag_lines(cf.grounding, spans)}<ul>{values}</ul>{diff}</div>"
        )
    return '<h2 id="conflicts">Conflicts</h2>' + ("".join(items) or _none())


def _variants(c: Comparison, f: _Findings) -> str:
    items = []
    for n, qv in enumerate(c.quote_variants, 1):
        spans = [s for w in qv.wordings for s in w.evidence]
        differs = '<span class="bad">yes</span>' if qv.meaning_differs else '<span class="ok">no</span>'
        quotes = "".join(
            f"<blockquote><p>“{esc(w.text)}”</p><footer>— {esc(who(c.sources, w.source))}{refs(w.evidence)}"
            f"{flag_lines(w.grounding, w.evidence)}</footer></blockquote>"
            for w in qv.wordings
        )
        diffs = ""
        if qv.wordings:
            first = qv.wordings[0]
            diffs = "".join(
                f'<p class="diff"><span class="dim">Word diff {esc(first.source)} → {esc(w.source)}:</span> '
                f"{inline(word_diff(first.text, w.text))}</p>"
                for w in qv.wordings[1:]
            )
        worst = next((w.grounding for w in qv.wordings if not w.grounding.grounded), None)
        items.append(
            f"{f.open('div', f'quote variant {n}', spans, worst)}<h3>{pick(esc(qv.speaker))}</h3>"
            f"<p>Meaning differs: {differs}. {esc(qv.note)}</p>{quotes}{diffs}</div>"
        )
    legend = (
        '<p class="legend">Word diff: <del>struck</del> words appear only in the first source, '
        "<ins>underlined</ins> words only in the other.</p>"
    )
    return '<h2 id="quote-variants">Quote variants</h2>' + (legend + "".join(items) if items else _none())


def _sourcing(c: Comparison, f: _Findings) -> str:
    blocks = []
    for sg in c.sourcing:
        cited = "".join(
            f.open("li", f"{ct.name} cited by {who(c.sources, sg.source)}", ct.evidence)
            + pick(esc(ct.name) + f' <span class="dim">({esc(ct.kind.replace("_", " "))})</span>')
            + refs(ct.evidence)
            + flag_lines(None, ct.evidence)
            + "</li>"
            for ct in sg.cited
        )
        body = f'<ul class="findings-list">{cited}</ul>' if cited else '<p class="dim">Cites no one.</p>'
        blocks.append(f"<h3>{esc(who(c.sources, sg.source))}</h3>{body}")
    return '<h2 id="sourcing">Sourcing</h2>' + ("".join(blocks) or _none())


def _framing(c: Comparison, f: _Findings) -> str:
    items = []
    for fr in c.framing:
        spans = [s for ch in fr.choices for s in ch.evidence]
        worst = next((ch.grounding for ch in fr.choices if not ch.grounding.grounded), None)
        choices = "".join(
            f"<li><strong>{esc(who(c.sources, ch.source))}</strong>: “{esc(ch.wording)}”{refs(ch.evidence)}"
            f"{flag_lines(ch.grounding, ch.evidence)}</li>"
            for ch in fr.choices
        )
        items.append(
            f"{f.open('div', f'framing: {fr.aspect}', spans, worst)}<h3>{pick(esc(fr.aspect))}</h3>"
            f"<ul>{choices}</ul></div>"
        )
    return '<h2 id="framing">Framing</h2>' + ("".join(items) or _none())


# --------------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------------


def summary_html(s: Summary) -> str:
    f = _Findings([s.source])
    src = s.source
    line = f'<p class="dim">Length: {esc(s.length)} · language: {esc(s.language)}</p>'
    parts = [
        '<h2 id="summary">Summary</h2>',
        line,
        f'<div lang="{esc(s.language)}">{paragraphs(s.summary)}</div>',
        provenance_html(s.provenance),
        grounding_html(s.grounding),
        _list(
            "Key points",
            [
                (
                    f.open("li", f"key point {n}", k.evidence, k.grounding),
                    esc(k.text),
                    k.evidence,
                    k.grounding,
                )
                for n, k in enumerate(s.key_points, 1)
            ],
        ),
        _quotes(s, f),
        _list(
            "Dates",
            [
                (
                    f.open("li", f"date {d.text}", d.evidence, d.grounding),
                    f"<strong>{esc(d.text)}</strong> ({esc(d.iso or '? unresolved')}): {esc(d.event)}",
                    d.evidence,
                    d.grounding,
                )
                for d in s.dates
            ],
        ),
        _list(
            "Entities",
            [
                (
                    f.open("li", f"entity {e.name}", e.evidence),
                    f"<strong>{esc(e.name)}</strong> ({esc(e.type)}): {esc(e.role)}",
                    e.evidence,
                    None,
                )
                for e in s.entities
            ],
        ),
        _list(
            "Caveats",
            [
                (f.open("li", f"caveat {n}", c.evidence), esc(c.text), c.evidence, None)
                for n, c in enumerate(s.caveats, 1)
            ],
        ),
    ]
    return page(s.headline, esc(_HINT), "".join(parts), source_column(src, f.evidence), s.language)


def _list(title: str, items: list[tuple[str, str, Sequence[Span], Grounding | None]]) -> str:
    anchor = title.lower().replace(" ", "-")
    body = "".join(
        f"{opening}{pick(label)}{refs(spans)}{flag_lines(grounding, spans)}</li>"
        for opening, label, spans, grounding in items
    )
    return f'<h2 id="{anchor}">{esc(title)}</h2>' + (
        f'<ul class="findings-list">{body}</ul>' if body else _none()
    )


def _quotes(s: Summary, f: _Findings) -> str:
    items = []
    for n, q in enumerate(s.quotes, 1):
        role = f" ({esc(q.role)})" if q.role else ""
        items.append(
            f.open("div", f"quote {n}", q.evidence, q.grounding)
            + f"<blockquote><p>{pick(f'“{esc(q.text)}”')}</p>"
            f"<footer>— <strong>{esc(q.speaker)}</strong>{role}{refs(q.evidence)}"
            f"{flag_lines(q.grounding, q.evidence)}</footer></blockquote></div>"
        )
    return '<h2 id="quotes">Quotes</h2>' + ("".join(items) or _none())


def write(result: Summary | Comparison) -> str:
    return summary_html(result) if isinstance(result, Summary) else comparison_html(result)


__all__ = ["esc", "write"]
