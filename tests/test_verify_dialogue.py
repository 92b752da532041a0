"""Verify on dialogue, meeting and call transcripts (issue 12): false alarms and misses found on the
SummEdits tune rows, each restated on short texts written for this file."""

from __future__ import annotations

import pytest

from summarizer.documents import document_from_text
from summarizer.grounding import Evidence, support_issues
from summarizer.pipeline import run_sync
from summarizer.schemas import Verification
from summarizer.verify import averify_documents


def _verify(summary: str, source: str) -> Verification:
    return run_sync(averify_documents(summary, [document_from_text(source, outlet="test")]))


def _names(claim: str, *sentences: str) -> list[str]:
    return [i.token for i in support_issues(claim, Evidence(sentences)) if i.check == "entity"]


@pytest.mark.parametrize("opener", ["Besides,", "Regardless,", "Upon reflection,", "Throughout the call,"])
def test_a_preposition_or_connective_opening_a_sentence_is_no_name(opener: str) -> None:
    source = "Agent: We cut the premium for you. Client: Thanks, I will take the plan."
    assert _names(f"{opener} the agent cut the premium.", source) == []


def test_an_unknown_name_opening_a_sentence_is_still_one() -> None:
    source = "Agent: We cut the premium for you. Client: Thanks, I will take the plan."
    assert _names("Henderson, the agent, cut the premium.", source) == ["Henderson"]


@pytest.mark.parametrize("compound", ["P-make-like", "P-produce-like", "P-build-type"])
def test_the_lower_case_parts_of_a_hyphenated_name_are_not_the_name(compound: str) -> None:
    said = "Professor C: we had some kind of P - make like thing that sent jobs out to the machines ."
    assert _names(f"Professor C described a {compound} system that sent jobs to the machines.", said) == []


def test_a_hyphenated_name_whose_capitalised_part_is_unsaid_is_flagged() -> None:
    said = "Professor C: we had some kind of P - make like thing that sent jobs out to the machines ."
    assert _names("Professor C described a Q-make-like system.", said) == ["Q-make-like"]


def _contrasts(claim: str, *sentences: str) -> list[str]:
    return [i.token for i in support_issues(claim, Evidence(sentences)) if i.check == "antonym"]


@pytest.mark.parametrize("graded", ["more specifically", "more broadly", "less formally"])
def test_more_or_less_grading_an_adverb_compares_no_amounts(graded: str) -> None:
    said = f"If I look {graded} at the third quarter, we expect revenue of about five million."
    assert _contrasts("They expect third quarter revenue to be lower than in the second.", said) == []


def test_more_comparing_amounts_still_contradicts_lower() -> None:
    said = "We expect third quarter revenue to be more than in the second quarter."
    assert _contrasts("They expect third quarter revenue to be lower than in the second.", said) == ["lower"]
