"""Provider batch jobs (`--via openai-batch`) against a fake Batch API on 127.0.0.1."""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from summarizer import Client
from summarizer.batch import iter_items
from summarizer.cli import main
from summarizer.llm.calllog import CallLog
from summarizer.provider_batch import NOT_FINISHED, JobFiles, JobState, run_provider_batch
from tests.fakeserver import LocalServer, QuietHandler, chat_completion, send_json

LINE = re.compile(r"^\[(A\d+)\] ", re.M)


def good_answer(body: dict[str, Any]) -> str:
    """A valid summary citing the first sentence the prompt shows."""
    prompt = next(m["content"] for m in body["messages"] if m["role"] == "user")
    first = LINE.findall(prompt)[0]
    return json.dumps(
        {
            "headline": "Council item",
            "summary": "The council approved an item.",
            "key_points": [{"text": "The council approved the item.", "sentence_ids": [first]}],
            "quotes": [],
            "entities": [],
            "dates": [],
            "caveats": [],
            "language": "en",
        }
    )


def bad_answer(body: dict[str, Any]) -> str:
    """Cites a sentence the article does not have: fails validation."""
    answer = json.loads(good_answer(body))
    answer["key_points"][0]["sentence_ids"] = ["A99"]
    return json.dumps(answer)


class FakeBatchAPI(LocalServer):
    """POST /v1/files, POST /v1/batches, GET /v1/batches/{id}, GET /v1/files/{id}/content, and
    POST /v1/chat/completions. A batch goes validating → in_progress → completed, one step per GET;
    `answer(body)` gives each request's content (a batch's and a direct call's alike)."""

    def __init__(self, answer: Any = good_answer, *, final: str = "completed") -> None:
        self.answer = answer
        self.final = final
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.chat_bodies: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self._lock = threading.Lock()
        self._listen(self._handler())

    def requests_of(self, batch_id: str) -> list[dict[str, Any]]:
        data = self.files[self.batches[batch_id]["input_file_id"]].decode("utf-8")
        return [json.loads(line) for line in data.splitlines() if line.strip()]

    def handle(self, method: str, path: str, headers: Any, raw: bytes) -> tuple[int, Any]:
        with self._lock:
            self.calls.append(f"{method} {path}")
            if method == "POST" and path == "/v1/files":
                return 200, self._upload(headers["content-type"], raw)
            if method == "POST" and path == "/v1/batches":
                body = json.loads(raw)
                batch_id = f"batch_{len(self.batches) + 1}"
                self.batches[batch_id] = {
                    "id": batch_id,
                    "object": "batch",
                    "endpoint": body["endpoint"],
                    "input_file_id": body["input_file_id"],
                    "completion_window": body["completion_window"],
                    "status": "validating",
                    "created_at": 1_800_000_000,
                    "metadata": body.get("metadata"),
                }
                return 200, self.batches[batch_id]
            if method == "GET" and (m := re.fullmatch(r"/v1/batches/(\w+)", path)):
                return 200, self._advance(self.batches[m.group(1)])
            if method == "GET" and (m := re.fullmatch(r"/v1/files/([\w-]+)/content", path)):
                return 200, self.files[m.group(1)]
            if method == "POST" and path == "/v1/chat/completions":
                body = json.loads(raw)
                self.chat_bodies.append(body)
                return 200, chat_completion(self.answer(body), model=body["model"])
        return 404, {"error": {"message": f"fake: no route for {method} {path}"}}

    def _upload(self, content_type: str, raw: bytes) -> dict[str, Any]:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"content-type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        fields = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        assert fields["purpose"].get_content().strip() == "batch"
        data = fields["file"].get_payload(decode=True)
        file_id = f"file-in-{len(self.files) + 1}"
        self.files[file_id] = data
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": 1_800_000_000,
            "filename": "requests.jsonl",
            "purpose": "batch",
            "status": "processed",
        }

    def _advance(self, batch: dict[str, Any]) -> dict[str, Any]:
        steps = ["validating", "in_progress", self.final]
        if batch["status"] in steps[:-1]:
            batch["status"] = steps[steps.index(batch["status"]) + 1]
        requests = self.requests_of(batch["id"])
        batch["request_counts"] = {"total": len(requests), "completed": 0, "failed": 0}
        if batch["status"] == "completed" and "output_file_id" not in batch:
            lines = []
            for n, request in enumerate(requests):
                assert request["method"] == "POST" and request["url"] == "/v1/chat/completions"
                body = request["body"]
                completion = chat_completion(self.answer(body), model=body["model"])
                response = {"status_code": 200, "request_id": f"req_{n}", "body": completion}
                lines.append(
                    {"id": f"batch_req_{n}", "custom_id": request["custom_id"], "response": response}
                )
            file_id = f"file-out-{batch['id']}"
            self.files[file_id] = "".join(json.dumps(line) + "\n" for line in lines).encode()
            batch["output_file_id"] = file_id
            batch["request_counts"]["completed"] = len(requests)
        return batch

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                self._answer(b"")

            def do_POST(self) -> None:
                self._answer(self.rfile.read(int(self.headers.get("content-length") or 0)))

            def _answer(self, raw: bytes) -> None:
                status, reply = fake.handle(self.command, self.path.split("?")[0], self.headers, raw)
                send_json(self, status, reply)

        return Handler


