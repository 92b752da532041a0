"""A job's files beside its output, and the state file that lets a re-run pick the job up."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from summarizer._files import write_atomic
from summarizer.errors import ConfigError

ENDPOINT = "/v1/chat/completions"
COMPLETION_WINDOW = "24h"
BATCH_DISCOUNT = 0.5
"""The Batch API bills half the list price."""
ENDED = frozenset({"completed", "failed", "expired", "cancelled"})
STATE_VERSION = 1
NOT_FINISHED = 75
"""Exit code of a run that left before the batch ended (`--no-wait`, `--prepare-only`): run again."""

Stage = Literal["prepared", "uploaded", "submitted", "downloaded", "collected"]


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
    """What a re-run needs to pick up: the stage reached, the provider's ids, what was sent.

    Fields added since version 1 have defaults, so a state file written before them still loads.
    """

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
    submit_key: str | None = None
    """The job's key, sent in the batch's metadata, by which a re-run finds a batch it created but
    never learnt the id of (a crash between the create call and saving its answer)."""
    submit_started: int | None = None
    """When (Unix time) the first attempt to create the batch began. Set at stage "uploaded" it is the
    in-flight marker: a batch may exist that this file does not name, so look for it before creating."""
    version: int = STATE_VERSION

    @property
    def submission_in_flight(self) -> bool:
        return self.stage == "uploaded" and self.batch_id is None and self.submit_started is not None

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
