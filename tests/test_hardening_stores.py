"""Issue 13, item 4 and the call log's "Also" items: damaged SQLite stores, schema versions, keys
echoed by a server, interrupted requests."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from summarizer import Client
from summarizer.batch import iter_items, run_batch
from summarizer.documents import document_from_text
from summarizer.errors import BackendError, ConfigError
from summarizer.llm.base import Completion, OutputSpec
from summarizer.llm.cache import ResponseCache
from summarizer.llm.calllog import CallLog, LoggingBackend, format_rows
from summarizer.llm.redact import redact
from summarizer.schemas import Usage
from summarizer.testing import FakeBackend
from tests.fakeserver import FakeOpenAIServer
from tests.samples import SUMMARY_ANSWER as ANSWER

SPEC = OutputSpec(name="Answer", schema={"type": "object"})


def completion(text: str) -> Completion:
    return Completion(content=text, finish_reason="stop", refusal=None, usage=Usage(input_tokens=1))


def filled_cache(path: Path, n: int = 400) -> None:
    cache = ResponseCache(path)
    for i in range(n):
        cache.put(f"key{i:04d}", "m", completion(f"answer {i} " + "x" * 300))
    cache.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def damage(path: Path, *, at: float = 0.6, size: int = 8192) -> None:
    """Garbage over part of the file, well past its first page (as a torn disk write leaves)."""
    data = bytearray(path.read_bytes())
    start = int(len(data) * at) // 4096 * 4096
    data[start : start + size] = b"\xde\xad\xbe\xef" * (size // 4)
    path.write_bytes(bytes(data))


def warnings_of(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)


# -- damage ------------------------------------------------------------------------------------


def test_damaged_cache_is_set_aside_loudly_and_its_readable_answers_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "responses.sqlite3"
    filled_cache(path)
    damage(path)
    with caplog.at_level(logging.WARNING):
        cache = ResponseCache(path)
    said = warnings_of(caplog)
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1
    assert str(path) in said and str(aside[0]) in said and ".recover" in said
    assert 0 < len(cache) < 400  # the rows before the damage survive
    assert cache.get("key0000") is not None
    cache.put("new", "m", completion("fresh"))
    assert cache.get("new") is not None
    assert cache.version == 1


def test_garbage_file_is_replaced_not_fatal(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "calls.sqlite3"
    path.write_bytes(b"this is not a database" * 500)
    with caplog.at_level(logging.WARNING):
        log = CallLog(path)
    assert "is damaged" in warnings_of(caplog)
    assert log.add(time="2026-01-01T00:00:00+00:00", latency_ms=1.0, status="ok")
    assert len(log.query()) == 1


def test_batch_with_damaged_call_log_keeps_every_paid_answer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Was: 20 items paid, none kept ('unexpected DatabaseError' on each), $0.0000 reported."""
    logs = tmp_path / "state"
    logs.mkdir()
    log = CallLog(logs / "calls.sqlite3")
    for i in range(300):
        log.add(time=f"2026-01-01T00:00:{i % 60:02d}+00:00", latency_ms=1.0, status="ok", error="e" * 300)
    log.close()
    damage(logs / "calls.sqlite3", at=0.5)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(5):
        (inputs / f"a{i}.txt").write_text(f"Story {i} happened. It was news.\n", encoding="utf-8")
    backend = FakeBackend([ANSWER] * 5)
    out = tmp_path / "out.jsonl"
    with caplog.at_level(logging.WARNING):
        report = run_batch(
            Client(backend=backend, call_log=True, log_dir=logs), iter_items([inputs]), out, concurrency=2
        )
    assert report.succeeded == 5 and report.failed == 0
    assert "is damaged" in warnings_of(caplog)
    assert len(CallLog(logs / "calls.sqlite3").query(status="ok")) >= 5


class Breaking:
    """A connection stand-in whose next statement fails as SQLite fails on a damaged or full disk."""

    def __init__(self, real: sqlite3.Connection, error: sqlite3.Error) -> None:
        self.real = real
        self.error = error

    def execute(self, *args: Any) -> Any:
        raise self.error

    def close(self) -> None:
        self.real.close()


