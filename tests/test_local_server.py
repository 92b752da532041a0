"""Against a fake that answers like llama-cpp-python's server: what first contact with a real local
model server broke (issues 14 and 17), each pinned by a test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from summarizer.cli import main
from summarizer.errors import BackendError
from summarizer.llm.base import OutputSpec
from summarizer.llm.endpoints import MEMORY_FILE, ModeMemory, is_local_host, is_openai_host
from summarizer.llm.openai_backend import OpenAIBackend
from summarizer.llm.structured import strict_json_schema, structured_call
from tests.fakeserver import FakeOpenAIServer
from tests.llamafake import LlamaCppServer

ROOT = Path(__file__).resolve().parent.parent
ANADOLU = str(ROOT / "fixtures" / "articles" / "anadolu.txt")
ANADOLU_ANSWER = json.dumps(
    json.loads((ROOT / "fixtures" / "authored" / "summary-anadolu.json").read_text(encoding="utf-8"))[
        "answer"
    ]
)
MESSAGES = [{"role": "system", "content": "Judge."}, {"role": "user", "content": "A1: Text."}]


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: str
    reason: str


VERDICT = json.dumps({"verdict": "supported", "reason": "A1 says so"})
SPEC = OutputSpec(name="Verdict", schema=strict_json_schema(Verdict), mode="auto")


@pytest.fixture
def llama() -> Iterator[LlamaCppServer]:
    with LlamaCppServer(answer=lambda body: ANADOLU_ANSWER) as server:
        yield server


def state_dir() -> Path:
    import os

    return Path(os.environ["SUMMARIZER_STATE_DIR"])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------------------------------
# A. --structured-output auto (issue 14)
# --------------------------------------------------------------------------------------------------


def test_auto_falls_back_to_json_object_on_llama_cpp_and_remembers_it(
    llama: LlamaCppServer, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["summarize", ANADOLU, "--base-url", llama.url, "--model", "qwen", "-f", "json", "--no-cache"]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    provenance = json.loads(out)["provenance"]
    assert provenance["structured_output"] == "json_object"
    assert llama.modes() == ["json_schema", "json_object"], "the HTTP 500 refusal is not retried"
    memory = json.loads((state_dir() / MEMORY_FILE).read_text(encoding="utf-8"))
    assert memory["version"] == 1
    assert memory["endpoints"][llama.url + "/"]["structured_output"] == "json_object"

    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert llama.modes()[2:] == ["json_object"], "the second run starts with what worked"
    assert json.loads(out)["provenance"]["structured_output"] == "json_object"


def test_explicit_json_schema_refusal_is_not_retried_and_names_the_flag(
    llama: LlamaCppServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "summarize",
        ANADOLU,
        "--base-url",
        llama.url,
        "--model",
        "qwen",
        "--structured-output",
        "json_schema",
    )
    assert code == 4
    assert len(llama.chat_requests()) == 1, "a refusal of the request is not a transient fault"
    assert "--structured-output auto" in err and "try again later" not in err


async def test_auto_goes_on_to_tools_when_json_object_is_refused_too(tmp_path: Path) -> None:
    with FakeOpenAIServer() as server:
        refusal = {"error": {"message": "response_format is not supported", "type": "invalid_request_error"}}
        server.reply(400, refusal)
        server.reply(400, refusal)
        tool_call = {
            "id": "call_1",
            "type": "function",
            "function": {"name": "Verdict", "arguments": VERDICT},
        }
        server.reply(
            200,
            {
                "id": "x",
                "object": "chat.completion",
                "created": 1,
                "model": "m",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "tool_calls",
                        "message": {"role": "assistant", "content": None, "tool_calls": [tool_call]},
                    }
                ],
            },
        )
        memory = ModeMemory(tmp_path)
        async with OpenAIBackend("m", base_url=server.url, api_key="k", mode_memory=memory) as backend:
            result = await structured_call(backend, MESSAGES, Verdict, mode="auto")
        kinds = [r.body.get("response_format", {}).get("type") or "tools" for r in server.requests]
    assert kinds == ["json_schema", "json_object", "tools"]
    assert result.mode == "tools" and result.value.verdict == "supported"
    assert memory.get(server.url + "/") == "tools"


async def test_auto_when_every_mode_is_refused_names_the_flag(tmp_path: Path) -> None:
    with FakeOpenAIServer() as server:
        for word in ("response_format", "response_format", "tools"):
            server.reply(422, {"error": {"message": f"unknown field {word}"}})
        async with OpenAIBackend("m", base_url=server.url, api_key="k", max_retries=3) as backend:
            with pytest.raises(BackendError) as info:
                await backend.complete(MESSAGES, SPEC, temperature=0.0)
        assert len(server.requests) == 3
    message = str(info.value)
    assert "refused every structured-output mode" in message and "--structured-output" in message
    assert info.value.exit_code == 4


async def test_auto_does_not_fall_back_on_errors_that_are_not_refusals() -> None:
    with FakeOpenAIServer() as server:
        server.reply(401, {"error": {"message": "bad key; response_format irrelevant"}})
        async with OpenAIBackend("m", base_url=server.url, api_key="k") as backend:
            with pytest.raises(BackendError, match="OPENAI_API_KEY"):
                await backend.complete(MESSAGES, SPEC, temperature=0.0)
        assert len(server.requests) == 1


def test_damaged_mode_memory_is_ignored(tmp_path: Path) -> None:
    (tmp_path / MEMORY_FILE).write_text("{not json", encoding="utf-8")
    memory = ModeMemory(tmp_path)
    assert memory.get("http://127.0.0.1:1/v1/") is None
    memory.remember("http://127.0.0.1:1/v1/", "json_object")
    assert ModeMemory(tmp_path).get("http://127.0.0.1:1/v1/") == "json_object"


def test_host_kinds() -> None:
    for host in ("127.0.0.1:8080", "localhost:11434", "[::1]:8000", "192.168.1.20:8000", "gpu-box", "ollama"):
        assert is_local_host(host) and not is_openai_host(host), host
    for host in ("api.openai.com", "me.openai.azure.com"):
        assert is_openai_host(host) and not is_local_host(host), host
    assert not is_local_host("api.groq.com") and not is_openai_host("api.groq.com")


async def test_auto_records_the_refusal_so_replay_falls_back_the_same_way(tmp_path: Path) -> None:
    with LlamaCppServer(answer=lambda body: VERDICT) as server:
        async with OpenAIBackend.from_settings("qwen", server.url, record_dir=tmp_path) as backend:
            recorded = await structured_call(backend, MESSAGES, Verdict, mode="auto")
        assert server.modes() == ["json_schema", "json_object"]
    assert len(list(tmp_path.glob("*.json"))) == 2, "the refusal and the answer"
    async with OpenAIBackend.from_settings("qwen", server.url, replay_dir=tmp_path) as backend:
        replayed = await structured_call(backend, MESSAGES, Verdict, mode="auto")
    assert replayed.value == recorded.value and replayed.mode == recorded.mode == "json_object"
    assert replayed.fixture_origin is not None and server.url.split("//")[1][:15] in replayed.fixture_origin
