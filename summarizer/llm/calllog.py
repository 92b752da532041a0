"""Every model call, logged to SQLite: time, model, endpoint host, template hashes, tokens, cost,
latency, status, attempt, cache status.

    backend = LoggingBackend(CachingBackend(OpenAIBackend(...), cache), CallLog.default())

The pipeline says which task and templates a call serves with `call_context(...)`; a context variable
carries it to the backend, so concurrent tasks in a batch each log their own. `summarizer logs` reads
the log back (`CallLog.query`) and exports it as a table, JSON or CSV (`format_rows`).
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import datetime as dt
import io
import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.errors import BackendError
from summarizer.llm._sqlite import SqliteStore
from summarizer.llm.base import (
    Backend,
    Completion,
    Message,
    OutputSpec,
    StructuredMode,
    answer_refused,
    schema_ignored,
)
from summarizer.llm.pricing import PriceTable
from summarizer.llm.redact import redact
from summarizer.schemas import Usage

LOG_FILE = "calls.sqlite3"

COLUMNS = (
    "id",
    "time",
    "task",
    "item",
    "model",
    "endpoint_host",
    "templates",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "latency_ms",
    "status",
    "http_status",
    "error",
    "attempt",
    "cache",
    "fixture_origin",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the first table (files from before versions have it already)
        """CREATE TABLE IF NOT EXISTS calls (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            task TEXT,
            item TEXT,
            model TEXT,
            endpoint_host TEXT,
            templates TEXT,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cost_usd REAL,
            latency_ms REAL NOT NULL,
            status TEXT NOT NULL,
            http_status INTEGER,
            error TEXT,
            attempt INTEGER,
            cache TEXT,
            fixture_origin TEXT
        )""",
    ),
)
"""Schema versions of the log file: entry `i` takes a file from version `i` to `i + 1`."""


@dataclass
class CallContext:
    """What the calls in a structured-call loop are for; `attempt` counts them."""

    task: str | None = None
    templates: dict[str, str] = field(default_factory=dict)
    item: str | None = None
    attempt: int = 0


_CONTEXT: contextvars.ContextVar[CallContext | None] = contextvars.ContextVar("summarizer_call", default=None)


@contextlib.contextmanager
def call_context(
    task: str | None = None, templates: dict[str, str] | None = None, item: str | None = None
) -> Iterator[CallContext]:
    """Label the model calls made inside the block (task, template name → sha256, batch item)."""
    outer = _CONTEXT.get()
    ctx = CallContext(task=task, templates=templates or {}, item=item or (outer.item if outer else None))
    token = _CONTEXT.set(ctx)
    try:
        yield ctx
    finally:
        _CONTEXT.reset(token)


@contextlib.contextmanager
def item_context(item: str) -> Iterator[None]:
    """Label every call made inside the block with a batch item id."""
    token = _CONTEXT.set(CallContext(item=item))
    try:
        yield
    finally:
        _CONTEXT.reset(token)


TASKS = {"summarize": "SummaryDraft", "compare": "ComparisonDraft", "verify": "JudgeDraft"}
"""The task names users know → the draft name a call is logged under (chunk and digest calls of long
articles are summaries too)."""

OFF_FILE = "logs-off"
OFF_VALUES = ("0", "off", "false", "no")


def logging_enabled(directory: str | Path | None = None) -> bool:
    """Whether calls are logged by default: not when $SUMMARIZER_LOGS is off/0/false/no, nor after
    `summarizer logs off` (a `logs-off` file beside the log)."""
    if os.environ.get("SUMMARIZER_LOGS", "").strip().lower() in OFF_VALUES:
        return False
    return not CallLog.location(directory).with_name(OFF_FILE).exists()


def set_logging(enabled: bool, directory: str | Path | None = None) -> Path:
    """`summarizer logs on|off`: remove or create the `logs-off` file; returns its path."""
    flag = CallLog.location(directory).with_name(OFF_FILE)
    if enabled:
        flag.unlink(missing_ok=True)
    else:
        flag.parent.mkdir(parents=True, exist_ok=True)
        flag.write_text("call logging is off; `summarizer logs on` turns it back on\n", encoding="utf-8")
    return flag


class CallLog(SqliteStore):
    """The call log: one SQLite file, appended to by every run."""

    FILE = LOG_FILE
    KIND = "state"
    TABLE = "calls"
    LABEL = "call log"
    MIGRATIONS = MIGRATIONS

    def add(self, **row: Any) -> bool:
        """Append one row; never raises (a log line must not cost the answer it logs): False if lost."""
        names = [c for c in COLUMNS if c != "id" and c in row]
        sql = f"INSERT INTO calls ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
        values = [row[n] for n in names]
        return self._write("a call-log row", lambda c: c.execute(sql, values))

    def query(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        model: str | None = None,
        status: str | None = None,
        task: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Calls, newest first by start time (at most `limit`); times are ISO 8601 UTC. `task` takes the
        user's words (`summarize`, `compare`, `verify`; see `TASKS`) or the logged draft name."""
        where, args = [], []
        for test, value in (
            ("julianday(time) >= julianday(?)", since),  # julianday: any ISO form, any offset
            ("julianday(time) < julianday(?)", until),
            ("model = ?", model),
            ("status = ?", status),
            ("task = ?", TASKS.get(task, task) if task else None),
        ):
            if value is not None:
                where.append(test)
                args.append(value)
        sql = f"SELECT {', '.join(COLUMNS)} FROM calls"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY julianday(time) DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = [dict(zip(COLUMNS, r)) for r in self._use(lambda c: c.execute(sql, args).fetchall())]
        for row in rows:  # rows stored before redaction existed
            if row["error"]:
                row["error"] = redact(row["error"])
        return rows


