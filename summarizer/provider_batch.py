"""Provider batch jobs: the items of `summarizer batch` through OpenAI's Batch API.

    summarizer batch --via openai-batch archive/ -o out.jsonl                 # whole job, resumable
    summarizer batch --via openai-batch archive/ -o out.jsonl --prepare-only  # requests file alone

The job goes through stages, each recorded in a small state file beside the output
(`out.jsonl.batch.json`: file and batch ids, status), so re-running the same command picks up where
the last run stopped (a run may be interrupted at any point, or leave with `--no-wait`):

1. prepare: every item goes through the pipeline as in a direct run, but its one model request is
   captured instead of sent: the exact body `OpenAIBackend` would send (same `build_request`), one
   line `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}` of
   `out.jsonl.requests.jsonl`. That file is also what vLLM's batch runner reads. Items answered by
   the response cache, or that fail before any request (an unreadable file), get their output line
   at once. A long article that needs several requests (map-reduce) cannot go in one batch: it gets
   an error line, or with `reask_direct` is run directly when the job is collected.
2. upload (Files API, purpose "batch"); 3. submit (`/v1/batches`, completion window 24h);
4. poll until the batch has ended; 5. download its output (and error) file beside the output;
6. collect: each item goes through the pipeline again, the batch's answer standing in for the model,
   so it is validated and grounded exactly as in a direct run and written as the same JSONL line.
   A batch cannot re-ask: an invalid answer becomes an error line naming its problems, unless
   `reask_direct`, which re-asks with direct calls.

Cost in provenance is at the Batch API's price (half the list price, `BATCH_DISCOUNT`), direct
re-asks included.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from summarizer._files import write_atomic
from summarizer.batch import (
    BatchItem,
    BatchReport,
    JsonlWriter,
    Progress,
    arun_batch,
    cut_torn_tail,
    finished_ids,
    run_item,
)
from summarizer.batch import _count as count_record
from summarizer.errors import BackendError, ConfigError, SummarizerError
from summarizer.llm.base import Backend, Completion, Message, OutputSpec
from summarizer.llm.calllog import CallLog, LoggingBackend
from summarizer.llm.pricing import PriceTable
from summarizer.longdoc import in_parts
from summarizer.pipeline import Client
from summarizer.schemas import Usage

ENDPOINT = "/v1/chat/completions"
COMPLETION_WINDOW = "24h"
BATCH_DISCOUNT = 0.5
"""The Batch API bills half the list price."""
ENDED = frozenset({"completed", "failed", "expired", "cancelled"})
STATE_VERSION = 1
NOT_FINISHED = 75
"""Exit code of a run that left before the batch ended (`--no-wait`, `--prepare-only`): run again."""

Stage = Literal["prepared", "uploaded", "submitted", "downloaded", "collected"]
_ITEM: ContextVar[str | None] = ContextVar("summarizer_provider_batch_item", default=None)


# --------------------------------------------------------------------------------------------------
# Paths and state
# --------------------------------------------------------------------------------------------------


@dataclass
class JobFiles:
    """The files of one job, beside its output."""

    output: Path
    requests: Path

    @classmethod
    def beside(cls, output: Path, requests: Path | None = None) -> JobFiles:
        return cls(output, requests or output.with_name(output.name + ".requests.jsonl"))

    @property
    def state(self) -> Path:
        return self.output.with_name(self.output.name + ".batch.json")

    @property
    def answers(self) -> Path:
        return self.output.with_name(self.output.name + ".answers.jsonl")

    @property
    def answer_errors(self) -> Path:
        return self.output.with_name(self.output.name + ".answer-errors.jsonl")


@dataclass
class JobState:
    """What a re-run needs to pick up: the stage reached, the provider's ids, what was sent."""

    stage: Stage
    requests: str
    count: int
    output_offset: int
    """Size of the output when the job was prepared: lines after it are this job's collected items."""
    direct: list[str] = field(default_factory=list)
    """Items to run directly when collecting (long articles, with `reask_direct`)."""
    model: str | None = None
    endpoint_host: str | None = None
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    created_at: str = ""
    version: int = STATE_VERSION

    @classmethod
    def load(cls, path: Path) -> JobState | None:
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != STATE_VERSION:
                raise ValueError(f"version {data.get('version')}")
            return cls(**data)
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                f"{path}: not a batch-job state file ({exc}); delete it (and the batch it names, if any) "
                "or add --overwrite to start again"
            ) from None

    def save(self, path: Path) -> None:
        write_atomic(path, json.dumps(self.__dict__, indent=2) + "\n")


