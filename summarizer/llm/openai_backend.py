"""The OpenAI-compatible backend: OpenAI itself, or any local server that speaks its chat API.

Retries are ours, not the SDK's (the SDK's are switched off): one policy, bounded and visible in the
error (`attempts`), honouring Retry-After. SDK errors become our errors in one place,
`to_model_error`, so the rest of the tool never sees an `openai` exception.

The backend is here; how a request is shaped for each structured-output mode and its answer read is in
`_openai_requests`, retries and the error mapping in `_openai_errors`. Their public names are
importable from this module (`__all__`).
"""

from __future__ import annotations

import dataclasses
import os
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx2
import openai
from openai import AsyncOpenAI
from tenacity import AsyncRetrying, RetryCallState, stop_after_attempt

from summarizer.errors import BackendError, ConfigError, ReplayMissError, SummarizerError
from summarizer.llm._openai_errors import (
    BODY_LIMIT,
    CONTEXT_PATTERNS,
    CONTEXT_WORDS,
    MODE_WORDS,
    NOT_A_REFUSAL,
    RETRY_AFTER_MAX,
    TRANSIENT_STATUSES,
    NotACompletion,
    _all_refused,
    _own_error,
    context_overflow,
    is_transient,
    refuses_mode,
    retry_after_seconds,
    to_model_error,
)
from summarizer.llm._openai_requests import (
    FIELD_GUIDE,
    SCHEMA_INSTRUCTION,
    _chat_completion,
    _cut_off,
    build_request,
    example_instance,
    field_guide,
    narrowed_schema,
    to_completion,
    with_schema_instruction,
)
from summarizer.llm.base import (
    FALLBACK_MODES,
    SCHEMA_ENFORCED,
    Completion,
    Message,
    OutputSpec,
    StructuredMode,
)
from summarizer.llm.endpoints import ServerInfo, answer_limit, is_local_host, is_openai_host
from summarizer.llm.fixtures import ORIGIN_HEADER, RecordingTransport, ReplayTransport, origin_from_header

if TYPE_CHECKING:
    from summarizer.llm.endpoints import ModeMemory
    from summarizer.llm.pacing import RateLimiter

__all__ = [
    "BODY_LIMIT",
    "CONNECT_ATTEMPTS",
    "CONNECT_TIMEOUT",
    "CONTEXT_PATTERNS",
    "CONTEXT_WORDS",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MODEL",
    "DEFAULT_TIMEOUT",
    "DISCOVERY_TIMEOUT",
    "FIELD_GUIDE",
    "LOCAL_TIMEOUT",
    "MODE_WORDS",
    "NOT_A_REFUSAL",
    "PLACEHOLDER_KEY",
    "RETRY_AFTER_MAX",
    "SCHEMA_INSTRUCTION",
    "TRANSIENT_STATUSES",
    "NotACompletion",
    "OpenAIBackend",
    "answer_limit",
    "build_request",
    "context_overflow",
    "endpoint_host",
    "example_instance",
    "field_guide",
    "is_transient",
    "narrowed_schema",
    "refuses_mode",
    "retry_after_seconds",
    "to_completion",
    "to_model_error",
    "with_schema_instruction",
]

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