class LoggingBackend:
    """A `Backend` that writes one call-log row per call, successful or not."""

    def __init__(
        self,
        inner: Backend,
        log: CallLog,
        prices: PriceTable | None = None,
        *,
        secrets: Sequence[str | None] = (),
    ) -> None:
        self.inner = inner
        self.log = log
        self.prices = prices or PriceTable()
        self.secrets = tuple(secrets)
        """Redacted from stored error text besides key-shaped tokens (the configured API key)."""
        self.name = inner.name
        self.model = inner.model
        self.endpoint_host = inner.endpoint_host

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        ctx = _CONTEXT.get()
        if ctx is not None:
            ctx.attempt += 1
        started = time.perf_counter()
        row: dict[str, Any] = {
            "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
            "task": ctx.task if ctx else output.name,
            "item": ctx.item if ctx else None,
            "model": self.model,
            "endpoint_host": self.endpoint_host,
            "templates": json.dumps(ctx.templates if ctx else {}, sort_keys=True),
            "attempt": ctx.attempt if ctx else None,
        }
        try:
            completion = await self.inner.complete(messages, output, temperature=temperature)
        except Exception as exc:
            usage = getattr(exc, "usage", None)
            self.log.add(
                **row,
                latency_ms=_ms(started),
                status="error",
                http_status=exc.status if isinstance(exc, BackendError) else None,
                error=redact(f"{type(exc).__name__}: {exc}", self.secrets)[:500],
                input_tokens=usage.input_tokens if isinstance(usage, Usage) else 0,
                output_tokens=usage.output_tokens if isinstance(usage, Usage) else 0,
            )
            raise
        except BaseException as exc:  # Ctrl-C or a cancelled task: the request may have been paid for
            self.log.add(**row, latency_ms=_ms(started), status="interrupted", error=type(exc).__name__)
            raise
        self.log.add(
            **row,
            latency_ms=_ms(started),
            status="ok",
            input_tokens=completion.usage.input_tokens,
            output_tokens=completion.usage.output_tokens,
            cost_usd=completion_cost(self.prices, self.model, completion),
            cache=completion.cache,
            fixture_origin=completion.fixture_origin,
        )
        return completion

    def answer_refused(self, messages: list[Message], output: OutputSpec, temperature: float) -> None:
        answer_refused(self.inner, messages, output, temperature)

    def schema_ignored(self, mode: StructuredMode) -> None:
        schema_ignored(self.inner, mode)

    async def aclose(self) -> None:
        closer = getattr(self.inner, "aclose", None)
        if closer is not None:
            await closer()


def completion_cost(prices: PriceTable, model: str | None, completion: Completion) -> float | None:
    """Cache hits and replayed answers cost nothing; otherwise the price table decides (None: unknown)."""
    if completion.cache == "hit" or completion.fixture_origin is not None:
        return 0.0
    return prices.cost(model, completion.usage)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


# --------------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------------

TABLE_COLUMNS = (
    "time",
    "task",
    "model",
    "status",
    "cache",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "latency_ms",
    "attempt",
)


def format_rows(rows: Sequence[dict[str, Any]], fmt: str) -> str:
    """`json` (one array), `jsonl`, `csv` (every column) or `table` (the main columns aligned, and a
    total)."""
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    return table(rows) + totals_line(rows) + "\n"


_TASK_WORDS = {draft: word for word, draft in TASKS.items()}
_NUMERIC = {"input_tokens", "output_tokens", "cost_usd", "latency_ms", "attempt"}
_HEADERS = {"input_tokens": "in", "output_tokens": "out", "cost_usd": "cost", "latency_ms": "ms"}


def _cell(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    if value is None:
        return ""
    if column == "time":
        return str(value)[:19].replace("T", " ")
    if column == "task":
        return _TASK_WORDS.get(str(value), str(value))
    if column == "cost_usd":
        return f"{value:.4f}"
    if column == "latency_ms":
        return f"{value:.0f}"
    return str(value)


def table(rows: Sequence[dict[str, Any]]) -> str:
    """The main columns, aligned (numbers to the right); times in UTC to the second."""
    cells = [[_HEADERS.get(c, c) for c in TABLE_COLUMNS]]
    cells += [[_cell(r, c) for c in TABLE_COLUMNS] for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(TABLE_COLUMNS))]
    out = []
    for line in cells:
        parts = [v.rjust(w) if c in _NUMERIC else v.ljust(w) for v, w, c in zip(line, widths, TABLE_COLUMNS)]
        out.append("  ".join(parts).rstrip() + "\n")
    return "".join(out)


def totals_line(rows: Sequence[dict[str, Any]]) -> str:
    tokens = sum(r["input_tokens"] + r["output_tokens"] for r in rows)
    known = [r["cost_usd"] for r in rows if r["cost_usd"] is not None]
    unknown = sum(1 for r in rows if r["cost_usd"] is None and r["status"] == "ok")
    cost = f"${sum(known):.4f}" + (f" (+{unknown} calls of unknown price)" if unknown else "")
    errors = sum(1 for r in rows if r["status"] != "ok")
    hits = sum(1 for r in rows if r["cache"] == "hit")
    return f"{len(rows)} calls, {errors} errors, {hits} cache hits, {tokens} tokens, {cost}"
