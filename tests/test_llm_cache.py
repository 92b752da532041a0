"""The response cache's key and what a hit reports (llm/cache.py)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from summarizer.cli import main
from summarizer.llm.base import Completion, OutputSpec
from summarizer.llm.cache import CachingBackend, ResponseCache, request_key
from summarizer.llm.endpoints import MEMORY_FILE
from summarizer.testing import FakeBackend
from tests.llamafake import LlamaCppServer
from tests.test_local_server import ANADOLU, ANADOLU_ANSWER, state_dir

MESSAGES = [{"role": "user", "content": "A1: One. A2: Two."}]
SCHEMA = {"type": "object", "properties": {"sentence_ids": {"type": "array", "items": {"type": "string"}}}}


def spec(*ids: str, mode: str = "auto") -> OutputSpec:
    return OutputSpec("Ids", SCHEMA, mode, None, (("sentence_ids", ids),) if ids else ())  # type: ignore[arg-type]


async def test_requests_differing_only_in_their_choices_do_not_share_an_entry(tmp_path: Path) -> None:
    """`choices` become the grammar's enums (json_object_schema): narrowed to A1, the answer cannot cite
    A2, so an answer given under other choices is not an answer to this request."""
    inner = FakeBackend(['{"sentence_ids": ["A1"]}', '{"sentence_ids": ["A2"]}'])
    backend = CachingBackend(inner, ResponseCache(tmp_path / "c.sqlite3"))
    first = await backend.complete(MESSAGES, spec("A1"), temperature=0.0)
    second = await backend.complete(MESSAGES, spec("A2"), temperature=0.0)
    assert (first.cache, second.cache) == ("miss", "miss")
    assert second.content == '{"sentence_ids": ["A2"]}' and len(inner.requests) == 2
    again = await backend.complete(MESSAGES, spec("A2"), temperature=0.0)
    assert again.cache == "hit" and again.content == second.content


def test_a_request_without_choices_keeps_the_key_it_had() -> None:
    """Entries written before choices were keyed stay reachable for requests that carry none."""
    output = spec(mode="json_schema")
    before = json.dumps(
        {
            "host": "h",
            "model": "m",
            "messages": MESSAGES,
            "output": {"name": "Ids", "schema": SCHEMA, "mode": "json_schema"},
            "temperature": 0.0,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert request_key("h", "m", MESSAGES, output, 0.0) == hashlib.sha256(before.encode()).hexdigest()
    assert request_key("h", "m", MESSAGES, spec("A1"), 0.0) != request_key("h", "m", MESSAGES, spec(), 0.0)


async def test_a_hit_reports_the_mode_that_produced_the_answer(tmp_path: Path) -> None:
    inner = FakeBackend([Completion('{"sentence_ids": ["A1"]}', "stop", mode="json_object_schema")])
    backend = CachingBackend(inner, ResponseCache(tmp_path / "c.sqlite3"))
    assert (await backend.complete(MESSAGES, spec("A1"), temperature=0.0)).cache == "miss"
    hit = await backend.complete(MESSAGES, spec("A1"), temperature=0.0)
    assert hit.cache == "hit" and hit.mode == "json_object_schema"


def test_an_entry_stored_without_its_mode_is_still_read(tmp_path: Path) -> None:
    """Cache files written before the mode was stored: the answer is served, its mode unknown (None)."""
    cache = ResponseCache(tmp_path / "c.sqlite3")
    cache.put("k", "m", Completion("{}", "stop"))
    old = json.dumps({"content": "{}", "finish_reason": "stop", "refusal": None, "usage": {}})
    with sqlite3.connect(tmp_path / "c.sqlite3") as db:
        db.execute("UPDATE responses SET answer = ? WHERE key = 'k'", (old,))
    hit = cache.get("k")
    assert hit is not None and hit.content == "{}" and hit.mode is None and hit.cache == "hit"


def test_a_cached_answer_names_its_mode_after_the_endpoint_memory_is_gone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The mode comes from the cache entry, not from what the endpoint memory says now (which may have
    changed, or be gone: provenance then said `auto`)."""
    with LlamaCppServer(answer=lambda body: ANADOLU_ANSWER) as llama:
        argv = ["summarize", ANADOLU, "--base-url", llama.url, "--model", "qwen", "-f", "json"]
        assert main(argv) == 0
        capsys.readouterr()
        (state_dir() / MEMORY_FILE).unlink()
        sent = len(llama.chat_requests())
        assert main(argv) == 0
        provenance = json.loads(capsys.readouterr().out)["provenance"]
        assert len(llama.chat_requests()) == sent and provenance["cache"] == "hit"
    assert provenance["structured_output"] == "json_object_schema"
