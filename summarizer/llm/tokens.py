"""Token counts and context budgets.

`count_tokens` uses tiktoken when it is installed (`pip install -e '.[tokens]'`) *and* its
encoding loads (tiktoken downloads encodings on first use, which fails offline); otherwise, and for
models tiktoken does not know, a conservative estimate that errs on the high side, so a budget check
never lets an over-long prompt through. Nothing here raises for want of tiktoken.
"""

from __future__ import annotations

import importlib
import json
import math
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

CONTEXT_WINDOWS: dict[str, int] = {
    "gpt-4o": 128_000,
    "gpt-4o-mini": 128_000,
    "gpt-4.1": 1_047_576,
    "gpt-4.1-mini": 1_047_576,
    "gpt-4.1-nano": 1_047_576,
    "gpt-4-turbo": 128_000,
    "gpt-3.5-turbo": 16_385,
    "o3": 200_000,
    "o3-mini": 200_000,
    "o4-mini": 200_000,
}

OUTPUT_RESERVE = 4096
"""Tokens kept free for the answer when checking a prompt against the context window."""

MESSAGE_OVERHEAD = 4
"""Tokens the chat format adds per message (role, separators)."""


def estimate_tokens(text: str) -> int:
    """A conservative count: a token per 3 ASCII characters, and one per non-ASCII character.

    English runs near 4 characters per token with OpenAI's encodings, and scripts outside ASCII at
    one or more characters per token, so this over-counts rather than under-counts.
    """
    ascii_chars = len(text.encode("ascii", "ignore"))
    return math.ceil(ascii_chars / 3) + (len(text) - ascii_chars)


@cache
def _tiktoken_encoder(model: str) -> Callable[[str], list[int]] | None:
    try:
        tiktoken = importlib.import_module("tiktoken")  # optional: summarizer[tokens]
    except ImportError:
        return None
    try:
        encoding = tiktoken.encoding_for_model(model)
    except Exception:  # unknown model, or the encoding file cannot be fetched (offline)
        return None
    return encoding.encode_ordinary  # type: ignore[no-any-return]


def tokenizer_name(model: str | None) -> str:
    """`tiktoken` when counts for `model` are exact, `estimate` otherwise (for reports)."""
    return "tiktoken" if model and _tiktoken_encoder(model) is not None else "estimate"


def count_tokens(text: str, model: str | None = None) -> int:
    encoder = _tiktoken_encoder(model) if model else None
    if encoder is not None:
        return len(encoder(text))
    return estimate_tokens(text)


def count_message_tokens(messages: Sequence[dict[str, Any]], model: str | None = None) -> int:
    total = 3
    for message in messages:
        content = message.get("content")
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        total += MESSAGE_OVERHEAD + count_tokens(text or "", model)
    return total


def context_window(model: str | None, override: int | None = None) -> int | None:
    """The model's context window: `override` when given, else the table (longest prefix).

    None for a model we do not know (a local model: its window is a server setting, such as Ollama's
    num_ctx): no budget is enforced unless `--context-budget` gives one.
    """
    if override is not None:
        return override
    if not model:
        return None
    if model in CONTEXT_WINDOWS:
        return CONTEXT_WINDOWS[model]
    known = [name for name in CONTEXT_WINDOWS if model.startswith(name + "-")]
    return CONTEXT_WINDOWS[max(known, key=len)] if known else None
