"""OpenAIBackend against a local fake server: request shapes, retries, error mapping, settings."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import openai
import pytest
from pydantic import BaseModel, ConfigDict

from summarizer.errors import BackendError, ConfigError
from summarizer.llm.base import OutputSpec
from summarizer.llm.openai_backend import (
    DEFAULT_MODEL,
    PLACEHOLDER_KEY,
    SCHEMA_INSTRUCTION,
    OpenAIBackend,
    retry_after_seconds,
)
from summarizer.llm.structured import strict_json_schema, structured_call
from tests.fakeserver import FakeOpenAIServer

MESSAGES = [{"role": "system", "content": "Summarise neutrally."}, {"role": "user", "content": "A1: Text."}]


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    headline: str
    sentence_ids: list[str]


ANSWER = json.dumps({"headline": "Talks", "sentence_ids": ["A1"]})
SPEC = OutputSpec(name="Answer", schema=strict_json_schema(Answer))


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as s:
        yield s


def make_backend(server: FakeOpenAIServer, **kwargs: Any) -> OpenAIBackend:
    options: dict[str, Any] = {
        "base_url": server.url,
        "api_key": "sk-test",
        "retry_wait_base": 0.01,
        "retry_wait_max": 0.05,
        "timeout": 10.0,
    }
    return OpenAIBackend("gpt-4o-mini", **{**options, **kwargs})


# --------------------------------------------------------------------------------------------------
# Request shapes
# --------------------------------------------------------------------------------------------------


async def test_json_schema_mode(server: FakeOpenAIServer) -> None:
    server.reply_completion(ANSWER, prompt_tokens=11, completion_tokens=7)
    async with make_backend(server) as backend:
        result = await structured_call(backend, MESSAGES, Answer)
    body = server.requests[0].body
    assert server.requests[0].path == "/v1/chat/completions"
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0.0
    assert body["messages"] == MESSAGES
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "Answer", "schema": strict_json_schema(Answer), "strict": True},
    }
    assert "tools" not in body
    assert result.value.sentence_ids == ["A1"]
    assert (result.usage.input_tokens, result.usage.output_tokens) == (11, 7)
    assert result.fixture_origin is None


async def test_json_object_mode(server: FakeOpenAIServer) -> None:
    server.reply_completion(ANSWER)
    async with make_backend(server) as backend:
        result = await structured_call(backend, MESSAGES, Answer, mode="json_object")
    body = server.requests[0].body
    assert body["response_format"] == {"type": "json_object"}
    system = body["messages"][0]["content"]
    assert system.startswith("Summarise neutrally.") and SCHEMA_INSTRUCTION in system
    example = system.split(SCHEMA_INSTRUCTION, 1)[1].split("\n", 1)[0]
    assert json.loads(example) == {"headline": "...", "sentence_ids": ["..."]}, "an instance, not the schema"
    assert "additionalProperties" not in system and '"properties"' not in system
    assert body["messages"][1:] == MESSAGES[1:]
    assert MESSAGES[0]["content"] == "Summarise neutrally.", "the caller's messages are not mutated"
    assert result.value.headline == "Talks"


async def test_tools_mode(server: FakeOpenAIServer) -> None:
    server.reply_completion(None, tool_arguments=ANSWER, finish_reason="tool_calls")
    async with make_backend(server) as backend:
        result = await structured_call(backend, MESSAGES, Answer, mode="tools")
    body = server.requests[0].body
    assert "response_format" not in body
    assert body["tools"][0]["type"] == "function"
    assert body["tools"][0]["function"]["name"] == "Answer"
    assert body["tools"][0]["function"]["parameters"] == strict_json_schema(Answer)
    assert body["tool_choice"] == {"type": "function", "function": {"name": "Answer"}}
    assert result.value.sentence_ids == ["A1"]


async def test_refusal_and_finish_reason_are_passed_on(server: FakeOpenAIServer) -> None:
    server.reply_completion(None, refusal="I can't.", finish_reason="stop")
    async with make_backend(server) as backend:
        completion = await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert completion.refusal == "I can't." and completion.content is None
    assert completion.finish_reason == "stop"


async def test_max_tokens_sent_when_set(server: FakeOpenAIServer) -> None:
    server.reply_completion(ANSWER)
    async with make_backend(server, max_tokens=123) as backend:
        await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert server.requests[0].body["max_tokens"] == 123


# --------------------------------------------------------------------------------------------------
# Retries
# --------------------------------------------------------------------------------------------------


async def test_429_honours_retry_after(server: FakeOpenAIServer) -> None:
    server.reply(429, {"error": {"message": "Rate limit reached"}}, headers={"Retry-After": "1"})
    server.reply_completion(ANSWER)
    async with make_backend(server) as backend:
        started = time.monotonic()
        completion = await backend.complete(MESSAGES, SPEC, temperature=0.0)
        elapsed = time.monotonic() - started
    assert completion.content == ANSWER
    assert len(server.requests) == 2
    assert elapsed >= 0.95


async def test_5xx_retried_exactly_max_retries_times(server: FakeOpenAIServer) -> None:
    for _ in range(5):
        server.reply(500, {"error": {"message": "internal"}})
    async with make_backend(server, max_retries=2) as backend:
        with pytest.raises(BackendError) as info:
            await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert len(server.requests) == 3, "the SDK's own retries are off: only ours count"
    err = info.value
    assert (err.status, err.attempts) == (500, 3)
    assert err.body is not None and "internal" in err.body
    assert "3 attempts" in str(err)


async def test_5xx_then_success(server: FakeOpenAIServer) -> None:
    server.reply(503, {"error": {"message": "overloaded"}})
    server.reply(502, "bad gateway")
    server.reply_completion(ANSWER)
    async with make_backend(server) as backend:
        completion = await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert completion.content == ANSWER and len(server.requests) == 3


async def test_401_is_not_retried(server: FakeOpenAIServer) -> None:
    server.reply(401, {"error": {"message": "Incorrect API key provided"}})
    async with make_backend(server) as backend:
        with pytest.raises(BackendError) as info:
            await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert len(server.requests) == 1
    err = info.value
    assert (err.status, err.attempts) == (401, 1)
    assert "OPENAI_API_KEY" in str(err) and "Incorrect API key" in str(err)
    assert err.exit_code == 4


async def test_404_names_model_and_base_url(server: FakeOpenAIServer) -> None:
    server.reply(404, {"error": {"message": "The model `gpt-9` does not exist"}})
    async with make_backend(server) as backend:
        with pytest.raises(BackendError, match="--model and --base-url") as info:
            await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert info.value.status == 404 and len(server.requests) == 1


async def test_connection_error_to_a_local_server_fails_at_once() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    backend = OpenAIBackend(
        base_url=f"http://127.0.0.1:{port}/v1", api_key="sk-test", max_retries=3, retry_wait_base=0.5
    )
    started = time.monotonic()
    async with backend:
        with pytest.raises(BackendError, match=r"could not connect to 127\.0\.0\.1") as info:
            await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert time.monotonic() - started < 10.0, "a dead local endpoint fails fast (no retry waits)"
    assert info.value.attempts == 1 and "--base-url" in str(info.value)
    assert "is running" in str(info.value)


def _hanging_client(base_url: str) -> openai.AsyncOpenAI:
    def hang(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("slow", request=request)

    return openai.AsyncOpenAI(
        api_key="k",
        base_url=base_url,
        max_retries=0,
        http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(hang)),
    )


async def test_timeout_of_a_remote_server_is_retried_and_names_the_flag_with_a_value() -> None:
    client = _hanging_client("https://models.example.com/v1")
    async with OpenAIBackend(client=client, max_retries=1, retry_wait_base=0.01) as backend:
        assert backend.timeout == 120.0
        with pytest.raises(BackendError, match="did not answer within 120 s") as info:
            await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert info.value.attempts == 2 and "--timeout 240" in str(info.value)


async def test_timeout_of_a_local_server_is_not_retried_and_says_why() -> None:
    client = _hanging_client("http://127.0.0.1:9/v1")
    async with OpenAIBackend(client=client, max_retries=3, retry_wait_base=0.01) as backend:
        assert backend.timeout == 900.0, "a longer default for a local server"
        with pytest.raises(BackendError) as info:
            await backend.complete(MESSAGES, SPEC, temperature=0.0)
    message = str(info.value)
    assert info.value.attempts == 1
    assert "Not retried" in message and "queue behind it" in message and "--timeout 1800" in message


def test_retry_after_parsing() -> None:
    request = httpx2.Request("POST", "http://x/v1/chat/completions")

    def error(headers: dict[str, str]) -> openai.APIStatusError:
        response = httpx2.Response(429, headers=headers, request=request)
        return openai.RateLimitError("slow down", response=response, body=None)

    assert retry_after_seconds(error({"Retry-After": "1"})) == 1.0
    assert retry_after_seconds(error({"retry-after-ms": "250"})) == 0.25
    assert retry_after_seconds(error({"Retry-After": "86400"})) == 60.0
    assert retry_after_seconds(error({})) is None
    assert retry_after_seconds(error({"Retry-After": "soon"})) is None
    assert retry_after_seconds(ValueError()) is None


# --------------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("SUMMARIZER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_no_key_no_url_no_replay_names_every_way_forward(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError) as info:
        OpenAIBackend.from_settings()
    message = str(info.value)
    for needle in (
        "OPENAI_API_KEY",
        "--base-url",
        "OPENAI_BASE_URL",
        "Ollama",
        "placeholder",
        "--replay DIR",
    ):
        assert needle in message
    assert info.value.exit_code == 2


async def test_env_vars_resolved(clean_env: pytest.MonkeyPatch, server: FakeOpenAIServer) -> None:
    clean_env.setenv("SUMMARIZER_MODEL", "llama3.1")
    clean_env.setenv("OPENAI_BASE_URL", server.url)
    server.reply_completion(ANSWER)
    async with OpenAIBackend.from_settings() as backend:
        assert backend.model == "llama3.1"
        assert backend.endpoint_host == server.url.split("//")[1].split("/")[0]
        await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert server.requests[0].body["model"] == "llama3.1"
    assert server.requests[0].headers["authorization"] == f"Bearer {PLACEHOLDER_KEY}"


async def test_arguments_beat_env_and_defaults(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("OPENAI_API_KEY", "sk-env")
    async with OpenAIBackend.from_settings() as backend:
        assert backend.model == DEFAULT_MODEL
        assert backend.endpoint_host == "api.openai.com"
        assert backend.name == "openai"
    async with OpenAIBackend.from_settings(model="gpt-4o", base_url="http://localhost:11434/v1") as backend:
        assert (backend.model, backend.endpoint_host) == ("gpt-4o", "localhost:11434")


def test_replay_needs_no_key_but_an_existing_dir(clean_env: pytest.MonkeyPatch, tmp_path: Any) -> None:
    with pytest.raises(ConfigError, match="--replay"):
        OpenAIBackend.from_settings(replay_dir=tmp_path / "missing")
    with pytest.raises(ConfigError, match="--record and --replay"):
        OpenAIBackend.from_settings(replay_dir=tmp_path, record_dir=tmp_path)


async def test_replay_defaults(clean_env: pytest.MonkeyPatch, tmp_path: Any) -> None:
    async with OpenAIBackend.from_settings(replay_dir=tmp_path) as backend:
        assert backend.endpoint_host == "api.openai.com"
        assert backend.client.api_key == PLACEHOLDER_KEY
