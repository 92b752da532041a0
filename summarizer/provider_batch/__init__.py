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

Submitting is idempotent: a run stopped after the provider created the batch but before the state
file named it does not make the next run pay for a second one. The state file marks the submission
in flight, with a key the batch carries in its metadata, and the next run adopts the batch with that
key before it would create another (see `_provider`).

The package: `_state` (job files, state file), `_backends` (capture and answer backends, the answer
file), `_items` (prepare, collect), `_provider` (upload, submit, poll, download), `_run` (the job).
"""

from summarizer.provider_batch._backends import (
    AnswerBackend,
    AnswerFile,
    BatchPrices,
    CaptureBackend,
    SeveralRequestsError,
    body_hash,
)
from summarizer.provider_batch._run import ItemSource, JobOutcome, arun_provider_batch, run_provider_batch
from summarizer.provider_batch._state import (
    BATCH_DISCOUNT,
    COMPLETION_WINDOW,
    ENDED,
    ENDPOINT,
    NOT_FINISHED,
    STATE_VERSION,
    JobFiles,
    JobState,
    Stage,
)

__all__ = [
    "BATCH_DISCOUNT",
    "COMPLETION_WINDOW",
    "ENDED",
    "ENDPOINT",
    "NOT_FINISHED",
    "STATE_VERSION",
    "AnswerBackend",
    "AnswerFile",
    "BatchPrices",
    "CaptureBackend",
    "ItemSource",
    "JobFiles",
    "JobOutcome",
    "JobState",
    "SeveralRequestsError",
    "Stage",
    "arun_provider_batch",
    "body_hash",
    "run_provider_batch",
]
