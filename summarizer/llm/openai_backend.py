"""The OpenAI-compatible backend: OpenAI itself, or any local server that speaks its chat API.

Retries are ours, not the SDK's (the SDK's are switched off): one policy, bounded and visible in the
error (`attempts`), honouring Retry-After. SDK errors become our errors in one place,
`to_model_error`, so the rest of the tool never sees an `openai` exception.
"""

from __future__ import annotations

import copy
import email.utils
import json
import os
import random
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
from summarizer.llm.base import Completion, Message, OutputSpec
from summarizer.llm.fixtures import ORIGIN_HEADER, RecordingTransport, ReplayTransport, origin_from_header
from summarizer.schemas import Usage

if TYPE_CHECKING:
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
        )

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        """Send one request, retrying transient faults; every failure leaves as a `ModelError`."""
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
            raise to_model_error(exc, attempts=attempts, model=self.model, host=self.endpoint_host) from exc
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
    """The keyword arguments of `chat.completions.create` for one structured-output mode."""
    request: dict[str, Any] = {"model": model, "messages": messages, "temperature": temperature}
    if max_tokens is not None:
        request["max_tokens"] = max_tokens
    if output.mode == "json_schema":
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
    """Worth another try: rate limits, server errors, timeouts, connection failures."""
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in TRANSIENT_STATUSES or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError)


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


def to_model_error(exc: BaseException, *, attempts: int, model: str, host: str | None) -> SummarizerError:
    """The one place SDK exceptions become ours, with the fix named; our own errors pass unchanged."""
    own = _own_error(exc)
    if own is not None:
        return own
    where = host or "the server"
    if isinstance(exc, openai.APIStatusError):
        return _status_error(exc, attempts=attempts, model=model, where=where)
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


def _status_error(exc: openai.APIStatusError, *, attempts: int, model: str, where: str) -> BackendError:
    status = exc.status_code
    body = _body_text(exc)
    fixes = {
        400: "the server rejected the request; if it names response_format or tools, "
        "try another structured-output mode (json_schema, json_object, tools)",
        401: "the server refused the key: check OPENAI_API_KEY",
        403: f"the key may not use model {model!r}: check OPENAI_API_KEY and --model",
        404: f"model {model!r} or the endpoint was not found at {where}: check --model and --base-url",
        422: "the server could not process the request; try another structured-output mode",
    }
    if status == 429:
        fix = f"rate limited after {_tries(attempts)}; wait, or check the account's rate limits and quota"
    elif is_transient(exc):
        fix = f"still failing after {_tries(attempts)}; try again later"
    else:
        fix = fixes.get(status, "the server refused the request")
    return BackendError(
        f"{where} answered HTTP {status}: {fix}. Body: {body}", status=status, body=body, attempts=attempts
    )


def _body_text(exc: openai.APIStatusError) -> str:
    try:
        text = exc.response.text
    except Exception:
        text = json.dumps(exc.body, ensure_ascii=False) if exc.body is not None else ""
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + "…"


def _tries(attempts: int) -> str:
    return f"{attempts} attempt{'s' if attempts != 1 else ''}"
