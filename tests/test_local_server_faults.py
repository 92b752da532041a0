"""Against fake servers: faults that must end cleanly, named: a judge failing on one claim (issue 17
item 7), HTTP 200 bodies that are not completions and a spent quota (issue 13), an endpoint that
does not answer (issue 15)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from summarizer.errors import BackendError, QuotaError
from summarizer.llm import openai_backend
from summarizer.llm.openai_backend import OpenAIBackend
from tests.fakeserver import FakeOpenAIServer
from tests.llamafake import LlamaCppServer, prompt_tokens
from tests.test_local_server import ANADOLU, MESSAGES, SPEC, run, unanswering_port

__all__ = ["unanswering_port"]  # the fixture, used by name


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
