"""Every format says who found a finding, how sure it is, what the model ruled, which support checks
failed, and which engine produced the result."""

from __future__ import annotations

import html
import re

import pytest

from summarizer.render import to_html, to_markdown, to_text
from summarizer.render._html_assets import CSS
from summarizer.schemas import (
    CandidateReview,
    Claim,
    Comparison,
    Grounding,
    GroundingSummary,
    KeyPoint,
    Review,
    SupportIssue,
)
from tests.samples import (
    bridge_sources,
    date_conflict,
    mayor_claim,
    one_point_summary,
    provenance,
    quote_variant,
    span,
    status,
)

HOSTILE = "<script>alert(1)</script>"
DATE_MESSAGE = "the date 'Sunday' is not in the cited sentences"


def date_issue() -> SupportIssue:
    return SupportIssue(
        check="date",
        code="S102",
        token="Sunday",
        evidence="The bridge reopens on Saturday.",
        message=DATE_MESSAGE,
    )


def findings() -> Comparison:
    sources = bridge_sources()
    prov = provenance(sources).model_copy(
        update={"cache": "hit", "cost_usd": 0.0123, "chunks": 3, "report_language": "de"}
    )
    return Comparison(
        story="A city bridge reopens after repairs",
        overview="They differ on the day.",
        claims=[
            mayor_claim(found_by="analysis", confidence=0.82),
            Claim(
                claim="The bridge reopens on Sunday.",
                sources=[
                    status("A", "omits", None),
                    status("B", "reports", "The bridge reopens on Saturday."),
                ],
                grounding=Grounding(grounded=False, reasons=[f"date: {DATE_MESSAGE}"], checks=[date_issue()]),
            ),
        ],
        conflicts=[
            date_conflict(
                found_by="analysis",
                confidence=0.9,
                review=Review(candidate_id="C1", verdict="confirmed", reason="A says Friday, B Saturday."),
            )
        ],
        quote_variants=[
            quote_variant(
                review=Review(candidate_id="C2", verdict="confirmed", reason="Same speaker, same statement.")
            )
        ],
        sourcing=[],
        framing=[],
        candidate_reviews=[
            CandidateReview(
                candidate_id="C1",
                kind="conflict: date",
                description="A and B give different days.",
                confidence=0.9,
                verdict="confirmed",
                reason="A says Friday, B Saturday.",
                added=True,
            ),
            CandidateReview(
                candidate_id="C2",
                kind="quote_variant: quote",
                description="A and B word a quotation by Jane Doe differently.",
                confidence=0.95,
                verdict="confirmed",
                reason="Same speaker, same statement.",
            ),
            CandidateReview(
                candidate_id="C3",
                kind="only_some: organization",
                description="Only B names the city council.",
                confidence=0.6,
                verdict="rejected",
                reason=f"A mentions the council as 'officials' {HOSTILE}.",
            ),
            CandidateReview(
                candidate_id="C4",
                kind="only_some: person",
                description="Only A names Jane Doe.",
                confidence=0.55,
            ),
        ],
        sources=sources,
        grounding=GroundingSummary(
            items=6, grounded=5, ungrounded=1, reasons=[f"date: {DATE_MESSAGE}"], checks={"date": 1}
        ),
        provenance=prov,
    )


@pytest.fixture(params=["markdown", "text", "html"])
def rendered(request: pytest.FixtureRequest) -> str:
    c = findings()
    out = {"markdown": to_markdown, "text": to_text, "html": to_html}[request.param](c)
    if request.param == "markdown":
        return re.sub(r"[*\\]", "", out)  # emphasis and escapes
    return html.unescape(re.sub(r"<[^>]+>", "", out)) if request.param == "html" else out


def test_analysis_findings_are_marked_in_words_with_confidence_and_review(rendered: str) -> None:
    assert "◆ found by the analysis" in rendered  # the conflict
    assert "confidence 0.90" in rendered and "confidence 0.82" in rendered  # conflict, claim 1
    flat = re.sub(r"\s+", " ", rendered)  # a head line may wrap
    assert "confirmed by the model (candidate C1)" in flat  # on the conflict's head line, in short
    assert "confirmed by the model (candidate C2)" in flat
    review = rendered.split("Review of the analysis's candidates", 1)[1]  # the reasons, once, at the end
    assert "✔ confirmed by the model: A says Friday, B Saturday." in review
    assert "✔ confirmed by the model: Same speaker, same statement." in review
    assert rendered.count("A says Friday, B Saturday.") == 1


