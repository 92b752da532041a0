"""The judge rules on single facts: claims split deterministically (`summarizer.grounding.facts`), each
fact with its own closest sentences, ids narrowed to those shown."""

from __future__ import annotations

import html

import pytest

from summarizer import Client
from summarizer.documents import document_from_text
from summarizer.grounding.facts import split_facts
from summarizer.render import render
from summarizer.schemas import Verification, VerifiedClaim
from summarizer.testing import FakeBackend

SOURCE = (
    "Anna went to the market on Monday. She bought pears for the cake. "
    "Her brother Tom stayed at home and read a book about sailing. "
    "The baker, who opened the shop in 1990, sells bread on weekdays."
)


@pytest.mark.parametrize(
    ("claim", "facts"),
    [
        (  # a predicate sharing the first clause's subject
            "Tom warns Anna about the rain, but promises to fix the roof.",
            ["Tom warns Anna about the rain.", "Tom promises to fix the roof."],
        ),
        (  # two clauses, each with its own subject
            "Anna went to the market, while her brother stayed at home.",
            ["Anna went to the market.", "Her brother stayed at home."],
        ),
        (
            "Anna went to the market and she bought pears.",
            ["Anna went to the market.", "She bought pears."],
        ),
        (  # the auxiliaries go with the borrowed subject
            "The old mayor of the town has been arrested on Monday and charged with fraud.",
            [
                "The old mayor of the town has been arrested on Monday.",
                "The old mayor of the town has been charged with fraud.",
            ],
        ),
        (
            "Tom will buy the tickets and send them to Anna.",
            ["Tom will buy the tickets.", "Tom will send them to Anna."],
        ),
        ("The shop opened in 1990; it sells bread.", ["The shop opened in 1990.", "It sells bread."]),
        (
            "While Anna stayed home, her brother went sailing.",
            ["Anna stayed home.", "Her brother went sailing."],
        ),
        (  # relative clauses: about the subject, about a name after a verb, about a noun phrase
            "The baker, who opened the shop in 1990, sells bread.",
            ["The baker sells bread.", "The baker opened the shop in 1990."],
        ),
        ("Tom met Anna, who runs the bakery.", ["Tom met Anna.", "Anna runs the bakery."]),
        (
            "Tom met the mayor, who said the road was closed.",
            ["Tom met the mayor.", "The mayor said the road was closed."],
        ),
    ],
)
def test_a_claim_of_several_facts_is_split_into_clauses_that_stand_alone(
    claim: str, facts: list[str]
) -> None:
    assert split_facts(claim) == facts


@pytest.mark.parametrize(
    "claim",
    [
        "Anna buys apples and pears at the market.",  # coordinated nouns
        "Anna buys bread and pears at the market.",
        "Steve and Carly planned a trip to the coast.",  # coordinated subjects
        "Tom was tired but happy after the race.",  # "but" joins two adjectives
        "The council said the road was closed and will reopen on Friday.",  # which subject "will reopen"?
        "The group had doubts about both novice and advanced users.",  # "advanced" is no verb here
        'Tom said "we went home and slept" after the match.',  # a quotation is said as a whole
        "The founder of the troubled start-up was arrested.",  # "troubled" after "the" is no verb
        "The team set the price of the remote, which they believe is fair.",  # "which" is an object here
    ],
)
def test_a_claim_of_one_fact_is_left_whole(claim: str) -> None:
    assert split_facts(claim) == [claim]


def _judge(*answers: dict[str, object]) -> tuple[Verification, FakeBackend]:
    backend = FakeBackend(list(answers))
    doc = document_from_text(SOURCE, outlet="test")
    return Client(backend=backend, structured_output="json_object_schema").verify(
        "Anna went to the market on Monday and bought apples for the cake.", [doc]
    ), backend


def test_each_fact_is_judged_with_its_own_evidence_and_one_unsupported_fact_decides() -> None:
    result, backend = _judge(
        {"verdict": "supported", "reason": "A1 says so.", "sentence_ids": ["A1"]},
        {"verdict": "unsupported", "reason": "She bought pears.", "sentence_ids": ["A2"]},
    )
    [claim] = result.claims
    assert [f.text for f in claim.facts] == [
        "Anna went to the market on Monday.",
        "Anna bought apples for the cake.",
    ]
    assert [f.verdict for f in claim.facts] == ["supported", "unsupported"]
    assert claim.text == "Anna went to the market on Monday and bought apples for the cake."
    assert claim.verdict == "unsupported" and claim.decided_by == "judge" and result.verdict == "inconsistent"
    assert claim.reason == "“Anna bought apples for the cake.”: She bought pears."
    assert [s.sentence_ids for s in claim.evidence] == [["A2"]]
    first, second = (r.messages[-1]["content"] for r in backend.requests)
    assert "Anna went to the market on Monday." in first and "Claim: Anna bought apples" in second
    assert "[A1]" in first and "[A2]" in second and "[A4]" not in first + second
    for request in backend.requests:  # a grammar may write only the ids the prompt shows
        shown = dict(request.output.choices)["sentence_ids"]
        assert shown and all(f"[{i}]" in request.messages[-1]["content"] for i in shown)
    assert result.provenance.attempts == 2


def test_a_claim_is_supported_only_when_every_fact_is() -> None:
    result, _ = _judge(
        {"verdict": "supported", "reason": "A1 says so.", "sentence_ids": ["A1"]},
        {"verdict": "supported", "reason": "A2 says so.", "sentence_ids": []},
    )
    [claim] = result.claims
    assert claim.verdict == "supported" and claim.decided_by == "judge"
    assert [f.verdict for f in claim.facts] == ["supported", "supported"]
    assert claim.facts[1].evidence, "no id cited: the sentences shown stay as its evidence"


def test_a_fact_the_judge_gives_no_answer_on_leaves_the_deterministic_verdict() -> None:
    bad = {"verdict": "perhaps", "reason": "", "sentence_ids": []}
    result, _ = _judge(
        {"verdict": "supported", "reason": "A1 says so.", "sentence_ids": ["A1"]}, bad, bad, bad
    )
    [claim] = result.claims
    assert claim.verdict == "supported" and claim.decided_by != "judge"
    assert [f.verdict for f in claim.facts] == ["supported", None]
    assert claim.facts[1].judge_error and claim.judge_error
    assert "no valid answer on 1 of its 2 facts" in claim.reason


def test_a_verification_written_before_facts_existed_still_reads() -> None:
    old = {
        "text": "Anna went to the market.",
        "verdict": "supported",
        "decided_by": "judge",
        "reason": "A1",
        "evidence": [],
    }
    assert VerifiedClaim.model_validate(old).facts == []


def test_the_report_shows_each_facts_ruling() -> None:
    result, _ = _judge(
        {"verdict": "supported", "reason": "A1 says so.", "sentence_ids": ["A1"]},
        {"verdict": "unsupported", "reason": "She bought pears.", "sentence_ids": ["A2"]},
    )
    text = render(result, "text")
    assert "fact “Anna went to the market on Monday.” — supported: A1 says so." in text
    assert "fact “Anna bought apples for the cake.” — unsupported: She bought pears." in text
    assert "Anna bought apples for the cake.” — unsupported" in html.unescape(render(result, "html"))