# --------------------------------------------------------------------------------------------------
# Backends: one that captures the request, one that answers from the batch's results
# --------------------------------------------------------------------------------------------------


class _Captured(Exception):
    """Raised by `CaptureBackend` to stop the pipeline once its request is known."""


class SeveralRequestsError(ConfigError):
    """An item that needs more than one request (a long article's map-reduce)."""


class CaptureBackend:
    """Records the body of the request it is asked to send (keyed by item), and sends nothing."""

    name = "openai-batch"

    def __init__(self, model: str, endpoint_host: str | None, max_tokens: int | None) -> None:
        self.model = model
        self.endpoint_host = endpoint_host
        self.max_tokens = max_tokens
        self.bodies: dict[str, dict[str, Any]] = {}

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        from summarizer.llm.openai_backend import build_request

        if in_parts():
            raise SeveralRequestsError(
                "a long article is summarised in several requests (map-reduce), and a batch job sends "
                "one per item: run it without --via, or add --reask-direct to run such items directly"
            )
        item = _ITEM.get()
        assert item is not None, "CaptureBackend is used inside _prepare_item only"
        self.bodies[item] = build_request(
            self.model, messages, output, temperature, max_tokens=self.max_tokens
        )
        raise _Captured(item)


class BatchPrices(PriceTable):
    """List prices less the Batch API's discount."""

    def cost(self, model: str | None, usage: Usage) -> float | None:
        cost = super().cost(model, usage)
        return None if cost is None else round(cost * BATCH_DISCOUNT, 8)


class AnswerBackend:
    """Answers an item's first request from the batch's results, after checking it is the request that
    was sent; later requests (re-asks) go to `direct` when given, else fail."""

    name = "openai-batch"

    def __init__(
        self,
        answers: AnswerFile,
        hashes: dict[str, str],
        *,
        model: str,
        endpoint_host: str | None,
        max_tokens: int | None,
        direct: Backend | None = None,
    ) -> None:
        self.answers = answers
        self.hashes = hashes
        self.model = model
        self.endpoint_host = endpoint_host
        self.max_tokens = max_tokens
        self.direct = direct

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        from summarizer.llm.openai_backend import build_request, to_completion

        item = _ITEM.get() or ""
        body = build_request(self.model, messages, output, temperature, max_tokens=self.max_tokens)
        if body_hash(body) == self.hashes.get(item):
            return to_completion(self.answers.chat(item), output, None)
        if self.direct is not None:  # a re-ask (or a changed item) goes to the model directly
            return await self.direct.complete(messages, output, temperature=temperature)
        raise ConfigError(
            "the request differs from the one sent in the batch: the input, the prompts or the "
            "settings changed since the job was prepared; run the item again without --via"
        )


def body_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AnswerFile:
    """The batch's output (and error) lines, found by custom_id; only file offsets are kept in memory."""

    def __init__(self, paths: Iterable[Path], status: str | None) -> None:
        self.status = status
        self._where: dict[str, tuple[Path, int]] = {}
        for path in paths:
            if not path.exists():
                continue
            with path.open("rb") as fh:
                offset = 0
                for line in fh:
                    if line.strip():
                        try:
                            custom_id = str(json.loads(line)["custom_id"])
                        except (ValueError, KeyError, TypeError):
                            custom_id = None
                        if custom_id is not None:
                            self._where.setdefault(custom_id, (path, offset))
                    offset += len(line)

    def __contains__(self, custom_id: str) -> bool:
        return custom_id in self._where

    def line(self, custom_id: str) -> dict[str, Any]:
        path, offset = self._where[custom_id]
        with path.open("rb") as fh:
            fh.seek(offset)
            record: dict[str, Any] = json.loads(fh.readline())
        return record

    def chat(self, custom_id: str) -> Any:
        """The answer's chat completion, or a `BackendError` naming why there is none."""
        from openai.types.chat import ChatCompletion

        if custom_id not in self._where:
            raise BackendError(f"the batch has no answer for this item (batch status: {self.status})")
        record = self.line(custom_id)
        response = record.get("response") or {}
        status = response.get("status_code")
        body = response.get("body")
        if status == 200 and isinstance(body, dict):
            return ChatCompletion.model_validate(body)
        error = record.get("error") or (body.get("error") if isinstance(body, dict) else None) or {}
        message = error.get("message") if isinstance(error, dict) else str(error)
        code = f" ({error['code']})" if isinstance(error, dict) and error.get("code") else ""
        text = json.dumps(body, ensure_ascii=False)[:500] if body is not None else ""
        raise BackendError(
            f"the batch answered this item with HTTP {status}{code}: {message or text or 'no answer'}",
            status=status if isinstance(status, int) else None,
            body=text,
        )


