"""Replays of a real small model's answers (fixtures/recorded/, see scripts/record_fixtures.py).

Qwen2.5-Coder-1.5B-Instruct Q4_K_M on llama-cpp-python 0.3.36's server answered these; they are
replayed offline with the templates they were recorded with (fixtures/recorded/prompts/). A small model
gets things wrong: these tests pin what the tool does with its real mistakes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarizer import Client

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "fixtures" / "recorded"
ANADOLU = ROOT / "fixtures" / "articles" / "anadolu.txt"
MEHR = ROOT / "fixtures" / "articles" / "mehr.txt"
MODEL = "qwen2.5-coder-1.5b-instruct"
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


def client(task: str, **settings: Any) -> Client:
    """A client replaying `task`'s recordings with the templates and `max_tokens` they were made with."""
    limits = {e["request"]["body"].get("max_tokens") for e in exchanges(task)}
    (limit,) = limits
    if limit is not None:
        settings["max_tokens"] = limit
    return Client(replay=RECORDED, model=MODEL, prompts=RECORDED / "prompts", **settings)


def exchanges(task: str | None = None) -> list[dict[str, Any]]:
    found = [json.loads(p.read_text("utf-8")) for p in sorted(RECORDED.glob("*.json"))]
    return [e for e in found if task is None or e["origin"]["task"] == task]


def test_every_recording_says_where_it_came_from() -> None:
    assert exchanges()
    for exchange in exchanges():
        origin = exchange["origin"]
        assert origin["kind"] == "recorded" and origin["model_sha256"] == SHA256
        assert origin["endpoint"].startswith("http://127.0.0.1:")
        assert origin["server"] == "llama-cpp-python 0.3.36" and origin["date"]
        assert origin["model_file"].endswith(".gguf") and origin["task"]


def test_the_seed_summary_is_replayed_and_its_real_mistakes_are_flagged() -> None:
    """The model's two answers (tools mode) copy the article's sentences as key points, but cite A6 for
    the sentence about Vaezi (it is A7, and A6 is Lavrov's quote), and cut the summary paragraph where
    the article's “doubtful” begins. The first answer is re-asked with those problems; the second
    repeats them, so they are kept and flagged."""
    summary = client("summary", structured_output="tools", reasks=1).summarize(ANADOLU)
    assert summary.provenance.attempts == 2
    assert (summary.provenance.fixture_origin or "").startswith("recorded (qwen2.5-coder-1.5b-instruct")
    assert summary.summary.endswith("said Iran is ")
    assert summary.grounding.status == "ungrounded" and summary.grounding.checks == {"length": 1, "entity": 4}
    assert "summary: length: the paragraph stops mid-sentence" in summary.grounding.reasons[0]
    wrong = [k for k in summary.key_points if not k.grounding.grounded]
    assert len(wrong) == 1 and "Mahmoud Vaezi" in wrong[0].text
    assert [e.sentence_ids for e in wrong[0].evidence] == [["A6"]]
    assert "the name 'Mahmoud Vaezi' is not in the cited sentences" in " ".join(wrong[0].grounding.reasons)
    for span in (e for k in summary.key_points for e in k.evidence):
        assert summary.source.text[span.start : span.end] == span.text
