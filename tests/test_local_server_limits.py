"""Against a fake llama.cpp server: the answer's token limit, the context window (its size read from
the server, a request that overflows it, an answer cut at it), the model's name and price (issue 17
items 1-6, 10, 11; issue 13's sentence longer than the context)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.cli import main
from summarizer.errors import AttemptsExhaustedError, ConfigError, TruncatedError
from summarizer.llm.calllog import CallLog
from summarizer.llm.openai_backend import OpenAIBackend
from summarizer.llm.pricing import PriceTable
from summarizer.llm.structured import structured_call
from summarizer.llm.tokens import answer_allowance
from summarizer.pipeline import Client
from summarizer.schemas import SummaryDraft, Usage
from tests.llamafake import MODEL_PATH, LlamaCppServer, extractive_summary, prompt_tokens
from tests.test_local_server import ANADOLU, ANADOLU_ANSWER, MESSAGES, VERDICT, Verdict, llama, run

__all__ = ["llama"]  # the fixture, used by name


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
