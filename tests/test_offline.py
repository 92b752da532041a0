"""The offline engine (`summarizer.offline`): extractive summaries, comparisons from the analysis, and
the engine setting. The candidates a model reviews are in tests/test_candidates.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer import Client, OfflineFallbackWarning, compare
from summarizer.analysis import analyse
from summarizer.candidates import claim_of
from summarizer.cli import main
from summarizer.documents import document_from_text
from summarizer.offline import compare_offline
from summarizer.schemas import Comparison, Document, Summary
from summarizer.testing import FakeBackend

ROOT = Path(__file__).resolve().parent.parent
ANADOLU = ROOT / "fixtures" / "articles" / "anadolu.txt"
MEHR = ROOT / "fixtures" / "articles" / "mehr.txt"
EXCHANGES = ROOT / "fixtures" / "exchanges"


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
    [("A", "B", ["Khatibzadeh", "Rouhani", "broke the table"]), ("B", "A", ["JCPOA", "massive opposition"])],
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


def _flood_reports() -> list[Document]:
    """One story from three outlets: only A has the mayor, only C the officials."""
    texts = [
        "The river flooded the old mill on Monday. Farmers moved their cattle to the hills. "
        "The mayor promised new dikes before winter.",
        "The river flooded the old mill on Monday. Farmers moved their cattle to the hills.",
        "The river flooded the old mill on Monday. Officials counted the damage on Tuesday.",
    ]
    return [document_from_text(t, source_id=s, outlet=f"Outlet {s}") for s, t in zip("ABC", texts)]


def test_claims_share_one_omits_status_per_source_and_read_as_if_built_one_by_one() -> None:
    docs = _flood_reports()
    comparison = compare_offline(docs)
    omits = [s for c in comparison.claims for s in c.sources if s.status == "omits" and s.source == "C"]
    assert len(omits) >= 2 and len({id(s) for s in omits}) == 1
    alone = [claim_of(f, docs) for f in analyse(docs).of_type("only_some") if f.clear]
    assert [c.model_dump() for c in alone] == [
        c.model_dump() for c in comparison.claims if c.found_by == "analysis" and c.rule is not None
    ]


def test_a_shared_status_cannot_be_changed_in_place_for_every_claim_at_once() -> None:
    docs = _flood_reports()
    comparison = compare_offline(docs)
    shared = next(s for c in comparison.claims for s in c.sources if s.status == "omits")
    with pytest.raises(ValidationError):
        shared.status = "reports"
    changed = shared.model_copy(update={"status": "reports"})
    assert changed.status == "reports" and shared.status == "omits"


# ------------------------------------------------------------------------------------------------
# An untitled text's headline: its first line when `analysis.layout.headline` reads one there
# ------------------------------------------------------------------------------------------------


def _untitled_harbour_reports() -> list[Document]:
    """Two invented untitled texts, each opening with a short sentence-case headline over its body: too
    short (four words) to be ranked as a sentence, so before the fix the summary's headline was the first
    body sentence cut at 15 words and the story one outlet's most central body sentence."""
    texts = [
        "Mayor loses harbour vote\n\n"
        "The city council voted on Tuesday to remove Mayor Ann Lowe after months of dispute over the "
        "harbour plan. Council members said the plan would cost twice what was promised. Lowe will appeal.\n",
        "Council ousts harbour mayor\n\n"
        "Mayor Ann Lowe lost her seat on Tuesday when the city council voted to remove her over the harbour "
        "plan. The plan would cost twice what was promised, council members said. Residents gathered outside "
        "the town hall.\n",
    ]
    return [document_from_text(t, source_id=s, outlet=f"Outlet {s}") for s, t in zip("AB", texts)]


def test_an_untitled_summarys_headline_is_its_headline_line() -> None:
    a, _ = _untitled_harbour_reports()
    assert a.title is None
    assert Client(engine="offline").summarize(a).headline == "Mayor loses harbour vote"


def test_an_untitled_comparisons_story_is_one_of_the_headline_lines() -> None:
    docs = _untitled_harbour_reports()
    assert compare_offline(docs).story in {"Mayor loses harbour vote", "Council ousts harbour mayor"}


def test_a_title_still_comes_first_and_a_text_without_a_headline_line_keeps_its_sentence() -> None:
    a, _ = _untitled_harbour_reports()
    titled = a.model_copy(update={"title": "Lowe out"})
    assert Client(engine="offline").summarize(titled).headline == "Lowe out"
    plain = document_from_text(
        "The city council voted on Tuesday to remove Mayor Ann Lowe. Lowe said she would appeal.",
        source_id="C",
        outlet="Outlet C",
    )
    assert (
        Client(engine="offline").summarize(plain).headline
        == "The city council voted on Tuesday to remove Mayor Ann Lowe."
    )