def test_candidate_findings_keep_rejected_ones_with_the_reason(rendered: str) -> None:
    section = rendered.split("Review of the analysis's candidates", 1)[1]
    assert "4 candidate findings to the model: 2 confirmed, 1 rejected, 1 without a verdict, 1 added" in (
        re.sub(r"\s+", " ", section)
    )
    for cid in ("C1", "C2", "C3", "C4"):
        assert cid in section
    assert "conflict: date" in section and "only_some: organization" in section
    assert "✘ rejected by the model: A mentions the council as 'officials'" in section
    assert "◆ added by analysis" in section and "? the model gave no verdict" in section
    assert "shown as conflict 1" in section and "shown as quote variant 1 (Jane Doe)" in section


def test_failed_support_checks_show_kind_token_evidence_and_counts(rendered: str) -> None:
    flat = re.sub(r"\s+", " ", rendered)
    assert "⚠ not" in flat and "1 support check failed" in flat  # in a table cell: may wrap
    assert "⚠ date check (S102) failed on “Sunday”: the date 'Sunday' is not in the cited sentences" in flat
    assert "checked against “The bridge reopens on Saturday.”" in flat
    assert re.search(r"Failed support checks by kind:\W*date 1", flat)


def test_provenance_shows_engine_cache_cost_chunks_and_language(rendered: str) -> None:
    flat = re.sub(r"\s+", " ", rendered)
    assert "llm: findings from a model's answer" in flat
    assert "hit: every model answer came from the response cache" in flat
    assert "$0.0123 at list prices" in flat
    assert "3 (a long input, summarised in 3 parts, then merged: map-reduce)" in flat
    assert re.search(r"Report language\W*de", flat)


@pytest.mark.parametrize("writer", [to_markdown, to_text, to_html])
def test_offline_results_say_so_under_the_title(writer: object) -> None:
    c = findings()
    c.provenance.engine = "offline"
    c.provenance.model = None
    c.candidate_reviews = []
    out = html.unescape(writer(c))  # type: ignore[operator]
    head = out[: out.index("Daily")]
    assert "Produced by the offline engine (extractive, no model)" in head
    assert "the offline engine has no model to review the analysis's findings" in out


def test_replayed_authored_answers_are_not_called_a_model_run() -> None:
    c = findings()
    c.provenance.fixture_origin = "authored (by the developers)"
    assert "no model was called" in to_text(c).split("Source", 1)[0]


def test_markdown_puts_each_verdict_on_its_own_line_inside_the_item() -> None:
    md = to_markdown(findings())
    assert "Only B names the city council.\\\n  ✘ rejected by the model: A mentions the council" in md
    assert "\\<script\\>" in md


def test_html_escapes_hostile_reasons_and_check_tokens() -> None:
    c = findings()
    c.claims[1].grounding.checks[0].token = HOSTILE
    c.claims[1].grounding.checks[0].evidence = f'"><img src=x onerror=alert(2)> {HOSTILE}'
    page = to_html(c)
    assert page.count("<script") == 1 and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page


def test_summary_page_keeps_a_readable_line_length() -> None:
    src = bridge_sources()[0]
    point = KeyPoint(
        text="It reopens on Sunday.",
        evidence=[span("A", "The bridge reopens on Friday.")],
        grounding=Grounding(grounded=False, reasons=[], checks=[date_issue()]),
    )
    grounding = GroundingSummary(items=1, grounded=0, ungrounded=1, checks={"date": 1})
    summary = one_point_summary(src, point, grounding, provenance([src]))
    page = to_html(summary)
    assert '<main class="workspace single">' in page
    assert ".single .findings > * { max-width: 75ch; }" in CSS
    assert ".single .source-text { max-width: calc(75ch + 2.2rem); }" in CSS
    assert "date check (S102) failed on “Sunday”" in html.unescape(page)
    assert "Failed support checks by kind:" in page
    for writer in (to_markdown, to_text):
        out = writer(summary)
        assert "date check (S102) failed on “Sunday”" in out and "Failed support checks by kind" in out


@pytest.mark.parametrize("writer", [to_markdown, to_text, to_html])
def test_claim_reviews_are_told_once_in_the_review_section_not_in_the_claim(writer: object) -> None:
    c = findings()
    c.claims[0].review = Review(candidate_id="C4", verdict="confirmed", reason="Only A names her.")
    out = writer(c)  # type: ignore[operator]
    flat = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", out)))
    review = flat.split("Review of the analysis's candidates", 1)[1]
    assert "shown as claim 1" in review
    assert flat.count("Only A names her") == 0 or "Only A names her" in review
    claim = flat.split(f"(1) {c.claims[0].claim}", 1)[1][:120]
    assert "candidate" not in claim and "confirmed" not in claim
