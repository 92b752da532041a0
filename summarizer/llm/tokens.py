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

from pydantic import BaseModel

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


ANSWER_PER_SCHEMA_TOKEN = 1.2
"""Tokens of a full answer's structure per token of its JSON Schema, both at 4 characters a token (the
seed answers: 1,414 tokens for a 969-token summary schema, 2,593 for a two-source comparison's 1,595,
prose included)."""
TOKENS_PER_WORD = 1.5
"""Prose: tokens per word of the length the prompt asks for (English runs near 1.3)."""
DEFAULT_WORDS = 300
"""Words of prose counted when the task states no length (the longest summary length)."""
ALLOWANCE_STEP = 256
MAX_ALLOWANCE = 8192


def answer_allowance(draft: type[BaseModel], *, words: int | None = None, sources: int = 1) -> int:
    """A token limit for the answer of a task: twice what a full answer holds, by its schema (a draft's
    items and their fields), the prose its length asks for, and, past two, its number of sources;
    rounded up to 256, at most 8192. Sent to servers whose own default is the whole context, where a
    small model that loops would otherwise generate for half an hour."""
    from summarizer.llm.structured import strict_json_schema

    schema_tokens = len(json.dumps(strict_json_schema(draft))) / 4
    structure = ANSWER_PER_SCHEMA_TOKEN * schema_tokens * max(sources, 2) / 2
    prose = TOKENS_PER_WORD * (DEFAULT_WORDS if words is None else words)
    expected = structure + prose
    allowance = math.ceil(2 * expected / ALLOWANCE_STEP) * ALLOWANCE_STEP
    return min(allowance, MAX_ALLOWANCE)
