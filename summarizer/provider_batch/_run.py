"""The job from wherever the last run stopped: prepare, upload, submit, poll, download, collect."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer._files import output_lock
from summarizer.batch import BatchItem, BatchReport, Progress
from summarizer.errors import ConfigError
from summarizer.pipeline import Client
from summarizer.provider_batch._items import collect, prepare
from summarizer.provider_batch._provider import download, left_behind, poll, submit
from summarizer.provider_batch._state import NOT_FINISHED, JobFiles, JobState


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
    stopped; see the package docstring. `say` gets one line per stage and status change."""
    from summarizer.llm.openai_backend import OpenAIBackend

    s = client.settings
    if s.record or s.replay:
        raise ConfigError(
            "--via openai-batch cannot --record or --replay: a batch job is not a chat exchange"
        )
    if s.engine == "offline":
        raise ConfigError("--via openai-batch needs a model: drop --engine offline")
    if Path(output).exists() and not Path(output).is_file():
        raise ConfigError(f"--via openai-batch keeps its state beside -o, so {output} must be a file")
    files = JobFiles.beside(Path(output), Path(requests) if requests else None)
    with output_lock(files.output):  # the output and the job state: one run at a time
        state = JobState.load(files.state)
        if overwrite and state is not None and state.stage not in ("prepared", "collected"):
            say(f"--overwrite: {left_behind(state)}")
        if overwrite or (state is not None and state.stage == "collected"):  # a finished job is history
            for path in (files.state, files.answers, files.answer_errors):
                path.unlink(missing_ok=True)
            state = None
        real = OpenAIBackend.from_settings(
            model=s.model,
            base_url=s.base_url,
            api_key=s.api_key,
            timeout=s.timeout,
            max_retries=s.max_retries,
        )
        report = BatchReport()
        try:
            if state is None:
                state = await prepare(
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
                await submit(api, state, files, say)
                ended = await poll(api, state, files, wait, poll_s, say)
                if not ended:
                    return JobOutcome(
                        files, state, report, f"batch {state.batch_id} is {state.status}; run again"
                    )
                await download(api, state, files, say)
            report = await collect(
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
