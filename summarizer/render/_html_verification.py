"""The verification page: a summary's claims, each with its verdict, beside the sources it was checked
against.

A fact-checker reads it top down: the overall verdict and the counts, then claim by claim the verdict
(symbol and word), the check that decided it, each failed check with its offending token (also marked
in the claim) and the evidence it was checked against, the judge's ruling when a model was asked, and
the source sentences themselves; provenance last. Selecting a claim highlights those sentences in
every source column, as on the other pages. Every string from a summary or an article goes through
`esc`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from summarizer.render._blocks import Inline, Seg, span_label
from summarizer.render._html_core import (
    HINT,
    Findings,
    common_language,
    esc,
    inline,
    lines,
    none_html,
    page,
    pick,
    provenance_html,
    source_column,
)
from summarizer.render._verification import MODES, VERDICT_STYLES, claim_mark, fact_text, tally
from summarizer.schemas import Span, SupportIssue, Verification, VerifiedClaim

DECIDED = {
    "similarity": "decided by similarity to the sources",
    "evidence": "its evidence is too weak to rule either way",
    "judge": "decided by the judge (a model)",
    "verifier": "decided by the learned verifier (a logistic regression over the checks)",
    "all checks": "every check passed",
}
"""How `decided_by` reads after the verdict; a failed check reads `decided by the date check` and so on."""


def verification_html(v: Verification) -> str:
    f = Findings(v.sources)
    judged = v.mode == "deterministic+judge"
    items = "".join(_claim(n, c, f, judged) for n, c in enumerate(v.claims, 1))
    claims = f'<ul class="findings-list">{items}</ul>' if items else none_html()
    legend = (
        '<p class="legend">Verdicts: ✔ supported · ✘ unsupported. The words a failed check objects to '
        'are <span class="tok">underlined with a wave</span> in the claim.</p>'
    )
    parts = [
        '<h2 id="verdict">Verdict</h2>',
        _overview(v),
        f'<h2 id="claims">Claims</h2>{legend if items else ""}{claims}',
        '<h2 id="provenance">Provenance</h2>',
        provenance_html(v.provenance),
    ]
    columns = "".join(source_column(s, f.evidence) for s in v.sources)
    title = "Verification against " + ", ".join(s.outlet for s in v.sources)
    layout = "single" if len(v.sources) == 1 else ""
    lang = common_language(v.sources)
    return page(title, esc(HINT), "".join(parts), columns, lang, v.provenance, layout)


def _overview(v: Verification) -> str:
    """The summary line with the counts, failed checks by kind, links to the unsupported claims."""
    words = {
        "consistent": "✔ consistent",
        "inconsistent": "✘ inconsistent",
        "cannot_verify": "? cannot verify",
    }
    verdict = Seg(words[v.verdict], VERDICT_STYLES[v.verdict])
    unsupported = [(n, c) for n, c in enumerate(v.claims, 1) if c.verdict == "unsupported"]
    line = f"{tally(v)}, {len(unsupported)} unsupported"
    out = [f'<p class="verdict-line"><strong>{inline((verdict,))}</strong>: {esc(line)}.</p>']
    kinds = Counter(i.check for _, c in unsupported for i in c.checks)
    if kinds:
        counted = ", ".join(f"{kind} {k}" for kind, k in sorted(kinds.items()))
        out.append(f'<p><strong>Failed checks by kind:</strong> <span class="bad">{esc(counted)}</span></p>')
    if unsupported:
        links = ", ".join(f'<a href="#claim-{n}">claim {n}</a> ({esc(c.decided_by)})' for n, c in unsupported)
        out.append(f"<p><strong>Unsupported:</strong> {links}</p>")
    sources = "; ".join(f"{s.outlet} ({s.id})" for s in v.sources)
    out.append(f'<p class="dim">Mode: {esc(MODES[v.mode])} · checked against {esc(sources)}</p>')
    return "".join(out)


def _claim(n: int, c: VerifiedClaim, f: Findings, judged: bool) -> str:
    state = {"supported": "supported", "cannot_verify": "unverified"}.get(c.verdict, "unsupported")
    opening = f.open("li", f"claim {n}", c.evidence, extra_class=f"claim {state}")
    decided = DECIDED.get(c.decided_by, f"decided by the {c.decided_by} check")
    head = (
        claim_mark(c),
        Seg(f" — {decided} · similarity to the closest sentence {c.similarity:.0f}/100", "dim"),
    )
    rows: list[Inline] = [head]
    if (not c.checks and c.decided_by != "judge") or c.confidence is not None:
        rows.append((Seg(c.reason, "note"),))
    if judged:
        rows += _judge(c)
    failed = "".join(_check(i) for i in c.checks)
    checks = f'<ul class="checks" aria-label="Failed checks">{failed}</ul>' if failed else ""
    label = f'<span class="num">{n}.</span> ' + _marked(c.text, [i.token for i in c.checks])
    return (
        f'{opening}<p class="claim-text" id="claim-{n}">{pick(label)}</p>{lines(rows)}'
        f"{checks}{_evidence(c.evidence)}</li>"
    )


def _judge(c: VerifiedClaim) -> list[Inline]:
    """What the model ruled; it is asked only about claims every deterministic check let through."""
    if c.decided_by == "judge":
        return [
            (Seg("Deterministic checks: "), Seg("✔ all passed", "ok")),
            (Seg("Judge (model): "), claim_mark(c), Seg(f" — {c.reason}")),
            *((Seg(fact_text(f), "bad" if f.verdict == "unsupported" else "dim"),) for f in c.facts),
        ]
    return [(Seg("Judge (model): not asked, a deterministic check had already decided", "dim"),)]


def _marked(text: str, tokens: Sequence[str]) -> str:
    """The claim, escaped, with every offending token (whole words, any case) underlined."""
    words = sorted({t for t in tokens if t.strip()}, key=len, reverse=True)
    if not words:
        return esc(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [esc(text[last : m.start()]), f'<span class="tok">{esc(m.group())}</span>']
        last = m.end()
    return "".join(out) + esc(text[last:])


def _check(i: SupportIssue) -> str:
    """One failed check: its kind, the offending token, what is wrong, and what it was checked against."""
    against = f"checked against “{esc(i.evidence)}”" if i.evidence else "no evidence to check against"
    token = esc(i.token) or "(no token)"
    return (
        f'<li><span class="bad">✘ {esc(i.check)} check{_code(i)} failed</span> '
        f"on <strong>“{token}”</strong>: "
        f'{esc(i.message)}<span class="against">{against}</span></li>'
    )


def _code(i: SupportIssue) -> str:
    """ " (S104)": the rule's code, which `--ignore` takes."""
    return f" ({esc(i.code)})" if i.code else ""


def _evidence(spans: Sequence[Span]) -> str:
    """The source sentences the claim was checked against, each with its offsets for re-checking."""
    if not spans:
        return '<p class="flag warn">⚠ no source sentence to check against</p>'
    rows = "".join(
        f'<li data-source="{esc(s.source)}" data-start="{s.start}" data-end="{s.end}">'
        f'<span class="dim">{esc(span_label(s))}:</span> “<span class="quoted">{esc(s.text)}</span>”</li>'
        for s in spans
    )
    return (
        f'<p class="evidence-head">Closest source sentences, best first:</p><ul class="evidence">{rows}</ul>'
    )
