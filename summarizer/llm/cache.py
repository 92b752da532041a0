"""A response cache in SQLite, keyed by the request, so the same request is never paid for twice.

The key is the SHA-256 of the canonical request: endpoint host, model, messages, output schema, mode
and choices (the values a grammar lets some properties take), temperature, and the answer limit the
request carries (`max_tokens`: the configured one, else the task's allowance where it is sent): an
answer written under a large limit is not one a small limit would have let through. Only deterministic
requests (temperature 0) are cached; refusals and truncated answers are not, and an answer the caller
refuses (not the schema, invalid, or cut off: `answer_refused`) is removed, so the next run asks the model
again. A hit returns the stored answer with zero usage and `cache="hit"`; the answer's fixture origin,
if it was replayed, is kept, and so is the structured-output mode that produced it (what `auto` chose;
None for entries stored before it was).

    backend = CachingBackend(OpenAIBackend(...), ResponseCache.default())
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from typing import Any

from summarizer.llm._sqlite import SqliteStore, log
from summarizer.llm.base import (
    FALLBACK_MODES,
    Backend,
    Completion,
    Message,
    OutputSpec,
    StructuredMode,
    answer_refused,
    schema_ignored,
)
from summarizer.llm.endpoints import answer_limit
from summarizer.schemas import Usage

CACHE_FILE = "responses.sqlite3"

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the first table (files from before versions have it already)
        """CREATE TABLE IF NOT EXISTS responses (
            key TEXT PRIMARY KEY,
            model TEXT,
            created_at TEXT NOT NULL,
            answer TEXT NOT NULL
        )""",
    ),
)
"""Schema versions of the cache file: entry `i` takes a file from version `i` to `i + 1`."""


def request_key(
    host: str | None,
    model: str,
    messages: list[Message],
    output: OutputSpec,
    temperature: float,
    max_tokens: int | None = None,
) -> str:
    """The entry's key. `max_tokens`: the answer limit the request carries (`answer_limit`). `choices`
    and `max_tokens` are keyed only when given, so a request without them keeps the key it had before
    they were (its entries stay reachable)."""
    shape: dict[str, Any] = {"name": output.name, "schema": output.schema, "mode": output.mode}
    if output.choices:
        shape["choices"] = [[name, list(values)] for name, values in output.choices]
    request: dict[str, Any] = {
        "host": host,
        "model": model,
        "messages": messages,
        "output": shape,
        "temperature": temperature,
    }
    if max_tokens is not None:
        request["max_tokens"] = max_tokens
    canonical = json.dumps(
        request,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache(SqliteStore):
    """Answers by request key, in one SQLite file."""

    FILE = CACHE_FILE
    KIND = "cache"
    TABLE = "responses"
    LABEL = "response cache"
    MIGRATIONS = MIGRATIONS

    def get(self, key: str) -> Completion | None:
        """The stored answer, or None (also when the cache cannot be read: the request is then sent)."""
        try:
            row = self._use(
                lambda c: c.execute("SELECT answer FROM responses WHERE key = ?", (key,)).fetchone()
            )
            answer: dict[str, Any] | None = json.loads(row[0]) if row is not None else None
        except (sqlite3.Error, ValueError, TypeError) as exc:
            log.warning("summarizer: warning: cannot read %s (%s): asking the model instead", self.path, exc)
            return None
        if not isinstance(answer, dict):
            return None
        mode = answer.get("mode")
        return Completion(
            content=answer.get("content"),
            finish_reason=answer.get("finish_reason"),
            refusal=answer.get("refusal"),
            usage=Usage(),
            fixture_origin=answer.get("fixture_origin"),
            cache="hit",
            mode=mode if mode in FALLBACK_MODES else None,
        )

    def put(self, key: str, model: str, completion: Completion) -> None:
        answer = {
            "content": completion.content,
            "finish_reason": completion.finish_reason,
            "refusal": completion.refusal,
            "usage": completion.usage.model_dump(exclude={"total_tokens"}),
            "fixture_origin": completion.fixture_origin,
            "mode": completion.mode,
        }
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        values = (key, model, now, json.dumps(answer, ensure_ascii=False))
        self._write(
            "an answer",
            lambda c: c.execute(
                "INSERT OR REPLACE INTO responses (key, model, created_at, answer) VALUES (?, ?, ?, ?)",
                values,
            ),
        )

    def delete(self, key: str) -> None:
        self._write(
            "the removal of an answer",
            lambda c: c.execute("DELETE FROM responses WHERE key = ?", (key,)),
        )

    def __len__(self) -> int:
        return int(self._use(lambda c: c.execute("SELECT COUNT(*) FROM responses").fetchone()[0]))

    def clear(self) -> int:
        return int(self._use(lambda c: c.execute("DELETE FROM responses").rowcount))


def cacheable(completion: Completion) -> bool:
    return not completion.refusal and completion.finish_reason != "length" and completion.content is not None


class CachingBackend:
    """A `Backend` that answers repeated deterministic requests from a `ResponseCache`."""

    def __init__(self, inner: Backend, cache: ResponseCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.model = inner.model
        self.endpoint_host = inner.endpoint_host

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        if temperature != 0:
            completion = await self.inner.complete(messages, output, temperature=temperature)
            completion.cache = "off"
            return completion
        key = self._key(messages, output, temperature)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        completion = await self.inner.complete(messages, output, temperature=temperature)
        completion.cache = "miss"
        if cacheable(completion):
            self.cache.put(key, self.model, completion)
        return completion

    def _key(self, messages: list[Message], output: OutputSpec, temperature: float) -> str:
        limit = answer_limit(getattr(self.inner, "max_tokens", None), self.endpoint_host, output)
        return request_key(self.endpoint_host, self.model, messages, output, temperature, limit)

    def answer_refused(self, messages: list[Message], output: OutputSpec, temperature: float) -> None:
        """Forget the answer to this request: it failed validation, so a later run asks again."""
        if temperature == 0:
            self.cache.delete(self._key(messages, output, temperature))
        answer_refused(self.inner, messages, output, temperature)

    def schema_ignored(self, mode: StructuredMode) -> None:
        schema_ignored(self.inner, mode)

    async def aclose(self) -> None:
        closer = getattr(self.inner, "aclose", None)
        if closer is not None:
            await closer()
