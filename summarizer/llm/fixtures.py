"""Record and replay HTTP exchanges below the OpenAI SDK.

Recording below the SDK (as an httpx2 transport) means replay exercises exactly the code that runs
against a real server: request building, response parsing, error mapping. Fixtures are keyed by the
request itself (method, path, JSON body), never by headers, so no credential can leak into a key, and
the stored files keep only what is needed to answer: no Authorization, no cookies, no api-key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2

from summarizer._files import write_atomic
from summarizer.errors import ConfigError, ReplayMissError
from summarizer.llm.endpoints import REQUEST_OPTION

ORIGIN_HEADER = "x-summarizer-fixture-origin"
"""Response header set by `ReplayTransport`: the fixture's origin as ASCII JSON."""


def replay_fix(directory: Path) -> str:
    """What a user does about a replay miss: the recordings were made with other inputs, options,
    model or templates (or this tool's version changed its prompts)."""
    return (
        f"the recordings in {directory} were made from other inputs or settings (article, --length, "
        "--model, --structured-output, templates, or an older version of summarizer). Record this run "
        f"once against a live model with --record {directory}, then --replay works offline; or drop "
        "--replay to ask the model now. (Developers of summarizer: re-key its authored fixtures with "
        "`python fixtures/make_exchanges.py`.)"
    )


_MISSING = object()
_SIMILARITY_PREFIX = 4000
"""Bodies are compared on a bounded prefix so a miss stays fast with many large fixtures."""


# --------------------------------------------------------------------------------------------------
# Keys, names and origins
# --------------------------------------------------------------------------------------------------


