"""The OpenAI-compatible backend: OpenAI itself, or any local server that speaks its chat API.

Retries are ours, not the SDK's (the SDK's are switched off): one policy, bounded and visible in the
error (`attempts`), honouring Retry-After. SDK errors become our errors in one place,
`to_model_error`, so the rest of the tool never sees an `openai` exception.
"""

from __future__ import annotations

import copy
import dataclasses
import email.utils
import json
import os
import random
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx2
import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion
from tenacity import AsyncRetrying, RetryCallState, stop_after_attempt

from summarizer.errors import BackendError, ConfigError, QuotaError, ReplayMissError, SummarizerError
from summarizer.llm.base import (
    FALLBACK_MODES,
    SCHEMA_ENFORCED,
    Completion,
    Message,
    OutputSpec,
    StructuredMode,
)
from summarizer.llm.endpoints import REQUEST_OPTION, ServerInfo, is_local_host, is_openai_host
from summarizer.llm.fixtures import ORIGIN_HEADER, RecordingTransport, ReplayTransport, origin_from_header
from summarizer.llm.redact import redact
from summarizer.schemas import Usage

if TYPE_CHECKING:
    from summarizer.llm.endpoints import ModeMemory
    from summarizer.llm.pacing import RateLimiter

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"
"""Sent to servers that need no key (local servers, replay): the SDK insists on some key."""
DEFAULT_TIMEOUT = 120.0
LOCAL_TIMEOUT = 900.0
"""The default for a server on this machine or network: a small model on CPUs took 13 to 780 s per call."""
CONNECT_TIMEOUT = 5.0
"""Seconds to open a connection, whatever --timeout says: a dead endpoint fails fast."""
CONNECT_ATTEMPTS = 2
"""Tries to open a connection to a remote endpoint (a local one is tried once)."""
DISCOVERY_TIMEOUT = 10.0
"""Seconds for `GET /models` and `/props`, which a server answers without running its model."""
DEFAULT_MAX_RETRIES = 4
RETRY_AFTER_MAX = 60.0
"""A server asking for a longer pause than this gets this; a run should not hang for hours."""
TRANSIENT_STATUSES = frozenset({408, 409, 429})
BODY_LIMIT = 2000

SCHEMA_INSTRUCTION = (
    "Answer with one JSON object shaped like this example: the same keys, every value replaced by "
    "your answer, and lists as long as needed (the example shows one item):\n"
)
"""json_object mode shows an example instance, not the JSON Schema: small models given the raw schema
answered with the schema itself (`{"additionalProperties": false, "properties": …}`), again and again."""
FIELD_GUIDE = "\nWhat each key holds:\n"

MODE_WORDS: dict[str, re.Pattern[str]] = {
    "json_schema": re.compile(r"response_format|json_schema"),
    "json_object_schema": re.compile(r"response_format|json_object|\bschema\b"),
    "json_object": re.compile(r"response_format|json_object"),
    "tools": re.compile(r"tool_choice|\btools?\b|function"),
}
NOT_A_REFUSAL = frozenset({401, 403, 404, 408, 409, 429})

CONTEXT_PATTERNS = (
    re.compile(r"maximum context length is (\d+)"),  # OpenAI, vLLM, llama-cpp-python
    re.compile(r"exceeds? (?:the )?context window of (\d+)"),  # llama-cpp-python, unwrapped
    re.compile(r"available context size \((\d+) tokens\)"),  # llama.cpp server
    re.compile(r'"n_ctx"\s*:\s*(\d+)'),
)
CONTEXT_WORDS = re.compile(
    r"context_length_exceeded|exceed_context_size|context (?:length|window|size)", re.I
)


class NotACompletion(Exception):
    """HTTP 200 whose body is not a chat completion (a proxy's page, broken JSON): a server fault."""

    def __init__(self, body: str) -> None:
        self.body = body
        super().__init__(_first_line(body) or "(empty body)")


