"""What kind of server a base URL points at, and what the tool has learnt about it.

OpenAI's own API and a model server on the user's machine need different defaults: a local server
has no price list, runs one generation at a time and keeps generating an answer nobody waits for, so
its timeouts are not retried and its answers get a token limit. `is_openai_host` and `is_local_host`
decide which defaults apply.

`ModeMemory` remembers which structured-output mode each endpoint accepted (`--structured-output
auto`), in a small JSON file in the state folder beside the call log:

    <state dir>/endpoints.json   {"version": 2, "endpoints": {"http://127.0.0.1:8080/v1": {...}}}

It is a cache of what a refused request taught (and an answer outside a schema the server accepted
but ignored: the mode after that one is kept, see `OpenAIBackend.schema_ignored`): a missing or
damaged file costs one refused request, so it is never an error. Version 2 came with
`json_object_schema`: a version-1 memory of `json_object` may name a server that takes the schema too,
so older files are read as empty.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer._files import write_atomic
from summarizer.llm._paths import user_dir
from summarizer.llm.base import FALLBACK_MODES, OutputSpec, StructuredMode

OPENAI_HOSTS = ("api.openai.com",)
OPENAI_HOST_SUFFIXES = (".openai.azure.com",)
LOCAL_SUFFIXES = (".local", ".lan", ".internal", ".localhost", ".home.arpa")

REQUEST_OPTION = re.compile(r"response_format|json_schema|json_object|tool_choice|\btools\b")
"""Words of an error body that say the server refused how the answer was asked for, not the answer
(llama-cpp-python: HTTP 500, "response_format.type: Input should be 'text' or 'json_object'")."""

MEMORY_FILE = "endpoints.json"
MEMORY_VERSION = 2


def hostname(host: str | None) -> str:
    """`host` (as `endpoint_host` gives it: name or `name:port`, IPv6 in brackets or bare) without port."""
    if not host:
        return ""
    if host.startswith("["):
        return host[1 : host.index("]")] if "]" in host else host
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def is_openai_host(host: str | None) -> bool:
    """OpenAI's API or an Azure OpenAI resource: the hosts whose model names have a list price."""
    name = hostname(host).lower()
    return name in OPENAI_HOSTS or name.endswith(OPENAI_HOST_SUFFIXES)


def answer_limit(max_tokens: int | None, host: str | None, output: OutputSpec) -> int | None:
    """`max_tokens` to send: the one set, else the task's allowance (`output.max_tokens`), except to
    OpenAI's endpoint, whose own default is bounded (and whose recorded fixtures carry none)."""
    if max_tokens is not None:
        return max_tokens
    return None if is_openai_host(host) else output.max_tokens


def is_local_host(host: str | None) -> bool:
    """Loopback, a private or link-local address, or a name that only a local network resolves."""
    name = hostname(host).lower().rstrip(".")
    if not name:
        return False
    if name == "localhost" or name.endswith(LOCAL_SUFFIXES) or ("." not in name and ":" not in name):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


@dataclass(frozen=True)
class ServerInfo:
    """What a server says about itself (`OpenAIBackend.discover`)."""

    models: tuple[str, ...] = ()
    context: int | None = None
    """Its context size in tokens, when it says."""


class ModeMemory:
    """The structured-output mode each endpoint (base URL) last accepted, or the next one after a mode
    whose schema it ignored, kept across runs."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(directory).expanduser() if directory is not None else user_dir("state")
        self.path = self.path / MEMORY_FILE
        self._lock = threading.Lock()

    def get(self, endpoint: str) -> StructuredMode | None:
        entry = self._read().get(endpoint)
        mode = entry.get("structured_output") if isinstance(entry, dict) else None
        return mode if mode in FALLBACK_MODES else None

    def remember(self, endpoint: str, mode: StructuredMode) -> None:
        """Record `mode` for `endpoint`; a folder that cannot be written only loses the memory."""
        with self._lock:
            endpoints = self._read()
            endpoints[endpoint] = {
                "structured_output": mode,
                "updated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            }
            data = {"version": MEMORY_VERSION, "endpoints": endpoints}
            with contextlib.suppress(OSError):
                write_atomic(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != MEMORY_VERSION:
            return {}
        endpoints = data.get("endpoints")
        return dict(endpoints) if isinstance(endpoints, dict) else {}
