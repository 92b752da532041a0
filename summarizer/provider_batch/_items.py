"""The item-side stages of a job: prepare captures each item's one request into the requests file;
collect runs each item again with the batch's answer standing in for the model."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from summarizer.batch import (
    BatchItem,
    BatchReport,
    JsonlWriter,
    Progress,
    arun_batch,
    count_record,
    cut_torn_tail,
    error_record,
    finished_ids,
    run_item,
)
from summarizer.errors import ConfigError
from summarizer.llm.base import Backend
from summarizer.llm.calllog import CallLog, LoggingBackend
from summarizer.pipeline import Client
from summarizer.provider_batch._backends import (
    ITEM,
    AnswerBackend,
    AnswerFile,
    BatchPrices,
    CaptureBackend,
    SeveralRequestsError,
    body_hash,
)
from summarizer.provider_batch._state import ENDPOINT, JobFiles, JobState


def _use_cache(client: Client) -> bool:
    s = client.settings
    return s.cache if s.cache is not None else s.temperature == 0


def _derived_client(client: Client, backend: Backend, **override: Any) -> Client:
    """A client like `client` over `backend`, with the response cache `client` would use."""
    settings = {**client.settings.model_dump(), **override, "call_log": False, "cache": _use_cache(client)}
    return Client(backend=backend, **settings)


async def prepare(
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
                twice = ConfigError(f"the id {item.id!r} is used twice: ids must be unique")
                writer.write(error_record(item, twice, [client.settings.api_key]))
                report.failed += 1
                continue
            seen.add(item.id)
            token = ITEM.set(item.id)
            try:
                record = await run_item(capturing, item)
            finally:
                ITEM.reset(token)
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


async def collect(
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
        token = ITEM.set(item.id)
        try:
            record = await run_item(answer_client, item)
        finally:
            ITEM.reset(token)
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
