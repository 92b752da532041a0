"""Record/replay below the SDK: round trip, no credentials on disk, helpful misses."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from summarizer.errors import ConfigError, ReplayMissError
from summarizer.llm.base import OutputSpec
from summarizer.llm.fixtures import (
    ORIGIN_HEADER,
    RecordingTransport,
    ReplayTransport,
    describe_origin,
    exchange_key,
    replay_fix,
)
from summarizer.llm.openai_backend import OpenAIBackend
from tests.fakeserver import FakeOpenAIServer, chat_completion

SECRET = "sk-test-SECRET-123456789012345"
SCHEMA = {
    "type": "object",
    "properties": {"headline": {"type": "string"}},
    "required": ["headline"],
    "additionalProperties": False,
}
SPEC = OutputSpec(name="Answer", schema=SCHEMA)
ANSWER = json.dumps({"headline": "Лавров: переговоры"}, ensure_ascii=False)


def messages(text: str = "A1: Lavrov proposed new talks on Friday.") -> list[dict[str, str]]:
    return [{"role": "system", "content": "Summarise neutrally."}, {"role": "user", "content": text}]


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as s:
        yield s


async def record(server: FakeOpenAIServer, directory: Path, text: str | None = None) -> None:
    server.reply_completion(ANSWER, prompt_tokens=30, completion_tokens=9)
    backend = OpenAIBackend.from_settings(
        "gpt-4o-mini", base_url=server.url, api_key=SECRET, record_dir=directory
    )
    async with backend:
        completion = await backend.complete(messages(text) if text else messages(), SPEC, temperature=0.0)
    assert completion.content == ANSWER
    assert completion.fixture_origin is None, "a live answer is not a fixture"


def fixture_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.json"))


async def test_record_then_replay_round_trip(server: FakeOpenAIServer, tmp_path: Path) -> None:
    await record(server, tmp_path)
    assert len(server.requests) == 1
    async with OpenAIBackend.from_settings(replay_dir=tmp_path) as backend:
        completion = await backend.complete(messages(), SPEC, temperature=0.0)
    assert len(server.requests) == 1, "replay never reaches the server"
    assert completion.content == ANSWER
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (30, 9)
    today = dt.date.today().isoformat()
    host = server.url.split("//")[1].split("/")[0]  # the port is kept: two local servers differ by it
    assert host.startswith("127.0.0.1:")
    assert completion.fixture_origin == f"recorded (gpt-4o-mini from {host} on {today})"
    stored = json.loads(fixture_files(tmp_path)[0].read_text(encoding="utf-8"))
    assert stored["origin"]["endpoint"] == f"http://{host}/v1/chat/completions"


async def test_recording_holds_no_credential(server: FakeOpenAIServer, tmp_path: Path) -> None:
    await record(server, tmp_path)
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}", "the key was really sent"
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    for needle in (SECRET, "SECRET", "Authorization", "authorization", "Bearer", "api-key", "cookie"):
        assert needle not in text


async def test_recording_format(server: FakeOpenAIServer, tmp_path: Path) -> None:
    await record(server, tmp_path)
    [file] = fixture_files(tmp_path)
    text = file.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    assert "Лавров" in text, "readable: non-ASCII is not escaped"
    request = data["request"]
    assert (request["method"], request["path"]) == ("POST", "/v1/chat/completions")
    assert request["body"]["messages"] == messages()
    assert data["key"] == exchange_key("POST", "/v1/chat/completions", request["body"])
    assert file.name == f"gpt-4o-mini-{data['key'][:12]}.json"
    assert data["response"]["status"] == 200
    assert data["response"]["headers"] == {"content-type": "application/json"}
    assert data["response"]["body"]["choices"][0]["message"]["content"] == ANSWER
    assert data["origin"]["kind"] == "recorded"
    assert data["origin"]["endpoint"].endswith("/v1/chat/completions")
    assert data["origin"]["model"] == "gpt-4o-mini"


async def test_error_responses_are_not_recorded(server: FakeOpenAIServer, tmp_path: Path) -> None:
    server.reply(429, {"error": {"message": "slow down"}}, headers={"retry-after-ms": "10"})
    await record(server, tmp_path)
    assert len(server.requests) == 2
    assert len(fixture_files(tmp_path)) == 1


async def test_replay_miss_names_closest_and_first_difference(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    await record(server, tmp_path)
    await record(server, tmp_path, "B1: Something else entirely, about weather in Oslo.")
    [closest] = [f for f in fixture_files(tmp_path) if "Lavrov" in f.read_text(encoding="utf-8")]
    async with OpenAIBackend.from_settings(replay_dir=tmp_path) as backend:
        with pytest.raises(ReplayMissError) as info:
            await backend.complete(messages("A1: Lavrov said new talks on Friday."), SPEC, temperature=0.0)
    message = str(info.value)
    assert str(tmp_path) in message
    assert f"Closest: {closest.name}" in message
    assert (
        'messages[1].content: recorded "A1: Lavrov proposed new tal…" ≠ now "A1: Lavrov said new talks o…"'
        in message
    )
    assert message.endswith(replay_fix(tmp_path))
    assert f"--record {tmp_path}" in message and "drop --replay" in message, "what a user can do"
    assert info.value.exit_code == 4


async def test_replay_miss_on_other_field(server: FakeOpenAIServer, tmp_path: Path) -> None:
    await record(server, tmp_path)
    async with OpenAIBackend.from_settings(replay_dir=tmp_path) as backend:
        with pytest.raises(
            ReplayMissError, match=r"first difference at temperature: recorded 0\.0 ≠ now 0\.5"
        ):
            await backend.complete(messages(), SPEC, temperature=0.5)


async def test_replay_miss_in_empty_directory(tmp_path: Path) -> None:
    async with OpenAIBackend.from_settings(replay_dir=tmp_path) as backend:
        with pytest.raises(ReplayMissError, match="holds no recordings") as info:
            await backend.complete(messages(), SPEC, temperature=0.0)
    assert f"with --record {tmp_path} instead of --replay" in str(info.value)
    assert "make_exchanges" not in str(info.value), "user advice, not developer advice"


async def test_hand_edited_fixture_still_matches(server: FakeOpenAIServer, tmp_path: Path) -> None:
    await record(server, tmp_path)
    [file] = fixture_files(tmp_path)
    data = json.loads(file.read_text(encoding="utf-8"))
    data["request"]["body"]["messages"][1]["content"] = "A1: Edited by hand."
    file.write_text(json.dumps(data), encoding="utf-8")  # the stored key is now stale
    async with OpenAIBackend.from_settings(replay_dir=tmp_path) as backend:
        completion = await backend.complete(messages("A1: Edited by hand."), SPEC, temperature=0.0)
    assert completion.content == ANSWER


async def test_authored_origin_with_mock_inner(tmp_path: Path) -> None:
    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=chat_completion(ANSWER), headers={"set-cookie": "session=x"})

    origin = {"kind": "authored", "author": "Ana Müller", "note": "hand-written for tests"}
    transport = RecordingTransport(tmp_path, inner=httpx2.MockTransport(answer), origin=origin)
    async with OpenAIBackend(api_key=SECRET, transport=transport) as backend:
        await backend.complete(messages(), SPEC, temperature=0.0)
    [file] = fixture_files(tmp_path)
    assert "session" not in file.read_text(encoding="utf-8")
    assert json.loads(file.read_text(encoding="utf-8"))["origin"] == origin
    async with OpenAIBackend(api_key="x", transport=ReplayTransport(tmp_path)) as backend:
        completion = await backend.complete(messages(), SPEC, temperature=0.0)
    assert completion.fixture_origin == "authored (by Ana Müller; hand-written for tests)"


async def test_sync_replay(server: FakeOpenAIServer, tmp_path: Path) -> None:
    await record(server, tmp_path)
    [file] = fixture_files(tmp_path)
    body = json.loads(file.read_text(encoding="utf-8"))["request"]["body"]
    with httpx2.Client(transport=ReplayTransport(tmp_path)) as client:
        response = client.post("https://api.openai.com/v1/chat/completions", json=body)
    assert response.status_code == 200
    assert json.loads(response.headers[ORIGIN_HEADER])["kind"] == "recorded"


def test_broken_fixture_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.json: not a valid fixture"):
        ReplayTransport(tmp_path)


def test_key_ignores_headers_and_key_order() -> None:
    a = exchange_key("post", "/v1/chat/completions", {"model": "m", "temperature": 0})
    b = exchange_key("POST", "/v1/chat/completions", {"temperature": 0, "model": "m"})
    assert a == b and len(a) == 64


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        (
            {
                "kind": "recorded",
                "endpoint": "https://api.openai.com/v1/chat/completions",
                "model": "gpt-4o",
                "date": "2026-11-23",
            },
            "recorded (gpt-4o from api.openai.com on 2026-11-23)",
        ),
        ({"kind": "authored", "author": "lead"}, "authored (by lead)"),
        ({"kind": "authored"}, "authored"),
        ({}, "unknown"),
    ],
)
def test_describe_origin(origin: dict[str, str], expected: str) -> None:
    assert describe_origin(origin) == expected


def test_long_strings_are_shown_as_a_window(tmp_path: Path) -> None:
    long_text = "x" * 200 + " Lavrov proposed new talks " + "y" * 200
    body = {"model": "m", "messages": [{"role": "user", "content": long_text}]}
    directory = tmp_path / "fx"
    directory.mkdir()
    exchange = {
        "origin": {"kind": "authored"},
        "request": {"method": "POST", "path": "/v1/chat/completions", "body": body},
        "response": {"status": 200, "headers": {}, "body": chat_completion(ANSWER)},
    }
    (directory / "m-1.json").write_text(json.dumps(exchange), encoding="utf-8")
    now = {"model": "m", "messages": [{"role": "user", "content": long_text.replace("proposed", "said")}]}
    with (
        httpx2.Client(transport=ReplayTransport(directory)) as client,
        pytest.raises(ReplayMissError) as info,
    ):
        client.post("http://x/v1/chat/completions", json=now)
    recorded, now_shown = '"…xxxx Lavrov proposed new tal…"', '"…xxxx Lavrov said new talks y…"'
    assert f"messages[0].content: recorded {recorded} ≠ now {now_shown}" in str(info.value)
