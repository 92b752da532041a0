"""The real-model tier: the pipeline against a live local model server (`pytest -m model`).

Runs only when `SUMMARIZER_TEST_BASE_URL` names a server on this machine (for instance
`scripts/local_server.sh start`, then `SUMMARIZER_TEST_BASE_URL=http://127.0.0.1:8765/v1`), with
`SUMMARIZER_TEST_MODEL` as the model name (default: the server's first model). Each test takes minutes
with a small model on a CPU. A small model's answers may be wrong: what these tests assert is what the
tool guarantees whatever the model does: a schema-valid result, exact evidence spans, provenance that
names the server's model, and every item either grounded or flagged with its reasons.
"""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from summarizer import Client
from summarizer.schemas import Comparison, Summary

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
ANADOLU = ROOT / "fixtures" / "articles" / "anadolu.txt"
MEHR = ROOT / "fixtures" / "articles" / "mehr.txt"
BASE_URL = os.environ.get("SUMMARIZER_TEST_BASE_URL", "")


def _live() -> tuple[str, str]:
    if not BASE_URL:
        pytest.skip("no live model server: set SUMMARIZER_TEST_BASE_URL (see scripts/local_server.sh)")
    host = urlsplit(BASE_URL).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        pytest.skip(f"SUMMARIZER_TEST_BASE_URL must be a loopback server, not {host}")
    model = os.environ.get("SUMMARIZER_TEST_MODEL", "")
    if not model:
        try:
            with urllib.request.urlopen(BASE_URL.rstrip("/") + "/models", timeout=10) as reply:
                model = json.load(reply)["data"][0]["id"]
        except OSError as exc:
            pytest.skip(f"the server at {BASE_URL} does not answer: {exc}")
    return BASE_URL, model


def _client() -> Client:
    base_url, model = _live()
    timeout = float(os.environ.get("SUMMARIZER_TEST_TIMEOUT", "3600"))
    return Client(base_url=base_url, model=model, timeout=timeout, cache=False, call_log=False, reasks=1)


def _spans_exact(result: Summary | Comparison, texts: dict[str, str]) -> None:
    for span in _spans(result.model_dump()):
        assert texts[span["source"]][span["start"] : span["end"]] == span["text"]


def _spans(node: object) -> list[dict[str, object]]:
    if isinstance(node, dict):
        found = [node] if {"source", "start", "end", "text"} <= node.keys() else []
        return found + [s for v in node.values() for s in _spans(v)]
    if isinstance(node, list):
        return [s for v in node for s in _spans(v)]
    return []


def _grounded_or_explained(result: Summary | Comparison) -> None:
    g = result.grounding
    assert g.items >= 2 and g.grounded + g.ungrounded == g.items  # headline/summary are always checked
    assert (g.ungrounded == 0) == (not g.reasons)


def test_summarize_against_the_live_server() -> None:
    client = _client()
    summary = client.summarize(ANADOLU, length="short")
    assert summary.provenance.model == client.settings.model
    assert summary.provenance.usage.output_tokens > 0
    _spans_exact(summary, {"A": summary.source.text})
    _grounded_or_explained(summary)


def test_compare_against_the_live_server() -> None:
    comparison = _client().compare([ANADOLU, MEHR])
    _spans_exact(comparison, {s.id: s.text for s in comparison.sources})
    _grounded_or_explained(comparison)
    assert {st.source for c in comparison.claims for st in c.sources} <= {"A", "B"}


def test_verify_with_the_live_server_as_judge() -> None:
    verification = _client().verify(
        "Iran turned down an offer from Russia to mediate between Tehran and Washington.", [ANADOLU]
    )
    assert verification.mode == "deterministic+judge"
    assert [c.decided_by for c in verification.claims] == ["judge"]


def test_verify_asks_the_live_judge_fact_by_fact() -> None:
    """A claim of two facts is asked about as two facts, each answered within the grammar (an answer, not
    a fallback); which verdicts a small model gives is measured by bench/verify_judge.py, not pinned."""
    claim = "Mahmoud Vaezi dismissed direct talks with Washington and said many countries offered mediation."
    verification = _client().verify(claim, [ANADOLU])
    [checked] = verification.claims
    assert [f.text for f in checked.facts] == [
        "Mahmoud Vaezi dismissed direct talks with Washington.",
        "Mahmoud Vaezi said many countries offered mediation.",
    ]
    assert all(f.verdict is not None and f.evidence for f in checked.facts)
    assert checked.decided_by == "judge" and verification.provenance.attempts >= 2