# --------------------------------------------------------------------------------------------------
# The job
# --------------------------------------------------------------------------------------------------


@dataclass
class JobOutcome:
    """How far a run got, and the counts when the job was collected."""

    files: JobFiles
    state: JobState | None
    report: BatchReport
    message: str = ""

    @property
    def finished(self) -> bool:
        return self.state is None or self.state.stage == "collected"

    @property
    def exit_code(self) -> int:
        if not self.finished:
            return NOT_FINISHED
        return self.report.exit_code

    def line(self) -> str:
        return f"{self.message}; {self.report.line()}" if self.message else self.report.line()


ItemSource = Callable[[], Iterable[BatchItem]]
"""Gives the job's items; called once per stage that needs them (prepare, collect)."""


async def arun_provider_batch(
    client: Client,
    items: ItemSource,
    output: str | os.PathLike[str],
    *,
    requests: str | os.PathLike[str] | None = None,
    prepare_only: bool = False,
    wait: bool = True,
    poll_s: float = 30.0,
    reask_direct: bool = False,
    resume: bool = False,
    retry_failed: bool = False,
    overwrite: bool = False,
    concurrency: int = 8,
    progress: Progress | None = None,
    say: Callable[[str], None] = lambda text: None,
    fsync: bool = True,
) -> JobOutcome:
    """Prepare, upload, submit, poll, download and collect a batch job, from wherever the last run
    stopped; see the module docstring. `say` gets one line per stage and status change."""
    from summarizer.llm.openai_backend import OpenAIBackend

    s = client.settings
    if s.record or s.replay:
        raise ConfigError(
            "--via openai-batch cannot --record or --replay: a batch job is not a chat exchange"
        )
    if s.engine == "offline":
        raise ConfigError("--via openai-batch needs a model: drop --engine offline")
    files = JobFiles.beside(Path(output), Path(requests) if requests else None)
    state = JobState.load(files.state)
    if overwrite and state is not None and state.stage not in ("prepared", "collected"):
        say(f"--overwrite: batch {state.batch_id or state.input_file_id} is left behind at the provider")
    if overwrite or (state is not None and state.stage == "collected"):  # a finished job is history
        for path in (files.state, files.answers, files.answer_errors):
            path.unlink(missing_ok=True)
        state = None
    real = OpenAIBackend.from_settings(
        model=s.model, base_url=s.base_url, api_key=s.api_key, timeout=s.timeout, max_retries=s.max_retries
    )
    report = BatchReport()
    try:
        if state is None:
            state = await _prepare(
                client, real, items(), files, report, resume, retry_failed, overwrite, reask_direct, fsync
            )
            state.save(files.state)
            if not state.count and not state.direct:
                files.state.unlink()
                return JobOutcome(files, None, report, "nothing to send: every item is done")
            say(f"prepared {state.count} requests in {state.requests}")
        if prepare_only:
            return JobOutcome(files, state, report, f"requests in {state.requests}; run again to submit")
        if state.count:
            api = real.client.with_options(max_retries=max(s.max_retries, 2))
            await _submit(api, state, files, say)
            ended = await _poll(api, state, files, wait, poll_s, say)
            if not ended:
                return JobOutcome(
                    files, state, report, f"batch {state.batch_id} is {state.status}; run again"
                )
            await _download(api, state, files, say)
        report = await _collect(
            client, real, items(), files, state, reask_direct, concurrency, progress, fsync
        )
        state.stage = "collected"
        state.save(files.state)
        return JobOutcome(
            files, state, report, f"batch {state.batch_id or '(none)'} {state.status or ''}".strip()
        )
    finally:
        await real.aclose()
        await client.aclose()


