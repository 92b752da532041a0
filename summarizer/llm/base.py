"""The backend interface: the one thing every model backend implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from summarizer.schemas import Usage

StructuredMode = Literal["auto", "json_schema", "json_object_schema", "json_object", "tools"]
"""How to ask for JSON. `json_object_schema`: `response_format: {"type": "json_object", "schema": …}`,
which llama-cpp-python's server turns into a grammar that constrains decoding to the schema (other
servers may ignore the schema: the templates describe every field anyway). `auto`: json_schema, falling
back to json_object_schema, json_object, then tools, when the server refuses a mode (`OpenAIBackend` does
the falling back and remembers what worked per endpoint)."""
STRUCTURED_MODES: tuple[StructuredMode, ...] = (
    "auto",
    "json_schema",
    "json_object_schema",
    "json_object",
    "tools",
)
FALLBACK_MODES: tuple[StructuredMode, ...] = ("json_schema", "json_object_schema", "json_object", "tools")
"""The modes `auto` tries, in this order."""
SCHEMA_ENFORCED: tuple[StructuredMode, ...] = ("json_schema", "json_object_schema")
"""The modes that send the schema for the server to enforce (strict json_schema; the grammar that
json_object_schema asks for). An answer in one of them that does not match the schema shows that the
server accepts the mode but ignores its schema; `auto` then moves on (`schema_ignored`)."""

Message = dict[str, Any]


@dataclass(frozen=True)
class OutputSpec:
    """What shape the answer must take: a JSON Schema under a name, and how to ask for it."""

    name: str
    schema: dict[str, Any]
    mode: StructuredMode = "json_schema"
    max_tokens: int | None = None
    """The answer's token allowance the task suggests; a backend sends it where no limit is set and
    the server's own default is unbounded (local servers), see `OpenAIBackend`."""
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The values some string properties may take in this request, by property name (`sentence_ids`:
    the ids the prompt shows; `source`: its source ids). Sent only where the schema becomes a grammar
    (`json_object_schema`), which then cannot write an id the prompt did not show."""


@dataclass
class Completion:
    """One answer from a backend, before parsing."""

    content: str | None
    """The JSON text of the answer (for `tools`, the function call's arguments)."""
    finish_reason: str | None = None
    refusal: str | None = None
    usage: Usage = field(default_factory=Usage)
    fixture_origin: str | None = None
    """Set when the answer was replayed from a fixture: `recorded (...)` or `authored (...)`."""
    cache: str | None = None
    """Set by `CachingBackend`: `hit` (answered from the cache, no usage), `miss`, or `off`."""
    mode: StructuredMode | None = None
    """The structured-output mode that answered (what `auto` chose), when the backend says."""
    token_limit: int | None = None
    """The `max_tokens` the request carried (None: none was sent)."""
    context_window: int | None = None
    """The server's context size, when the backend knows it (for the truncation advice)."""


def schema_ignored(backend: object, mode: StructuredMode) -> None:
    """Tell `backend` that it answered a request in `mode` (one of `SCHEMA_ENFORCED`, asked for by
    `auto`) with something the schema does not admit. Optional for a backend: `OpenAIBackend` moves its
    `auto` on to the next mode; wrappers pass it to the backend they wrap; others need not know."""
    told = getattr(backend, "schema_ignored", None)
    if callable(told):
        told(mode)


def answer_refused(backend: object, messages: list[Message], output: OutputSpec, temperature: float) -> None:
    """Tell `backend` that its answer to this request did not pass the caller's checks (not the schema,
    invalid, or JSON cut off where the server said it had finished). Optional for a backend:
    `CachingBackend` forgets the answer, so the next run asks the model again instead of replaying
    it; wrappers pass it to the backend they wrap."""
    told = getattr(backend, "answer_refused", None)
    if callable(told):
        told(messages, output, temperature)


class Backend(Protocol):
    """A model backend. Implementations: `OpenAIBackend`, `summarizer.testing.FakeBackend`."""

    name: str
    model: str
    endpoint_host: str | None

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        """Send one request and return the answer; transient faults are retried inside."""
        ...
