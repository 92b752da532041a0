"""The comparison page, in the reading order of `_view`: overview, conflicts, quote differences, what only
some report, what all report, sourcing, framing, minor differences, the claims matrix; the review of
the analysis's candidates and provenance folded at the end.

Every string that came from an article or a model goes through `esc`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from summarizer.render._blocks import quoted
from summarizer.render._comparison import LEGEND, STATUS, glance, group_title, minor_items, offline, word_diff
from summarizer.render._html_core import (
    HINT,
    Findings,
    common_language,
    esc,
    flag_lines,
    grounding_html,
    inline,
    lines,
    none_html,
    page,
    paragraphs,
    pick,
    provenance_html,
    refs,
    source_column,
)
from summarizer.render._origin import (
    candidate_head,
    candidate_verdict,
    candidates_intro,
    found_by_cell,
    short_origin,
    where_shown,
)
from summarizer.render._shared import who
from summarizer.render._view import Numbered, ReportOptions, View, build_view
from summarizer.schemas import Claim, Comparison, SourceInfo


def comparison_html(c: Comparison, options: ReportOptions | None = None) -> str:
    """Sections in the reading order of `_view`; the review of candidates and provenance folded."""
    options = options or ReportOptions()
    v = build_view(c, options)
    f = Findings(c.sources)
    glance_line = f'<p class="glance">{inline(glance(c, v, options).inline)}</p>'
    parts = ['<h2 id="overview">Overview</h2>']
    parts += [paragraphs(c.overview), glance_line] if options.shows("overview") else []
    parts.append(_sources_table(c.sources))
    printed: dict[int, str] = {}
    sections: list[tuple[str, Callable[[], str]]] = [
        ("conflicts", lambda: _conflicts(c, v, f)),
        ("quotes", lambda: _variants(c, v, f)),
        ("only-some", lambda: _only_some(c, v, f, printed)),
        ("shared", lambda: _shared(c, v, f, printed)),
        ("sourcing", lambda: _sourcing(c, f)),
        ("framing", lambda: _framing(c, f, options)),
        ("minor", lambda: _minor(c, v)),
        ("claims", lambda: _claims(c, v, f, printed)),
        ("review", lambda: _candidates(c)),
        ("grounding", lambda: grounding_html(c.grounding)),
        ("provenance", lambda: provenance_html(c.provenance)),
    ]
    parts += [make() for name, make in sections if options.shows(name)]
    columns = "".join(source_column(s, f.evidence) for s in c.sources)
    return page(c.story, esc(HINT), "".join(parts), columns, common_language(c.sources), c.provenance)


def _more(v: View, name: str) -> str:
    left = v.cut.get(name)
    return f'<p class="dim">… and {left} more (--max-items; --format json has all).</p>' if left else ""


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


def _status_cell(cl: Claim, source: SourceInfo) -> str:
    st = next((x for x in cl.sources if x.source == source.id), None)
    if st is None:
        return '<td class="st"><span class="warn">⚠ not assessed</span></td>'
    text, style = STATUS[st.status]
    missing = ' <span class="warn">⚠ no evidence</span>' if st.status != "omits" and not st.evidence else ""
    return f'<td class="st"><span class="{style}">{esc(text)}</span>{missing}{refs(st.evidence)}</td>'


def _claims(c: Comparison, v: View, f: Findings, printed: dict[int, str]) -> str:
    """The matrix: each claim by number (its text where the report did not print it above)."""
    if not v.matrix:
        return '<h2 id="claims">Claims matrix</h2>' + none_html()
    head = "".join(f'<th scope="col">{esc(who(c.sources, s.id))}</th>' for s in c.sources)
    rows = []
    for item in v.matrix:
        n, cl = item.n, item.claim
        spans = [e for st in cl.sources for e in st.evidence]
        cells = "".join(_status_cell(cl, s) for s in c.sources)
        if n in printed:  # printed above: the number links to it (and selects it)
            rows.append(f'<tr><td class="num"><a href="#{printed[n]}">{n}</a></td>{cells}</tr>')
            continue
        rows.append(
            f"{f.open('tr', f'claim {n}', spans, cl.grounding)}<td>{pick(esc(f'{n}. {cl.claim}'))}"
            f"{flag_lines(cl.grounding, spans)}</td>{cells}</tr>"
        )
    legend = f'<p class="legend">{esc(LEGEND)}</p>'
    return (
        f'<h2 id="claims">Claims matrix</h2>{legend}<div class="table-wrap"><table>'
        '<caption class="vh">Claims and each source\'s status</caption>'
        f'<thead><tr><th scope="col">Claim</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _claim_li(c: Comparison, item: Numbered, f: Findings, printed: dict[int, str]) -> str:
    cl = item.claim
    spans = [e for st in cl.sources if st.status != "omits" for e in st.evidence]
    origin = lines([found_by_cell(cl.found_by, cl.confidence, cl.rule)]) if cl.confidence is not None else ""
    opening = f.open("li", f"claim {item.n}", spans, cl.grounding, extra_class="claim")
    printed[item.n] = f"f{f.count}"
    return (
        opening
        + pick(esc(f"({item.n}) {cl.claim}"))
        + refs(spans)
        + origin
        + flag_lines(cl.grounding, spans)
        + "</li>"
    )


def _only_some(c: Comparison, v: View, f: Findings, printed: dict[int, str]) -> str:
    blocks = []
    for g in v.groups:
        items = "".join(_claim_li(c, i, f, printed) for i in g.claims)
        blocks.append(f'<h3>{esc(group_title(c, g))}</h3><ul class="findings-list">{items}</ul>')
    body = "".join(blocks) + _more(v, "only-some")
    return f'<h2 id="only-some">Reported only by some ({v.partial_total})</h2>' + (body or none_html())


def _shared(c: Comparison, v: View, f: Findings, printed: dict[int, str]) -> str:
    items = "".join(_claim_li(c, i, f, printed) for i in v.shared)
    body = (f'<ul class="findings-list">{items}</ul>' if items else none_html()) + _more(v, "shared")
    return f'<h2 id="shared">Reported by all ({len(v.shared) + v.cut.get("shared", 0)})</h2>' + body


def _conflicts(c: Comparison, v: View, f: Findings) -> str:
    items = []
    for n, cf in v.conflicts:
        spans = [s for val in cf.values for s in val.evidence]
        values = "".join(
            f"<li><strong>{esc(who(c.sources, val.source))}</strong>: {esc(val.value)}{refs(val.evidence)}"
            f"{flag_lines(None, val.evidence)}</li>"
            for val in cf.values
        )
        diff = ""
        if len(cf.values) >= 2:
            first = cf.values[0]
            diff = "".join(
                f'<p class="diff"><span class="dim">{esc(first.source)} → {esc(val.source)}:</span> '
                f"{inline(word_diff(first.value, val.value))}</p>"
                for val in cf.values[1:]
            )
        origin = short_origin(cf.found_by, cf.confidence, cf.review, offline=offline(c), rule=cf.rule)
        items.append(
            f.open("div", f"conflict {n}", spans, cf.grounding)
            + f"<h3>{pick(f'{n}. {esc(cf.kind)}: {esc(cf.description)}')}</h3>"
            + lines([origin] if origin else [])
            + f"{flag_lines(cf.grounding, spans)}<ul>{values}</ul>{diff}</div>"
        )
    title = f"Conflicts ({len(v.conflicts) + v.cut.get('conflicts', 0)})"
    return f'<h2 id="conflicts">{title}</h2>' + ("".join(items) or none_html()) + _more(v, "conflicts")


def _variants(c: Comparison, v: View, f: Findings) -> str:
    items = []
    for n, qv in v.variants:
        spans = [s for w in qv.wordings for s in w.evidence]
        differs = (
            '<span class="bad">meaning differs</span>'
            if qv.meaning_differs
            else '<span class="ok">same meaning</span>'
        )
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
        origin = short_origin(qv.found_by, qv.confidence, qv.review, offline=offline(c), rule=qv.rule)
        items.append(
            f"{f.open('div', f'quote variant {n}', spans, worst)}<h3>{pick(f'{n}. ' + esc(qv.speaker))}</h3>"
            f"{lines([origin] if origin else [])}"
            f"<p>{differs}. {esc(qv.note)}</p>{quotes}{diffs}</div>"
        )
    legend = (
        '<p class="legend">Word diff: <del>struck</del> words appear only in the first source, '
        "<ins>underlined</ins> words only in the other.</p>"
    )
    title = f"Quote differences ({len(v.variants) + v.cut.get('quotes', 0)})"
    body = legend + "".join(items) if items else none_html()
    return f'<h2 id="quote-variants">{title}</h2>' + body + _more(v, "quotes")


def _minor(c: Comparison, v: View) -> str:
    items = "".join(f"<li>{inline(item.inline)}</li>" for item in minor_items(c, v))
    intro = '<p class="dim">Punctuation, letter case or the spelling of a word only; not ranked.</p>'
    body = f"{intro}<ul>{items}</ul>" if items else none_html()
    return f'<h2 id="minor">Minor differences ({len(v.minor_conflicts) + len(v.minor_variants)})</h2>' + body


def _sourcing(c: Comparison, f: Findings) -> str:
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
    return '<h2 id="sourcing">Sourcing</h2>' + ("".join(blocks) or none_html())


def _framing(c: Comparison, f: Findings, options: ReportOptions) -> str:
    items = []
    for fr in c.framing:
        if fr.confidence is not None and fr.confidence < options.min_confidence:
            continue
        spans = [s for ch in fr.choices for s in ch.evidence]
        worst = next((ch.grounding for ch in fr.choices if not ch.grounding.grounded), None)
        choices = "".join(
            f"<li><strong>{esc(who(c.sources, ch.source))}</strong>: {esc(quoted(ch.wording))}"
            f"{refs(ch.evidence)}"
            f"{flag_lines(ch.grounding, ch.evidence)}</li>"
            for ch in fr.choices
        )
        origin = short_origin(fr.found_by, fr.confidence, offline=offline(c), rule=fr.rule)
        items.append(
            f"{f.open('div', f'framing: {fr.aspect}', spans, worst)}<h3>{pick(esc(fr.aspect))}</h3>"
            f"{lines([origin])}<ul>{choices}</ul></div>"
        )
    return '<h2 id="framing">Framing</h2>' + ("".join(items) or none_html())


def _candidates(c: Comparison) -> str:
    shown = where_shown(c)
    items = "".join(
        f'<li class="candidate {esc(cr.verdict or "none")}">{inline(candidate_head(cr))}'
        f"{lines([(seg,) for seg in candidate_verdict(cr, shown.get(cr.candidate_id))])}</li>"
        for cr in c.candidate_reviews
    )
    intro = f'<p class="{"dim" if not items else ""}">{inline(candidates_intro(c))}</p>'
    listed = f'<ul class="candidates">{items}</ul>' if items else ""
    return (
        '<details class="prov" id="candidate-findings"><summary>Review of the analysis\'s candidates '
        f"({len(c.candidate_reviews)})</summary>{intro}{listed}</details>"
    )