def run_provider_batch(
    client: Client, items: ItemSource, output: str | os.PathLike[str], **options: Any
) -> JobOutcome:
    from summarizer.pipeline import run_sync

    return run_sync(arun_provider_batch(client, items, output, **options))


def _use_cache(client: Client) -> bool:
    s = client.settings
    return s.cache if s.cache is not None else s.temperature == 0


def _derived_client(client: Client, backend: Backend, **override: Any) -> Client:
    """A client like `client` over `backend`, with the response cache `client` would use."""
    settings = {**client.settings.model_dump(), **override, "call_log": False, "cache": _use_cache(client)}
    return Client(backend=backend, **settings)


async def _prepare(
    client: Client,
    real: Any,
    items: Iterable[BatchItem],
    files: JobFiles,
    report: BatchReport,
    resume: bool,
    retry_failed: bool,
    overwrite: bool,
    reask_direct: bool,
    fsync: bool,
) -> JobState:
    out = files.output
    if out.exists() and out.stat().st_size and not (resume or retry_failed or overwrite):
        raise ConfigError(f"{out} exists: add --resume to continue it, or --overwrite to start again")
    if overwrite and not (resume or retry_failed):
        out.unlink(missing_ok=True)
    done = finished_ids(out, retry_failed=retry_failed) if (resume or retry_failed) else set()
    capture = CaptureBackend(real.model, real.endpoint_host, real.max_tokens)
    capturing = _derived_client(client, capture)
    direct: list[str] = []
    seen: set[str] = set()
    count = 0
    tmp = files.requests.with_name(files.requests.name + ".tmp")
    files.requests.parent.mkdir(parents=True, exist_ok=True)
    with JsonlWriter(out, fsync=fsync) as writer, tmp.open("w", encoding="utf-8") as fh:
        for item in items:
            if item.id in done:
                report.skipped += 1
                continue
            if item.id in seen:
                writer.write(
                    _error(item, ConfigError(f"the id {item.id!r} is used twice: ids must be unique"))
                )
                report.failed += 1
                continue
            seen.add(item.id)
            token = _ITEM.set(item.id)
            try:
                record = await run_item(capturing, item)
            finally:
                _ITEM.reset(token)
            body = capture.bodies.pop(item.id, None)
            if body is not None:
                line = {"custom_id": item.id, "method": "POST", "url": ENDPOINT, "body": body}
                fh.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
                count += 1
            elif record["status"] == "error" and record["error"]["type"] == SeveralRequestsError.__name__:
                if reask_direct:
                    direct.append(item.id)
                else:
                    writer.write(record)
                    report.failed += 1
            else:  # answered from the cache, or failed before any request
                writer.write(record)
                count_record(report, record)
        fh.flush()
        if fsync:
            os.fsync(fh.fileno())
    os.replace(tmp, files.requests)
    return JobState(
        stage="prepared",
        requests=str(files.requests),
        count=count,
        output_offset=out.stat().st_size if out.exists() else 0,
        direct=direct,
        model=real.model,
        endpoint_host=real.endpoint_host,
        created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    )


def _error(item: BatchItem, exc: SummarizerError) -> dict[str, Any]:
    error = {"type": type(exc).__name__, "message": str(exc), "exit_code": exc.exit_code}
    return {"id": item.id, "task": item.task, "status": "error", "error": error}


async def _submit(api: Any, state: JobState, files: JobFiles, say: Callable[[str], None]) -> None:
    if state.stage == "prepared":
        with Path(state.requests).open("rb") as fh:
            uploaded = await api.files.create(file=fh, purpose="batch")
        state.input_file_id = uploaded.id
        state.stage = "uploaded"
        state.save(files.state)
        say(f"uploaded {state.requests} as {uploaded.id}")
    if state.stage == "uploaded":
        batch = await api.batches.create(
            input_file_id=state.input_file_id,
            endpoint=ENDPOINT,
            completion_window=COMPLETION_WINDOW,
            metadata={"tool": "summarizer", "output": files.output.name[:500]},
        )
        state.batch_id = batch.id
        state.status = batch.status
        state.stage = "submitted"
        state.save(files.state)
        say(f"submitted batch {batch.id} ({state.count} requests)")


