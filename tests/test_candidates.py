"""Candidate findings shown to the model, its verdicts on them, and findings added after it answers
(`summarizer.candidates`)."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer import Client, compare
from summarizer.render import to_html, to_markdown
from summarizer.testing import FakeBackend

ROOT = Path(__file__).resolve().parent.parent
ANADOLU = ROOT / "fixtures" / "articles" / "anadolu.txt"
MEHR = ROOT / "fixtures" / "articles" / "mehr.txt"
EXCHANGES = ROOT / "fixtures" / "exchanges"
AUTHORED = ROOT / "fixtures" / "authored" / "comparison-anadolu-mehr.json"


def test_replayed_comparison_shows_candidates_confirmed_and_rejected() -> None:
    comparison = compare([ANADOLU, MEHR], replay=EXCHANGES)
    reviews = {r.candidate_id: r for r in comparison.candidate_reviews}
    assert reviews["C4"].verdict == "confirmed" and "Sergie" in reviews["C4"].description
    assert "by Sergei/Sergie Lavrov differently" in reviews["C1"].description  # neither outlet's spelling
    assert "Resolution 2231" in reviews["C5"].description
    assert reviews["C11"].verdict == "rejected" and "JCPOA" in reviews["C11"].description
    assert "nuclear deal" in (reviews["C11"].reason or "")
    assert not any(r.added for r in reviews.values())  # the authored answer already has them all
    [name] = [c for c in comparison.conflicts if c.kind == "name"]
    assert name.found_by == "model" and name.review and name.review.verdict == "confirmed"
    assert all(v.review and v.review.verdict == "confirmed" for v in comparison.quote_variants)


def test_claims_carry_the_verdict_on_the_candidate_they_correspond_to() -> None:
    comparison = compare([ANADOLU, MEHR], replay=EXCHANGES)
    reviewed = [c.review.candidate_id for c in comparison.claims if c.review]
    by_word = {
        w: next(c for c in comparison.claims if w in c.claim) for w in ("Khatibzadeh", "MGIMO", "Tasnim")
    }
    assert {w: c.review and c.review.candidate_id for w, c in by_word.items()} == {
        "Khatibzadeh": "C6",  # one sentence (B3) holds MGIMO and Tasnim: each claim gets its own
        "MGIMO": "C7",
        "Tasnim": "C10",
    }
    assert all(c.review is None or c.review.verdict == "confirmed" for c in comparison.claims)
    assert "C11" not in reviewed  # rejected: shown among the candidates, on no finding
    shared = [c for c in comparison.claims if all(s.status == "reports" for s in c.sources)]
    assert shared and all(c.review is None for c in shared)
    review = to_markdown(comparison).split("## Review of the analysis's candidates")[1]
    assert "✔ confirmed by the model: Only Mehr says Lavrov" in review and "→ shown as claim 12" in review
    assert "✔ confirmed by the model: Only Mehr says Vaezi" in to_html(comparison)


def test_rejected_candidates_leave_the_models_own_findings_unmarked() -> None:
    answer = json.loads(AUTHORED.read_text(encoding="utf-8"))["answer"]
    why = "The model disagrees."
    answer["candidate_reviews"] = [
        {"candidate_id": c, "verdict": "rejected", "reason": why} for c in ("C1", "C4", "C6")
    ] + [{"candidate_id": "C2", "verdict": "confirmed", "reason": "Same statement."}]
    comparison = Client(backend=FakeBackend([answer])).compare([ANADOLU, MEHR])
    [name] = comparison.conflicts  # the model's own, kept, without a "rejected" mark
    assert name.found_by == "model" and name.review is None
    by_ids = {tuple(w.evidence[0].sentence_ids[0] for w in v.wordings): v for v in comparison.quote_variants}
    assert by_ids[("A6", "B6")].review is None  # C1, rejected
    assert by_ids[("A8", "B2")].review and by_ids[("A8", "B2")].review.candidate_id == "C2"
    khatibzadeh = next(c for c in comparison.claims if "Khatibzadeh" in c.claim)
    assert khatibzadeh.review is None  # C6, rejected
    reviews = {r.candidate_id: r for r in comparison.candidate_reviews}
    assert all(reviews[c].verdict == "rejected" and not reviews[c].added for c in ("C1", "C4", "C6"))
    assert len(comparison.quote_variants) == 3 and len(comparison.conflicts) == 1  # nothing added


def test_a_verdict_is_attached_only_to_a_finding_of_the_same_kind() -> None:
    answer = json.loads(AUTHORED.read_text(encoding="utf-8"))["answer"]
    answer["conflicts"][0]["kind"] = "date"  # same sentences as the name candidate C4, another finding
    comparison = Client(backend=FakeBackend([answer])).compare([ANADOLU, MEHR])
    date = next(c for c in comparison.conflicts if c.kind == "date")
    assert date.review is None
    [name] = [c for c in comparison.conflicts if c.kind == "name"]  # the model lacks it: added
    assert name.found_by == "analysis" and name.review and name.review.candidate_id == "C4"


def test_prompt_lists_candidates_with_ids() -> None:
    answer = json.loads(AUTHORED.read_text(encoding="utf-8"))["answer"]
    backend = FakeBackend([answer])
    Client(backend=backend).compare([ANADOLU, MEHR])
    user = backend.requests[0].messages[-1]["content"]
    assert "C4. [conflict: name" in user and "A (A4): Sergie Lavrov" in user
    assert "candidate_reviews" in backend.requests[0].messages[0]["content"]


def test_missing_high_confidence_findings_are_added_unless_rejected() -> None:
    answer = json.loads(AUTHORED.read_text(encoding="utf-8"))["answer"]
    answer["quote_variants"] = []
    answer["conflicts"] = []
    answer["candidate_reviews"] = [
        {
            "candidate_id": "C4",
            "verdict": "rejected",
            "reason": "Transliteration of one name, not a conflict.",
        }
    ]
    comparison = Client(backend=FakeBackend([answer])).compare([ANADOLU, MEHR])
    added = comparison.quote_variants
    assert {v.speaker.split()[-1] for v in added} == {"Vaezi", "Lavrov"}
    assert all(v.found_by == "analysis" and v.review is None for v in added)
    assert comparison.conflicts == []  # the model rejected the name candidate, with its reason
    reviews = {r.candidate_id: r for r in comparison.candidate_reviews}
    assert reviews["C4"].verdict == "rejected" and not reviews["C4"].added
    assert reviews["C1"].verdict is None and reviews["C1"].added
    texts = {s.id: s.text for s in comparison.sources}
    for v in added:
        for w in v.wordings:
            span = w.evidence[0]
            assert texts[span.source][span.start : span.end] == span.text == w.text
