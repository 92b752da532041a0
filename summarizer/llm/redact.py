"""Secrets out of text that is stored or shown: a server may echo the API key in an error body.

    redact("Incorrect API key provided: sk-proj-abc123…", secrets=[configured_key])

Removes API-key-shaped tokens (`sk-…`, `Bearer …`) and every given secret (the configured key and
$OPENAI_API_KEY are always included), keeping the first characters so a user can tell keys apart.
`scrub_chain` does the same, in place, to an exception and every exception behind it.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from typing import Any

KEY_PATTERN = re.compile(
    r"\b(?P<sk>sk-[A-Za-z0-9]{0,4})[A-Za-z0-9_\-]{12,}"
    r"|(?P<header>(?i:\b(?:authorization|x-api-key|api-key|api_key)[\"']?\s*[:=]\s*[\"']?(?:[a-z]+\s+)?"
    r"|\b(?:bearer)\s+))[A-Za-z0-9._\-~+/]{12,}=*"
)
"""`sk-…` keys, and the value of a credential header (`Authorization` of any scheme, `Bearer …`,
Azure's `api-key`) as an exception or a body may quote it."""
MIN_SECRET = 8
"""Shorter configured "keys" (placeholders such as `x`) are not searched for: they would hit words."""


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with API keys replaced by `sk-…[redacted]`."""
    for secret in {*secrets, os.environ.get("OPENAI_API_KEY")}:
        if secret and len(secret) >= MIN_SECRET:
            text = text.replace(secret, "[redacted key]")
    return KEY_PATTERN.sub(_mask, text)


def _mask(match: re.Match[str]) -> str:
    if match.group("header"):
        return f"{match.group('header')}[redacted]"
    return f"{match.group('sk')}…[redacted]"


def scrub_chain(exc: BaseException, secrets: Iterable[str | None] = ()) -> None:
    """Redact, in place, `exc` and the exceptions behind it (`__cause__`, `__context__`): their
    messages and bodies may hold a server's answer or a request's headers, and a script's
    `traceback.print_exc()` or `logging.exception` prints the whole chain."""
    secrets = tuple(secrets)
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.args = tuple(_redacted(arg, secrets) for arg in current.args)
        for name in ("message", "body"):
            value = getattr(current, name, None)
            if value is not None:
                with contextlib.suppress(AttributeError):  # a read-only property stores nothing
                    setattr(current, name, _redacted(value, secrets))
        current = current.__cause__ or current.__context__


def _redacted(value: Any, secrets: Iterable[str | None]) -> Any:
    """`value` with every string in it redacted (a JSON body is a dict or list of strings)."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {key: _redacted(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item, secrets) for item in value]
    return value