def test_damage_found_mid_run_sets_the_file_aside_and_retries(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "responses.sqlite3"
    filled_cache(path, 5)
    cache = ResponseCache(path)
    cache._conn = Breaking(cache._conn, sqlite3.DatabaseError("database disk image is malformed"))  # type: ignore[assignment]
    with caplog.at_level(logging.WARNING):
        cache.put("after", "m", completion("kept"))
    assert cache.get("after") is not None and cache.get("key0001") is not None
    assert "is damaged" in warnings_of(caplog)


def test_a_full_disk_never_costs_the_answer(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = ResponseCache(tmp_path / "responses.sqlite3")
    cache._conn = Breaking(cache._conn, sqlite3.OperationalError("database or disk is full"))  # type: ignore[assignment]
    with caplog.at_level(logging.WARNING):
        cache.put("k", "m", completion("paid for"))  # does not raise
        assert cache.get("k") is None
    assert "disk is full" in warnings_of(caplog)


# -- versions ----------------------------------------------------------------------------------


def test_file_from_before_versions_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "responses.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE responses "
        "(key TEXT PRIMARY KEY, model TEXT, created_at TEXT NOT NULL, answer TEXT NOT NULL)"
    )
    conn.execute("INSERT INTO responses VALUES ('old', 'm', 'x', ?)", (json.dumps({"content": "kept"}),))
    conn.commit()
    conn.close()
    cache = ResponseCache(path)
    assert cache.version == 1
    hit = cache.get("old")
    assert hit is not None and hit.content == "kept"


def test_a_later_migration_adds_a_column_to_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    CallLog(path).add(time="2026-01-01T00:00:00+00:00", latency_ms=1.0, status="ok")

    class NewerLog(CallLog):
        MIGRATIONS = (*CallLog.MIGRATIONS, ("ALTER TABLE calls ADD COLUMN region TEXT",))

    newer = NewerLog(path)
    assert newer.version == 2
    assert len(newer.query()) == 1
    columns = {r[1] for r in newer._conn.execute("PRAGMA table_info(calls)")}
    assert "region" in columns


def test_file_from_a_newer_summarizer_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "calls.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(ConfigError, match=r"calls\.sqlite3 has schema version 99.*upgrade summarizer"):
        CallLog(path)


# -- keys and interruptions ----------------------------------------------------------------------

KEY = "sk-proj-Zq8XbT3lmN0pQr5sUv7wXy9z"


def test_redact_removes_key_shaped_tokens_and_the_configured_key() -> None:
    text = f"Incorrect API key provided: {KEY}. Also Bearer abcdefghijklmnopqrstu and my-own-secret-123"
    clean = redact(text, ["my-own-secret-123"])
    assert KEY not in clean and "abcdefghijklmnopqrstu" not in clean and "my-own-secret-123" not in clean
    assert "sk-proj…[redacted]" in clean
    assert redact("the task-summary and sk-short stay") == "the task-summary and sk-short stay"


def test_key_echoed_by_the_server_is_stored_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    (tmp_path / "a.txt").write_text("The mayor spoke. The vote passed.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    logs = tmp_path / "logs"
    with FakeOpenAIServer() as server:
        server.reply(
            401, {"error": {"message": f"Incorrect API key provided: {KEY}.", "code": "invalid_api_key"}}
        )
        client = Client(base_url=server.url, api_key=KEY, log_dir=logs, cache=False)
        run_batch(client, iter_items([tmp_path / "a.txt"]), out)
    line = out.read_text(encoding="utf-8")
    assert "401" in line and KEY not in line and KEY[:12] not in line
    rows = CallLog(logs / "calls.sqlite3").query()
    assert rows and rows[0]["status"] == "error"
    assert KEY not in format_rows(rows, "csv") and "[redacted" in rows[0]["error"]


class Hanging(FakeBackend):
    async def complete(self, messages: Any, output: Any, *, temperature: float) -> Completion:
        await asyncio.sleep(30)
        raise AssertionError("not reached")


def test_interrupted_request_leaves_a_call_log_row(tmp_path: Path) -> None:
    log = CallLog(tmp_path / "calls.sqlite3")
    backend = LoggingBackend(Hanging([]), log)

    async def go() -> None:
        task = asyncio.create_task(backend.complete([{"role": "user", "content": "x"}], SPEC, temperature=0))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(go())
    [row] = log.query()
    assert row["status"] == "interrupted" and row["error"] == "CancelledError"


def test_key_echoed_by_the_server_is_redacted_in_the_error_api_callers_catch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAIServer() as server:
        server.reply(
            401, {"error": {"message": f"Incorrect API key provided: {KEY}.", "code": "invalid_api_key"}}
        )
        client = Client(base_url=server.url, model="m", api_key=KEY, cache=False, log_dir=None)
        with pytest.raises(BackendError) as caught:
            client.summarize(document_from_text("The mayor spoke. The vote passed.", source_id="A"))
    error = caught.value
    assert error.status == 401 and "check OPENAI_API_KEY" in str(error)
    assert KEY not in str(error) and KEY[:12] not in str(error) and "[redacted" in str(error)
    assert error.body is not None and KEY not in error.body and "[redacted" in error.body
