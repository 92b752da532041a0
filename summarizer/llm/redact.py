"""Secrets out of text that is stored or shown: a server may echo the API key in an error body.

    redact("Incorrect API key provided: sk-proj-abc123…", secrets=[configured_key])

Removes API-key-shaped tokens (`sk-…`, `Bearer …`) and every given secret (the configured key and
$OPENAI_API_KEY are always included), keeping the first characters so a user can tell keys apart.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

KEY_PATTERN = re.compile(
    r"\b(sk-[A-Za-z0-9]{0,4})[A-Za-z0-9_\-]{12,}|(?i:\b(bearer)\s+)[A-Za-z0-9._\-~+/]{12,}=*"
)
MIN_SECRET = 8
"""Shorter configured "keys" (placeholders such as `x`) are not searched for: they would hit words."""


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with API keys replaced by `sk-…[redacted]`."""
    for secret in {*secrets, os.environ.get("OPENAI_API_KEY")}:
        if secret and len(secret) >= MIN_SECRET:
            text = text.replace(secret, "[redacted key]")
    return KEY_PATTERN.sub(_mask, text)


def _mask(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(2)} [redacted]"
    return f"{match.group(1)}…[redacted]"
