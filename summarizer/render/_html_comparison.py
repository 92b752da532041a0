"""The comparison page: claims, conflicts, quote variants, sourcing, framing and candidate findings.

Every string that came from an article or a model goes through `esc`.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.render._comparison import STATUS, word_diff
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
    LEGEND,
    candidate_head,
    candidate_verdict,
    candidates_intro,
    found_by_cell,
    origin,
    review_seg,
    shows_origin,
    where_shown,
)
from summarizer.render._shared import who
from summarizer.schemas import Comparison, SourceInfo


def comparison_html(c: Comparison) -> str:
    f = Findings(c.sources)
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
        _candidates(c),
    ]
    columns = "".join(source_column(s, f.evidence) for s in c.sources)
    return page(c.story, esc(HINT), "".join(parts), columns, common_language(c.sources), c.provenance)


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


def _claims(c: Comparison, f: Findings) -> str:
    if not c.claims:
        return '<h2 id="claims">Claims</h2>' + none_html()
    found = shows_origin(c)
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
            f"<td>{pick(esc(cl.claim))}{lines([found_by_cell(cl.found_by, cl.confidence)] if found else [])}"
            f"{lines([(review_seg(cl.review),)] if cl.review else [])}"
            f"{flag_lines(cl.grounding, spans)}</td>{''.join(cells)}</tr>"
        )
    legend = '<p class="legend">Status: ✔ reports · — omits · ✘ contradicts · ? unclear</p>'
    legend += f'<p class="legend">{esc(LEGEND)}</p>' if found else ""
    return (
        f'<h2 id="claims">Claims</h2>{legend}<div class="table-wrap"><table>'
        '<caption class="vh">Claims and each source\'s status</caption>'
        f'<thead><tr><th scope="col">#</th><th scope="col">Claim</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _conflicts(c: Comparison, f: Findings) -> str:
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
            + lines(origin(cf.found_by, cf.confidence, cf.review))
            + f"{flag_lines(cf.grounding, spans)}<ul>{values}</ul>{diff}</div>"
        )
    return '<h2 id="conflicts">Conflicts</h2>' + ("".join(items) or none_html())


def _variants(c: Comparison, f: Findings) -> str:
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
            f"{lines(origin(qv.found_by, qv.confidence, qv.review))}"
            f"<p>Meaning differs: {differs}. {esc(qv.note)}</p>{quotes}{diffs}</div>"
        )
    legend = (
        '<p class="legend">Word diff: <del>struck</del> words appear only in the first source, '
        "<ins>underlined</ins> words only in the other.</p>"
    )
    return '<h2 id="quote-variants">Quote variants</h2>' + (legend + "".join(items) if items else none_html())


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


def _framing(c: Comparison, f: Findings) -> str:
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
            f"{lines(origin(fr.found_by, fr.confidence))}<ul>{choices}</ul></div>"
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
    return (
        '<h2 id="candidate-findings">Candidate findings</h2>'
        + intro
        + (f'<ul class="candidates">{items}</ul>' if items else "")
    )
