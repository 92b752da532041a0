"""Against a fake that answers like llama-cpp-python's server: what first contact with a real local
model server broke (issues 14 and 17), each pinned by a test. Here: how the answer is asked for
(`--structured-output auto`, issue 14), and the helpers the other files share; the token limit and
the context are in test_local_server_limits.py, faults that must end cleanly in
test_local_server_faults.py."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from summarizer.cli import main
from summarizer.errors import (
    BackendError,
)
from summarizer.llm.base import OutputSpec
from summarizer.llm.endpoints import MEMORY_FILE, ModeMemory, is_local_host, is_openai_host
from summarizer.llm.openai_backend import OpenAIBackend, narrowed_schema
from summarizer.llm.structured import strict_json_schema, structured_call
from summarizer.pipeline import id_choices
from summarizer.schemas import ComparisonDraft, JudgeDraft, SummaryDraft
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


@pytest.fixture
def unanswering_port() -> Iterator[int]:
    """A port whose listener never accepts and whose queue is full: a connect hangs, as to a dead host."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):  # fill the accept queue; later SYNs are dropped
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        fillers.append(s)
    time.sleep(0.1)
    try:
        yield port
    finally:
        for s in fillers:
            s.close()
        listener.close()


# --------------------------------------------------------------------------------------------------
# A. --structured-output auto (issue 14)
# --------------------------------------------------------------------------------------------------


def _constrained(body: dict[str, Any]) -> str:
    """The seed answer as the 1.5B model gave it unconstrained (an entity of type "country", outside the
    schema's enum: issue 14), and as a grammar from the request's schema makes it (type "place")."""
    answer = json.loads(ANADOLU_ANSWER)
    if "schema" not in body.get("response_format", {}):
        answer["entities"] = [{"name": "Iran", "type": "country", "role": "x", "sentence_ids": ["A1"]}]
    return json.dumps(answer)


