"""Against a fake that answers like llama-cpp-python's server: what first contact with a real local
model server broke (issues 14 and 17), each pinned by a test."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from pydantic import BaseModel, ConfigDict

from summarizer.cli import main
from summarizer.errors import (
    AttemptsExhaustedError,
    BackendError,
    ConfigError,
    QuotaError,
    TruncatedError,
)
from summarizer.llm import openai_backend
from summarizer.llm.base import OutputSpec
from summarizer.llm.calllog import CallLog
from summarizer.llm.endpoints import MEMORY_FILE, ModeMemory, is_local_host, is_openai_host
from summarizer.llm.openai_backend import OpenAIBackend, narrowed_schema
from summarizer.llm.pricing import PriceTable
from summarizer.llm.structured import strict_json_schema, structured_call
from summarizer.llm.tokens import answer_allowance
from summarizer.pipeline import Client, id_choices
from summarizer.schemas import ComparisonDraft, JudgeDraft, SummaryDraft, Usage
from tests.fakeserver import FakeOpenAIServer
from tests.llamafake import MODEL_PATH, LlamaCppServer, extractive_summary, prompt_tokens

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


# --------------------------------------------------------------------------------------------------
# B. Issue 17 items 1-6, 10, 11
# --------------------------------------------------------------------------------------------------


def summarize_argv(server: LlamaCppServer, *extra: str) -> list[str]:
    return ["summarize", ANADOLU, "--base-url", server.url, "-f", "json", "--no-cache", *extra]


def test_max_tokens_defaults_to_the_tasks_allowance_on_a_local_server(
    llama: LlamaCppServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *summarize_argv(llama, "--model", "qwen", "--length", "short"))
    assert code == 0, err
    expected = answer_allowance(SummaryDraft, words=60)
    assert 1024 <= expected <= 4096
    assert {r.body["max_tokens"] for r in llama.chat_requests()} == {expected}
    code, _, err = run(capsys, *summarize_argv(llama, "--model", "qwen", "--max-tokens", "3000"))
    assert code == 0, err
    assert llama.chat_requests()[-1].body["max_tokens"] == 3000


def test_max_tokens_reaches_the_api_and_batch(llama: LlamaCppServer, tmp_path: Path) -> None:
    Client(base_url=llama.url, model="qwen", max_tokens=2900, cache=False).summarize(ANADOLU)
    assert llama.chat_requests()[-1].body["max_tokens"] == 2900
    out = tmp_path / "out.jsonl"
    argv = ["batch", ANADOLU, "-o", str(out), "--base-url", llama.url, "--model", "qwen"]
    assert main([*argv, "--max-tokens", "2800", "--no-cache", "--no-progress"]) == 0
    assert llama.chat_requests()[-1].body["max_tokens"] == 2800
    with pytest.raises(ConfigError, match="max_tokens"):
        Client(base_url=llama.url, max_tokens=0)


def test_truncated_answer_names_max_tokens_with_its_value(capsys: pytest.CaptureFixture[str]) -> None:
    with LlamaCppServer(answer=lambda body: ANADOLU_ANSWER) as server:
        code, _, err = run(capsys, *summarize_argv(server, "--model", "qwen", "--max-tokens", "100"))
    assert code == 4
    assert "--max-tokens (it was 100)" in err and "re-asking would cut it again" in err
    assert len(server.chat_requests()) == 2, "json_schema refused, then one json_object answer, not re-asked"


def test_a_timeout_on_a_local_server_is_not_retried(capsys: pytest.CaptureFixture[str]) -> None:
    with LlamaCppServer(answer=lambda body: VERDICT, latency=1.5) as server:
        argv = summarize_argv(
            server, "--model", "qwen", "--timeout", "0.5", "--structured-output", "json_object"
        )
        code, _, err = run(capsys, *argv)
        assert len(server.chat_requests()) == 1, "no retry queued behind the abandoned generation"
    assert code == 4
    assert "within 0.5 s" in err and "Not retried" in err and "--timeout 1" in err


def test_context_overflow_names_context_budget_with_the_servers_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with LlamaCppServer(answer=lambda body: ANADOLU_ANSWER, n_ctx=2048) as server:
        code, _, err = run(capsys, *summarize_argv(server, "--model", "qwen", "--context-budget", "100000"))
    assert code == 4
    assert "--context-budget 2048" in err and "does not fit the model's context window" in err
    assert "--structured-output" not in err.split("Body:")[0], "not the structured-output advice"


def test_a_context_too_small_for_the_instructions_says_to_start_the_server_larger(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with LlamaCppServer(answer=lambda body: ANADOLU_ANSWER, n_ctx=2048) as server:
        code, _, err = run(capsys, *summarize_argv(server, "--model", "qwen"))
    assert code == 2
    assert "(2048 tokens) leaves no room" in err and "--n_ctx" in err


async def test_context_size_is_read_from_llama_cpp_props_and_vllm_models() -> None:
    with LlamaCppServer(n_ctx=3000, props=True) as server:
        client = Client(base_url=server.url, model="qwen")
        await client.ready()
        budget = client._budget()
        await client.aclose()
    assert budget.window == 3000
    assert client._allowance(SummaryDraft, budget, words=130) == 750, "within what the budget keeps free"
    with LlamaCppServer(model_extra={"max_model_len": 8192}) as server:
        client = Client(base_url=server.url)
        await client.ready()
        assert client._budget().window == 8192
        await client.aclose()


def test_model_name_comes_from_the_server_and_is_never_priced_by_name(
    llama: LlamaCppServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *summarize_argv(llama))
    assert code == 0, err
    provenance = json.loads(out)["provenance"]
    assert provenance["model"] == MODEL_PATH
    assert {r.body["model"] for r in llama.chat_requests()} == {MODEL_PATH}
    assert provenance["cost_usd"] is None
    code, out, err = run(capsys, *summarize_argv(llama, "--model", "gpt-4o-mini"))
    assert code == 0, err
    assert json.loads(out)["provenance"]["cost_usd"] is None, "a local answer is not priced as OpenAI's"
    logged = CallLog.default(None).query()
    assert {r["model"] for r in logged} == {MODEL_PATH, "gpt-4o-mini"}
    assert all(r["cost_usd"] is None for r in logged)


def test_several_models_on_the_server_ask_for_model(capsys: pytest.CaptureFixture[str]) -> None:
    with LlamaCppServer(models=["llama3.1:8b", "qwen2.5:1.5b"]) as server:
        code, _, err = run(capsys, *summarize_argv(server))
        assert not server.chat_requests()
    assert code == 2 and "--model" in err and "llama3.1:8b, qwen2.5:1.5b" in err


def test_openai_prices_still_apply_on_openai() -> None:
    usage = Usage(input_tokens=1_000_000, output_tokens=0)
    assert PriceTable(host="api.openai.com").cost("gpt-4o-mini", usage) == 0.15
    assert PriceTable(host="127.0.0.1:8080").cost("gpt-4o-mini", usage) is None


async def test_json_object_shows_an_example_and_stops_when_the_schema_echo_repeats() -> None:
    echo = json.dumps(
        {"additionalProperties": False, "properties": {"verdict": "supported"}, "type": "object"}
    )
    with LlamaCppServer(answer=lambda body: echo) as server:
        async with OpenAIBackend("qwen", base_url=server.url) as backend:
            with pytest.raises(AttemptsExhaustedError) as info:
                await structured_call(backend, MESSAGES, Verdict, mode="json_object", reasks=4)
        sent = server.chat_requests()
    assert len(sent) == 2, "the same answer byte for byte: re-asking stops"
    system = sent[0].body["messages"][0]["content"]
    assert '{"verdict": "...", "reason": "..."}' in system and "additionalProperties" not in system
    assert "JSON Schema itself" in sent[1].body["messages"][-1]["content"]
    assert "--structured-output tools" in str(info.value) and "byte for byte" in str(info.value)


async def test_a_tool_call_cut_at_the_context_is_truncation() -> None:
    long_answer = json.dumps({"verdict": "supported", "reason": "word " * 400})
    with LlamaCppServer(answer=lambda body: long_answer, n_ctx=120, props=True) as server:
        async with OpenAIBackend("qwen", base_url=server.url) as backend:
            await backend.discover()
            with pytest.raises(TruncatedError) as info:
                await structured_call(backend, MESSAGES, Verdict, mode="tools", reasks=2)
        assert len(server.chat_requests()) == 1, "not re-asked"
    assert server.chat_requests()[0].body["tools"], "finish_reason was tool_calls"
    assert "--context-budget 120" in str(info.value)


async def test_json_ending_mid_string_is_truncation_not_a_model_error() -> None:
    with LlamaCppServer(answer=lambda body: '{"verdict": "supported", "reason": "the sentence sa') as server:
        async with OpenAIBackend("qwen", base_url=server.url) as backend:
            with pytest.raises(TruncatedError, match="ends mid-way"):
                await structured_call(backend, MESSAGES, Verdict, mode="json_object", reasks=2)
        assert len(server.chat_requests()) == 1


def test_failed_batch_items_report_the_tokens_they_used(tmp_path: Path) -> None:
    bad = json.dumps({"headline": "x"})
    with LlamaCppServer(answer=lambda body: bad) as server:
        out = tmp_path / "out.jsonl"
        argv = [
            "batch",
            ANADOLU,
            "-o",
            str(out),
            "--base-url",
            server.url,
            "--model",
            "qwen",
            "--reasks",
            "1",
        ]
        assert main([*argv, "--no-cache", "--no-progress", "--structured-output", "json_object"]) == 4
        sent = server.chat_requests()
    record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert record["status"] == "error"
    used = record["error"]["usage"]
    assert used["input_tokens"] == sum(prompt_tokens(r.body) for r in sent) > 0
    assert used["output_tokens"] > 0


# --------------------------------------------------------------------------------------------------
# C. Issue 17 item 7: verify keeps its report when the judge fails on one claim
# --------------------------------------------------------------------------------------------------

CLAIM_OK = "Iran has turned down an offer from Russia to mediate between Tehran and Washington."
CLAIM_ECHOED = "Mahmoud Vaezi dismissed the possibility of direct negotiations with Washington."


def test_verify_keeps_its_report_when_the_judge_fails_on_one_claim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def judge(body: dict[str, Any]) -> str:
        if CLAIM_ECHOED in json.dumps(body["messages"], ensure_ascii=False):  # a small model's schema echo
            return json.dumps({"additionalProperties": False, "properties": {"verdict": "supported"}})
        return json.dumps(
            {"verdict": "supported", "reason": "The first sentence says so.", "sentence_ids": []}
        )

    summary = tmp_path / "summary.txt"
    summary.write_text(f"{CLAIM_OK} {CLAIM_ECHOED}\n", encoding="utf-8")
    with LlamaCppServer(answer=judge) as server:
        argv = ["verify", str(summary), "--source", ANADOLU, "--base-url", server.url, "--model", "qwen"]
        code, out, err = run(capsys, *argv, "-f", "json", "--no-cache")
    assert code == 0, err
    report = json.loads(out)
    assert report["mode"] == "deterministic+judge"
    judged, failed = report["claims"]
    assert judged["decided_by"] == "judge" and judged["judge_error"] is None
    assert failed["verdict"] == "supported" and failed["decided_by"] != "judge"
    assert "AttemptsExhaustedError" in failed["judge_error"] and "no valid answer" in failed["reason"]
    assert report["provenance"]["structured_output"] == "json_object_schema"
    spent = report["provenance"]["usage"]
    assert spent["input_tokens"] == sum(
        prompt_tokens(r.body)
        for r in server.chat_requests()
        if r.body.get("response_format", {}).get("type") == "json_object"
    )


# --------------------------------------------------------------------------------------------------
# D. Issue 13: bodies that are not completions, a spent quota, a sentence longer than the context
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", ["<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>", '{"choi']
)
async def test_http_200_that_is_not_a_completion_is_retried_then_a_server_error(body: str) -> None:
    with FakeOpenAIServer() as server:
        for _ in range(3):
            server.reply(200, body)
        async with OpenAIBackend("m", base_url=server.url, max_retries=2, retry_wait_base=0.01) as backend:
            with pytest.raises(BackendError) as info:
                await backend.complete(MESSAGES, SPEC, temperature=0.0)
        assert len(server.requests) == 3, "retried like a server error"
    assert info.value.status == 200 and info.value.attempts == 3 and info.value.exit_code == 4
    assert body.splitlines()[0][:60] in str(info.value) and "--base-url" in str(info.value)


def test_http_200_with_a_json_body_that_is_no_completion_exits_4(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeOpenAIServer() as server:
        server.reply(200, {"status": "ok", "detail": "proxy says hello"})
        argv = [
            "summarize",
            ANADOLU,
            "--base-url",
            server.url,
            "--model",
            "m",
            "--structured-output",
            "tools",
        ]
        code, _, err = run(capsys, *argv, "--max-retries", "0")
    assert code == 4 and "unexpected" not in err and "proxy says hello" in err


QUOTA = {
    "error": {
        "message": "You exceeded your current quota, please check your plan and billing details.",
        "type": "insufficient_quota",
        "code": "insufficient_quota",
    }
}


async def test_insufficient_quota_is_not_retried() -> None:
    with FakeOpenAIServer() as server:
        server.reply(429, QUOTA)
        async with OpenAIBackend("m", base_url=server.url, max_retries=4, retry_wait_base=0.01) as backend:
            with pytest.raises(QuotaError) as info:
                await backend.complete(MESSAGES, SPEC, temperature=0.0)
        assert len(server.requests) == 1
    assert "quota" in str(info.value) and "--resume" in str(info.value)


def test_a_batch_stops_at_a_spent_quota(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"a{i}.txt").write_text(f"The council approved item {i} on Monday.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with FakeOpenAIServer() as server:
        for _ in range(8):
            server.reply(429, QUOTA)
        argv = ["batch", str(folder), "-o", str(out), "--base-url", server.url, "--model", "m"]
        code, _, err = run(capsys, *argv, "--concurrency", "1", "--no-cache", "--no-progress")
        assert len(server.requests) == 1, "no other item is tried"
    assert code == 4
    assert "batch stopped" in err and "insufficient_quota" in err and "--resume" in err
    assert not out.exists() or out.read_text(encoding="utf-8") == "", "the item is left for --resume"


# --------------------------------------------------------------------------------------------------
# E. Issue 15: fail fast on a dead endpoint
# --------------------------------------------------------------------------------------------------


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


async def test_a_dead_endpoint_fails_after_the_connect_timeout_not_the_timeout(
    unanswering_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(openai_backend, "CONNECT_TIMEOUT", 0.5)
    started = time.monotonic()
    with pytest.raises(BackendError, match="could not connect") as info:
        async with OpenAIBackend(
            "m", base_url=f"http://127.0.0.1:{unanswering_port}/v1", timeout=60.0
        ) as backend:
            await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert time.monotonic() - started < 20.0, "the connect timeout (0.5 s), not --timeout 60"
    assert "is running" in str(info.value)


def test_a_sentence_longer_than_the_context_is_split_keeping_its_id() -> None:
    from summarizer.documents import document_from_text
    from summarizer.llm.tokens import count_tokens
    from summarizer.longdoc import Budget, chunk_document

    words = " ".join(f"word{i}" for i in range(3000))
    glued = "x" * 5000  # a "word" longer than the room
    doc = document_from_text(f"A short one. {words} {glued} end. Last one.")
    longest = max(doc.sentences, key=lambda s: s.end - s.start)
    budget = Budget(window=1600)
    room = budget.prompt_limit - 300
    chunks = chunk_document(doc, 300, budget)
    assert len(chunks) > 3
    pieces = [s for c in chunks for s in c.sentences if s.id == longest.id]
    assert len(pieces) > 2
    assert "".join(doc.text[p.start : p.end] for p in pieces) == doc.text[longest.start : longest.end]
    for chunk in chunks:
        lines = sum(count_tokens(f"[{s.id}] {doc.text[s.start : s.end]}\n") for s in chunk.sentences)
        assert lines <= room, "every request fits the budget"


def test_a_context_named_in_an_overflow_becomes_the_budget_and_the_article_goes_in_parts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    n_ctx = 3500  # the whole article's prompt and the answer allowance do not fit; parts do
    with LlamaCppServer(answer=extractive_summary, n_ctx=n_ctx) as server:
        code, out, err = run(capsys, *summarize_argv(server, "--model", "qwen"))
        sent = server.chat_requests()
    assert code == 0, err
    answered = [r.body for r in sent if r.body.get("response_format", {}).get("type") == "json_object"]
    limits = [prompt_tokens(body) + body["max_tokens"] for body in answered]
    assert limits[0] > n_ctx and all(n <= n_ctx for n in limits[1:]), "one refused, then every one fits"
    assert len(limits) > 2
    result = json.loads(out)
    assert result["provenance"]["chunks"] > 1
    assert result["key_points"] and result["key_points"][0]["evidence"]


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


async def test_a_remote_endpoint_that_cannot_be_reached_is_tried_twice_not_five_times() -> None:
    tries = []

    def refuse(request: httpx2.Request) -> httpx2.Response:
        tries.append(request)
        raise httpx2.ConnectTimeout("no answer", request=request)

    client = openai.AsyncOpenAI(
        api_key="k",
        base_url="https://models.example.com/v1",
        max_retries=0,
        http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(refuse)),
    )
    async with OpenAIBackend(client=client, max_retries=4, retry_wait_base=0.01) as backend:
        with pytest.raises(BackendError, match="could not connect") as info:
            await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert len(tries) == 2 and info.value.attempts == 2


def test_ids_a_grammar_allows_are_the_sources_shown_ids_in_reading_order() -> None:
    """A comparison prompt also shows candidate ids (C4) shaped like sentence ids of a third source."""
    assert id_choices({"A1", "A10", "A2", "C4", "B3"}, ["A", "B"]) == {
        "sentence_ids": ["A1", "A2", "A10", "B3"],
        "source": ["A", "B"],
    }