def articles(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:02d}.txt").write_text(
            f"The council approved item {i} on Monday. Officials said it costs {i + 10} dollars.\n"
        )
    return folder


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def unordered(bodies: Any) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True) for b in bodies)


def job(server: FakeBatchAPI, folder: Path, out: Path, **options: Any) -> Any:
    client = Client(base_url=server.url, api_key="sk-test", model="gpt-4o-mini")
    return run_provider_batch(client, lambda: iter_items([folder]), out, poll_s=0.01, fsync=False, **options)


def test_a_job_runs_end_to_end_into_the_same_output_as_a_direct_run(tmp_path: Path) -> None:
    folder = articles(tmp_path / "in", 3)
    with FakeBatchAPI() as server:
        outcome = job(server, folder, tmp_path / "out.jsonl")
        direct = tmp_path / "direct.jsonl"
        code = main(
            ["batch", str(folder), "-o", str(direct), "--base-url", server.url, "--no-cache", "--no-progress"]
        )
    assert outcome.exit_code == 0 and code == 0
    assert outcome.report.succeeded == 3 and outcome.report.failed == 0
    records = {r["id"]: r for r in lines(tmp_path / "out.jsonl")}
    assert sorted(records) == ["a00.txt", "a01.txt", "a02.txt"]
    one = records["a01.txt"]
    assert one["status"] == "ok" and one["result"]["grounding"]["grounded"]
    assert one["result"]["key_points"][0]["evidence"][0]["sentence_ids"] == ["A1"]
    assert one["result"]["provenance"]["backend"] == "openai-batch"
    # the same lines as a direct run, apart from provenance
    plain = {r["id"]: r for r in lines(direct)}
    for key in ("headline", "key_points", "grounding", "source"):
        assert records["a01.txt"]["result"][key] == plain["a01.txt"]["result"][key]
    # the batch's request bodies are exactly what the backend sends directly
    sent = server.requests_of("batch_1")
    assert [r["custom_id"] for r in sent] == ["a00.txt", "a01.txt", "a02.txt"]
    # (the direct run sends its requests concurrently, so compare them without order)
    assert unordered(r["body"] for r in sent) == unordered(server.chat_bodies)
    assert server.batches["batch_1"]["completion_window"] == "24h"
    assert server.batches["batch_1"]["endpoint"] == "/v1/chat/completions"
    # Batch API price: half the list price, and every batch answer is in the call log
    cost_batch = one["result"]["provenance"]["cost_usd"]
    assert cost_batch == pytest.approx(plain["a01.txt"]["result"]["provenance"]["cost_usd"] / 2)
    logged = [row for row in CallLog.default().query() if row["item"] == "a01.txt"]
    assert len(logged) == 2  # one batch answer, one direct call


