"""A quote within a quote swaps its marks: the real model (issue 14, fixtures/recorded) quoted A2's
'Iran is “doubtful” about the US intention' as 'Iran is ‘doubtful’ about the US intention', and the
verbatim check refused it (exit 5, re-asks could not change a temperature-0 answer)."""

from __future__ import annotations

from pathlib import Path

from summarizer.documents import load_document
from summarizer.grounding import check_summary
from summarizer.schemas import SummaryDraft

ANADOLU = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "anadolu.txt"


def _draft(quote: str) -> SummaryDraft:
    return SummaryDraft.model_validate(
        {
            "headline": "Iran turns down Russia's offer to mediate",
            "summary": "Iran turned down an offer from Russia to mediate between Tehran and Washington.",
            "key_points": [],
            "quotes": [{"speaker": "Saeed Khatibzadeh", "role": None, "text": quote, "sentence_ids": ["A2"]}],
            "entities": [],
            "dates": [],
            "caveats": [],
            "language": "en",
        }
    )


def test_single_marks_for_the_articles_double_marks_are_verbatim() -> None:
    doc = load_document(ANADOLU, source_id="A")
    assert check_summary(_draft("Iran is ‘doubtful’ about the US intention"), doc) == []
    assert check_summary(_draft("Iran is 'doubtful' about the US intention"), doc) == []


def test_other_wording_is_still_not_verbatim() -> None:
    doc = load_document(ANADOLU, source_id="A")
    errors = check_summary(_draft("Iran is ‘suspicious’ about the US intention"), doc)
    assert any("is not verbatim in source A" in e for e in errors)
