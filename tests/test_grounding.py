"""Grounding: support checks on items, re-asks within the budget, and what still fails is kept and marked."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from summarizer import Client
from summarizer.grounding import Evidence, support_issues
from summarizer.render import render
from summarizer.testing import FakeBackend

ROOT = Path(__file__).resolve().parents[1]
ANADOLU = ROOT / "fixtures" / "articles" / "anadolu.txt"
AUTHORED = json.loads((ROOT / "fixtures" / "authored" / "summary-anadolu.json").read_text("utf-8"))["answer"]
MONDAY = dt.date(2020, 9, 7)


def _evidence(*sentences: str) -> Evidence:
    return Evidence(tuple(sentences), MONDAY)


@pytest.mark.parametrize(
    ("claim", "evidence", "check", "token"),
    [
        ("Sales rose 12% to $5bn.", "Sales rose 12 percent to $4 billion.", "number", "$5bn"),
        ("Twenty-five people died.", "Twenty-four people died.", "number", "Twenty-five people"),
        ("He spoke on June 25.", "He spoke on June 24.", "date", "June 25"),
        ("Vaezi spoke on Thursday.", "Vaezi spoke on Friday.", "date", "on Thursday"),
        ("Hassan Vaezi said so.", "Mahmoud Vaezi said so.", "entity", "Hassan Vaezi"),
        ("Pompeo said so.", "Lavrov said so.", "entity", "Pompeo"),
        ("Iran does not doubt the offer.", "Iran doubts the offer.", "negation", "not doubt"),
        (
            "Iran has intention of negotiating.",
            "Iran has no intention of negotiating.",
            "negation",
            "intention",
        ),
        # An antonym in the evidence, in the same context as the claim's word.
        (
            "Fourth-quarter vaccine sales increased.",
            "For the fourth quarter, vaccine sales fell 30% from a year earlier.",
            "antonym",
            "increased",
        ),
        (
            "The scheme was meant to sink the struggling company.",
            "The scheme was meant to prop up the struggling company.",
            "antonym",
            "sink",
        ),
        # A member of a closed set replaced by another: colours, compass points, ordinals.
        (
            "Activists poured green and blue paint on the road.",
            "Activists poured yellow and blue paint on the road.",
            "attribute",
            "green",
        ),
        # A count of one span of time given as another.
        (
            "The protest marked the one-month anniversary of the invasion.",
            "The protest marked the one-year anniversary of the invasion, one official said.",
            "number",
            "one-month",
        ),
        # A negation the evidence does not have at all.
        (
            "The company is not planning to file for approval.",
            "The company plans regulatory filings in the first half of 2023.",
            "negation",
            "not planning",
        ),
    ],
)
def test_support_checks_name_the_offending_token(claim: str, evidence: str, check: str, token: str) -> None:
    issues = support_issues(claim, _evidence(evidence))
    assert [(i.check, i.token) for i in issues] == [(check, token)]
    assert issues[0].evidence == evidence


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("Sales were about 1.2 million.", "Sales were 1,187,000."),
        ("Three soldiers died.", "3 soldiers died."),
        ("Iran's foreign ministry spoke in September 2020.", "Iran’s foreign ministry spoke on Friday."),
        ("The U.S. left the JCPOA.", "The United States left the Joint Comprehensive Plan of Action."),
        (
            "Sergei Lavrov's offer stands.",
            "Russian Foreign Minister Sergie Lavrov made an offer that stands.",
        ),
        ("Iranian officials rejected it.", "Iran rejected it."),
        (
            "Iran has no intention of negotiating.",
            "“We have no intention of negotiating,” Iran’s Vaezi said.",
        ),
        # Same-side words are not contrasts; a contrast elsewhere in the evidence is not this context's.
        (
            "Fourth-quarter sales declined.",
            "For the fourth quarter, sales dropped 30%, while yearly revenue rose.",
        ),
        ("Sales rose in 2022 after falling in 2021.", "Sales fell in 2021 and rose in 2022."),
        ("Scott White pleaded guilty.", "White pleaded guilty; the black and white of his confession."),
        # Implicit negation backs an explicit one.
        ("Iran did not accept the offer.", "Iran rejected the offer."),
        ("The murder was not solved for decades.", "The murder remained unsolved for decades."),
        (
            "The fire lasted one day.",
            "The fire lasted one day and one night, one official said, two years ago.",
        ),
    ],
)
def test_support_checks_accept_faithful_paraphrase(claim: str, evidence: str) -> None:
    assert support_issues(claim, _evidence(evidence)) == []


def _answer(**changes: str) -> dict[str, object]:
    answer = copy.deepcopy(AUTHORED)
    for key, text in changes.items():
        n = int(key.rsplit("_", 1)[1])
        answer["key_points"][n]["text"] = text
    return answer


WRONG_DATE = "The US withdrew from the nuclear deal in May 2019 and is now seeking the return of sanctions."


def test_unsupported_item_is_reasked_then_fixed() -> None:
    backend = FakeBackend([_answer(kp_5=WRONG_DATE), AUTHORED])
    summary = Client(backend=backend).summarize(ANADOLU)
    assert summary.provenance.reasks == 1
    reask = backend.requests[1].messages[-1]["content"]
    assert "key_points[6]" in reask and "May 2019" in reask
    assert summary.grounding.ungrounded == 0


def test_unsupported_item_still_failing_is_kept_marked_and_counted() -> None:
    wrong = _answer(kp_5=WRONG_DATE)
    summary = Client(backend=FakeBackend([wrong, wrong, wrong])).summarize(ANADOLU)
    point = summary.key_points[5]
    assert point.text == WRONG_DATE and not point.grounding.grounded
    assert [(c.check, c.token) for c in point.grounding.checks] == [("date", "May 2019")]
    assert "May 2018" in point.grounding.checks[0].evidence
    assert summary.grounding.ungrounded == 1 and summary.grounding.checks == {"date": 1}
    for fmt in ("markdown", "text"):
        out = render(summary, fmt)
        assert "May 2019" in out and "not grounded" in out
    assert json.loads(render(summary, "json"))["grounding"]["checks"] == {"date": 1}


def test_strict_turns_an_ungrounded_item_into_exit_6(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from summarizer import cli, pipeline

    wrong = _answer(kp_5=WRONG_DATE)
    original = pipeline.Client.__init__

    def with_fake(self: pipeline.Client, **settings: object) -> None:
        original(self, backend=FakeBackend([wrong] * 6), **settings)

    monkeypatch.setattr(pipeline.Client, "__init__", with_fake)
    assert cli.main(["summarize", str(ANADOLU)]) == 0
    assert cli.main(["summarize", str(ANADOLU), "--strict"]) == 6
    assert "--strict" in capsys.readouterr().err
