"""A fake of llama-cpp-python 0.3.36's OpenAI-compatible server, answering the way the real one did.

What it copies from the real server (issues 14 and 17):
- `response_format: {"type": "json_schema"}` is refused with HTTP 500 and a pydantic validation
  message ("'loc': ('body', 'response_format', 'type'), 'msg': \"Input should be 'text' or
  'json_object'\"", as the real server sent it); json_object and tools work.
- `response_format: {"type": "json_object", "schema": {...}}` is accepted (the real server builds a
  grammar from the schema and constrains decoding to it; here `answer(body)` sees the request and may
  answer as a constrained model would).
- `GET /v1/models` lists the one model it serves, by its path (no context size: it does not say).
- The answer's `model` echoes the requested name, whatever it is.
- No `max_tokens` means up to the whole context; a prompt plus `max_tokens` beyond the context is
  refused with HTTP 400, code `context_length_exceeded`, in the OpenAI wording it rewrites to.
- A tool call cut at the token limit still ends with `finish_reason: "tool_calls"`.
Prompt tokens are estimated as characters / 4 of the messages (the real server tokenises).

with LlamaCppServer(answer=lambda body: '{"verdict": "supported"}') as server: ...
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakeserver import LocalServer, QuietHandler, SeenRequest, chat_completion, send_json

MODEL_PATH = "/models/qwen2.5-1.5b-instruct-q4_k_m.gguf"

SCHEMA_REFUSAL = (  # the body llama-cpp-python 0.3.x sent on this machine (its traceback line kept)
    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema', 'ctx': {'expected': "
    "\"'text' or 'json_object'\"}}\n\n  File \"/venv/lib/python3.11/site-packages/llama_cpp/server/"
    'app.py", line 376, in create_chat_completion\n    POST /v1/chat/completions'
)

SCHEMA_KEY_REFUSAL = (  # a server whose request model forbids extra keys (pydantic extra="forbid")
    "1 validation error:\n  {'type': 'extra_forbidden', 'loc': ('body', 'response_format', 'schema'), "
    "'msg': 'Extra inputs are not permitted'}"
)


def extractive_summary(body: dict[str, Any]) -> str:
    """A SummaryDraft a model could give for the prompt in `body`: for an article (or a part of one),
    its first sentence, cited by its id; for a merge of partial summaries, the first part as it is."""
    prompt = "\n".join(str(m.get("content")) for m in body.get("messages", []) if m.get("role") == "user")
    part = re.search(r'<part n="1">\n(.*?)\n</part>', prompt, re.S)
    if part:
        return part.group(1)
    found = re.search(r"^\[([A-Z]\d+)\] (.+)$", prompt, re.M)
    sid, text = found.groups() if found else ("A1", "")
    draft = {
        "headline": " ".join(text.split()[:8]),
        "summary": text,
        "key_points": [{"text": text, "sentence_ids": [sid]}],
        "quotes": [],
        "entities": [],
        "dates": [],
        "caveats": [],
        "language": "en",
    }
    return json.dumps(draft, ensure_ascii=False)


def prompt_tokens(body: dict[str, Any]) -> int:
    return len(json.dumps(body.get("messages", []), ensure_ascii=False)) // 4


class LlamaCppServer(LocalServer):
    """`answer(body)` gives each completion's JSON text; `n_ctx` is the server's context size.

    `cut_at`: when set, answers are cut to this many tokens (4 characters each) as a model stopped by
    the limit would be. `latency`: seconds before each completion (a slow CPU model). To stand in for
    other servers: `props=True` serves llama.cpp's `GET /props` (its `n_ctx`), `model_extra` is added
    to each `/v1/models` entry (vLLM's `{"max_model_len": …}`).
    """

    def __init__(
        self,
        answer: Callable[[dict[str, Any]], str] | None = None,
        *,
        n_ctx: int = 32768,
        model_path: str = MODEL_PATH,
        latency: float = 0.0,
        cut_at: int | None = None,
        models: list[str] | None = None,
        props: bool = False,
        model_extra: dict[str, Any] | None = None,
    ) -> None:
        self.props = props
        self.refuse_tools = False
        """Answer `tools` requests with HTTP 400 naming them (a server without function calling)."""
        self.refuse_schema = False
        """Answer json_object with a `schema` with HTTP 400 (a server whose request model forbids extra
        keys in response_format)."""
        self.model_extra = model_extra or {}
        self.answer = answer or (lambda body: "{}")
        self.n_ctx = n_ctx
        self.models = models if models is not None else [model_path]
        self.latency = latency
        self.cut_at = cut_at
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._listen(self._handler_class(), backlog=64)

    def chat_requests(self) -> list[SeenRequest]:
        return [r for r in self.requests if r.method == "POST"]

    def modes(self) -> list[str]:
        """The structured-output mode of each chat request, in order."""
        seen = []
        for r in self.chat_requests():
            if "tools" in r.body:
                seen.append("tools")
            elif "schema" in r.body.get("response_format", {}):
                seen.append("json_object_schema")
            else:
                seen.append(r.body.get("response_format", {}).get("type", "text"))
        return seen

    def _seen(self, handler: BaseHTTPRequestHandler, body: Any) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append(SeenRequest(handler.command, handler.path, headers, body))

    def _complete(self, body: dict[str, Any]) -> tuple[int, Any]:
        fmt = body.get("response_format") or {}
        if self.refuse_tools and "tools" in body:
            return 400, _error("tools are not supported by this server", "invalid_request_error")
        if fmt.get("type") not in (None, "text", "json_object"):
            return 500, _error(SCHEMA_REFUSAL, "internal_server_error")
        if self.refuse_schema and "schema" in fmt:
            return 400, _error(SCHEMA_KEY_REFUSAL, "invalid_request_error")
        prompt = prompt_tokens(body)
        limit = body.get("max_tokens")
        if prompt + (limit or 0) > self.n_ctx:
            return 400, _overflow(prompt, limit, self.n_ctx)
        room = self.n_ctx - prompt if limit is None else min(limit, self.n_ctx - prompt)
        if self.cut_at is not None:
            room = min(room, self.cut_at)
        text = self.answer(body)
        cut = len(text) > room * 4
        text = text[: room * 4]
        completion = len(text) // 4 + 1
        time.sleep(self.latency)
        model = body.get("model", "")
        if "tools" in body:
            reply = chat_completion(
                None,
                tool_arguments=text,
                finish_reason="tool_calls",
                prompt_tokens=prompt,
                completion_tokens=completion,
                model=model,
            )
            reply["choices"][0]["message"]["tool_calls"][0]["function"]["name"] = body["tools"][0][
                "function"
            ]["name"]
            return 200, reply
        finish = "length" if cut else "stop"
        return 200, chat_completion(
            text, finish_reason=finish, prompt_tokens=prompt, completion_tokens=completion, model=model
        )

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                server._seen(self, None)
                if self.path.rstrip("/") == "/v1/models":
                    data = [
                        {
                            "id": m,
                            "object": "model",
                            "owned_by": "me",
                            "permissions": [],
                            **server.model_extra,
                        }
                        for m in server.models
                    ]
                    send_json(self, 200, {"object": "list", "data": data})
                elif self.path == "/props" and server.props:
                    send_json(self, 200, {"default_generation_settings": {"n_ctx": server.n_ctx}})
                else:
                    send_json(self, 404, {"detail": "Not Found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                server._seen(self, body)
                if self.path != "/v1/chat/completions":
                    send_json(self, 404, {"detail": "Not Found"})
                    return
                status, reply = server._complete(body)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    send_json(self, status, reply)

        return Handler


def _error(message: str, kind: str, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def _overflow(prompt: int, limit: int | None, n_ctx: int) -> dict[str, Any]:
    message = (
        f"This model's maximum context length is {n_ctx} tokens. However, you requested "
        f"{prompt + (limit or 0)} tokens ({prompt} in the messages, {limit} in the completion). "
        "Please reduce the length of the messages or completion."
    )
    return _error(message, "invalid_request_error", "context_length_exceeded", "messages")
