"""Retries and errors of `OpenAIBackend`: which faults are worth another try, and the one place SDK
exceptions become ours (`to_model_error`), each with the fix named. The names are importable from
`summarizer.llm.openai_backend`."""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Iterable

import httpx2
import openai

from summarizer.errors import BackendError, QuotaError, SummarizerError
from summarizer.llm.base import FALLBACK_MODES, StructuredMode
from summarizer.llm.endpoints import REQUEST_OPTION
from summarizer.llm.redact import redact, scrub_chain

RETRY_AFTER_MAX = 60.0
"""A server asking for a longer pause than this gets this; a run should not hang for hours."""
TRANSIENT_STATUSES = frozenset({408, 409, 429})
BODY_LIMIT = 2000

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
    scrub_chain(exc, secrets)
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
