"""`summarizer verify`: any summary checked against its sources, with and without a judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import verify
from summarizer.cli import main
from summarizer.render import render
from summarizer.schemas import Verification
from summarizer.testing import FakeBackend

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
MEHR = ARTICLES / "mehr.txt"
ANADOLU = ARTICLES / "anadolu.txt"

FAITHFUL_MEHR = (
    "Iran rejected on Friday an offer made by Moscow to facilitate direct negotiations between Tehran and "
    "Washington. The U.S. resorted to the snapback process on August 20. The U.S. move faced massive "
    "opposition from the international community."
)
FAITHFUL_ANADOLU = (
    "Iran has turned down an offer from Russia to mediate between Tehran and Washington. "
    "Iranian President Hassan Rouhani said on June 24 that Iran has no problem with negotiations. "
    "The US announced its withdrawal from the nuclear deal in May 2018."
)


def _verify(text: str, source: Path) -> Verification:
    return verify(text, [source])


def _verify_text(text: str, source: str) -> Verification:
    from summarizer.documents import document_from_text
    from summarizer.pipeline import run_sync
    from summarizer.verify import averify_documents

    return run_sync(averify_documents(text, [document_from_text(source, outlet="test")]))


@pytest.mark.parametrize(("text", "source"), [(FAITHFUL_MEHR, MEHR), (FAITHFUL_ANADOLU, ANADOLU)])
def test_a_faithful_summary_is_consistent(text: str, source: Path) -> None:
    result = _verify(text, source)
    assert result.verdict == "consistent", [c.reason for c in result.claims]
    assert result.mode == "deterministic"
    assert result.provenance.engine == "deterministic"
    for claim in result.claims:
        for span in claim.evidence:
            assert span.text == result.sources[0].text[span.start : span.end]


@pytest.mark.parametrize(
    ("edited", "source", "check"),
    [
        (FAITHFUL_MEHR.replace("August 20", "August 27"), MEHR, "date"),
        (FAITHFUL_ANADOLU.replace("on June 24", "on July 4"), ANADOLU, "date"),
        (FAITHFUL_ANADOLU.replace("May 2018", "May 2019"), ANADOLU, "date"),
        (
            FAITHFUL_MEHR + " The UN Security Council Resolution 2232 defines non-performance.",
            MEHR,
            "number",
        ),
        (FAITHFUL_ANADOLU.replace("Hassan Rouhani", "Ebrahim Raisi"), ANADOLU, "entity"),
        (FAITHFUL_MEHR.replace("The U.S. move faced", "The U.S. move did not face"), MEHR, "negation"),
        (FAITHFUL_MEHR.replace("massive opposition", "massive support"), MEHR, "antonym"),
        (FAITHFUL_MEHR.replace("Iran rejected", "Iran accepted"), MEHR, "antonym"),
        (
            FAITHFUL_ANADOLU.replace(
                "Iran has no problem with negotiations", "Iran has a problem with talks"
            ),
            ANADOLU,
            "negation",
        ),
    ],
)
def test_an_edited_summary_is_flagged_with_the_deciding_check(edited: str, source: Path, check: str) -> None:
    result = _verify(edited, source)
    assert result.verdict == "inconsistent"
    flagged = [c for c in result.claims if c.verdict == "unsupported"]
    assert [c.decided_by for c in flagged] == [check], [c.reason for c in flagged]
    assert flagged[0].checks and flagged[0].checks[0].evidence


def test_a_number_change_is_flagged() -> None:
    text = "Russia offered mediation. Iran said 3 countries have come forward with the offer of mediation."
    result = _verify(text, ANADOLU)
    assert [c.decided_by for c in result.claims if c.verdict == "unsupported"] == ["number"]


def test_a_json_result_is_verified_against_its_embedded_sources(tmp_path: Path) -> None:
    from summarizer import summarize

    fixtures = ARTICLES.parent / "exchanges"
    summary = summarize(ANADOLU, replay=fixtures)
    path = tmp_path / "summary.json"
    path.write_text(render(summary, "json"), encoding="utf-8")
    result = verify(path)
    assert result.verdict == "consistent", [c.reason for c in result.claims if c.verdict != "supported"]
    checked = [c.text for c in result.claims]
    assert checked[: len(summary.key_points)] == [k.text for k in summary.key_points]
    assert " ".join(checked[len(summary.key_points) :]) == summary.summary  # then the paragraph


def test_our_summary_without_key_points_is_verified_by_its_paragraph(tmp_path: Path) -> None:
    from summarizer import summarize

    summary = summarize(ANADOLU, replay=ARTICLES.parent / "exchanges")
    summary.key_points = []
    summary.summary = "Iran said 3 countries offered mediation."
    path = tmp_path / "summary.json"
    path.write_text(render(summary, "json"), encoding="utf-8")
    result = verify(path)  # was: "has no key points or claims, so there is nothing to verify"
    assert [c.text for c in result.claims] == [summary.summary]
    assert result.verdict == "inconsistent" and result.claims[0].decided_by == "number"


def test_judge_runs_when_a_backend_is_given_and_can_overrule() -> None:
    answer = {"verdict": "unsupported", "reason": "the sentence says Friday", "sentence_ids": ["A1"]}
    backend = FakeBackend([answer])
    from summarizer import Client

    result = Client(backend=backend).verify("Iran rejected on Friday an offer made by Moscow.", [MEHR])
    assert result.mode == "deterministic+judge"
    assert result.claims[0].decided_by == "judge"
    assert result.verdict == "inconsistent"
    assert result.provenance.engine == "llm"
    assert result.provenance.attempts == 1
    assert any(t.name == "verify/user.j2" for t in result.provenance.templates)
    assert "Iran rejected on Friday" in backend.requests[0].messages[-1]["content"]


def test_cli_verify_exit_codes_and_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(FAITHFUL_MEHR, encoding="utf-8")
    bad.write_text(FAITHFUL_MEHR.replace("August 20", "August 27"), encoding="utf-8")
    assert main(["verify", "--source", str(MEHR), str(good)]) == 0
    assert "Verdict: consistent" in capsys.readouterr().out
    assert main(["verify", "--source", str(MEHR), str(bad), "--format", "markdown"]) == 6
    out = capsys.readouterr().out
    assert "inconsistent" in out and "August 27" in out and "deterministic" in out
    assert main(["verify", "--source", str(MEHR), str(bad), "--format", "json"]) == 6
    loaded = Verification.model_validate_json(capsys.readouterr().out)
    assert loaded.claims[1].decided_by == "date"


def test_claims_align_on_content_words_not_function_words() -> None:
    """A paraphrase is checked against the sentence that shares its content words, not a short sentence
    that shares "it is … of its"."""
    source = (
        "Moderna reported its results on Thursday. But the firm is keen to establish itself as a leader. "
        "Its likely next product is a vaccine for RSV, for which Moderna plans regulatory filings in 2023."
    )
    faithful = _verify_text("It is looking towards filing for approval of its RSV vaccine.", source)
    assert faithful.verdict == "consistent", [c.reason for c in faithful.claims]
    assert "RSV" in faithful.claims[0].evidence[0].text
    negated = _verify_text("It is not looking towards filing for approval of its RSV vaccine.", source)
    assert [c.decided_by for c in negated.claims] == ["negation"]


async def test_sources_sharing_an_id_are_refused() -> None:
    from summarizer.documents import document_from_text
    from summarizer.errors import ConfigError
    from summarizer.verify import averify_documents

    docs = [document_from_text("Iran said no."), document_from_text("Russia said yes.")]
    with pytest.raises(ConfigError, match="source_id"):
        await averify_documents("Iran said no.", docs)


def test_a_comparisons_coverage_claims_are_checked_for_content_not_outlet_names() -> None:
    """ "Only B (Mehr News Agency) mentions JCPOA." names outlets to say who reports what; the name
    check must look at JCPOA, not fail on "Only B" or the outlet."""
    from summarizer import Client

    comparison = Client(engine="offline").compare([ANADOLU, MEHR])
    coverage = [c.claim for c in comparison.claims if c.claim.startswith("Only ")]
    assert coverage
    result = verify(comparison)
    assert {c.text for c in result.claims if c.verdict != "supported"} == set()
    wrong = comparison.model_copy(deep=True)
    wrong.claims = [c for c in wrong.claims if c.claim.startswith("Only ")][:1]
    wrong.claims[0].claim = "Only B (Mehr News Agency) mentions Angela Merkel."
    [claim] = verify(wrong).claims
    assert claim.verdict == "unsupported" and "Merkel" in claim.reason


def test_every_failed_check_names_its_token() -> None:
    """A negated word that stands for its opposite is named with its negation, never as ""."""
    result = verify(FAITHFUL_MEHR.replace("The U.S. move faced", "The U.S. move did not face"), [MEHR])
    checks = [i for c in result.claims for i in c.checks]
    assert checks and all(i.token.strip() for i in checks)
    assert ("antonym", "not opposition") in {(i.check, i.token) for i in checks}


def test_a_name_that_shares_words_with_an_outlet_is_still_checked(tmp_path: Path) -> None:
    """Only a comparison's coverage claims may name outlets; "Washington" in a summary checked against
    The Washington Post's article is a fact like any other."""
    from summarizer import document_from_text

    doc = document_from_text(
        "Officials in Moscow said on Friday that the talks would resume next week.",
        outlet="The Washington Post",
    )
    [claim] = verify("Officials in Washington said on Friday that the talks would resume.", [doc]).claims
    assert claim.verdict == "unsupported" and claim.decided_by == "entity"


def test_a_sentence_opening_function_word_is_not_a_name() -> None:
    from summarizer import document_from_text

    doc = document_from_text("Three people died in the fire on Monday, the police said.")
    [claim] = verify("Only three people died in the fire on Monday.", [doc]).claims
    assert claim.verdict == "supported", claim.reason


def test_an_empty_summary_is_refused_not_called_consistent(capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    stdin = sys.stdin
    sys.stdin = io.StringIO("  \n")
    try:
        code = main(["verify", "-", "--source", str(ANADOLU)])
    finally:
        sys.stdin = stdin
    err = capsys.readouterr().err
    assert code == 3 and "nothing to verify" in err
