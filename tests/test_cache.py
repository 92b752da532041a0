"""Response cache, pricing and provenance: a hit costs nothing and says so; replay keeps its origin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer import Client, document_from_text
from summarizer.cli import main
from summarizer.errors import ConfigError
from summarizer.llm._paths import user_dir
from summarizer.llm.base import Completion, OutputSpec
from summarizer.llm.cache import CachingBackend, ResponseCache
from summarizer.llm.pricing import PriceTable
from summarizer.schemas import Usage
from summarizer.testing import FakeBackend

ROOT = Path(__file__).resolve().parent.parent
TEXT = 'The bridge reopened on Monday. The mayor said: "It is safe." Repairs cost 4 million euros.'


def answer() -> dict[str, Any]:
    return {
        "headline": "Bridge reopens",
        "summary": "The bridge reopened after repairs.",
        "key_points": [{"text": "The bridge reopened.", "sentence_ids": ["A1"]}],
        "quotes": [{"speaker": "The mayor", "role": "mayor", "text": "It is safe.", "sentence_ids": ["A2"]}],
        "entities": [],
        "dates": [],
        "caveats": [],
        "language": "en",
    }


def fake(n: int = 1) -> FakeBackend:
    return FakeBackend([answer()] * n, model="gpt-4o-mini", usage=Usage(input_tokens=1000, output_tokens=200))


def test_second_identical_request_is_a_free_hit(tmp_path: Path) -> None:
    backend = fake(2)
    client = Client(backend=backend, cache=True, cache_dir=tmp_path)
    doc = document_from_text(TEXT, outlet="Daily")
    first = client.summarize(doc)
    second = client.summarize(doc)
    assert len(backend.requests) == 1
    assert first.provenance.cache == "miss"
    assert first.provenance.cost_usd == pytest.approx((1000 * 0.15 + 200 * 0.60) / 1e6)
    assert second.provenance.cache == "hit"
    assert second.provenance.cost_usd == 0.0
    assert second.provenance.usage.total_tokens == 0
    assert second.model_dump(exclude={"provenance"}) == first.model_dump(exclude={"provenance"})


def test_no_cache_and_temperature_bypass(tmp_path: Path) -> None:
    backend = fake(4)
    doc = document_from_text(TEXT, outlet="Daily")
    off = Client(backend=backend, cache=False, cache_dir=tmp_path)
    assert off.summarize(doc).provenance.cache == "off"
    assert off.summarize(doc).provenance.cache == "off"
    warm = Client(backend=backend, cache=True, cache_dir=tmp_path, temperature=0.7)
    assert warm.summarize(doc).provenance.cache == "off"
    assert warm.summarize(doc).provenance.cache == "off"
    assert len(backend.requests) == 4


def test_injected_backend_is_not_cached_by_default() -> None:
    backend = fake(2)
    doc = document_from_text(TEXT, outlet="Daily")
    client = Client(backend=backend)
    client.summarize(doc)
    client.summarize(doc)
    assert len(backend.requests) == 2


async def test_refusals_and_truncations_are_not_cached(tmp_path: Path) -> None:
    spec = OutputSpec(name="X", schema={"type": "object"})
    inner = FakeBackend(
        [Completion(content="{}", finish_reason="length"), Completion(content="{}", refusal="no")]
        + [Completion(content="{}", finish_reason="stop")] * 2
    )
    backend = CachingBackend(inner, ResponseCache(tmp_path / "c.sqlite3"))
    msgs = [{"role": "user", "content": "hi"}]
    for expected in ("miss", "miss", "miss", "hit"):
        assert (await backend.complete(msgs, spec, temperature=0.0)).cache == expected
    assert len(inner.requests) == 3
    assert len(backend.cache) == 1


def test_replay_keeps_fixture_origin_and_logs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "summarize",
        str(ROOT / "fixtures/articles/anadolu.txt"),
        "--replay",
        str(ROOT / "fixtures/exchanges"),
    ]
    assert main([*args, "-f", "json"]) == 0
    prov = json.loads(capsys.readouterr().out)["provenance"]
    assert prov["fixture_origin"].startswith("authored")
    assert prov["cache"] == "off" and prov["cost_usd"] == 0.0
    assert main(["logs", "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1 and rows[0]["fixture_origin"].startswith("authored")


def test_cache_location_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SUMMARIZER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_dir("cache") == tmp_path / "xdg" / "summarizer"
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "mine"))
    assert user_dir("cache") == tmp_path / "mine"


def test_price_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000)
    table = PriceTable()
    assert table.cost("gpt-4o-mini", usage) == pytest.approx(0.75)
    assert table.cost("gpt-4o-mini-2024-07-18", usage) == pytest.approx(0.75)
    assert table.cost("gpt-4o-2024-08-06", usage) == pytest.approx(12.5)
    assert table.cost("llama3.1", usage) is None
    prices = tmp_path / "prices.json"
    prices.write_text(
        json.dumps({"llama3.1": {"input": 0, "output": 0}, "gpt-4o-mini": {"input": 1, "output": 1}})
    )
    monkeypatch.setenv("SUMMARIZER_PRICES", str(prices))
    table = PriceTable()
    assert table.cost("llama3.1", usage) == 0.0
    assert table.cost("gpt-4o-mini", usage) == pytest.approx(2.0)
    prices.write_text("[1, 2]")
    with pytest.raises(ConfigError, match="not a price table"):
        PriceTable()
