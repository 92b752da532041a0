"""The structured-call loop, against the FakeBackend: re-asks, exhaustion, refusals, truncation."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, ConfigDict, Field

from summarizer.errors import AttemptsExhaustedError, RefusalError, TruncatedError
from summarizer.llm.base import Completion
from summarizer.llm.structured import parse_answer, strict_json_schema, structured_call
from summarizer.schemas import ComparisonDraft, SummaryDraft, Usage
from summarizer.testing import FakeBackend, FakeBackendExhausted

MESSAGES = [{"role": "system", "content": "Summarise."}, {"role": "user", "content": "A1: Lavrov spoke."}]


class Point(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    sentence_ids: list[str]


class Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")
    headline: str
    points: list[Point]


GOOD = {"headline": "Talks", "points": [{"text": "Lavrov spoke.", "sentence_ids": ["A1"]}]}
BAD = {"headline": "Talks", "points": [{"text": "Lavrov spoke.", "sentence_ids": ["A99"]}]}


def known_ids(draft: Draft) -> list[str]:
    return [
        f"sentence id {sid} does not exist"
        for point in draft.points
        for sid in point.sentence_ids
        if sid not in {"A1"}
    ]


def reply(data: dict[str, Any], input_tokens: int = 100, output_tokens: int = 20) -> Completion:
    return Completion(
        content=json.dumps(data),
        finish_reason="stop",
        usage=Usage(input_tokens=input_tokens, output_tokens=output_tokens),
    )


async def test_first_answer_accepted() -> None:
    backend = FakeBackend([reply(GOOD)])
    result = await structured_call(backend, MESSAGES, Draft, validate=known_ids)
    assert result.value == Draft.model_validate(GOOD)
    assert (result.attempts, result.reasks) == (1, 0)
    assert result.usage == Usage(input_tokens=100, output_tokens=20)
    assert backend.requests[0].output.name == "Draft"
    assert backend.requests[0].output.mode == "json_schema"
    assert backend.requests[0].temperature == 0.0


async def test_invalid_answer_is_reasked_and_fixed() -> None:
    backend = FakeBackend([reply(BAD, 100, 20), reply(GOOD, 150, 25)])
    result = await structured_call(backend, MESSAGES, Draft, validate=known_ids)
    assert result.value.points[0].sentence_ids == ["A1"]
    assert (result.attempts, result.reasks) == (2, 1)
    assert result.usage == Usage(input_tokens=250, output_tokens=45)
    second = backend.requests[1].messages
    assert second[: len(MESSAGES)] == MESSAGES
    assert second[-2]["role"] == "assistant" and "A99" in second[-2]["content"]
    assert second[-1]["role"] == "user"
    assert "sentence id A99 does not exist" in second[-1]["content"]
    assert "whole corrected JSON" in second[-1]["content"]
    assert len(backend.requests[0].messages) == len(MESSAGES), "the caller's messages are not mutated"


async def test_reasks_exhausted() -> None:
    worse = {**BAD, "headline": "Talks held"}
    backend = FakeBackend([reply(worse), reply({**worse, "headline": "Talks end"}), reply(BAD)])
    with pytest.raises(AttemptsExhaustedError) as info:
        await structured_call(backend, MESSAGES, Draft, validate=known_ids, reasks=2)
    err = info.value
    assert err.attempts == 3
    assert err.last_completion is not None and "A99" in err.last_completion
    assert err.errors == ["sentence id A99 does not exist"]
    assert err.usage == Usage(input_tokens=300, output_tokens=60)
    assert "3 attempts" in str(err) and "A99" in str(err) and "--reasks" in str(err) and "--model" in str(err)
    assert err.exit_code == 5
    assert backend.remaining == 0


async def test_no_reasks_means_one_attempt() -> None:
    backend = FakeBackend([reply(BAD)])
    with pytest.raises(AttemptsExhaustedError) as info:
        await structured_call(backend, MESSAGES, Draft, validate=known_ids, reasks=0)
    assert info.value.attempts == 1


async def test_malformed_json_is_reasked_with_position() -> None:
    backend = FakeBackend(['{"headline": "Talks", "points": [', GOOD])
    result = await structured_call(backend, MESSAGES, Draft)
    assert result.attempts == 2
    feedback = backend.requests[1].messages[-1]["content"]
    assert "not valid JSON" in feedback and "line 1 column" in feedback


async def test_schema_violation_is_reasked_with_path() -> None:
    backend = FakeBackend([{"headline": "Talks", "points": [{"text": "x"}]}, Draft.model_validate(GOOD)])
    result = await structured_call(backend, MESSAGES, Draft)
    assert result.attempts == 2
    assert "points[0].sentence_ids: Field required" in backend.requests[1].messages[-1]["content"]


async def test_refusal() -> None:
    backend = FakeBackend(
        [Completion(content=None, refusal="I can't help with that.", usage=Usage(input_tokens=7))]
    )
    with pytest.raises(RefusalError, match="can't help") as info:
        await structured_call(backend, MESSAGES, Draft)
    assert info.value.attempts == 1
    assert info.value.usage == Usage(input_tokens=7)


async def test_truncated() -> None:
    backend = FakeBackend([Completion(content='{"headline": "Ta', finish_reason="length")])
    with pytest.raises(TruncatedError, match="--max-tokens"):
        await structured_call(backend, MESSAGES, Draft)


async def test_mode_and_temperature_reach_the_backend() -> None:
    backend = FakeBackend([GOOD])
    await structured_call(backend, MESSAGES, Draft, mode="tools", temperature=0.3)
    assert backend.requests[0].output.mode == "tools"
    assert backend.requests[0].temperature == 0.3


async def test_fixture_origin_carried() -> None:
    backend = FakeBackend(
        [Completion(content='{"headline": "x", "points": []}', fixture_origin="authored (by t)")]
    )
    result = await structured_call(backend, MESSAGES, Draft)
    assert result.fixture_origin == "authored (by t)"
    assert result.raw == '{"headline": "x", "points": []}'


async def test_fake_backend_out_of_replies_and_exceptions() -> None:
    backend = FakeBackend().queue(RuntimeError("boom"))
    with pytest.raises(RuntimeError, match="boom"):
        await structured_call(backend, MESSAGES, Draft)
    with pytest.raises(FakeBackendExhausted, match="no reply left"):
        await structured_call(backend, MESSAGES, Draft)


def test_parse_answer_empty() -> None:
    value, errors = parse_answer("  ", Draft)
    assert value is None and errors == ["the answer was empty: send one JSON object"]


@pytest.mark.parametrize("model", [SummaryDraft, ComparisonDraft, Draft])
def test_strict_schema(model: type[BaseModel]) -> None:
    schema = strict_json_schema(model)
    jsonschema.Draft202012Validator.check_schema(schema)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            assert "title" not in node and "default" not in node
            if "$ref" in node:
                assert len(node) == 1
            if node.get("type") == "object":
                assert node["additionalProperties"] is False
                assert sorted(node["required"]) == sorted(node["properties"])
            for key, value in node.items():
                if key == "properties":
                    for prop in value.values():
                        walk(prop)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)


def test_strict_schema_validates_real_drafts() -> None:
    schema = strict_json_schema(Draft)
    jsonschema.validate(GOOD, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**GOOD, "extra": 1}, schema)


class WithDefaults(BaseModel):
    """A model with a described nested field and defaults, which strict mode rejects as is."""

    inner: Point = Field(description="The point.")
    note: str | None = None


def test_strict_schema_inlines_ref_with_siblings_and_requires_defaults() -> None:
    schema = strict_json_schema(WithDefaults)
    assert schema["required"] == ["inner", "note"]
    inner = schema["properties"]["inner"]
    assert "$ref" not in inner and inner["additionalProperties"] is False
    assert "note" in schema["properties"] and "default" not in schema["properties"]["note"]
