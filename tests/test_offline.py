"""The offline engine, candidate findings shown to the model, and findings added after it answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer import Client, OfflineFallbackWarning, compare
from summarizer.cli import main
from summarizer.render import to_html, to_markdown
from summarizer.schemas import Comparison, Summary
from summarizer.testing import FakeBackend

ROOT = Path(__file__).resolve().parent.parent
ANADOLU = ROOT / "fixtures" / "articles" / "anadolu.txt"
MEHR = ROOT / "fixtures" / "articles" / "mehr.txt"
EXCHANGES = ROOT / "fixtures" / "exchanges"
AUTHORED = ROOT / "fixtures" / "authored" / "comparison-anadolu-mehr.json"


def spans_of(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        if {"source", "start", "end", "text"} <= set(value):
            return [value]
        return [s for v in value.values() for s in spans_of(v)]
    if isinstance(value, list):
        return [s for v in value for s in spans_of(v)]
    return []


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(var, raising=False)


# ------------------------------------------------------------------------------------------------
# Done when: the offline comparison of the seed pair
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def offline_json() -> dict[str, Any]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["compare", str(ANADOLU), str(MEHR), "--engine", "offline", "--format", "json"])
    assert code == 0
    return dict(json.loads(out.getvalue()))


def test_offline_compare_validates_and_keeps_the_span_invariant(offline_json: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(offline_json, Comparison.model_json_schema(mode="serialization"))
    texts = {s["id"]: s["text"] for s in offline_json["sources"]}
    spans = spans_of({k: v for k, v in offline_json.items() if k != "sources"})
    assert len(spans) > 40
    for span in spans:
        assert texts[span["source"]][span["start"] : span["end"]] == span["text"]
    assert offline_json["provenance"]["engine"] == "offline"
    assert "extractively" in offline_json["overview"]  # and the report's header line says offline
    assert offline_json["story"].startswith("Iran rejected on Friday an offer made by Moscow")  # no dateline
    assert "offline" not in offline_json["story"] and "extractively" not in offline_json["story"]
    assert offline_json["grounding"]["ungrounded"] == 0


def test_offline_compare_reports_quote_variants_and_name_spelling(offline_json: dict[str, Any]) -> None:
    comparison = Comparison.model_validate(offline_json)
    speakers = {v.speaker.split()[-1] for v in comparison.quote_variants}
    assert {"Vaezi", "Lavrov"} <= speakers
    vaezi = next(v for v in comparison.quote_variants if "Vaezi" in v.speaker)
    assert {w.source: w.evidence[0].sentence_ids for w in vaezi.wordings} == {"A": ["A8"], "B": ["B2"]}
    assert all(v.found_by == "analysis" and v.confidence for v in comparison.quote_variants)
    [name] = [c for c in comparison.conflicts if c.kind == "name"]
    assert {v.source: v.value for v in name.values} == {"A": "Sergie Lavrov", "B": "Sergei Lavrov"}


@pytest.mark.parametrize(
    ("only", "omits", "words"),
    [("A", "B", ["Khatibzadeh", "Rouhani", "Pompeo"]), ("B", "A", ["snapback", "MGIMO", "Tasnim"])],
)
def test_offline_compare_reports_what_only_one_outlet_has(
    offline_json: dict[str, Any], only: str, omits: str, words: list[str]
) -> None:
    comparison = Comparison.model_validate(offline_json)
    for word in words:
        matching = [c for c in comparison.claims if word.lower() in c.claim.lower()]
        assert matching, word
        status = {s.source: s for s in matching[0].sources}
        assert status[omits].status == "omits" and not status[omits].evidence
        assert status[only].status == "reports" and any(word in e.text for e in status[only].evidence)


def test_offline_sourcing(offline_json: dict[str, Any]) -> None:
    comparison = Comparison.model_validate(offline_json)
    cited = {s.source: {c.name: c.kind for c in s.cited} for s in comparison.sourcing}
    assert cited["B"]["Tasnim"] == "news_agency"
    assert {"Saeed Khatibzadeh", "Hassan Rouhani", "Mike Pompeo"} <= set(cited["A"])


# ------------------------------------------------------------------------------------------------
# Offline summaries and the engine setting
# ------------------------------------------------------------------------------------------------


def test_offline_summary_is_complete_and_extractive() -> None:
    summary = Client(engine="offline").summarize(MEHR, length="short")
    assert isinstance(summary, Summary) and summary.provenance.engine == "offline"
    assert not summary.summary.startswith("[") and "extractive" not in summary.summary.lower()  # only summary
    text = summary.source.text
    assert summary.summary.split(" ")[0] in text  # its first sentence is the article's
    assert not any("not analysed" in e.role for e in summary.entities)  # said once, by the report
    for point in summary.key_points:
        assert point.text == point.evidence[0].text == text[point.evidence[0].start : point.evidence[0].end]
    assert any(q.speaker == "Mahmoud Vaezi" for q in summary.quotes)
    assert all(q.grounding.alignment == "exact" for q in summary.quotes)
    assert ("May 8, 2018", "2018-05-08") in {(d.text, d.iso) for d in summary.dates}
    assert {"Mahmoud Vaezi", "Sergei Lavrov"} <= {e.name for e in summary.entities}
    assert summary.grounding.ungrounded == 0


def test_engine_defaults(no_model: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Client().engine == "offline"
    assert Client(replay=EXCHANGES).engine == "llm"
    assert Client(backend=FakeBackend([])).engine == "llm"
    assert Client(engine="offline", replay=EXCHANGES).engine == "offline"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert Client().engine == "llm"


def test_offline_needs_no_model(no_model: None) -> None:
    with pytest.warns(OfflineFallbackWarning, match="engine='offline'"):  # the API says so, as the CLI does
        comparison = compare([ANADOLU, MEHR])
    assert comparison.provenance.engine == "offline" and comparison.provenance.attempts == 0


# ------------------------------------------------------------------------------------------------
# The model path: candidates, reviews, analysis-added findings
# ------------------------------------------------------------------------------------------------


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