class OpenAIBackend:
    """A `Backend` over `AsyncOpenAI` chat completions."""

    name = "openai"

    def __init__(
        self,
        model: str | None = DEFAULT_MODEL,
        *,
        client: AsyncOpenAI | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_wait_base: float = 1.0,
        retry_wait_max: float = 30.0,
        max_tokens: int | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        limiter: RateLimiter | None = None,
        mode_memory: ModeMemory | None = None,
    ) -> None:
        """`model=None`: the model the server lists at `GET /models` (see `discover`). `timeout=None`:
        `LOCAL_TIMEOUT` for a server on this machine or network, `DEFAULT_TIMEOUT` otherwise."""
        if max_retries < 0:
            raise ConfigError(f"max retries must be 0 or more, not {max_retries}")
        if max_tokens is not None and max_tokens < 1:
            raise ConfigError(f"--max-tokens must be 1 or more, not {max_tokens}")
        self.model = model or DEFAULT_MODEL
        self.model_known = model is not None
        """False until `discover` has read the model's name from the server."""
        url = str(client.base_url) if client is not None else base_url or _env_base_url()
        self.local = is_local_host(endpoint_host(url))
        """A server on this machine or network: longer timeout, timeouts not retried, answers capped."""
        self.timeout = timeout or (LOCAL_TIMEOUT if self.local else DEFAULT_TIMEOUT)
        self.client = client if client is not None else _build_client(url, api_key, self.timeout, transport)
        self.endpoint_host: str | None = endpoint_host(str(self.client.base_url))
        self.context_window: int | None = None
        """The server's context size in tokens, when it said (`discover`, or a context-overflow error)."""
        self._info: ServerInfo | None = None
        self.max_retries = max_retries
        self.retry_wait_base = retry_wait_base
        self.retry_wait_max = retry_wait_max
        self.max_tokens = max_tokens
        self.limiter = limiter
        """Client-side pacing (`summarizer.llm.pacing`): each attempt waits for its slot; a 429 pauses all."""
        self.mode_memory = mode_memory
        """Where `auto` keeps the mode each endpoint accepted (None: learnt for this backend's life only)."""
        self.auto_mode: StructuredMode | None = None
        """The mode `auto` last saw accepted here (None until a request tells, or `mode_memory` does)."""
        self.ignores_schema: set[StructuredMode] = set()
        """Modes this endpoint accepted but answered outside their schema (`schema_ignored`): `auto`
        does not ask in them again for this backend's life."""

    @classmethod
    def from_settings(
        cls,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        record_dir: str | os.PathLike[str] | None = None,
        replay_dir: str | os.PathLike[str] | None = None,
        timeout: float | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_wait_base: float = 1.0,
        retry_wait_max: float = 30.0,
        max_tokens: int | None = None,
        limiter: RateLimiter | None = None,
        mode_memory: ModeMemory | None = None,
    ) -> OpenAIBackend:
        """Build from CLI flags, falling back to SUMMARIZER_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY.

        With no model named, OpenAI's endpoint gets `DEFAULT_MODEL`; any other server is asked which
        model it serves (`discover`), so a local answer is never recorded or priced as gpt-4o-mini.
        """
        if record_dir is not None and replay_dir is not None:
            raise ConfigError("--record and --replay cannot be used together: record first, then replay")
        model = model or os.environ.get("SUMMARIZER_MODEL") or None
        base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        if model is None and is_openai_host(endpoint_host(base_url or DEFAULT_BASE_URL)):
            model = DEFAULT_MODEL
        api_key = api_key or os.environ.get("OPENAI_API_KEY") or None
        transport: httpx2.AsyncBaseTransport | None = None
        if replay_dir is not None:
            if not Path(replay_dir).is_dir():
                raise ConfigError(f"--replay {replay_dir}: no such directory of recorded fixtures")
            transport = ReplayTransport(replay_dir)
        elif api_key is None and base_url is None:
            raise ConfigError(_NO_ENDPOINT)
        elif record_dir is not None:
            transport = RecordingTransport(record_dir)
        return cls(
            model,
            base_url=base_url or DEFAULT_BASE_URL,
            api_key=api_key or PLACEHOLDER_KEY,
            timeout=timeout,
            max_retries=max_retries,
            retry_wait_base=retry_wait_base,
            retry_wait_max=retry_wait_max,
            max_tokens=max_tokens,
            transport=transport,
            limiter=limiter,
            mode_memory=mode_memory if replay_dir is None and record_dir is None else None,
        )

    @property
    def endpoint(self) -> str:
        """The base URL, which `auto` remembers its mode by."""
        return str(self.client.base_url)

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        """Send one request, retrying transient faults; every failure leaves as a `ModelError`.

        With `output.mode == "auto"`, the mode the endpoint last accepted is tried first, then the others
        in the order of `FALLBACK_MODES`; a refusal of a mode (an error that names `response_format` or
        `tools`) moves on to the next, and the mode that answers is remembered for the endpoint and set
        on the completion. A mode the endpoint was seen to answer outside its schema
        (`schema_ignored`) is not tried.
        """
        if output.mode != "auto":
            completion = await self._send(messages, output, temperature)
            completion.mode = output.mode
            return completion
        if self.auto_mode is None and self.mode_memory is not None:
            self.auto_mode = self.mode_memory.get(self.endpoint)
        start = self.auto_mode or FALLBACK_MODES[0]
        refused: list[tuple[StructuredMode, BackendError]] = []
        order = (start, *(m for m in FALLBACK_MODES if m != start))  # what worked, then the rest
        for mode in (m for m in order if m not in self.ignores_schema):
            try:
                completion = await self._send(messages, dataclasses.replace(output, mode=mode), temperature)
            except BackendError as exc:
                if not refuses_mode(exc, mode):
                    raise
                refused.append((mode, exc))
                continue
            if mode != self.auto_mode:
                self.auto_mode = mode
                if self.mode_memory is not None:
                    self.mode_memory.remember(self.endpoint, mode)
            completion.mode = mode
            return completion
        raise _all_refused(refused, self.endpoint_host)

    def schema_ignored(self, mode: StructuredMode) -> None:
        """The endpoint answered `mode` (one of `SCHEMA_ENFORCED`) with something its schema does not
        admit: it accepts the mode but does not enforce the schema (a server that ignores the `schema`
        key of a json_object response_format), and every answer in that mode would be asked without
        the example that json_object shows. `auto` moves on to the next mode, here and in `mode_memory`.
        Forgetting the mode would not do: probing again would find it accepted again."""
        if mode not in SCHEMA_ENFORCED:
            return
        self.ignores_schema.add(mode)
        later = FALLBACK_MODES[FALLBACK_MODES.index(mode) + 1 :]
        following = next(m for m in later if m not in self.ignores_schema)  # json_object never is
        self.auto_mode = following
        if self.mode_memory is not None:
            self.mode_memory.remember(self.endpoint, following)

    async def _send(self, messages: list[Message], output: OutputSpec, temperature: float) -> Completion:
        if not self.model_known:
            await self.discover()
        limit = answer_limit(self.max_tokens, self.endpoint_host, output)
        request = build_request(self.model, messages, output, temperature, max_tokens=limit)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.max_retries + 1),
            wait=self._wait,
            retry=self._should_retry,
            reraise=True,
        )
        attempts = 0
        try:
            async for attempt in retrying:
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    if self.limiter is not None:
                        await self.limiter.acquire(request)
                    raw = await self.client.chat.completions.with_raw_response.create(**request)
                    chat = _chat_completion(raw)
        except (openai.OpenAIError, SummarizerError, NotACompletion) as exc:
            error = to_model_error(
                exc,
                attempts=attempts,
                model=self.model,
                host=self.endpoint_host,
                mode=output.mode,
                timeout=self.timeout,
                local=self.local,
                max_tokens=limit,
                secrets=[self.client.api_key],
            )
            if isinstance(error, BackendError) and error.context_window:
                self.context_window = error.context_window
            raise error from exc
        completion = to_completion(chat, output, origin_from_header(raw.headers.get(ORIGIN_HEADER)))
        completion.token_limit = limit
        completion.context_window = self.context_window
        if _cut_off(completion, limit, self.context_window):
            completion.finish_reason = "length"
        return completion

    def _should_retry(self, state: RetryCallState) -> bool:
        """`retryable`, and a connection that could not be opened is tried `CONNECT_ATTEMPTS` times at
        most: a dead endpoint fails in seconds, not after every retry's connect timeout."""
        exc = state.outcome.exception() if state.outcome is not None else None
        if exc is None or not self.retryable(exc):
            return False
        return not _connect_failure(exc) or state.attempt_number < CONNECT_ATTEMPTS

    def retryable(self, exc: BaseException) -> bool:
        """`is_transient`, except that a server on this machine or network is not asked again after a
        timeout or a failed connection: it goes on generating the abandoned answer (a retry would
        queue behind it), or it is not running."""
        if self.local and isinstance(exc, openai.APIConnectionError) and _own_error(exc) is None:
            return False
        return is_transient(exc)

    async def discover(self) -> ServerInfo:
        """Ask the server what it serves: `GET /models` (model names; vLLM's `max_model_len`) and,
        failing a context size there, llama.cpp's `GET /props` (`n_ctx`). Sets `model` when none was
        named and the server lists exactly one, and `context_window` when the server says it. A server
        that cannot be reached fails here, at once; one that does not answer these is no error unless
        the model's name is needed."""
        if self._info is not None:
            return self._info
        listing = await self._get_json("models", required=True)
        entries = [e for e in (listing or {}).get("data") or [] if isinstance(e, dict) and e.get("id")]
        models = tuple(str(e["id"]) for e in entries)
        if not self.model_known:
            self._name_model(models)
        mine = [e for e in entries if e["id"] == self.model] or entries[:1]
        context = _context_of(mine[0]) if mine else None
        if context is None:
            props = await self._get_json(_root_url(str(self.client.base_url)) + "/props")
            context = _context_of(props or {})
        if context is not None:
            self.context_window = context
        self._info = ServerInfo(models, context)
        return self._info

    def _name_model(self, models: tuple[str, ...]) -> None:
        where = self.endpoint_host or "the server"
        if len(models) == 1:
            self.model, self.model_known = models[0], True
            return
        if models:
            shown = ", ".join(models[:10]) + (", …" if len(models) > 10 else "")
            raise ConfigError(f"{where} serves {len(models)} models ({shown}): name one with --model")
        raise ConfigError(
            f"{where} did not list its models at GET /models: name the model with --model "
            "(or SUMMARIZER_MODEL)"
        )

    async def _get_json(self, path: str, *, required: bool = False) -> dict[str, Any] | None:
        """A JSON object from the server, or None when it has none there (or replay has no fixture).
        A failed connection is raised when `required`."""
        try:
            data = await self.client.get(path, cast_to=object, options={"timeout": DISCOVERY_TIMEOUT})
        except openai.APIConnectionError as exc:
            own = _own_error(exc)
            if required and own is None:
                raise to_model_error(
                    exc,
                    attempts=1,
                    model=self.model,
                    host=self.endpoint_host,
                    local=self.local,
                    secrets=[self.client.api_key],
                ) from exc
            if own is not None and not isinstance(own, ReplayMissError):
                raise own from exc
            return None
        except (openai.APIStatusError, ReplayMissError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    async def aclose(self) -> None:
        await self.client.close()

    async def __aenter__(self) -> OpenAIBackend:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _wait(self, state: RetryCallState) -> float:
        """Full-jitter exponential backoff; for a 429, at least what Retry-After asks."""
        window = min(self.retry_wait_max, self.retry_wait_base * 2 ** (state.attempt_number - 1))
        backoff = random.uniform(0, window)
        exc = state.outcome.exception() if state.outcome is not None else None
        wait = max(backoff, retry_after_seconds(exc) or 0.0)
        if self.limiter is not None and isinstance(exc, openai.APIStatusError) and exc.status_code == 429:
            self.limiter.pause(wait)
        return wait


_NO_ENDPOINT = (
    "no model endpoint configured. Either set OPENAI_API_KEY to use OpenAI; "
    "or point --base-url (or OPENAI_BASE_URL) at a local OpenAI-compatible server such as "
    "Ollama, vLLM or llama.cpp (it needs no key: any placeholder will do); "
    "or run offline from recorded fixtures with --replay DIR"
)


def answer_limit(max_tokens: int | None, host: str | None, output: OutputSpec) -> int | None:
    """`max_tokens` to send: the one set, else the task's allowance (`output.max_tokens`), except to
    OpenAI's endpoint, whose own default is bounded (and whose recorded fixtures carry none)."""
    if max_tokens is not None:
        return max_tokens
    return None if is_openai_host(host) else output.max_tokens


def _env_base_url() -> str:
    return os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL


def _build_client(
    base_url: str, api_key: str | None, timeout: float, transport: httpx2.AsyncBaseTransport | None
) -> AsyncOpenAI:
    limits = httpx2.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
    http_client = httpx2.AsyncClient(transport=transport, timeout=limits) if transport is not None else None
    return AsyncOpenAI(
        api_key=api_key or os.environ.get("OPENAI_API_KEY") or PLACEHOLDER_KEY,
        base_url=base_url,
        timeout=limits,
        max_retries=0,
        http_client=http_client,
    )


def _connect_failure(exc: BaseException) -> bool:
    """No connection could be opened (refused, unresolvable, or no answer within the connect timeout)."""
    return isinstance(exc, openai.APIConnectionError) and isinstance(
        exc.__cause__, (httpx2.ConnectError, httpx2.ConnectTimeout)
    )


def _root_url(base_url: str) -> str:
    """The server's root: the base URL without its trailing `/v1` (llama.cpp serves `/props` there)."""
    root = base_url.rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


def _context_of(entry: dict[str, Any]) -> int | None:
    """A context size in a `/models` entry or `/props`: vLLM `max_model_len`, llama.cpp `n_ctx`."""
    settings = entry.get("default_generation_settings")
    meta = entry.get("meta")
    for value in (
        entry.get("max_model_len"),
        entry.get("n_ctx"),
        entry.get("context_length"),
        settings.get("n_ctx") if isinstance(settings, dict) else None,
        meta.get("n_ctx") if isinstance(meta, dict) else None,
    ):
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def endpoint_host(base_url: str) -> str | None:
    """Host (and port, if any) of the base URL: what provenance records, never a key or a path."""
    parts = urlsplit(base_url)
    if parts.hostname is None:
        return None
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname


# --------------------------------------------------------------------------------------------------
# Requests and answers
# --------------------------------------------------------------------------------------------------


def build_request(
    model: str,
    messages: list[Message],
    output: OutputSpec,
    temperature: float,
    *,
    max_tokens: int | None = None,
) -> dict[str, Any]:
    """The keyword arguments of `chat.completions.create` for one structured-output mode (`auto`
    asks as `json_schema` does: it is where `auto` starts)."""
    request: dict[str, Any] = {"model": model, "messages": messages, "temperature": temperature}
    if max_tokens is not None:
        request["max_tokens"] = max_tokens
    if output.mode in ("json_schema", "auto"):
        request["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": output.name, "schema": output.schema, "strict": True},
        }
    elif output.mode == "json_object_schema":  # the grammar carries the shape: no example in the prompt
        schema = narrowed_schema(output.schema, dict(output.choices))
        request["response_format"] = {"type": "json_object", "schema": schema}
    elif output.mode == "json_object":
        request["response_format"] = {"type": "json_object"}
        request["messages"] = with_schema_instruction(messages, output.schema)
    else:
        request["tools"] = [
            {
                "type": "function",
                "function": {
                    "name": output.name,
                    "description": f"Give the answer as a {output.name} object.",
                    "parameters": output.schema,
                    "strict": True,
                },
            }
        ]
        request["tool_choice"] = {"type": "function", "function": {"name": output.name}}
    return request


