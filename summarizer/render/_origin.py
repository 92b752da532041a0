"""Who found a finding and how sure it is: analysis marks, confidence, the model's verdict on candidates.

Shared by the Markdown/text builders and the HTML writer, so every format says the same words.
"""

from __future__ import annotations

from summarizer.render._blocks import Inline, Seg, plain
from summarizer.schemas import CandidateReview, Comparison, FoundBy, Review

ANALYSIS = "◆ found by deterministic analysis, not by the model"
LEGEND = "◆ analysis: found by deterministic analysis, not by the model; confidence runs from 0 to 1."


def confidence(value: float) -> str:
    return f"confidence {value:.2f}"


def review_seg(review: Review) -> Seg:
    """The model's verdict on the analysis's candidate this finding came from."""
    if review.verdict == "confirmed":
        return Seg(f"✔ the model confirmed candidate {review.candidate_id}: {review.reason}", "ok")
    return Seg(f"✘ the model rejected candidate {review.candidate_id}: {review.reason}", "bad")


def origin(found_by: FoundBy, conf: float | None, review: Review | None = None) -> list[Inline]:
    """Lines about who found a finding: by the analysis (and how sure), then the model's verdict on
    the candidate behind it. None for a model finding with no candidate behind it."""
    lines: list[Inline] = []
    first: list[Seg] = [Seg(ANALYSIS, "note")] if found_by == "analysis" else []
    if conf is not None:
        first += [Seg(" · "), Seg(confidence(conf), "dim")] if first else [Seg(confidence(conf), "dim")]
    if first:
        lines.append(tuple(first))
    if review is not None:
        lines.append((review_seg(review),))
    return lines


def short_origin(
    found_by: FoundBy,
    conf: float | None,
    review: Review | None = None,
    *,
    offline: bool = False,
    rule: str | None = None,
) -> Inline:
    """One short line: who found it and how sure (`◆ found by the analysis · confidence 0.90`), or the
    model's verdict on the candidate behind it; its reason is in the review section. Empty for a plain
    model finding. In an offline report everything is the analysis's: only the confidence is said.
    The detector's code follows, e.g. `(D103)`, for `--ignore`."""
    out: list[Seg] = []
    if found_by == "analysis" and not offline:
        out.append(Seg("◆ found by the analysis", "note"))
    if conf is not None:
        out += [Seg(" · " if out else ""), Seg(confidence(conf), "dim")]
    if rule:
        out.append(Seg(f" ({rule})" if out else f"({rule})", "dim"))
    if review is not None:
        verdict = "confirmed" if review.verdict == "confirmed" else "rejected"
        out += [
            Seg(" · " if out else ""),
            Seg(f"{verdict} by the model (candidate {review.candidate_id})", "dim"),
        ]
    return tuple(s for s in out if s.text)


def found_by_cell(found_by: FoundBy, conf: float | None, rule: str | None = None) -> Inline:
    """The claims table's short form: `◆ analysis, confidence 0.61 (D106)` or `model`."""
    who = Seg("◆ analysis", "note") if found_by == "analysis" else Seg("model")
    code = (Seg(f" ({rule})", "dim"),) if rule else ()
    return ((who, Seg(", "), Seg(confidence(conf), "dim")) if conf is not None else (who,)) + code


def shows_origin(c: Comparison) -> bool:
    """Whether the claims table needs its `Found by` column."""
    return any(cl.found_by == "analysis" or cl.confidence is not None for cl in c.claims)


def where_shown(c: Comparison) -> dict[str, str]:
    """Candidate id → the finding of the report that carries the model's verdict on it."""
    out: dict[str, str] = {}
    for n, cl in enumerate(c.claims, 1):
        if cl.review is not None:
            out.setdefault(cl.review.candidate_id, f"claim {n}")
    for n, cf in enumerate(c.conflicts, 1):
        if cf.review is not None:
            out.setdefault(cf.review.candidate_id, f"conflict {n}")
    for n, qv in enumerate(c.quote_variants, 1):
        if qv.review is not None:
            out.setdefault(qv.review.candidate_id, f"quote variant {n} ({qv.speaker})")
    return out


def candidate_head(cr: CandidateReview) -> Inline:
    return (
        Seg(cr.candidate_id, "strong"),
        Seg(f" · {cr.kind} · "),
        Seg(confidence(cr.confidence), "dim"),
        Seg(f" — {cr.description}"),
    )


def candidate_verdict(cr: CandidateReview, shown: str | None = None) -> Inline:
    """The verdict in words, the model's reason, and whether the pipeline added the finding."""
    out: list[Seg] = []
    reason = f": {cr.reason}" if cr.reason else " (no reason given)"
    if cr.verdict == "confirmed":
        out.append(Seg(f"✔ confirmed by the model{reason}", "ok"))
    elif cr.verdict == "rejected":
        out.append(Seg(f"✘ rejected by the model{reason}", "bad"))
    else:
        out.append(Seg("? the model gave no verdict", "warn"))
    if cr.added:
        out.append(Seg("◆ added by analysis: the model's report lacked it, so the pipeline added it", "note"))
    if shown:
        out.append(Seg(f"→ shown as {shown}", "dim"))
    return tuple(out)


def candidates_intro(c: Comparison) -> Inline:
    reviews = c.candidate_reviews
    if not reviews:
        if c.provenance.engine == "offline":
            return plain(
                "None: the offline engine has no model to review the analysis's findings; every finding "
                "above was found by the analysis.",
                "dim",
            )
        return plain("None: no candidate findings of the analysis were shown to the model.", "dim")
    confirmed = sum(r.verdict == "confirmed" for r in reviews)
    rejected = sum(r.verdict == "rejected" for r in reviews)
    missing = sum(r.verdict is None for r in reviews)
    added = sum(r.added for r in reviews)
    parts = [f"{confirmed} confirmed", f"{rejected} rejected"]
    parts += [f"{missing} without a verdict"] if missing else []
    parts.append(f"{added} added by analysis")
    return plain(
        f"The deterministic analysis proposed {len(reviews)} candidate findings to the model: "
        + ", ".join(parts)
        + ". Rejected candidates stay listed here with the model's reason; the pipeline never adds them."
    )
