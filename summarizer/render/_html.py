"""Write a result as one self-contained HTML page: the findings beside the full texts of the sources.

The page's pieces live in `_html_core`, the comparison's sections in `_html_comparison`, the
verification's in `_html_verification`; this module holds the summary page and the entry point.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.render._html_comparison import comparison_html
from summarizer.render._html_core import (
    HINT,
    Findings,
    esc,
    flag_lines,
    grounding_html,
    none_html,
    page,
    paragraphs,
    pick,
    provenance_html,
    refs,
    source_column,
)
from summarizer.render._html_verification import verification_html
from summarizer.render._view import ReportOptions
from summarizer.schemas import Comparison, Grounding, Span, Summary, Verification

# --------------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------------


def summary_html(s: Summary) -> str:
    f = Findings([s.source])
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
    column = source_column(src, f.evidence)
    return page(s.headline, esc(HINT), "".join(parts), column, s.language, s.provenance, "single")


def _list(title: str, items: list[tuple[str, str, Sequence[Span], Grounding | None]]) -> str:
    anchor = title.lower().replace(" ", "-")
    body = "".join(
        f"{opening}{pick(label)}{refs(spans)}{flag_lines(grounding, spans)}</li>"
        for opening, label, spans, grounding in items
    )
    return f'<h2 id="{anchor}">{esc(title)}</h2>' + (
        f'<ul class="findings-list">{body}</ul>' if body else none_html()
    )


def _quotes(s: Summary, f: Findings) -> str:
    items = []
    for n, q in enumerate(s.quotes, 1):
        role = f" ({esc(q.role)})" if q.role else ""
        items.append(
            f.open("div", f"quote {n}", q.evidence, q.grounding)
            + f"<blockquote><p>{pick(f'“{esc(q.text)}”')}</p>"
            f"<footer>— <strong>{esc(q.speaker)}</strong>{role}{refs(q.evidence)}"
            f"{flag_lines(q.grounding, q.evidence)}</footer></blockquote></div>"
        )
    return '<h2 id="quotes">Quotes</h2>' + ("".join(items) or none_html())


def write(result: Summary | Comparison | Verification, options: ReportOptions | None = None) -> str:
    if isinstance(result, Verification):
        return verification_html(result)
    return summary_html(result) if isinstance(result, Summary) else comparison_html(result, options)


__all__ = ["esc", "write"]