def canonical_request(method: str, path: str, body: Any) -> str:
    """The request as canonical JSON: what a fixture key is computed from (never headers)."""
    return json.dumps(
        {"method": method.upper(), "path": path, "body": body},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def exchange_key(method: str, path: str, body: Any) -> str:
    """SHA-256 of the canonical request."""
    return hashlib.sha256(canonical_request(method, path, body).encode("utf-8")).hexdigest()


def fixture_filename(model: str | None, key: str) -> str:
    """`<model>-<first 12 hex of key>.json`, the model name made safe for any file system."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", model or "").strip("-.") or "model"
    return f"{safe}-{key[:12]}.json"


def describe_origin(origin: dict[str, Any]) -> str:
    """One line for provenance: `authored (by …)` or `recorded (gpt-4o from api.openai.com on …)`."""
    kind = str(origin.get("kind") or "unknown")
    if kind == "recorded":
        host = urlsplit(str(origin.get("endpoint") or "")).netloc.rsplit("@", 1)[-1] or "unknown host"
        model = origin.get("model") or "unknown model"
        date = origin.get("date") or "unknown date"
        return f"recorded ({model} from {host} on {date})"
    details = [f"by {origin['author']}"] if origin.get("author") else []
    if origin.get("note"):
        details.append(str(origin["note"]))
    return f"{kind} ({'; '.join(details)})" if details else kind


def origin_header_value(origin: dict[str, Any]) -> str:
    """The origin as ASCII JSON, safe in an HTTP header whatever the author's name."""
    return json.dumps(origin, sort_keys=True, ensure_ascii=True)


def origin_from_header(value: str | None) -> str | None:
    """Read `ORIGIN_HEADER` back into the `describe_origin` line, or None when not replayed."""
    if not value:
        return None
    try:
        origin = json.loads(value)
    except ValueError:
        return value
    return describe_origin(origin) if isinstance(origin, dict) else str(origin)


def _parse_body(content: bytes) -> Any:
    """JSON bodies are stored parsed (readable, diffable); anything else as text."""
    text = content.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _body_bytes(body: Any) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _write_fixture(path: Path, data: dict[str, Any]) -> None:
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


# --------------------------------------------------------------------------------------------------
# Recording
# --------------------------------------------------------------------------------------------------


class RecordingTransport(httpx2.AsyncBaseTransport):
    """Pass requests to `inner` and write every successful exchange to `directory`.

    Error responses (429, 5xx, ...) are passed through but not written: replaying them would make a
    fixture fail forever. The exception is a refusal of how the answer was asked for (an error naming
    `response_format` or `tools`): it is the server's fixed answer to that request, and replaying it lets
    `--structured-output auto` fall back as it did when recording. `origin` says where the answers
    came from; by default the endpoint (host and port), model and today's date.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        inner: httpx2.AsyncBaseTransport | None = None,
        origin: dict[str, Any] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.inner = inner if inner is not None else httpx2.AsyncHTTPTransport()
        self.origin = origin
        self.written: list[Path] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        request_body = _parse_body(await request.aread())
        response = await self.inner.handle_async_request(request)
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        if response.status_code < 400 or REQUEST_OPTION.search(content.decode("utf-8", "replace")):
            self._record(request, request_body, response, content)
        return _rebuilt(response, content)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def _record(self, request: httpx2.Request, body: Any, response: httpx2.Response, content: bytes) -> None:
        path = request.url.path
        key = exchange_key(request.method, path, body)
        model = body.get("model") if isinstance(body, dict) else None
        exchange = {
            "key": key,
            "origin": self.origin if self.origin is not None else _recorded_origin(request, model),
            "request": {"method": request.method, "path": path, "body": body},
            "response": {
                "status": response.status_code,
                "headers": {"content-type": response.headers.get("content-type", "application/json")},
                "body": _parse_body(content),
            },
        }
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / fixture_filename(model, key)
        _write_fixture(target, exchange)
        self.written.append(target)


def _recorded_origin(request: httpx2.Request, model: Any) -> dict[str, Any]:
    url = request.url
    return {
        "kind": "recorded",
        "endpoint": f"{url.scheme}://{url.netloc.decode('ascii')}{url.path}",
        "model": model,
        "date": dt.date.today().isoformat(),
    }


def _rebuilt(response: httpx2.Response, content: bytes) -> httpx2.Response:
    """A fresh response around the already-decoded body (so no content-encoding headers)."""
    drop = {"content-encoding", "content-length", "transfer-encoding"}
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in drop]
    return httpx2.Response(response.status_code, headers=headers, content=content)


# --------------------------------------------------------------------------------------------------
# Replay
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fixture:
    file: str
    method: str
    path: str
    body: Any
    status: int
    content_type: str
    response_body: Any
    origin: dict[str, Any]


class ReplayTransport(httpx2.AsyncBaseTransport, httpx2.BaseTransport):
    """Answer requests from the fixtures in `directory`; never touch the network.

    Keys are recomputed from each stored request, so a hand-edited fixture still matches what it
    says. A request with no fixture raises `ReplayMissError` naming the closest fixture and the first
    difference.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.fixtures = _load_fixtures(self.directory)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        return self._serve(request.method, request.url.path, await request.aread())

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        return self._serve(request.method, request.url.path, request.read())

    def _serve(self, method: str, path: str, content: bytes) -> httpx2.Response:
        body = _parse_body(content)
        fixture = self.fixtures.get(exchange_key(method, path, body))
        if fixture is None:
            raise ReplayMissError(self._miss_message(method, path, body))
        return httpx2.Response(
            fixture.status,
            headers={
                "content-type": fixture.content_type,
                ORIGIN_HEADER: origin_header_value(fixture.origin),
            },
            content=_body_bytes(fixture.response_body),
        )

    def _miss_message(self, method: str, path: str, body: Any) -> str:
        model = body.get("model") if isinstance(body, dict) else None
        head = f"no recorded exchange in {self.directory} matches {method} {path} (model {model})"
        if not self.fixtures:
            return (
                f"{head}: the folder holds no recordings (*.json). Fix: record into it first: run the "
                f"same command with --record {self.directory} instead of --replay, against a live model"
            )
        closest = _closest(list(self.fixtures.values()), method, path, body)
        diff = _first_difference(closest.body, body)
        where = (
            f"{diff[0]}: recorded {_show(diff[1], diff[2])} ≠ now {_show(diff[2], diff[1])}" if diff else ""
        )
        if closest.method != method.upper() or closest.path != path:
            where = f"request line: recorded {closest.method} {closest.path} ≠ now {method} {path}"
        return (
            f"{head}. Closest: {closest.file}; first difference at {where}. Fix: {replay_fix(self.directory)}"
        )


def _load_fixtures(directory: Path) -> dict[str, _Fixture]:
    """Every `*.json` in `directory`, indexed by the key of its stored request."""
    fixtures: dict[str, _Fixture] = {}
    if not directory.is_dir():
        return fixtures
    for file in sorted(directory.glob("*.json")):
        fixture = _read_fixture(file)
        fixtures[exchange_key(fixture.method, fixture.path, fixture.body)] = fixture
    return fixtures


def _read_fixture(file: Path) -> _Fixture:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        request, response = data["request"], data["response"]
        return _Fixture(
            file=file.name,
            method=str(request["method"]).upper(),
            path=str(request["path"]),
            body=request.get("body"),
            status=int(response["status"]),
            content_type=str(response.get("headers", {}).get("content-type", "application/json")),
            response_body=response.get("body"),
            origin=dict(data.get("origin") or {"kind": "unknown"}),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"{file}: not a valid fixture ({type(exc).__name__}: {exc}); "
            "fix or delete the file, or re-record with --record DIR"
        ) from exc


def _closest(fixtures: list[_Fixture], method: str, path: str, body: Any) -> _Fixture:
    """Same request line first, then most equal top-level fields and messages, then most similar text."""
    now = canonical_request(method, path, body)[:_SIMILARITY_PREFIX]

    def score(f: _Fixture) -> tuple[bool, int, float]:
        same_line = f.method == method.upper() and f.path == path
        recorded = canonical_request(f.method, f.path, f.body)[:_SIMILARITY_PREFIX]
        ratio = difflib.SequenceMatcher(None, recorded, now, autojunk=False).quick_ratio()
        return same_line, _equal_parts(f.body, body), ratio

    return max(fixtures, key=score)


def _equal_parts(a: Any, b: Any) -> int:
    """How many top-level fields, and messages, two request bodies share."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return int(a == b)
    equal = sum(1 for k in a if k in b and a[k] == b[k])
    ma, mb = a.get("messages"), b.get("messages")
    if isinstance(ma, list) and isinstance(mb, list):
        equal += sum(1 for x, y in zip(ma, mb, strict=False) if x == y)
    return equal


def _first_difference(a: Any, b: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The JSON path of the first difference between two values, with both values there."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            sub = f"{path}.{k}" if path else str(k)
            found = _first_difference(a.get(k, _MISSING), b.get(k, _MISSING), sub)
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else _MISSING
            y = b[i] if i < len(b) else _MISSING
            found = _first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    if a is b or (type(a) is type(b) and a == b):
        return None
    return (path or "(body)", a, b)


def _show(value: Any, other: Any, before: int = 12, after: int = 16) -> str:
    """A short rendering of `value`; for two strings, a window around the first differing character."""
    if value is _MISSING:
        return "(absent)"
    if not isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:59] + "…"
    at = _first_differing_char(value, other) if isinstance(other, str) else 0
    start = max(0, at - before)
    end = min(len(value), at + after)
    snippet = ("…" if start > 0 else "") + value[start:end] + ("…" if end < len(value) else "")
    return json.dumps(snippet, ensure_ascii=False)


def _first_differing_char(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return min(len(a), len(b))
