"""The structured-call loop: ask, parse, validate, re-ask with the errors, give up with a clear error.

Models make mistakes that a schema cannot catch (a sentence id that does not exist) and, without
strict mode, mistakes that it can (malformed JSON). Both are treated alike: the errors go back to the
model in plain words, and it gets `reasks` more chances to send the whole corrected answer.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from summarizer.errors import AttemptsExhaustedError, ModelError, RefusalError, TruncatedError
from summarizer.llm.base import (
    SCHEMA_ENFORCED,
    Backend,
    Completion,
    Message,
    OutputSpec,
    StructuredMode,
    answer_refused,
    schema_ignored,
)
from summarizer.schemas import Usage

T = TypeVar("T", bound=BaseModel)

SHOWN_ERRORS = 3
"""How many errors an `AttemptsExhaustedError` message quotes; all are on `.errors`."""

_DROPPED_KEYWORDS = ("title", "default")
"""Schema keywords strict mode rejects or that only add noise for the model."""


@dataclass(frozen=True)
class StructuredResult(Generic[T]):
    """A validated answer and what it cost."""

    value: T
    attempts: int
    """Requests sent, the first one included."""
    reasks: int
    """Requests that carried errors back to the model (`attempts - 1`)."""
    usage: Usage
    """Summed over every attempt."""
    raw: str
    """The JSON text of the accepted answer."""
    fixture_origin: str | None
    """Set when the accepted answer was replayed from a fixture."""
    cache: str | None = None
    """`hit` when every attempt was answered from the response cache, `miss` when any was not, `off`/None
    when no cache was used."""
    mode: StructuredMode | None = None
    """The structured-output mode of the accepted answer (what `auto` chose), when known."""


# --------------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------------


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema in OpenAI strict form.

    Strict mode wants every object closed (`additionalProperties: false`) with every property
    required, no `default`, and no keywords beside a `$ref`; `title` is dropped as noise.
    Built once per model and shared: treat it as read-only.
    """
    return _strict_json_schema(model)


@functools.cache
def _strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    strict: dict[str, Any] = _strict_node(schema, defs)
    if defs:
        strict["$defs"] = {name: _strict_node(d, defs) for name, d in defs.items()}
    return strict


