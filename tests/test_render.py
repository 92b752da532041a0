"""Rendering: every format shows the content, its evidence and its uncertainty."""

from __future__ import annotations

import re

import pytest

from summarizer.render import render, to_json, to_markdown, to_text
from summarizer.schemas import (
    Caveat,
    Cited,
    Claim,
    Comparison,
    DateMention,
    Entity,
    Framing,
    FramingChoice,
    Grounding,
    GroundingSummary,
    KeyPoint,
    Quote,
    Sourcing,
    Summary,
)
from tests.samples import bridge_sources, date_conflict, mayor_claim, provenance, quote_variant, span, status


@pytest.fixture
def summary() -> Summary:
    """A summary of article A with every section filled in: one ungrounded key point, a quote matched
    exactly, an entity, a date and a caveat that cites nothing."""
    src = bridge_sources()[0]
    return Summary(
        headline="Bridge to reopen after repairs",
        summary="The bridge reopens on Friday after repairs.",
        length="short",
        key_points=[
            KeyPoint(
                text="The bridge reopens on Friday.", evidence=[span("A", "The bridge reopens on Friday.")]
            ),
            KeyPoint(
                text="The repairs were paid by the state.",
                evidence=[span("A", "Repairs cost $2 million.")],
                grounding=Grounding(grounded=False, reasons=["A3 does not say who paid"]),
            ),
        ],
        quotes=[
            Quote(
                speaker="Jane Doe",
                role="Mayor",
                text="the repairs are complete",
                evidence=[span("A", "the repairs are complete")],
                grounding=Grounding(alignment="exact"),
            )
        ],
        entities=[
            Entity(name="Jane Doe", type="person", role="mayor", evidence=[span("A", "Mayor Jane Doe")])
        ],
        dates=[
            DateMention(
                text="on Friday", iso="2024-05-03", event="bridge reopens", evidence=[span("A", "on Friday")]
            )
        ],
        caveats=[Caveat(text="The cost is not attributed to any source.", evidence=[])],
        language="en",
        source=src,
        grounding=GroundingSummary(
            items=6, grounded=5, ungrounded=1, reasons=["key point 2: A3 does not say who paid"]
        ),
        provenance=provenance([src]),
    )


@pytest.fixture
def comparison() -> Comparison:
    """A comparison of A and B with every section filled in and each status once: a claim both report,
    one B omits, one B contradicts, and one A is unclear on (ungrounded, with a `|` in its text)."""
    sources = bridge_sources()
    return Comparison(
        story="A city bridge reopens after repairs",
        overview="Both outlets report the reopening; they differ on the day.",
        claims=[
            mayor_claim(),
            Claim(
                claim="Repairs cost $2 million.",
                sources=[status("A", "reports", "Repairs cost $2 million."), status("B", "omits", None)],
            ),
            Claim(
                claim="The bridge reopens on Friday.",
                sources=[
                    status("A", "reports", "reopens on Friday"),
                    status("B", "contradicts", "on Saturday"),
                ],
            ),
            Claim(
                claim="Council cited safety | traffic concerns.",
                sources=[
                    status("A", "unclear", "The bridge reopens"),
                    status("B", "reports", "safety concerns"),
                ],
                grounding=Grounding(grounded=False, reasons=["B3 mentions no traffic concerns"]),
            ),
        ],
        conflicts=[date_conflict()],
        quote_variants=[quote_variant(similarity=91.0)],
        sourcing=[
            Sourcing(
                source="A",
                cited=[
                    Cited(name="Jane Doe, mayor", kind="named_person", evidence=[span("A", "Mayor Jane Doe")])
                ],
            ),
            Sourcing(
                source="B",
                cited=[
                    Cited(name="city council", kind="organization", evidence=[span("B", "The city council")])
                ],
            ),
        ],
        framing=[
            Framing(
                aspect="State of the repairs",
                choices=[
                    FramingChoice(source="A", wording="complete", evidence=[span("A", "complete")]),
                    FramingChoice(
                        source="B", wording="nearly complete", evidence=[span("B", "nearly complete")]
                    ),
                ],
            )
        ],
        sources=sources,
        grounding=GroundingSummary(
            items=9, grounded=8, ungrounded=1, reasons=["claim 4: B3 mentions no traffic concerns"]
        ),
        provenance=provenance(sources),
    )


