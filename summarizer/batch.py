"""Batches: many summaries or comparisons in one run, one JSONL line per item, resumable.

    items = read_items(["archive/"], task="summarize")  # each input read once; len(items) to count
    report = run_batch(Client(model="gpt-4o-mini", rpm=500), items, Path("out.jsonl"), concurrency=16)

Inputs are files, directories (their .txt/.md files; for compare, each subfolder is one group),
glob patterns, or JSONL manifests (`.jsonl`): one item per line, `{"id": …, "path": …}` or
`{"text": …, "outlet": …}` for a summary, `{"id": …, "sources": [path or {"text": …}, …]}` for a
comparison. Every item ends as exactly one line of the output: `{"id", "task", "status": "ok",
"cache", "result"}` or `{"id", "task", "status": "error", "error": {"type", "message", "exit_code"}}`,
appended in one write and fsync'd, so a crash loses at most the items in flight. `resume=True` skips
the ids already in the output (and, with `retry_failed=True`, re-runs the failed ones: the last line
for an id wins). One item's failure never stops the batch.

The inputs are read in `summarizer._batch_inputs`, the output written in `summarizer._batch_output`;
their names are importable from here.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from summarizer._batch_inputs import (
    ARTICLE_SUFFIXES,
    SIDECAR,
    TASKS,
    BatchItem,
    BatchItems,
    Source,
    Task,
    count_items,
    iter_items,
    read_items,
    unique_ids,
)
from summarizer._batch_output import (
    JsonlWriter,
    OutputWriteError,
    cut_torn_tail,
    damaged_path,
    finished_ids,
    json_line,
    log,
)
from summarizer._files import output_lock
from summarizer.documents import load_document
from summarizer.errors import AttemptsExhaustedError, ConfigError, QuotaError, SummarizerError
from summarizer.llm.calllog import item_context
from summarizer.llm.redact import redact, scrub_chain
from summarizer.pipeline import Client, run_sync
from summarizer.schemas import Comparison, Document, Summary, Usage

__all__ = [
    "ARTICLE_SUFFIXES",
    "SIDECAR",
    "TASKS",
    "BatchItem",
    "BatchItems",
    "BatchReport",
    "JsonlWriter",
    "OutputWriteError",
    "Progress",
    "Runner",
    "Source",
    "Task",
    "arun_batch",
    "count_items",
    "count_record",
    "cut_torn_tail",
    "damaged_path",
    "error_record",
    "finished_ids",
    "iter_items",
    "json_line",
    "log",
    "read_items",
    "run_batch",
    "run_item",
    "unique_ids",
]


@dataclass
class BatchReport:
    """Counts for the final summary line; `cost_usd` covers calls of known price only."""

    total: int | None = None
    succeeded: int = 0
    failed: int = 0
    cached: int = 0
    skipped: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    unpriced: int = 0
    """Items whose model has no known price (their cost is not in `cost_usd`)."""
    started: float = field(default_factory=time.monotonic)
    elapsed_s: float = 0.0

    @property
    def done(self) -> int:
        return self.succeeded + self.failed

    @property
    def exit_code(self) -> int:
        return 4 if self.failed else 0

    def line(self) -> str:
        cost = f"${self.cost_usd:.4f}" + (f" (+{self.unpriced} of unknown price)" if self.unpriced else "")
        skipped = f", {self.skipped} skipped (done before)" if self.skipped else ""
        return (
            f"{self.succeeded} succeeded, {self.failed} failed, {self.cached} cached{skipped}; "
            f"{self.tokens} tokens, {cost}, {self.elapsed_s:.1f}s"
        )


class Progress:
    """A one-line bar on a terminal (items, rate, ETA, tokens, cost), plain lines otherwise."""

    def __init__(
        self, stream: TextIO | None = None, *, tty: bool | None = None, every_s: float = 10.0
    ) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.every_s = every_s if not self.tty else 0.1
        self._last = 0.0

    def update(self, report: BatchReport, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self._last < self.every_s:
            return
        self._last = now
        text = self.describe(report, now)
        if self.tty:
            self.stream.write("\r\x1b[2K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    @staticmethod
    def describe(report: BatchReport, now: float) -> str:
        elapsed = max(now - report.started, 1e-9)
        rate = report.done / elapsed
        total = report.total
        if total:
            left = max(total - report.skipped - report.done, 0)
            eta = f"ETA {_duration(left / rate)}" if rate > 0 else "ETA ?"
            width = 24
            filled = int(width * (report.done + report.skipped) / total)
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {report.done + report.skipped}/{total} "
        else:
            bar, eta = f"{report.done} ", ""
        return (
            f"{bar}{rate:.1f}/s {eta} | {report.tokens} tok ${report.cost_usd:.4f} | "
            f"ok {report.succeeded} failed {report.failed} cached {report.cached}"
        )


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return (
        f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
        if seconds >= 3600
        else f"{seconds // 60}m{seconds % 60:02d}s"
    )


async def arun_batch(
    client: Client,
    items: Iterable[BatchItem],
    output: str | os.PathLike[str],
    *,
    concurrency: int = 8,
    resume: bool = False,
    retry_failed: bool = False,
    overwrite: bool = False,
    total: int | None = None,
    progress: Progress | None = None,
    fsync: bool = True,
    append: bool = False,
    run: Runner | None = None,
) -> BatchReport:
    """Run every item with at most `concurrency` in flight; see the module docstring.

    `append` adds to an existing output without skipping anything (the caller chose the items);
    `run` replaces `run_item` (a provider batch job answers items from its downloaded results).
    """
    if concurrency < 1:
        raise ConfigError(f"--concurrency must be 1 or more, not {concurrency}")
    run = run or run_item
    out = Path(output)
    if isinstance(items, Sequence):  # iter_items checks its own; a caller's list is checked here
        unique_ids((None, item) for item in items)
    if out.is_dir():
        raise ConfigError(f"-o {out} is a folder: name a .jsonl file, e.g. -o {out / 'results.jsonl'}")
    stream = out.exists() and not out.is_file()  # a pipe or device (-o /dev/stdout): written, never read
    if stream and (resume or retry_failed):
        raise ConfigError(f"--resume reads what -o holds, but {out} is a pipe or device: give a file")
    with output_lock(out):  # a second run on this output fails here, naming this one
        exists = not stream and out.exists() and out.stat().st_size
        if exists and not (resume or retry_failed or overwrite or append):
            raise ConfigError(f"{out} exists: add --resume to continue it, or --overwrite to start again")
        real = Path(os.path.realpath(out))  # -o LINK: the link stays, its target is the output
        if overwrite and not (resume or retry_failed) and not stream:
            real.unlink(missing_ok=True)
        done = finished_ids(real, retry_failed=retry_failed) if (resume or retry_failed) else set()
        if client.engine == "llm":
            await client.ready()  # a missing or dead endpoint is the run's error, not every item's
        report = BatchReport(total=total)
        queue = iter(items)
        try:
            with JsonlWriter(out, fsync=fsync) as writer:
                stopped: list[Exception] = []

                async def work() -> None:
                    for item in queue:  # a caller's own iterator may raise here: the batch stops
                        if stopped:  # no later item would pass (quota spent, disk full): start none
                            return
                        if item.id in done:
                            report.skipped += 1
                            continue
                        record = await run(client, item)  # QuotaError: not written, --resume reruns it
                        writer.write(record)
                        count_record(report, record)
                        if progress is not None:
                            progress.update(report)

                async def worker() -> None:
                    try:
                        await work()
                    except Exception as exc:  # stop the others at their next item: what they have in
                        stopped.append(exc)  # hand is paid for, and is written before the error leaves

                await asyncio.gather(*(worker() for _ in range(concurrency)))
                first = stopped[0] if stopped else None
                if isinstance(first, QuotaError):
                    raise QuotaError(
                        f"batch stopped after {report.done} items: {first}",
                        status=first.status,
                        body=first.body,
                    ) from first
                if first is not None:
                    raise first
        finally:
            report.elapsed_s = time.monotonic() - report.started
            await client.aclose()
        if progress is not None:
            progress.update(report, final=True)
        return report


Runner = Callable[[Client, BatchItem], Awaitable[dict[str, Any]]]
"""Makes one item's output line (`run_item`, or a provider batch job's collector)."""


def run_batch(
    client: Client, items: Iterable[BatchItem], output: str | os.PathLike[str], **options: Any
) -> BatchReport:
    return run_sync(arun_batch(client, items, output, **options))


async def run_item(client: Client, item: BatchItem) -> dict[str, Any]:
    """One item's output line; every error becomes an error line, never an exception."""
    head: dict[str, Any] = {"id": item.id, "task": item.task}
    try:
        with item_context(item.id):
            if item.error is not None:
                raise item.error
            if item.task == "compare":
                result: Any = await client.acompare(
                    [_load(s, sid) for s, sid in zip(item.sources, _ids(item))]
                )
            else:
                result = await client.asummarize(_load(item.sources[0], "A"), length=item.length)
    except QuotaError:  # no later item would pass either: the batch stops
        raise
    except Exception as exc:  # one item's failure, whatever it is, must not stop the batch
        return error_record(item, exc, [client.settings.api_key])
    prov = result.provenance
    return {**head, "status": "ok", "cache": prov.cache, "result": result}  # serialised by `json_line`


