"""A local fake OpenAI-compatible server for tests: real HTTP on 127.0.0.1, scripted answers.

with FakeOpenAIServer() as server:
    server.reply(429, {"error": {"message": "slow down"}}, headers={"Retry-After": "1"})
    server.reply_completion('{"ok": true}')
    backend = OpenAIBackend(base_url=server.url, api_key="sk-test")
    ...
    assert len(server.requests) == 2
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

ServerT = TypeVar("ServerT", bound="LocalServer")


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    """The parsed JSON body (or the text when it is not JSON)."""


def chat_completion(
    content: str | None = "{}",
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    tool_arguments: str | None = None,
    prompt_tokens: int = 10,
    completion_tokens: int = 5,
    model: str = "gpt-4o-mini",
) -> dict[str, Any]:
    """A chat.completion body; with `tool_arguments`, the answer is a forced function call."""
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": refusal}
    if tool_arguments is not None:
        message["content"] = None
        message["tool_calls"] = [
            {"id": "call_1", "type": "function", "function": {"name": "answer", "arguments": tool_arguments}}
        ]
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_800_000_000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that does not print a line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def send_json(
    handler: BaseHTTPRequestHandler, status: int, reply: Any, headers: dict[str, str] | None = None
) -> None:
    """Answer with `reply` as JSON (bytes and str are sent as they are) and any extra headers."""
    if isinstance(reply, bytes):
        data = reply
    else:
        data = (reply if isinstance(reply, str) else json.dumps(reply)).encode("utf-8")
    handler.send_response(status)
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)


class _Listener(ThreadingHTTPServer):
    daemon_threads = True


class LocalServer:
    """What every fake server shares: a threaded HTTP server on 127.0.0.1, its URL, start and stop."""

    def _listen(self, handler: type[BaseHTTPRequestHandler], *, backlog: int = 5) -> None:
        listener = type("Listener", (_Listener,), {"request_queue_size": backlog})
        self._server = listener(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        """Base URL to give the SDK (with `/v1`, like OpenAI's)."""
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def __enter__(self: ServerT) -> ServerT:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class FakeOpenAIServer(LocalServer):
    """Answers each request with the next queued (status, headers, body); records what it saw.

    With nothing queued it answers 400 (not retried), so a missing reply fails fast and visibly.
    `GET /v1/models` lists `models` (as a server does when asked which model it serves); those GETs
    are kept apart, in `gets`, so `requests` holds the chat requests only.
    """

    def __init__(self, models: tuple[str, ...] = ("gpt-4o-mini",)) -> None:
        self.models = models
        self.gets: list[str] = []
        self.requests: list[SeenRequest] = []
        self._replies: deque[tuple[int, dict[str, str], Any]] = deque()
        self._lock = threading.Lock()
        self._listen(self._handler_class())

    def reply(self, status: int = 200, body: Any = None, headers: dict[str, str] | None = None) -> None:
        with self._lock:
            self._replies.append((status, headers or {}, body if body is not None else {}))

    def reply_completion(self, content: str | None = "{}", **kwargs: Any) -> None:
        self.reply(200, chat_completion(content, **kwargs))

    def _next(self, seen: SeenRequest) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            self.requests.append(seen)
            if self._replies:
                return self._replies.popleft()
        return 400, {}, {"error": {"message": "fake server: no reply queued", "type": "test"}}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                server.gets.append(self.path)
                if self.path.rstrip("/") != "/v1/models":
                    send_json(self, 404, {"error": {"message": "not found"}})
                    return
                data = [{"id": m, "object": "model", "owned_by": "test"} for m in server.models]
                send_json(self, 200, {"object": "list", "data": data})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                try:
                    body: Any = json.loads(raw)
                except ValueError:
                    body = raw
                seen = SeenRequest(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                status, headers, reply = server._next(seen)
                send_json(self, status, reply, headers)

        return Handler


class RateLimitedServer(LocalServer):
    """A fake OpenAI-compatible server that enforces a request rate like a provider does.

    A token bucket of `burst` requests refills at `rpm` per minute; a request finding it empty gets
    429 with `retry-after-ms` (when the next slot opens). Others wait `latency` seconds and get
    `answer(body)` as the completion content. Counts: `ok`, `throttled`.

    with RateLimitedServer(rpm=600, latency=0.2, answer=lambda body: "{}") as server: ...
    """

    def __init__(
        self, *, rpm: float, latency: float = 0.0, answer: Any = None, burst: float | None = None
    ) -> None:
        import time

        self._time = time
        self.rate = rpm / 60.0
        self.burst = burst if burst is not None else max(1.0, self.rate)
        self.latency = latency
        self.answer = answer or (lambda body: "{}")
        self.ok = 0
        self.throttled = 0
        self.first_ok: float | None = None
        self.last_ok: float | None = None
        self._tokens = self.burst
        self._stamp = time.monotonic()
        self._lock = threading.Lock()
        self._listen(self._handler_class(), backlog=256)

    def _admit(self) -> float:
        """0 when admitted, else the seconds until a slot opens."""
        with self._lock:
            now = self._time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            self.throttled += 1
            return (1.0 - self._tokens) / self.rate

    def _done(self) -> None:
        with self._lock:
            now = self._time.monotonic()
            self.ok += 1
            self.first_ok = self.first_ok if self.first_ok is not None else now
            self.last_ok = now

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                wait = server._admit()
                if wait:
                    reply: Any = {"error": {"message": "rate limited", "type": "requests"}}
                    send_json(self, 429, reply, {"retry-after-ms": str(int(wait * 1000) + 1)})
                    return
                server._time.sleep(server.latency)
                server._done()
                send_json(self, 200, chat_completion(server.answer(body), model=body.get("model", "m")))

        return Handler