def test_spans_match_their_source(summary: Summary, comparison: Comparison) -> None:
    docs = {s.id: s.text for s in comparison.sources}
    for sp in [e for kp in summary.key_points for e in kp.evidence] + [
        e for c in comparison.claims for st in c.sources for e in st.evidence
    ]:
        assert docs[sp.source][sp.start : sp.end] == sp.text


def test_summary_markdown(summary: Summary) -> None:
    md = to_markdown(summary)
    assert md.startswith("# Bridge to reopen after repairs\n")
    for heading in ["Key points", "Quotes", "Entities", "Dates", "Caveats", "Grounding", "Provenance"]:
        assert f"\n## {heading}\n" in md
    assert "- The bridge reopens on Friday. *\\[A1\\]*\n" in md  # its evidence says just that: ids only
    assert "[^1]: A3 — “Repairs cost $2 million.”".replace("$", "\\$") in md  # the other point's evidence
    assert "“Repairs cost \\$2 million.”" in md  # `$` would start maths on some hosts
    assert "⚠ not grounded: A3 does not say who paid" in md
    assert "> the repairs are complete" in md and "**Jane Doe** (Mayor)" in md
    assert "| Jane Doe | person | mayor | A2 |" in md
    assert "| on Friday | 2024-05-03 | bridge reopens" in md
    assert "⚠ no evidence cited" in md  # the caveat cites nothing
    assert "key point 2: A3 does not say who paid" in md
    assert "`test-model-7b`" in md and "authored" in md and "llm.example.org" in md
    assert "summary.j2 abababababab" in md and "1234 in / 56 out" in md and "re-asks: 1" in md
    assert summary.source.sha256[:12] in md
    # every footnote reference has a definition
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", md))
    assert refs == set(re.findall(r"^\[\^(\d+)\]:", md, flags=re.M))


def test_summary_text(summary: Summary) -> None:
    text = to_text(summary)
    assert "\x1b" not in text
    assert "Key points\n----------" in text
    assert "- The bridge reopens on Friday. [A1]\n" in text  # the evidence's words are the point's
    assert "⚠ not grounded: A3 does not say who paid" in text
    assert "test-model-7b" in text and "authored" in text
    colored = to_text(summary, color=True)
    assert "\x1b[" in colored and "⚠ not grounded" in colored


def test_comparison_markdown(comparison: Comparison) -> None:
    md = to_markdown(comparison)
    assert md.startswith("# A city bridge reopens after repairs\n")
    assert "| A | Daily | 2024-05-01 | Bridge news from Daily |" in md
    header = next(line for line in md.splitlines() if line.startswith("| # |"))
    assert header == "| # | A | B |"  # the matrix: claims by number, printed once above
    for mark in ["| ✔ A2 |", "| — |", "| ✘ B1 |", "| ? A1 |"]:
        assert mark in md
    assert md.count("Council cited safety") == 1
    assert r"Council cited safety \| traffic concerns." in md
    assert "⚠ not grounded: B3 mentions no traffic concerns" in md
    reported_by_all = md.split("## Reported by all (1)\n")[1].split("\n## ")[0]
    assert "(1) The mayor commented on the repairs." in reported_by_all
    assert "Repairs cost" not in reported_by_all
    some = md.split("## Reported only by some (3)\n")[1].split("\n## ")[0]
    assert "### Only in Daily (A) (2)" in some and "(2) Repairs cost \\$2 million." in some
    assert "contradicted by Herald (B)" in some
    conflicts = md.split("## Conflicts (1)\n")[1].split("\n## ")[0]
    assert "date:" in conflicts and "The day the bridge reopens." in conflicts
    assert "**Daily (A)**: Friday" in conflicts and "**Herald (B)**: Saturday" in conflicts
    variants = md.split("## Quote differences (1)\n")[1].split("\n## ")[0]
    assert "“the repairs are complete”" in variants and "“the repairs are nearly complete”" in variants
    assert "meaning differs" in variants
    assert "the repairs are **nearly** complete" in variants
    assert "≈ approximate match to the source, similarity 91/100" in variants
    assert "Jane Doe, mayor (named person)" in md and "city council (organization)" in md
    assert "**Daily (A)**: “complete”" in md and "**Herald (B)**: “nearly complete”" in md
    assert "`test-model-7b`" in md and "Fixture origin**: authored" in md