def narrowed_schema(schema: dict[str, Any], choices: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """`schema` with each property named in `choices` (a string, or a list of strings) limited to those
    values by an `enum`; a name with no values is left as it is (an empty enum matches nothing)."""
    if not any(choices.values()):
        return schema

    def prop(name: str, node: Any) -> Any:
        values = list(choices.get(name, ()))
        if not values or not isinstance(node, dict):
            return node
        if node.get("type") == "string":
            return {**node, "enum": values}
        items = node.get("items")
        if node.get("type") == "array" and isinstance(items, dict) and items.get("type") == "string":
            return {**node, "items": {**items, "enum": values}}
        return node

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        return {
            key: {name: prop(name, walk(sub)) for name, sub in value.items()}
            if key == "properties" and isinstance(value, dict)
            else walk(value)
            for key, value in node.items()
        }

    result: dict[str, Any] = walk(schema)
    return result


def with_schema_instruction(messages: list[Message], schema: dict[str, Any]) -> list[Message]:
    """Messages with the answer's shape appended to the first system message (json_object mode cannot
    carry a schema): an example instance, then what each key holds (the schema's descriptions)."""
    defs = schema.get("$defs", {})
    instruction = SCHEMA_INSTRUCTION + json.dumps(example_instance(schema, defs), ensure_ascii=False)
    guide = field_guide(schema, defs)
    if guide:
        instruction += FIELD_GUIDE + "\n".join(guide)
    result = copy.deepcopy(messages)
    for message in result:
        if message.get("role") == "system" and isinstance(message.get("content"), str):
            message["content"] = f"{message['content']}\n\n{instruction}"
            return result
    return [{"role": "system", "content": instruction}, *result]


def _chat_completion(raw: Any) -> ChatCompletion:
    """The parsed answer, or `NotACompletion` when an HTTP 200 carries something else."""
    try:
        chat = raw.parse()
    except ValueError as exc:  # not JSON
        raise NotACompletion(_response_text(raw)) from exc
    if not isinstance(chat, ChatCompletion) or not isinstance(chat.choices, list):
        raise NotACompletion(_response_text(raw))
    return chat


def _response_text(raw: Any) -> str:
    try:
        return str(raw.http_response.text)
    except Exception:
        return ""


def _cut_off(completion: Completion, limit: int | None, context: int | None) -> bool:
    """An answer the server stopped at a limit without saying so (llama-cpp-python reports a tool call
    cut at the limit as `tool_calls`): it used all of `max_tokens`, or prompt and answer fill the
    context."""
    usage = completion.usage
    if completion.finish_reason == "length" or not usage.output_tokens:
        return False
    if limit is not None and usage.output_tokens >= limit:
        return True
    return context is not None and usage.input_tokens + usage.output_tokens >= context


def _node(node: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """A schema node with a local `$ref` resolved, and an optional (`anyOf` with null) unwrapped."""
    if not isinstance(node, dict):
        return {}
    if "$ref" in node:
        node = {
            **defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {}),
            **{k: v for k, v in node.items() if k != "$ref"},
        }
    options = [o for o in node.get("anyOf", []) if isinstance(o, dict) and o.get("type") != "null"]
    if options:
        node = {**_node(options[0], defs), **{k: v for k, v in node.items() if k != "anyOf"}}
    return dict(node)


def example_instance(schema: dict[str, Any], defs: dict[str, Any], depth: int = 0) -> Any:
    """A value of the schema's shape with placeholder values: objects with every key, lists of one."""
    node = _node(schema, defs)
    if node.get("enum"):
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        if depth > 8:
            return {}
        return {k: example_instance(v, defs, depth + 1) for k, v in node.get("properties", {}).items()}
    if kind == "array":
        return [example_instance(node.get("items", {}), defs, depth + 1)] if depth <= 8 else []
    return {"integer": 0, "number": 0, "boolean": False, "null": None}.get(str(kind), "...")


def field_guide(schema: dict[str, Any], defs: dict[str, Any], path: str = "", depth: int = 0) -> list[str]:
    """`- key_points[].text: description (one of: …)` for each described or enumerated key."""
    node = _node(schema, defs)
    lines: list[str] = []
    if depth > 8:
        return lines
    if node.get("type") == "array":
        return field_guide(node.get("items", {}), defs, path + "[]", depth + 1)
    for key, prop in node.get("properties", {}).items():
        sub = f"{path}.{key}" if path else key
        child = _node(prop, defs)
        text = " ".join(str(child.get("description", "")).split())
        if child.get("enum"):
            text = f"one of {', '.join(map(str, child['enum']))}. {text}".strip()
        if text:
            lines.append(f"- {sub}: {text}")
        lines += field_guide(child, defs, sub, depth + 1)
    return lines


def to_completion(chat: ChatCompletion, output: OutputSpec, fixture_origin: str | None) -> Completion:
    """Our `Completion` from the SDK's; for `tools`, the content is the forced call's arguments."""
    if not chat.choices:
        raise BackendError("the server answered with no choices; check --model and --base-url")
    choice = chat.choices[0]
    message = choice.message
    content = message.content
    if output.mode == "tools" and message.tool_calls:
        call = message.tool_calls[0]
        if call.type == "function":
            content = call.function.arguments
    usage = chat.usage
    return Completion(
        content=content,
        finish_reason=choice.finish_reason,
        refusal=message.refusal,
        usage=Usage(
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
        ),
        fixture_origin=fixture_origin,
    )


# --------------------------------------------------------------------------------------------------
# Retries and errors
# --------------------------------------------------------------------------------------------------


def is_transient(exc: BaseException) -> bool:
    """Worth another try: rate limits, server errors, timeouts, connection failures, an HTTP 200 that
    is not a completion. A server error whose body names how the answer was asked for
    (`response_format`, `tools`) is the request's fault (llama-cpp-python answers an unsupported
    response_format with HTTP 500), and a 429 for a spent quota will not pass: neither is retried."""
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code >= 500:
            return not REQUEST_OPTION.search(_body_text(exc))
        if exc.status_code == 429 and _quota_spent(exc):
            return False
        return exc.status_code in TRANSIENT_STATUSES
    return isinstance(exc, (openai.APIConnectionError, NotACompletion))


def _quota_spent(exc: openai.APIStatusError) -> bool:
    return "insufficient_quota" in _body_text(exc)


def refuses_mode(exc: BackendError, mode: StructuredMode) -> bool:
    """The server refused the structured-output `mode` itself: a 4xx (other than auth, not found, rate
    limit) or a 5xx whose body names the mode's request field."""
    status = exc.status
    if status is None or status < 400 or status in NOT_A_REFUSAL:
        return False
    pattern = MODE_WORDS.get(mode)
    return pattern is not None and bool(pattern.search(exc.body or ""))


def _all_refused(refused: list[tuple[StructuredMode, BackendError]], host: str | None) -> BackendError:
    tried = "; ".join(f"{mode}: HTTP {exc.status} {_first_line(exc.body)}" for mode, exc in refused)
    last = refused[-1][1]
    return BackendError(
        f"{host or 'the server'} refused every structured-output mode it was asked in ({tried}). "
        "Fix: check that the server can answer in JSON (its documentation: response_format or tools), "
        "or choose one mode with --structured-output json_schema, json_object or tools",
        status=last.status,
        body=last.body,
        attempts=sum(exc.attempts for _, exc in refused),
    )


def _first_line(text: str | None, limit: int = 160) -> str:
    line = next((ln.strip() for ln in (text or "").splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The pause a 429/503 asks for (retry-after-ms, or Retry-After in seconds or as a date), capped."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    seconds: float | None = None
    if ms := headers.get("retry-after-ms"):
        seconds = _float(ms, 1000.0)
    if seconds is None and (value := headers.get("retry-after")):
        seconds = _float(value, 1.0)
        if seconds is None:
            date = email.utils.parsedate_to_datetime(value) if _is_http_date(value) else None
            seconds = date.timestamp() - time.time() if date else None
    if seconds is None:
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_MAX)


def _float(value: str, divisor: float) -> float | None:
    try:
        return float(value) / divisor
    except ValueError:
        return None


def _is_http_date(value: str) -> bool:
    return email.utils.parsedate_tz(value) is not None


def to_model_error(
    exc: BaseException,
    *,
    attempts: int,
    model: str,
    host: str | None,
    mode: StructuredMode | None = None,
    timeout: float | None = None,
    local: bool = False,
    max_tokens: int | None = None,
    secrets: Iterable[str | None] = (),
) -> SummarizerError:
    """The one place SDK exceptions become ours, with the fix named; our own errors pass unchanged.
    A server may echo the API key in its error body: the message and `body` have it `redact`ed
    (`secrets`: the configured key), so no caller, log or output line ever holds it."""
    own = _own_error(exc)
    if own is not None:
        return own
    error = _mapped_error(
        exc,
        attempts=attempts,
        model=model,
        host=host,
        mode=mode,
        timeout=timeout,
        local=local,
        max_tokens=max_tokens,
    )
    error.args = tuple(redact(str(arg), secrets) for arg in error.args)
    if error.body is not None:
        error.body = redact(error.body, secrets)
    return error


def _mapped_error(
    exc: BaseException,
    *,
    attempts: int,
    model: str,
    host: str | None,
    mode: StructuredMode | None,
    timeout: float | None,
    local: bool,
    max_tokens: int | None,
) -> BackendError:
    where = host or "the server"
    if isinstance(exc, openai.APIStatusError):
        return _status_error(
            exc, attempts=attempts, model=model, where=where, mode=mode, max_tokens=max_tokens
        )
    if isinstance(exc, NotACompletion):
        return BackendError(
            f"{where} answered HTTP 200 with something that is not a chat completion "
            f"({_tries(attempts)}): {exc}. Check --base-url: it should be the OpenAI-compatible API "
            "(usually ending in /v1), not a web page or a proxy's error page",
            status=200,
            body=exc.body[:BODY_LIMIT],
            attempts=attempts,
        )
    if isinstance(exc, openai.APITimeoutError) and not isinstance(exc.__cause__, httpx2.ConnectTimeout):
        return _timeout_error(where, attempts, timeout, local, max_tokens)
    if isinstance(exc, openai.APIConnectionError):
        running = "that the server is running" + (" and has loaded its model" if local else "")
        cause: object = exc.__cause__ or exc
        if isinstance(cause, httpx2.ConnectTimeout):
            waited = _connect_timeout(cause)
            cause = f"no answer to the connection {f'within {waited:g} s' if waited else 'in time'}"
        return BackendError(
            f"could not connect to {where} ({_tries(attempts)}): {cause}; "
            f"check --base-url / OPENAI_BASE_URL and {running}",
            attempts=attempts,
        )
    return BackendError(f"request to {where} failed: {type(exc).__name__}: {exc}", attempts=attempts)


def _connect_timeout(exc: httpx2.ConnectTimeout) -> float | None:
    """The connect timeout the request carried (`min(CONNECT_TIMEOUT, timeout)`, or an injected
    client's own), when it says."""
    try:
        waited = exc.request.extensions["timeout"]["connect"]
    except (RuntimeError, KeyError, TypeError):
        return None
    return float(waited) if isinstance(waited, (int, float)) else None


def _own_error(exc: BaseException) -> SummarizerError | None:
    """Our error raised below the SDK (e.g. `ReplayMissError` from the replay transport), unwrapped."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, SummarizerError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _timeout_error(
    where: str, attempts: int, timeout: float | None, local: bool, max_tokens: int | None
) -> BackendError:
    waited = f"within {timeout:g} s" if timeout else "in time"
    longer = f"--timeout {2 * timeout:g}" if timeout else "--timeout SECONDS"
    if local:
        cap = f", lower --max-tokens (now {max_tokens})" if max_tokens else ", set --max-tokens"
        return BackendError(
            f"{where} did not answer {waited} ({_tries(attempts)}). Not retried: a local server goes on "
            "generating the abandoned answer, so a retry would queue behind it. Fix: raise the time "
            f"limit, e.g. {longer}{cap}, or use a smaller --model",
            attempts=attempts,
        )
    return BackendError(
        f"{where} did not answer {waited} ({_tries(attempts)}); raise the time limit, e.g. {longer}, "
        "or try a smaller input",
        attempts=attempts,
    )


def context_overflow(body: str) -> tuple[bool, int | None]:
    """Whether an error body says the request does not fit the context, and the size it names."""
    if not CONTEXT_WORDS.search(body):
        return False, None
    for pattern in CONTEXT_PATTERNS:
        if found := pattern.search(body):
            return True, int(found.group(1))
    return True, None


def _status_error(
    exc: openai.APIStatusError,
    *,
    attempts: int,
    model: str,
    where: str,
    mode: StructuredMode | None,
    max_tokens: int | None = None,
) -> BackendError:
    status = exc.status_code
    body = _body_text(exc)
    overflow, window = context_overflow(body) if 400 <= status < 500 or status == 500 else (False, None)
    if overflow:
        budget = f"--context-budget {window}" if window else "--context-budget TOKENS (the server's context)"
        answer = f", or lower --max-tokens (now {max_tokens})" if max_tokens else ""
        size = f" ({window} tokens, as the server says)" if window else ""
        error = BackendError(
            f"{where} answered HTTP {status}: the request does not fit the model's context window{size}. "
            f"Fix: set {budget}, so that longer articles are summarised in parts{answer}, or start the "
            f"server with a larger context. Body: {body}",
            status=status,
            body=body,
            attempts=attempts,
        )
        error.context_window = window
        return error
    if status == 429 and _quota_spent(exc):
        return QuotaError(
            f"{where} answered HTTP 429 insufficient_quota: the account's quota or credit is spent, and "
            "waiting will not bring it back. Fix: add credit or raise the limit with the provider "
            "(OpenAI: platform.openai.com, Billing), then run again (a batch: the same command with "
            f"--resume). Body: {body}",
            status=status,
            body=body,
            attempts=attempts,
        )
    fixes = {
        400: "the server rejected the request; if it names response_format or tools, "
        "try another --structured-output mode (auto, json_schema, json_object, tools)",
        401: "the server refused the key: check OPENAI_API_KEY",
        403: f"the key may not use model {model!r}: check OPENAI_API_KEY and --model",
        404: f"model {model!r} or the endpoint was not found at {where}: check --model and --base-url",
        422: "the server could not process the request; try another structured-output mode",
    }
    if status == 429:
        fix = f"rate limited after {_tries(attempts)}; wait, or check the account's rate limits and quota"
    elif mode is not None and status not in NOT_A_REFUSAL and MODE_WORDS[_asked(mode)].search(body):
        fix = (
            f"the server does not accept --structured-output {_asked(mode)}; use --structured-output auto "
            "(the default: it finds a mode the server accepts) or name another: "
            + ", ".join(m for m in FALLBACK_MODES if m != _asked(mode))
        )
    elif is_transient(exc):
        fix = f"still failing after {_tries(attempts)}; try again later"
    else:
        fix = fixes.get(status, "the server refused the request")
    return BackendError(
        f"{where} answered HTTP {status}: {fix}. Body: {body}", status=status, body=body, attempts=attempts
    )


def _asked(mode: StructuredMode) -> StructuredMode:
    return "json_schema" if mode == "auto" else mode


def _body_text(exc: openai.APIStatusError) -> str:
    try:
        text = exc.response.text
    except Exception:
        text = json.dumps(exc.body, ensure_ascii=False) if exc.body is not None else ""
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + "…"


def _tries(attempts: int) -> str:
    return f"{attempts} attempt{'s' if attempts != 1 else ''}"
