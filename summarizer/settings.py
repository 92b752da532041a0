"""`Settings`: everything a run can be configured with, as one strict model (unknown names refused)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.llm.base import StructuredMode


class Settings(BaseModel):
    """Everything a run can be configured with. Unset model/base URL/key fall back to the environment."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    structured_output: StructuredMode = "auto"
    """How to ask for JSON: `auto` (json_schema, falling back to json_object_schema, json_object, then tools,
    when the server refuses; what worked is remembered per endpoint in the state folder), or one mode."""
    reasks: int = Field(default=2, ge=0, le=10)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    timeout: float | None = Field(default=None, gt=0)
    """Seconds per request: default 120, and 900 for a server on this machine or network (a small model
    on CPUs takes minutes), whose timeouts are not retried."""
    max_tokens: int | None = Field(default=None, gt=0)
    """The answer's token limit (`max_tokens`). Default: none for OpenAI; for other servers, whose own
    default is the whole context, an allowance from the task's schema and length."""
    max_retries: int = Field(default=4, ge=0, le=20)
    prompts: Path | None = None
    record: Path | None = None
    replay: Path | None = None
    cache: bool | None = None
    """Response cache: None (default) caches temperature-0 calls of backends built here, unless recording
    or replaying; False never; True also for an injected backend."""
    cache_dir: Path | None = None
    """Folder of the response cache (default: $SUMMARIZER_CACHE_DIR or the platform's cache folder)."""
    call_log: bool | None = None
    """Call log: None (default) logs the calls of backends built here, unless `summarizer logs off` or
    $SUMMARIZER_LOGS=off; False never; True also those of an injected backend."""
    log_dir: Path | None = None
    """Folder of the call log (default: $SUMMARIZER_STATE_DIR or the platform's state folder)."""
    context_budget: int | None = Field(default=None, gt=0)
    """Context window in tokens (default: the known window of OpenAI models, else none); longer inputs are
    summarised in parts (map-reduce), and longer comparisons run over digests of their sources."""
    rpm: float | None = Field(default=None, gt=0)
    """Client-side pacing: requests per minute."""
    tpm: float | None = Field(default=None, gt=0)
    """Client-side pacing: tokens per minute."""
    language: str | None = None
    """Language of the report's prose (ISO 639-1, e.g. "fr"); default: the sources' language."""
    evidence: Literal["lexical", "semantic"] = "lexical"
    """How `verify` chooses each claim's evidence: `lexical` (words, fast) or `semantic` (also sentence
    embeddings; needs the `[semantic]` extra and the MiniLM weights)."""
    decide: Literal["rules", "learned"] = "rules"
    """How `verify` turns its deterministic checks into a claim's verdict: `rules` (any failed check makes
    it unsupported) or `learned` (a logistic regression fitted on SummEdits over what the checks
    measured; its probability is shown as the claim's `confidence`)."""
    alignment: Literal["lexical", "semantic"] = "lexical"
    """How `compare` matches statements across sources (what all report, what only some report):
    `lexical` (shared words, fast) or `semantic` (sentence embeddings too, under name, number and date
    agreement; needs the `[semantic]` extra and the MiniLM weights)."""
    select: str | list[str] | None = None
    """Rule codes to run (`summarizer rules`), e.g. "S1" or ["S101", "S104"]; default: every rule."""
    ignore: str | list[str] | None = None
    """Rule codes not to run, e.g. "S104" (the negation check); applied after `select`."""
    engine: Literal["offline", "llm"] | None = None
    """`llm` asks a model; `offline` uses the deterministic analysis alone. Default: `llm` when a model
    is configured (a key, base URL, model name, replay or record folder, or an injected backend), else
    `offline`."""


def settings_problem(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"])
        problems.append(
            f"{name}: {err['msg']}" if err["type"] != "extra_forbidden" else f"unknown setting {name!r}"
        )
    return (
        "invalid settings: " + "; ".join(problems) + f" (valid settings: {', '.join(Settings.model_fields)})"
    )