def test_auto_asks_llama_cpp_with_the_schema_then_remembers_it(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 14's done-when: summarize with only --base-url and --model. json_schema is refused (HTTP 500),
    and the next step sends the schema inside a json_object response_format, which llama-cpp-python turns
    into a grammar: the answer keeps to the schema's enums, where plain json_object let the model write
    entity type "country" until the re-asks ran out (exit 5)."""
    with LlamaCppServer(answer=_constrained) as llama:
        argv = ["summarize", ANADOLU, "--base-url", llama.url, "--model", "qwen", "-f", "json", "--no-cache"]
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert json.loads(out)["provenance"]["structured_output"] == "json_object_schema"
        assert llama.modes() == ["json_schema", "json_object_schema"], "the HTTP 500 refusal is not retried"
        sent = llama.chat_requests()[1].body
        schema = sent["response_format"]["schema"]
        assert schema["properties"]["entities"]["items"] == {"$ref": "#/$defs/DraftEntity"}
        ids = schema["$defs"]["DraftKeyPoint"]["properties"]["sentence_ids"]["items"]["enum"]
        assert ids[:3] == ["A1", "A2", "A3"] and len(ids) == len(set(ids)) > 5, "only the ids shown"
        assert "Answer with one JSON object shaped like this example" not in json.dumps(sent["messages"])
        memory = json.loads((state_dir() / MEMORY_FILE).read_text(encoding="utf-8"))
        assert memory["version"] == 2
        assert memory["endpoints"][llama.url + "/"]["structured_output"] == "json_object_schema"

        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert llama.modes()[2:] == ["json_object_schema"], "the second run starts with what worked"
        assert json.loads(out)["provenance"]["structured_output"] == "json_object_schema"


def test_auto_falls_back_to_json_object_when_the_schema_key_is_refused(
    llama: LlamaCppServer, capsys: pytest.CaptureFixture[str]
) -> None:
    llama.refuse_schema = True
    argv = ["summarize", ANADOLU, "--base-url", llama.url, "--model", "qwen", "-f", "json", "--no-cache"]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert llama.modes() == ["json_schema", "json_object_schema", "json_object"]
    assert json.loads(out)["provenance"]["structured_output"] == "json_object"
    last = json.dumps(llama.chat_requests()[-1].body["messages"])
    assert "Answer with one JSON object shaped like this example" in last, "plain json_object shows it"


def test_a_memory_from_before_json_object_schema_is_not_trusted(tmp_path: Path) -> None:
    """A version-1 memory of json_object may name a llama.cpp server that takes the schema as well."""
    old = {"version": 1, "endpoints": {"http://127.0.0.1:1/v1/": {"structured_output": "json_object"}}}
    (tmp_path / MEMORY_FILE).write_text(json.dumps(old), encoding="utf-8")
    assert ModeMemory(tmp_path).get("http://127.0.0.1:1/v1/") is None


def test_the_schema_sent_with_json_object_narrows_ids_and_sources() -> None:
    schema = strict_json_schema(ComparisonDraft)
    narrowed = narrowed_schema(schema, {"sentence_ids": ("A1", "B1"), "source": ("A", "B")})
    wording = narrowed["$defs"]["DraftQuoteWording"]["properties"]
    assert wording["source"] == {
        **schema["$defs"]["DraftQuoteWording"]["properties"]["source"],
        "enum": ["A", "B"],
    }
    assert wording["sentence_ids"]["items"] == {"type": "string", "enum": ["A1", "B1"]}
    assert "enum" not in json.dumps(schema["$defs"]["DraftQuoteWording"]), "the shared schema is left as is"
    assert narrowed_schema(schema, {"sentence_ids": (), "source": ()}) == schema, "no empty enum"


# Keywords llama.cpp's JSON-Schema-to-grammar converter (llama_cpp/llama_grammar.py SchemaConverter,
# 0.3.36) turns into grammar rules. A schema it cannot convert makes llama-cpp-python fall back to a
# grammar of any JSON, silently: a new keyword in a draft schema must be checked there first.
GRAMMAR_KEYWORDS = {
    "$defs",
    "$ref",
    "additionalProperties",
    "anyOf",
    "description",
    "enum",
    "items",
    "properties",
    "required",
    "type",
    "const",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
}


def _keywords(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, list):
        for item in node:
            _keywords(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for sub in value.values():
                    _keywords(sub, found)
            else:
                _keywords(value, found)
    return found


@pytest.mark.parametrize("draft", [SummaryDraft, ComparisonDraft, JudgeDraft])
def test_every_draft_schema_converts_to_a_llama_cpp_grammar(draft: type[BaseModel]) -> None:
    schema = narrowed_schema(strict_json_schema(draft), {"sentence_ids": ("A1",), "source": ("A",)})
    assert _keywords(schema, set()) <= GRAMMAR_KEYWORDS


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
        for _ in ("json_schema", "json_object_schema", "json_object"):
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
    assert kinds == ["json_schema", "json_object", "json_object", "tools"]
    assert result.mode == "tools" and result.value.verdict == "supported"
    assert memory.get(server.url + "/") == "tools"


async def test_auto_when_every_mode_is_refused_names_the_flag(tmp_path: Path) -> None:
    with FakeOpenAIServer() as server:
        for word in ("response_format", "response_format", "response_format", "tools"):
            server.reply(422, {"error": {"message": f"unknown field {word}"}})
        async with OpenAIBackend("m", base_url=server.url, api_key="k", max_retries=3) as backend:
            with pytest.raises(BackendError) as info:
                await backend.complete(MESSAGES, SPEC, temperature=0.0)
        assert len(server.requests) == 4
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
        assert server.modes() == ["json_schema", "json_object_schema"]
    assert len(list(tmp_path.glob("*.json"))) == 2, "the refusal and the answer"
    async with OpenAIBackend.from_settings("qwen", server.url, replay_dir=tmp_path) as backend:
        replayed = await structured_call(backend, MESSAGES, Verdict, mode="auto")
    assert replayed.value == recorded.value and replayed.mode == recorded.mode == "json_object_schema"
    assert replayed.fixture_origin is not None and server.url.split("//")[1][:15] in replayed.fixture_origin


def test_an_answer_from_the_cache_names_the_mode_auto_chose(
    llama: LlamaCppServer, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["summarize", ANADOLU, "--base-url", llama.url, "--model", "qwen", "-f", "json"]
    assert run(capsys, *argv)[0] == 0
    sent = len(llama.chat_requests())
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    provenance = json.loads(out)["provenance"]
    assert len(llama.chat_requests()) == sent and provenance["cache"] == "hit"
    assert provenance["structured_output"] == "json_object_schema"


async def test_a_remembered_mode_the_server_now_refuses_falls_back_from_the_start(tmp_path: Path) -> None:
    memory = ModeMemory(tmp_path)
    with LlamaCppServer(answer=lambda body: VERDICT) as server:
        memory.remember(server.url + "/", "tools")
        server.refuse_tools = True
        async with OpenAIBackend("qwen", base_url=server.url, mode_memory=memory) as backend:
            result = await structured_call(backend, MESSAGES, Verdict, mode="auto")
        assert server.modes() == ["tools", "json_schema", "json_object_schema"]
    assert result.mode == "json_object_schema" and memory.get(server.url + "/") == "json_object_schema"


def test_ids_a_grammar_allows_are_the_sources_shown_ids_in_reading_order() -> None:
    """A comparison prompt also shows candidate ids (C4) shaped like sentence ids of a third source."""
    assert id_choices({"A1", "A10", "A2", "C4", "B3"}, ["A", "B"]) == {
        "sentence_ids": ["A1", "A2", "A10", "B3"],
        "source": ["A", "B"],
    }
