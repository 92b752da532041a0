"""The response cache's key and what a hit reports (llm/cache.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from summarizer.llm.base import OutputSpec
from summarizer.llm.cache import CachingBackend, ResponseCache, request_key
from summarizer.testing import FakeBackend

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