def error_record(item: BatchItem, exc: Exception, secrets: Iterable[str | None] = ()) -> dict[str, Any]:
    """An item's error line. A server may echo the key, a wrapped error may quote a request's headers:
    the message holds none of `secrets` (the configured key) nor any key-shaped token, and neither do
    `exc` and the exceptions behind it, which a caller may still log."""
    scrub_chain(exc, secrets)
    code = exc.exit_code if isinstance(exc, SummarizerError) else 1
    error: dict[str, Any] = {
        "type": type(exc).__name__,
        "message": redact(str(exc), secrets),
        "exit_code": code,
    }
    if isinstance(exc, AttemptsExhaustedError) and exc.errors:
        error["problems"] = list(exc.errors)
    usage = getattr(exc, "usage", None)
    if isinstance(usage, Usage) and (usage.input_tokens or usage.output_tokens):
        error["usage"] = {"input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens}
    return {"id": item.id, "task": item.task, "status": "error", "error": error}


def _ids(item: BatchItem) -> list[str]:
    from summarizer.documents import source_ids

    return source_ids(len(item.sources))


def _load(source: Source, source_id: str) -> Document:
    if isinstance(source, Document):
        return source
    return load_document(source, source_id=source_id)


def count_record(report: BatchReport, record: dict[str, Any]) -> None:
    """Add one output line (`run_item`'s, or a provider batch job's) to the report's counts."""
    if record["status"] != "ok":
        report.failed += 1
        usage = record.get("error", {}).get("usage") or {}
        report.tokens += int(usage.get("input_tokens", 0)) + int(usage.get("output_tokens", 0))
        return
    report.succeeded += 1
    result: Summary | Comparison = record["result"]  # as `run_item` made it: the model, not yet JSON
    prov = result.provenance
    report.cached += record["cache"] == "hit"
    report.tokens += prov.usage.input_tokens + prov.usage.output_tokens
    if prov.cost_usd is not None:
        report.cost_usd += prov.cost_usd
    elif prov.engine != "offline":  # the offline engine calls no model: it costs nothing
        report.unpriced += 1
