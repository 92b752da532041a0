"""How `verify` chooses a claim's evidence, and the third verdict, `cannot_verify`."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.cli import main
from summarizer.documents import document_from_text
from summarizer.errors import ConfigError
from summarizer.grounding import EvidenceIndex
from summarizer.pipeline import run_sync
from summarizer.schemas import Verification
from summarizer.text import _semantic
from summarizer.verify import averify_documents

SOURCE = (
    "The city council approved the new budget on Tuesday. "
    "The budget raises spending on schools and parks. "
    "Critics said the plan ignores road repairs. "
    "The mayor will sign it next week."
)


def _verify(summary: str, source: str = SOURCE, **options: object) -> Verification:
    return run_sync(averify_documents(summary, [document_from_text(source, outlet="test")], **options))  # type: ignore[arg-type]


def test_a_claim_spanning_two_sentences_is_checked_against_both() -> None:
    result = _verify("The council approved a budget that raises spending on schools.")
    assert result.verdict == "consistent"
    texts = [e.text for e in result.claims[0].evidence]
    assert set(texts[:2]) == {
        "The city council approved the new budget on Tuesday.",
        "The budget raises spending on schools and parks.",
    }


def test_coverage_weighs_rare_words_over_common_ones() -> None:
    index = EvidenceIndex.of(["The budget is a budget.", "Critics want road repairs in the budget."])
    chosen = index.choose("road repairs")
    assert chosen.sentences == (1,) and chosen.coverage == 1.0


def test_a_negated_claim_is_read_with_the_sentence_that_negates_the_same_word() -> None:
    source = (
        "Ministers met in Rome on Monday. We have no doubt about the intention of our partners, she said."
    )
    result = _verify("The minister said she had no doubt about the partners' intention after Rome.", source)
    assert result.verdict == "consistent", [c.reason for c in result.claims]


def test_a_claim_that_shares_no_word_with_the_source_cannot_be_verified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _verify("Zebras graze quietly.")
    assert result.verdict == "cannot_verify"
    assert (result.claims[0].verdict, result.claims[0].decided_by) == ("cannot_verify", "evidence")
    summary, source = tmp_path / "s.txt", tmp_path / "a.txt"
    summary.write_text("Zebras graze quietly.", encoding="utf-8")
    source.write_text(SOURCE, encoding="utf-8")
    assert main(["verify", str(summary), "--source", str(source)]) == 7
    assert "? cannot verify" in capsys.readouterr().out


def test_an_unsupported_claim_outweighs_one_that_cannot_be_verified() -> None:
    result = _verify("Zebras graze quietly. The council rejected the new budget on Friday.")
    assert result.verdict == "inconsistent"


def test_lexical_evidence_is_the_default_and_is_recorded() -> None:
    assert _verify("The council approved the budget.").evidence == "lexical"


def test_semantic_evidence_without_the_weights_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(_semantic.MODEL_ENV, str(tmp_path))
    _semantic.semantic.cache_clear()
    try:
        with pytest.raises(ConfigError, match="semantic"):
            _verify("The council approved the budget.", evidence="semantic")
    finally:
        _semantic.semantic.cache_clear()
