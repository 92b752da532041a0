"""The provider's side of a job: upload the requests, create the batch (once), poll it, download its
results. Each step saves the state file as soon as the provider has answered, so a re-run resumes.

Creating the batch is the one step that costs money if done twice, and a run can stop between the
provider creating it and the state file naming it (a crash, Ctrl-C, a lost answer). So before the
create call the state file records that a submission is in flight, with a key that the call puts in
the batch's metadata; a run that finds that marker without a batch id first lists the provider's
batches (newest first) and adopts the one carrying the key and the job's input file, and creates one
only when there is none. The create call is sent once per run (no SDK retries): when its answer is
lost, the batch is looked for rather than created again.

Uploading has the same window and is left as it is: a re-run uploads the file again, and the copy
nobody names costs storage, not tokens; there is no key to find it by short of downloading files.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from summarizer.errors import BackendError
from summarizer.provider_batch._state import COMPLETION_WINDOW, ENDED, ENDPOINT, JobFiles, JobState

SUBMIT_KEY = "summarizer_job"
"""The metadata entry of a batch that carries its job's key (`JobState.submit_key`)."""
CLOCK_SLACK_S = 86_400
"""Looking for an earlier run's batch stops at batches created this long before that run's attempt
began: the provider's clock and ours may differ, but not by a day."""
LIST_PAGE = 100

Say = Callable[[str], None]


async def submit(api: Any, state: JobState, files: JobFiles, say: Say) -> None:
    """Upload the requests (stage "prepared") and create the batch (stage "uploaded"), or adopt the
    batch an earlier run created but could not save the id of."""
    if state.stage == "prepared":
        with Path(state.requests).open("rb") as fh:
            uploaded = await api.files.create(file=fh, purpose="batch")
        state.input_file_id = uploaded.id
        state.stage = "uploaded"
        state.save(files.state)
        say(f"uploaded {state.requests} as {uploaded.id}")
    if state.stage == "uploaded":
        batch = await find_submitted(api, state) if state.submission_in_flight else None
        if batch is not None:
            say(f"found batch {batch.id}, created by an earlier run that stopped before saving its id")
        else:
            batch = await _create(api, state, files)
            say(f"submitted batch {batch.id} ({state.count} requests)")
        state.batch_id = batch.id
        state.status = batch.status
        state.stage = "submitted"
        state.save(files.state)


async def _create(api: Any, state: JobState, files: JobFiles) -> Any:
    import openai

    first = state.submit_started is None
    state.submit_key = state.submit_key or secrets.token_hex(12)
    state.submit_started = state.submit_started or int(time.time())  # the earliest attempt bounds the search
    state.save(files.state)  # the marker: from here on a batch may exist that the state file does not name
    try:
        return await api.with_options(max_retries=0).batches.create(
            input_file_id=state.input_file_id,
            endpoint=ENDPOINT,
            completion_window=COMPLETION_WINDOW,
            metadata={"tool": "summarizer", "output": files.output.name[:500], SUBMIT_KEY: state.submit_key},
        )
    except (openai.APIConnectionError, openai.APIStatusError) as exc:
        status = exc.status_code if isinstance(exc, openai.APIStatusError) else None
        if status is not None and status < 500 and status not in (408, 409):
            if first:  # refused, so no batch exists: a re-run need not look for one
                state.submit_started = None
                state.save(files.state)
            raise
        found = await find_submitted(api, state)
        if found is not None:
            return found
        raise BackendError(
            f"creating the batch failed ({type(exc).__name__}: {exc}), and the provider may have created it "
            "all the same, so it is not tried again now: run again, and the run looks for it before "
            "creating another",
            status=status,
        ) from exc


async def find_submitted(api: Any, state: JobState) -> Any | None:
    """The batch created for this job (its key in the metadata, its input file), if the provider lists
    it among the batches created since the job's first attempt to create one."""
    import openai

    since = (state.submit_started or 0) - CLOCK_SLACK_S
    try:
        async for batch in api.batches.list(limit=LIST_PAGE):
            mine = (batch.metadata or {}).get(SUBMIT_KEY) == state.submit_key
            if mine and batch.input_file_id == state.input_file_id:
                return batch
            if batch.created_at < since:  # newest first: the rest are older still
                break
    except openai.APIStatusError as exc:
        raise BackendError(
            f"an earlier run may have created the batch for {state.input_file_id} and stopped before saving "
            f"its id, and the provider's batches cannot be listed to look for it (HTTP {exc.status_code}). "
            f"Look for a batch whose metadata has {SUBMIT_KEY}={state.submit_key} and cancel it, then "
            "start again with --overwrite",
            status=exc.status_code,
        ) from exc
    return None


async def poll(api: Any, state: JobState, files: JobFiles, wait: bool, poll_s: float, say: Say) -> bool:
    """Follow the batch until it has ended (True), or once without `wait` (False while it runs)."""
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


async def download(api: Any, state: JobState, files: JobFiles, say: Say) -> None:
    """The batch's output and error files, beside the job's output."""
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


def left_behind(state: JobState) -> str:
    """What an abandoned job (`--overwrite`) leaves at the provider, for the notice."""
    if state.batch_id:
        return f"batch {state.batch_id} is left behind at the provider"
    if state.submission_in_flight:
        return (
            f"a batch for {state.input_file_id} may have been created (metadata {SUBMIT_KEY}="
            f"{state.submit_key}) and is left behind at the provider"
        )
    return f"file {state.input_file_id} is left behind at the provider"
