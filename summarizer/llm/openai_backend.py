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
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx2
import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from summarizer.errors import BackendError, ConfigError, SummarizerError
from summarizer.llm.base import FALLBACK_MODES, Completion, Message, OutputSpec, StructuredMode
from summarizer.llm.endpoints import REQUEST_OPTION
from summarizer.llm.fixtures import ORIGIN_HEADER, RecordingTransport, ReplayTransport, origin_from_header
from summarizer.schemas import Usage

if TYPE_CHECKING:
    from summarizer.llm.endpoints import ModeMemory
    from summarizer.llm.pacing import RateLimiter

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"
"""Sent to servers that need no key (local servers, replay): the SDK insists on some key."""
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_RETRIES = 4
RETRY_AFTER_MAX = 60.0
"""A server asking for a longer pause than this gets this; a run should not hang for hours."""
TRANSIENT_STATUSES = frozenset({408, 409, 429})
BODY_LIMIT = 2000

SCHEMA_INSTRUCTION = "Answer with one JSON object that validates against this JSON Schema:\n"

MODE_WORDS: dict[str, re.Pattern[str]] = {
    "json_schema": re.compile(r"response_format|json_schema"),
    "json_object": re.compile(r"response_format|json_object"),
    "tools": re.compile(r"tool_choice|\btools?\b|function"),
}
NOT_A_REFUSAL = frozenset({401, 403, 404, 408, 409, 429})


class OpenAIBackend:
    """A `Backend` over `AsyncOpenAI` chat completions."""

    name = "openai"

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        client: AsyncOpenAI | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_wait_base: float = 1.0,
        retry_wait_max: float = 30.0,
        max_tokens: int | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        limiter: RateLimiter | None = None,
        mode_memory: ModeMemory | None = None,
    ) -> None:
        if max_retries < 0:
            raise ConfigError(f"max retries must be 0 or more, not {max_retries}")
        self.model = model
        self.client = client if client is not None else _build_client(base_url, api_key, timeout, transport)
        self.endpoint_host: str | None = endpoint_host(str(self.client.base_url))
        self.max_retries = max_retries
        self.retry_wait_base = retry_wait_base
        self.retry_wait_max = retry_wait_max
        self.max_tokens = max_tokens
        self.limiter = limiter
        """Client-side pacing (`summarizer.llm.pacing`): each attempt waits for its slot; a 429 pauses all."""
        self.mode_memory = mode_memory
        """Where `auto` keeps the mode each endpoint accepted (None: learnt for this backend's life only)."""
        self._auto_mode: StructuredMode | None = None

    @classmethod
    def from_settings(
        cls,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        record_dir: str | os.PathLike[str] | None = None,
        replay_dir: str | os.PathLike[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_wait_base: float = 1.0,
        retry_wait_max: float = 30.0,
        max_tokens: int | None = None,
        limiter: RateLimiter | None = None,
        mode_memory: ModeMemory | None = None,
    ) -> OpenAIBackend:
        """Build from CLI flags, falling back to SUMMARIZER_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY."""
        if record_dir is not None and replay_dir is not None:
            raise ConfigError("--record and --replay cannot be used together: record first, then replay")
        model = model or os.environ.get("SUMMARIZER_MODEL") or DEFAULT_MODEL
        base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
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

        With `output.mode == "auto"`, a refusal of the mode (an error that names `response_format`
        or `tools`) moves on to the next mode of `FALLBACK_MODES`, and the mode that answers is
        remembered for the endpoint and set on the completion.
        """
        if output.mode != "auto":
            completion = await self._send(messages, output, temperature)
            completion.mode = output.mode
            return completion
        if self._auto_mode is None and self.mode_memory is not None:
            self._auto_mode = self.mode_memory.get(self.endpoint)
        start = self._auto_mode or FALLBACK_MODES[0]
        refused: list[tuple[StructuredMode, BackendError]] = []
        for mode in FALLBACK_MODES[FALLBACK_MODES.index(start) :]:
            try:
                completion = await self._send(messages, dataclasses.replace(output, mode=mode), temperature)
            except BackendError as exc:
                if not refuses_mode(exc, mode):
                    raise
                refused.append((mode, exc))
                continue
            if mode != self._auto_mode:
                self._auto_mode = mode
                if self.mode_memory is not None:
                    self.mode_memory.remember(self.endpoint, mode)
            completion.mode = mode
            return completion
        raise _all_refused(refused, self.endpoint_host)

    async def _send(self, messages: list[Message], output: OutputSpec, temperature: float) -> Completion:
        request = build_request(self.model, messages, output, temperature, max_tokens=self.max_tokens)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception(is_transient),
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
                    chat = raw.parse()
        except (openai.OpenAIError, SummarizerError) as exc:
            raise to_model_error(
                exc, attempts=attempts, model=self.model, host=self.endpoint_host, mode=output.mode
            ) from exc
        return to_completion(chat, output, origin_from_header(raw.headers.get(ORIGIN_HEADER)))

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


def _build_client(
    base_url: str | None, api_key: str | None, timeout: float, transport: httpx2.AsyncBaseTransport | None
) -> AsyncOpenAI:
    http_client = httpx2.AsyncClient(transport=transport, timeout=timeout) if transport is not None else None
    return AsyncOpenAI(
        api_key=api_key or os.environ.get("OPENAI_API_KEY") or PLACEHOLDER_KEY,
        base_url=base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL,
        timeout=timeout,
        max_retries=0,
        http_client=http_client,
    )


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


def with_schema_instruction(messages: list[Message], schema: dict[str, Any]) -> list[Message]:
    """Messages with the schema appended to the first system message (json_object mode cannot carry it)."""
    instruction = SCHEMA_INSTRUCTION + json.dumps(schema, ensure_ascii=False)
    result = copy.deepcopy(messages)
    for message in result:
        if message.get("role") == "system" and isinstance(message.get("content"), str):
            message["content"] = f"{message['content']}\n\n{instruction}"
            return result
    return [{"role": "system", "content": instruction}, *result]


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
    """Worth another try: rate limits, server errors, timeouts, connection failures. A server error
    whose body names how the answer was asked for (`response_format`, `tools`) is the request's fault
    (llama-cpp-python answers an unsupported response_format with HTTP 500): asking again won't help."""
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code >= 500:
            return not REQUEST_OPTION.search(_body_text(exc))
        return exc.status_code in TRANSIENT_STATUSES
    return isinstance(exc, openai.APIConnectionError)


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
) -> SummarizerError:
    """The one place SDK exceptions become ours, with the fix named; our own errors pass unchanged."""
    own = _own_error(exc)
    if own is not None:
        return own
    where = host or "the server"
    if isinstance(exc, openai.APIStatusError):
        return _status_error(exc, attempts=attempts, model=model, where=where, mode=mode)
    if isinstance(exc, openai.APITimeoutError):
        return BackendError(
            f"{where} did not answer in time ({_tries(attempts)}); raise the timeout or try a smaller input",
            attempts=attempts,
        )
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(
            f"could not connect to {where} ({_tries(attempts)}): {exc.__cause__ or exc}; "
            "check --base-url / OPENAI_BASE_URL and that the server is running",
            attempts=attempts,
        )
    return BackendError(f"request to {where} failed: {type(exc).__name__}: {exc}", attempts=attempts)


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


def _status_error(
    exc: openai.APIStatusError, *, attempts: int, model: str, where: str, mode: StructuredMode | None
) -> BackendError:
    status = exc.status_code
    body = _body_text(exc)
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