def test_a_job_is_resumable_across_runs_without_resubmitting(tmp_path: Path) -> None:
    folder = articles(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    with FakeBatchAPI() as server:
        first = job(server, folder, out, wait=False)
        assert first.exit_code == NOT_FINISHED and first.state.stage == "submitted"
        state = JobState.load(JobFiles.beside(out).state)
        assert state is not None and state.batch_id == "batch_1" and state.input_file_id == "file-in-1"
        second = job(server, folder, out, wait=False)  # in_progress → completed: collected
        assert second.exit_code == 0 and second.report.succeeded == 2
        uploads = [c for c in server.calls if c in ("POST /v1/files", "POST /v1/batches")]
        assert uploads == ["POST /v1/files", "POST /v1/batches"]

        # a collect interrupted after one line: the re-run writes only the missing item
        state = JobState.load(JobFiles.beside(out).state)
        assert state is not None
        state.stage = "downloaded"
        state.save(JobFiles.beside(out).state)
        out.write_text(out.read_text().splitlines(keepends=True)[0])
        third = job(server, folder, out)
        assert third.report.succeeded == 1
        assert sorted(r["id"] for r in lines(out)) == ["a00.txt", "a01.txt"]
        assert server.calls.count("POST /v1/batches") == 1


def test_prepare_only_writes_a_requests_file_for_other_engines(tmp_path: Path) -> None:
    folder = articles(tmp_path / "in", 2)
    requests = tmp_path / "vllm-requests.jsonl"
    with FakeBatchAPI() as server:
        outcome = job(server, folder, tmp_path / "out.jsonl", prepare_only=True, requests=requests)
    assert outcome.exit_code == NOT_FINISHED
    assert server.calls == []
    sent = lines(requests)
    assert [set(r) for r in sent] == [{"custom_id", "method", "url", "body"}] * 2
    body = sent[0]["body"]
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    assert "[A1] The council approved item 0 on Monday." in body["messages"][-1]["content"]


def test_invalid_answers_become_error_lines_or_are_reasked_directly(tmp_path: Path) -> None:
    folder = articles(tmp_path / "in", 1)
    with FakeBatchAPI(answer=bad_answer) as server:
        outcome = job(server, folder, tmp_path / "out.jsonl")
    assert outcome.exit_code == 4
    [record] = lines(tmp_path / "out.jsonl")
    assert record["status"] == "error" and record["error"]["type"] == "AttemptsExhaustedError"
    assert "A99" in record["error"]["message"] and "cannot re-ask" in record["error"]["message"]

    answers = iter([bad_answer, good_answer])
    with FakeBatchAPI(answer=lambda body: next(answers)(body)) as server:
        outcome = job(server, folder, tmp_path / "out2.jsonl", reask_direct=True)
    assert outcome.exit_code == 0
    [record] = lines(tmp_path / "out2.jsonl")
    assert record["status"] == "ok" and record["result"]["provenance"]["attempts"] == 2
    assert len(server.chat_bodies) == 1 and server.chat_bodies[0]["messages"][-2]["role"] == "assistant"


def test_cached_items_are_not_sent_again(tmp_path: Path) -> None:
    folder = articles(tmp_path / "in", 2)
    with FakeBatchAPI() as server:
        job(server, folder, tmp_path / "out.jsonl")
        again = job(server, folder, tmp_path / "again.jsonl")
    assert again.exit_code == 0 and again.report.cached == 2
    assert [r["cache"] for r in lines(tmp_path / "again.jsonl")] == ["hit", "hit"]
    assert server.calls.count("POST /v1/batches") == 1


def test_an_expired_batch_gives_error_lines_and_long_articles_are_refused(tmp_path: Path) -> None:
    folder = articles(tmp_path / "in", 1)
    long_text = " ".join(f"The council approved item {i} on Monday." for i in range(400))
    (folder / "long.txt").write_text(long_text)
    with FakeBatchAPI(final="expired") as server:
        client = Client(base_url=server.url, api_key="k", model="gpt-4o-mini", context_budget=3000)
        outcome = run_provider_batch(
            client, lambda: iter_items([folder]), tmp_path / "out.jsonl", poll_s=0.01
        )
    records = {r["id"]: r for r in lines(tmp_path / "out.jsonl")}
    assert outcome.exit_code == 4
    assert "several requests" in records["long.txt"]["error"]["message"]
    assert "no answer" in records["a00.txt"]["error"]["message"]
    assert "expired" in records["a00.txt"]["error"]["message"]
    assert len(server.requests_of("batch_1")) == 1


def test_cli_no_wait_then_collect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = articles(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    with FakeBatchAPI() as server:
        argv = ["batch", str(folder), "-o", str(out), "--via", "openai-batch", "--base-url", server.url]
        argv += ["--no-wait", "--no-progress", "--poll-interval", "0.01"]
        assert main(argv) == NOT_FINISHED
        assert "run again" in capsys.readouterr().err
        assert main(argv) == 0
    assert "2 succeeded, 0 failed" in capsys.readouterr().err
    assert len(lines(out)) == 2