async def _poll(
    api: Any, state: JobState, files: JobFiles, wait: bool, poll_s: float, say: Callable[[str], None]
) -> bool:
    if state.stage != "submitted":
        return True
    last = None
    while True:
        batch = await api.batches.retrieve(state.batch_id)
        state.status = batch.status
        state.output_file_id = batch.output_file_id
        state.error_file_id = batch.error_file_id
        counts = batch.request_counts
        shown = f"batch {batch.id}: {batch.status}" + (
            f", {counts.completed}/{counts.total} done, {counts.failed} failed" if counts else ""
        )
        if shown != last:
            say(shown)
            last = shown
        if batch.status in ENDED:
            state.save(files.state)
            if batch.status == "failed" and not batch.output_file_id:
                errors = "; ".join(
                    f"{e.code}: {e.message}" + (f" (line {e.line})" if e.line else "")
                    for e in ((batch.errors.data if batch.errors else None) or [])
                )
                raise BackendError(
                    f"batch {batch.id} failed: {errors or 'no reason given'}; fix the cause and start "
                    "again with --overwrite"
                )
            return True
        state.save(files.state)
        if not wait:
            return False
        await asyncio.sleep(poll_s)


async def _download(api: Any, state: JobState, files: JobFiles, say: Callable[[str], None]) -> None:
    if state.stage != "submitted":
        return
    for file_id, path in ((state.output_file_id, files.answers), (state.error_file_id, files.answer_errors)):
        if not file_id:
            continue
        tmp = path.with_name(path.name + ".tmp")
        async with api.files.with_streaming_response.content(file_id) as response:
            await response.stream_to_file(tmp)
        os.replace(tmp, path)
        say(f"downloaded {file_id} to {path}")
    state.stage = "downloaded"
    state.save(files.state)


async def _collect(
    client: Client,
    real: Any,
    items: Iterable[BatchItem],
    files: JobFiles,
    state: JobState,
    reask_direct: bool,
    concurrency: int,
    progress: Progress | None,
    fsync: bool,
) -> BatchReport:
    hashes = dict(_request_hashes(Path(state.requests)))
    direct_ids = set(state.direct)
    collected = _ids_after(files.output, state.output_offset)
    answers = AnswerFile([files.answers, files.answer_errors], state.status)
    prices = BatchPrices()
    direct_backend = client.backend if reask_direct or direct_ids else None
    answering = AnswerBackend(
        answers,
        hashes,
        model=real.model,
        endpoint_host=real.endpoint_host,
        max_tokens=real.max_tokens,
        direct=direct_backend if reask_direct else None,
    )
    backend: Backend = answering
    if client.settings.call_log is not False:
        backend = LoggingBackend(answering, CallLog.shared(client.settings.log_dir), prices)
    answer_client = _derived_client(client, backend, reasks=client.settings.reasks if reask_direct else 0)
    answer_client.prices = prices

    async def run(_: Client, item: BatchItem) -> dict[str, Any]:
        if item.id in direct_ids:
            return await run_item(client, item)
        token = _ITEM.set(item.id)
        try:
            record = await run_item(answer_client, item)
        finally:
            _ITEM.reset(token)
        error = record.get("error")
        if error and error.get("problems") and not reask_direct:
            problems = "; ".join(error["problems"])
            error["message"] = (
                f"the batch's answer is invalid: {problems}. A batch job cannot re-ask: add --reask-direct "
                "to re-ask with direct calls, or run the item again without --via"
            )
        return record

    def pending() -> Iterator[BatchItem]:
        for item in items:
            if (item.id in hashes or item.id in direct_ids) and item.id not in collected:
                yield item

    total = len(hashes) + len(direct_ids) - len(collected)
    return await arun_batch(
        answer_client,
        pending(),
        files.output,
        concurrency=concurrency,
        append=True,
        run=run,
        total=total,
        progress=progress,
        fsync=fsync,
    )


def _request_hashes(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                request = json.loads(line)
                yield str(request["custom_id"]), body_hash(request["body"])


def _ids_after(output: Path, offset: int) -> set[str]:
    """Ids with a line after `offset` of the output (what an interrupted collect already wrote)."""
    if not output.exists():
        return set()
    cut_torn_tail(output)
    ids = set()
    with output.open("rb") as fh:
        fh.seek(offset)
        for line in fh:
            try:
                ids.add(str(json.loads(line)["id"]))
            except (ValueError, KeyError, TypeError):
                continue
    return ids