def _strict_node(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_strict_node(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and len(node) > 1:
        node = {**_resolve(node["$ref"], defs), **{k: v for k, v in node.items() if k != "$ref"}}
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED_KEYWORDS or key == "$defs":
            continue
        if key == "properties":
            result[key] = {name: _strict_node(prop, defs) for name, prop in value.items()}
        else:
            result[key] = _strict_node(value, defs)
    if result.get("type") == "object" or "properties" in result:
        result["additionalProperties"] = False
        result["required"] = list(result.get("properties", {}))
    return result


def _resolve(ref: str, defs: dict[str, Any]) -> dict[str, Any]:
    """Inline a local `$ref` that has siblings (e.g. a description), which strict mode forbids."""
    resolved = defs.get(ref.rsplit("/", 1)[-1])
    return dict(resolved) if isinstance(resolved, dict) else {"$ref": ref}


# --------------------------------------------------------------------------------------------------
# One answer
# --------------------------------------------------------------------------------------------------


def parse_answer(raw: str | None, draft_type: type[T]) -> tuple[T | None, list[str]]:
    """Parse and schema-check an answer; errors are phrased for the model to fix them."""
    if not raw or not raw.strip():
        return None, ["the answer was empty: send one JSON object"]
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, [f"the answer is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"]
    if _is_schema(data) and "properties" not in draft_type.model_fields:
        keys = ", ".join(draft_type.model_fields)
        return None, [
            "you sent the JSON Schema itself, not an answer: send one object whose keys are "
            f"{keys}, each holding your answer (no 'type', 'properties' or 'additionalProperties')"
        ]
    try:
        return draft_type.model_validate(data), []
    except ValidationError as exc:
        return None, [_validation_message(err) for err in exc.errors()]


def _is_schema(data: Any) -> bool:
    """An echo of the schema instead of an answer (small models do this in json_object mode)."""
    return (
        isinstance(data, dict) and "properties" in data and ("additionalProperties" in data or "type" in data)
    )


def cut_off(raw: str) -> bool:
    """JSON that ends inside a string: an answer stopped at a token or context limit, whatever
    finish_reason says (llama-cpp-python reports a tool call cut at the context as `tool_calls`)."""
    text = raw.strip()
    if not text.startswith(("{", "[")):
        return False
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.msg.startswith("Unterminated string")
    return False


def _validation_message(error: Any) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"]).lstrip(".")
    return f"{path or '(root)'}: {error['msg']}"


def check_finish(completion: Completion, *, attempts: int, usage: Usage) -> None:
    """Refusals and truncated answers are not re-asked: asking again would not change them."""
    if completion.refusal:
        raise RefusalError(
            f"the model refused: {completion.refusal}. Check the input article, or try another --model",
            usage=usage,
            attempts=attempts,
        )
    if completion.finish_reason == "length":
        raise truncated_error(completion, "finish_reason=length", attempts=attempts, usage=usage)


def truncated_error(completion: Completion, why: str, *, attempts: int, usage: Usage) -> TruncatedError:
    """Cut off at a limit: re-asking would be cut off again, so the advice is about the limits."""
    used = completion.usage.input_tokens + completion.usage.output_tokens
    window = completion.context_window
    if window and used >= window:
        fix = (
            f"prompt and answer filled the server's context ({used} of {window} tokens): set "
            f"--context-budget {window} so the input is sent in parts, or start the server with a "
            "larger context"
        )
    elif completion.token_limit:
        fix = f"raise --max-tokens (it was {completion.token_limit}), or shorten the input"
    else:
        fix = "set a larger --max-tokens, or shorten the input"
    return TruncatedError(
        f"the answer was cut off at a token limit ({why}); re-asking would cut it again. Fix: {fix}",
        usage=usage,
        attempts=attempts,
    )


def reask_messages(raw: str, errors: list[str]) -> list[Message]:
    """The wrong answer, then the errors and a request for the whole corrected object."""
    listed = "\n".join(f"- {e}" for e in errors)
    return [
        {"role": "assistant", "content": raw},
        {
            "role": "user",
            "content": f"Your answer has these problems:\n{listed}\n"
            "Send the whole corrected JSON object again, not only the changed parts.",
        },
    ]


def exhausted_error(
    attempts: int,
    raw: str | None,
    errors: list[str],
    usage: Usage,
    *,
    mode: StructuredMode | None = None,
    repeated: bool = False,
) -> AttemptsExhaustedError:
    shown = "; ".join(errors[:SHOWN_ERRORS]) + (
        f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
    )
    tools = "--structured-output tools (a forced function call, which small models fill better)"
    if repeated:
        why = " The model sent the same answer again, byte for byte, so re-asking was stopped."
        fix = f"try {tools}" if mode != "tools" else "try another --model"
        fix += ", or a stronger --model" if mode != "tools" else ""
    else:
        why = ""
        fix = "allow more re-asks with --reasks N, or use a stronger --model"
        fix += f", or {tools}" if mode in ("json_object", "json_object_schema") else ""
    return AttemptsExhaustedError(
        f"no valid answer after {attempts} attempt{'s' if attempts != 1 else ''}: {shown}.{why} Fix: {fix}",
        attempts=attempts,
        last_completion=raw,
        errors=errors,
        usage=usage,
    )


# --------------------------------------------------------------------------------------------------
# The loop
# --------------------------------------------------------------------------------------------------


async def structured_call(
    backend: Backend,
    messages: list[Message],
    draft_type: type[T],
    *,
    validate: Callable[[T], list[str]] | None = None,
    advise: Callable[[T], list[str]] | None = None,
    reasks: int = 2,
    temperature: float = 0.0,
    mode: StructuredMode = "json_schema",
    max_tokens: int | None = None,
    choices: Mapping[str, Iterable[str]] | None = None,
) -> StructuredResult[T]:
    """Ask for a `draft_type`, re-asking up to `reasks` times with the errors of the last answer.

    `validate` finds errors that make an answer unusable: they are re-asked, then raised. `advise` finds
    weaknesses the caller can record instead (claims its evidence does not back): they are re-asked
    along with any errors while the budget lasts, and an answer with only advice left is accepted.
    `choices`: the values a property may take (see `OutputSpec.choices`). Under `mode="auto"`, an
    answer in a mode that sends the schema for the server to enforce (`SCHEMA_ENFORCED`) that does not
    match it tells the backend the server ignores that schema, and the re-ask goes out in its next mode.
    """
    narrowed = tuple((key, tuple(values)) for key, values in (choices or {}).items())
    spec = OutputSpec(draft_type.__name__, strict_json_schema(draft_type), mode, max_tokens, narrowed)
    conversation = list(messages)
    usage = Usage()
    attempts = 0
    caches: set[str | None] = set()
    answers: set[str] = set()
    while True:
        attempts += 1
        try:
            completion = await backend.complete(conversation, spec, temperature=temperature)
        except ModelError as exc:  # what the earlier attempts used is part of the failure's cost
            exc.usage = usage + exc.usage if isinstance(exc.usage, Usage) else usage
            raise
        usage = usage + completion.usage
        caches.add(completion.cache)
        check_finish(completion, attempts=attempts, usage=usage)
        raw = completion.content or ""
        value, errors = parse_answer(raw, draft_type)
        if value is None and cut_off(raw):  # cached as finished: not kept, the next run asks again
            answer_refused(backend, conversation, spec, temperature)
            raise truncated_error(completion, "the JSON ends mid-way", attempts=attempts, usage=usage)
        if value is None and mode == "auto" and completion.mode in SCHEMA_ENFORCED:
            schema_ignored(backend, completion.mode)  # the re-ask goes out in the next mode
        if value is not None and validate is not None:
            errors = validate(value)
        advice = advise(value) if value is not None and advise is not None else []
        if value is not None and not errors and (not advice or attempts > reasks or raw in answers):
            cache = "hit" if caches == {"hit"} else "miss" if caches & {"hit", "miss"} else completion.cache
            origin = completion.fixture_origin
            used = completion.mode or (mode if mode != "auto" else None)
            return StructuredResult(value, attempts, attempts - 1, usage, raw, origin, cache, used)
        if errors:  # not kept for the next run: it asks the model again
            answer_refused(backend, conversation, spec, temperature)
        used = completion.mode or mode
        if attempts > reasks or (errors and raw in answers):
            raise exhausted_error(attempts, raw, errors, usage, mode=used, repeated=raw in answers)
        answers.add(raw)
        conversation = [*conversation, *reask_messages(raw, [*errors, *advice])]
