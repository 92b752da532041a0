"""Shaping a request for each structured-output mode, and reading the answer (`OpenAIBackend`'s
requests and answers; the names are importable from `summarizer.llm.openai_backend`)."""

from __future__ import annotations

import copy
import json
from typing import Any

from openai.types.chat import ChatCompletion

from summarizer.errors import BackendError
from summarizer.llm._openai_errors import NotACompletion
from summarizer.llm.base import Completion, Message, OutputSpec
from summarizer.schemas import Usage

SCHEMA_INSTRUCTION = (
    "Answer with one JSON object shaped like this example: the same keys, every value replaced by "
    "your answer, and lists as long as needed (the example shows one item):\n"
)
"""json_object mode shows an example instance, not the JSON Schema: small models given the raw schema
answered with the schema itself (`{"additionalProperties": false, "properties": …}`), again and again."""
FIELD_GUIDE = "\nWhat each key holds:\n"


def build_request(
    model: str,
    messages: list[Message],
    output: OutputSpec,
    temperature: float,
    *,
    max_tokens: int | None = None,
) -> dict[str, Any]:
    """The keyword arguments of `chat.completions.create` for one structured-output mode (`auto`
    asks as `json_schema` does: it is where `auto` starts)."""
    request: dict[str, Any] = {"model": model, "messages": messages, "temperature": temperature}
    if max_tokens is not None:
        request["max_tokens"] = max_tokens
    if output.mode in ("json_schema", "auto"):
        request["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": output.name, "schema": output.schema, "strict": True},
        }
    elif output.mode == "json_object_schema":  # the grammar carries the shape: no example in the prompt
        schema = narrowed_schema(output.schema, dict(output.choices))
        request["response_format"] = {"type": "json_object", "schema": schema}
    elif output.mode == "json_object":
        request["response_format"] = {"type": "json_object"}
        request["messages"] = with_schema_instruction(messages, output.schema)
    else:
        request["tools"] = [
            {
                "type": "function",
                "function": {
                    "name": output.name,
                    "description": f"Give the answer as a {output.name} object.",
                    "parameters": output.schema,
                    "strict": True,
                },
            }
        ]
        request["tool_choice"] = {"type": "function", "function": {"name": output.name}}
    return request


def narrowed_schema(schema: dict[str, Any], choices: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """`schema` with each property named in `choices` (a string, or a list of strings) limited to those
    values by an `enum`; a name with no values is left as it is (an empty enum matches nothing)."""
    if not any(choices.values()):
        return schema

    def prop(name: str, node: Any) -> Any:
        values = list(choices.get(name, ()))
        if not values or not isinstance(node, dict):
            return node
        if node.get("type") == "string":
            return {**node, "enum": values}
        items = node.get("items")
        if node.get("type") == "array" and isinstance(items, dict) and items.get("type") == "string":
            return {**node, "items": {**items, "enum": values}}
        return node

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        return {
            key: {name: prop(name, walk(sub)) for name, sub in value.items()}
            if key == "properties" and isinstance(value, dict)
            else walk(value)
            for key, value in node.items()
        }

    result: dict[str, Any] = walk(schema)
    return result


def with_schema_instruction(messages: list[Message], schema: dict[str, Any]) -> list[Message]:
    """Messages with the answer's shape appended to the first system message (json_object mode cannot
    carry a schema): an example instance, then what each key holds (the schema's descriptions)."""
    defs = schema.get("$defs", {})
    instruction = SCHEMA_INSTRUCTION + json.dumps(example_instance(schema, defs), ensure_ascii=False)
    guide = field_guide(schema, defs)
    if guide:
        instruction += FIELD_GUIDE + "\n".join(guide)
    result = copy.deepcopy(messages)
    for message in result:
        if message.get("role") == "system" and isinstance(message.get("content"), str):
            message["content"] = f"{message['content']}\n\n{instruction}"
            return result
    return [{"role": "system", "content": instruction}, *result]


def _chat_completion(raw: Any) -> ChatCompletion:
    """The parsed answer, or `NotACompletion` when an HTTP 200 carries something else."""
    try:
        chat = raw.parse()
    except ValueError as exc:  # not JSON
        raise NotACompletion(_response_text(raw)) from exc
    if not isinstance(chat, ChatCompletion) or not isinstance(chat.choices, list):
        raise NotACompletion(_response_text(raw))
    return chat


def _response_text(raw: Any) -> str:
    try:
        return str(raw.http_response.text)
    except Exception:
        return ""


def _cut_off(completion: Completion, limit: int | None, context: int | None) -> bool:
    """An answer the server stopped at a limit without saying so (llama-cpp-python reports a tool call
    cut at the limit as `tool_calls`): it used all of `max_tokens`, or prompt and answer fill the
    context."""
    usage = completion.usage
    if completion.finish_reason == "length" or not usage.output_tokens:
        return False
    if limit is not None and usage.output_tokens >= limit:
        return True
    return context is not None and usage.input_tokens + usage.output_tokens >= context


def _node(node: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """A schema node with a local `$ref` resolved, and an optional (`anyOf` with null) unwrapped."""
    if not isinstance(node, dict):
        return {}
    if "$ref" in node:
        node = {
            **defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {}),
            **{k: v for k, v in node.items() if k != "$ref"},
        }
    options = [o for o in node.get("anyOf", []) if isinstance(o, dict) and o.get("type") != "null"]
    if options:
        node = {**_node(options[0], defs), **{k: v for k, v in node.items() if k != "anyOf"}}
    return dict(node)


def example_instance(schema: dict[str, Any], defs: dict[str, Any], depth: int = 0) -> Any:
    """A value of the schema's shape with placeholder values: objects with every key, lists of one."""
    node = _node(schema, defs)
    if node.get("enum"):
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        if depth > 8:
            return {}
        return {k: example_instance(v, defs, depth + 1) for k, v in node.get("properties", {}).items()}
    if kind == "array":
        return [example_instance(node.get("items", {}), defs, depth + 1)] if depth <= 8 else []
    return {"integer": 0, "number": 0, "boolean": False, "null": None}.get(str(kind), "...")


def field_guide(schema: dict[str, Any], defs: dict[str, Any], path: str = "", depth: int = 0) -> list[str]:
    """`- key_points[].text: description (one of: …)` for each described or enumerated key."""
    node = _node(schema, defs)
    lines: list[str] = []
    if depth > 8:
        return lines
    if node.get("type") == "array":
        return field_guide(node.get("items", {}), defs, path + "[]", depth + 1)
    for key, prop in node.get("properties", {}).items():
        sub = f"{path}.{key}" if path else key
        child = _node(prop, defs)
        text = " ".join(str(child.get("description", "")).split())
        if child.get("enum"):
            text = f"one of {', '.join(map(str, child['enum']))}. {text}".strip()
        if text:
            lines.append(f"- {sub}: {text}")
        lines += field_guide(child, defs, sub, depth + 1)
    return lines


def to_completion(chat: ChatCompletion, output: OutputSpec, fixture_origin: str | None) -> Completion:
    """Our `Completion` from the SDK's; for `tools`, the content is the forced call's arguments."""
    if not chat.choices:
        raise BackendError("the server answered with no choices; check --model and --base-url")
    choice = chat.choices[0]
    message = choice.message
    content = message.content
    if output.mode == "tools" and message.tool_calls:
        call = message.tool_calls[0]
        if call.type == "function":
            content = call.function.arguments
    usage = chat.usage
    return Completion(
        content=content,
        finish_reason=choice.finish_reason,
        refusal=message.refusal,
        usage=Usage(
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
        ),
        fixture_origin=fixture_origin,
    )
