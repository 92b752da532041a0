"""Regression tests for the false alarms of `verify` listed in issue 12, each in our own words.

Every test states a faithful claim the deterministic checks used to reject (or, for the acronym, a
wrong claim they used to accept) on short texts written for this file; each failed before its fix,
except "5 million dollars" against "$5M", which these texts did not reproduce (kept as a guard).
"""

from __future__ import annotations

import pytest

from summarizer.documents import document_from_text
from summarizer.grounding import Evidence, support_issues
from summarizer.pipeline import run_sync
from summarizer.schemas import Verification
from summarizer.verify import averify_documents


def _verify(summary: str, source: str) -> Verification:
    return run_sync(averify_documents(summary, [document_from_text(source, outlet="test")]))


def _checks(claim: str, *sentences: str) -> list[tuple[str, str]]:
    return [(i.check, i.token) for i in support_issues(claim, Evidence(sentences))]


DIALOGUE = (
    "Anna: I did not buy the train tickets yet, sorry.\n"
    "Jacob: Where?\n"
    "Anna: At the station, the machine was broken.\n"
    "Jacob: Ok, I will buy them online tonight."
)


def test_a_stub_never_leads_a_claims_evidence() -> None:
    result = _verify("Jacob will buy the train tickets online tonight.", DIALOGUE)
    assert result.claims[0].evidence[0].text != "Jacob: Where?"
    assert result.verdict == "consistent", [c.reason for c in result.claims]


@pytest.mark.parametrize("quarter", ["Q2", "4Q", "FY2021", "H1"])
def test_quarter_and_period_notation_is_no_name(quarter: str) -> None:
    claim = f"Revenue grew 5% in {quarter}."
    assert [
        c for c in _checks(claim, "Revenue grew 5% in the period, the company said.") if c[0] == "entity"
    ] == []


@pytest.mark.parametrize("opener", ["Shares", "Later", "Overall"])
def test_a_capitalised_common_word_opening_the_sentence_is_no_name(opener: str) -> None:
    result = _verify(f"{opener} the bank cut its forecast.", "The bank cut its forecast on Monday.")
    assert result.verdict == "consistent", [c.reason for c in result.claims]


def test_yoy_and_a_capitalised_company_are_no_names() -> None:
    evidence = "The company said revenue was up 10% year over year."
    assert _checks("The Company's revenue was up 10% YoY.", evidence) == []


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("COVID-19 slowed sales in the spring.", "The pandemic slowed sales in the spring."),
        ("A conversation between two people about a trip.", "Ann: Shall we go? Bob: Yes, the trip is on."),
        ("They raised 5 million dollars for the school.", "They raised $5M for the school."),
    ],
)
def test_numbers_that_are_names_or_restated_units_are_no_false_numbers(claim: str, evidence: str) -> None:
    assert [c for c in _checks(claim, evidence) if c[0] == "number"] == []


def test_a_weekday_is_not_judged_against_a_resolved_date_without_a_publication_date() -> None:
    source = "The council met last Friday to approve the budget."
    assert _verify("The council met on Friday.", source).verdict == "consistent"
    assert _verify("The council met on Monday.", source).verdict == "inconsistent"  # still compared


@pytest.mark.parametrize("acronym", ["FBI", "SEC", "CIA", "EU"])
def test_an_acronym_the_source_never_spells_out_is_not_accepted(acronym: str) -> None:
    evidence = "Federal agents from Boston interviewed Ivan Smith, and investigators questioned Carla Ellis."
    assert ("entity", acronym) in _checks(f"The {acronym} interviewed Ivan Smith.", evidence)


def test_an_acronym_spelled_out_by_consecutive_words_is_accepted() -> None:
    evidence = "The Securities and Exchange Commission fined the bank."
    assert _checks("The SEC fined the bank.", evidence) == []


def test_a_negation_elsewhere_in_the_evidence_does_not_contradict_the_same_word_in_another_context() -> None:
    evidence = "We saved two euros by leaving out the solar panel and by not using the speech module."
    assert _checks("They considered using cheaper plastic parts to lower the price.", evidence) == []


def test_the_evidence_negating_the_claims_word_in_the_same_context_still_contradicts_it() -> None:
    evidence = "The team is not using the speech module in the new remote."
    assert ("negation", "using") in _checks(
        "The team is using the speech module in the new remote.", evidence
    )


def test_a_decimal_read_out_in_a_transcript_backs_the_same_number() -> None:
    evidence = "Manager: keep in mind the parts should cost at most twelve dot fifty Euros ."
    assert _checks("The parts must cost under 12.50 Euros.", evidence) == []
    assert [c[0] for c in _checks("The parts must cost under 12.60 Euros.", evidence)] == ["number"]


def test_no_matter_is_no_negation() -> None:
    evidence = "Agent: we give a bonus to everyone who switches to us, whatever plan they have now."
    assert (
        _checks("The agent gives a bonus to those who switch, no matter their current plan.", evidence) == []
    )