def test_comparison_sections_come_in_reading_order(comparison: Comparison) -> None:
    """Overview, conflicts and quotes first; the claims matrix, review and provenance last."""
    for text in (to_text(comparison), to_markdown(comparison)):
        order = [
            "At a glance",
            "Conflicts (1)",
            "Quote differences (1)",
            "Reported only by some (3)",
            "Reported by all (1)",
            "Who each outlet cites",
            "Framing",
            "Minor differences (0)",
            "Claims matrix",
            "Review of the analysis's candidates",
            "Provenance\n",
        ]
        places = [text.index(title) for title in order]
        assert places == sorted(places)


def test_word_diff_marks_removed_and_added(comparison: Comparison) -> None:
    variant = comparison.quote_variants[0]
    variant.wordings[1].text = "repairs are nearly done"
    md = to_markdown(comparison)
    assert "~~the~~ repairs are ~~complete~~ **nearly done**" in md
    text = to_text(comparison)
    assert "[-the-] repairs are [-complete-] {+nearly done+}" in text


def test_comparison_text(comparison: Comparison) -> None:
    text = to_text(comparison)
    assert "\x1b" not in text
    assert "Claims matrix\n-------------" in text
    header = next(line for line in text.splitlines() if line.startswith("#  "))
    row = next(line for line in text.splitlines() if line.startswith("2  "))
    assert row.index("✔ A3") == header.index("A")
    assert row.index("—") == header.index("B")
    assert "Council cited safety | traffic concerns." in text
    assert "[B1] “The bridge reopens on Saturday.”" in text  # the whole sentence, not “on Saturday”
    assert "Friday" in text and "Saturday" in text
    assert "“the repairs are nearly complete”" in text
    assert "the repairs are {+nearly+} complete" in text
    assert "⚠ not grounded:" in text and "claim 4: B3 mentions no traffic concerns" in text
    colored = to_text(comparison, color=True)
    assert "\x1b[32m✔\x1b[0m A2" in colored and "\x1b[31m✘" in colored
    assert "\x1b[33m—" in colored


def test_json_round_trips(summary: Summary, comparison: Comparison) -> None:
    out = to_json(comparison)
    assert out.endswith("}\n")
    assert Comparison.model_validate_json(out) == comparison
    assert Summary.model_validate_json(to_json(summary)) == summary


def test_render_dispatches(comparison: Comparison) -> None:
    assert render(comparison, "json") == to_json(comparison)
    assert render(comparison, "markdown") == to_markdown(comparison)
    assert render(comparison, "text", color=True) == to_text(comparison, color=True)
    with pytest.raises(ValueError, match="unknown format"):
        render(comparison, "pdf")  # type: ignore[arg-type]


def test_markdown_escapes_untrusted_text(summary: Summary) -> None:
    summary.key_points[0].text = "Costs *rose* [^9] <b>\nsharply"
    md = to_markdown(summary)
    assert r"- Costs \*rose\* \[^9\] \<b\> sharply[^1]" in md


def test_text_neutralises_terminal_control_characters(summary: Summary) -> None:
    summary.key_points[0].text = "Evil \x1b[2J\x07 text\nacross lines"
    text = to_text(summary)
    assert "\x1b" not in text and "\x07" not in text
    assert "- Evil ␛[2J␇ text across lines" in text


def test_empty_sections_say_none(comparison: Comparison) -> None:
    empty = comparison.model_copy(
        update={"claims": [], "conflicts": [], "quote_variants": [], "sourcing": [], "framing": []}
    )
    md = to_markdown(empty)
    assert "## Claims matrix\n\n*None.*" in md and "## Conflicts (0)\n\n*None.*" in md
    assert "Conflicts (0)\n-------------\n\nNone." in to_text(empty)


def _framing_section(page: str) -> str:
    start = page.index('<h2 id="framing">') if "<h2 id=" in page else page.index("Framing\n")
    return page[start : page.index("Minor differences", start)]


@pytest.mark.parametrize(
    "wording",
    [
        "“We will not back down,” the mayor said",
        "called the plan “a disaster”",
        '"Radical Islam" is the enemy',
        "“Reckless” spending",
    ],
)
def test_a_framing_wording_with_its_own_quotation_marks_is_not_quoted_twice(
    comparison: Comparison, wording: str
) -> None:
    """Was: every wording was wrapped in “…”, so one opening or closing with a mark showed `““` or `””`."""
    comparison.framing[0].choices[1].wording = wording
    for page in (to_markdown(comparison), to_text(comparison), render(comparison, "html")):
        framing = _framing_section(page).replace("&quot;", '"')
        assert wording in framing
        assert not re.search(r"[“”\"]{2}", framing), framing
        assert "“complete”" in framing  # a plain wording is still quoted
