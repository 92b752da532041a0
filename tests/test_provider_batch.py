"""Provider batch jobs (`--via openai-batch`) against a fake Batch API on 127.0.0.1."""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import threading
import time
import urllib.parse
from collections import deque
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from summarizer import Client
from summarizer.batch import iter_items
from summarizer.cli import main
from summarizer.errors import BackendError
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


LOST = object()
"""A reply the fake never sends: it hangs up instead, as when a connection drops mid-answer."""


class FakeBatchAPI(LocalServer):
    """POST /v1/files, POST /v1/batches, GET /v1/batches (newest first, `limit` and `after`),
    GET /v1/batches/{id}, GET /v1/files/{id}/content, and POST /v1/chat/completions. A batch goes
    validating → in_progress → completed, one step per GET; `answer(body)` gives each request's content
    (a batch's and a direct call's alike).

    `create_faults` scripts the next creates: "lost" creates the batch and hangs up without answering,
    a status answers it without creating one. `page_size` caps a list page; `list_status` makes
    listing fail with that status."""

    def __init__(self, answer: Any = good_answer, *, final: str = "completed") -> None:
        self.answer = answer
        self.final = final
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.chat_bodies: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.create_faults: deque[str | int] = deque()
        self.page_size = 100
        self.list_status: int | None = None
        self._lock = threading.Lock()
        self._listen(self._handler())

    def add_batch(
        self, input_file_id: str, metadata: dict[str, str] | None, *, created_at: int | None = None
    ) -> dict[str, Any]:
        """A batch created by someone else (another job, another tool), listed like ours."""
        batch_id = f"batch_{len(self.batches) + 1}"
        self.batches[batch_id] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "input_file_id": input_file_id,
            "completion_window": "24h",
            "status": "in_progress",
            "created_at": created_at if created_at is not None else int(time.time()),
            "metadata": metadata,
        }
        return self.batches[batch_id]

    def ours(self, key: str | None) -> list[str]:
        """The ids of the batches whose metadata carries the job key `key`."""
        return [b["id"] for b in self.batches.values() if (b["metadata"] or {}).get("summarizer_job") == key]

    def requests_of(self, batch_id: str) -> list[dict[str, Any]]:
        data = self.files[self.batches[batch_id]["input_file_id"]].decode("utf-8")
        return [json.loads(line) for line in data.splitlines() if line.strip()]

    def handle(self, method: str, target: str, headers: Any, raw: bytes) -> tuple[int, Any]:
        path, _, query = target.partition("?")
        with self._lock:
            self.calls.append(f"{method} {path}")
            if method == "POST" and path == "/v1/files":
                return 200, self._upload(headers["content-type"], raw)
            if method == "POST" and path == "/v1/batches":
                fault = self.create_faults.popleft() if self.create_faults else None
                if isinstance(fault, int):
                    return fault, {"error": {"message": f"fake: scripted {fault}", "type": "test"}}
                body = json.loads(raw)
                batch = self.add_batch(body["input_file_id"], body.get("metadata"))
                batch.update(endpoint=body["endpoint"], completion_window=body["completion_window"])
                batch["status"] = "validating"
                return 200, LOST if fault == "lost" else batch
            if method == "GET" and path == "/v1/batches":
                if self.list_status is not None:
                    return self.list_status, {"error": {"message": "fake: no listing", "type": "test"}}
                return 200, self._list(urllib.parse.parse_qs(query))
            if method == "GET" and (m := re.fullmatch(r"/v1/batches/(\w+)", path)):
                return 200, self._advance(self.batches[m.group(1)])
            if method == "GET" and (m := re.fullmatch(r"/v1/files/([\w-]+)/content", path)):
                return 200, self.files[m.group(1)]
            if method == "POST" and path == "/v1/chat/completions":
                body = json.loads(raw)
                self.chat_bodies.append(body)
                return 200, chat_completion(self.answer(body), model=body["model"])
        return 404, {"error": {"message": f"fake: no route for {method} {path}"}}

    def _list(self, query: dict[str, list[str]]) -> dict[str, Any]:
        newest_first = list(reversed(self.batches.values()))
        if after := query.get("after"):
            newest_first = newest_first[[b["id"] for b in newest_first].index(after[0]) + 1 :]
        limit = min(int(query.get("limit", ["20"])[0]), self.page_size)
        page = newest_first[:limit]
        return {
            "object": "list",
            "data": page,
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
            "has_more": len(newest_first) > limit,
        }

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
                status, reply = fake.handle(self.command, self.path, self.headers, raw)
                if reply is LOST:
                    self.close_connection = True
                    return
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


def test_a_job_runs_end_to_end_into_the_same_output_as_a_direct_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the fake stands in for OpenAI on 127.0.0.1, where OpenAI's list prices do not apply unless the
    # user's price file names them
    prices = tmp_path / "prices.json"
    prices.write_text('{"gpt-4o-mini": {"input": 0.15, "output": 0.60}}', encoding="utf-8")
    monkeypatch.setenv("SUMMARIZER_PRICES", str(prices))
    folder = articles(tmp_path / "in", 3)
    with FakeBatchAPI() as server:
        outcome = job(server, folder, tmp_path / "out.jsonl")
        direct = tmp_path / "direct.jsonl"
        code = main(
            [
                *(
                    "batch",
                    str(folder),
                    "-o",
                    str(direct),
                    "--base-url",
                    server.url,
                    "--model",
                    "gpt-4o-mini",
                ),
                *("--no-cache", "--no-progress"),
            ]
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


# --------------------------------------------------------------------------------------------------
# Submitting once: a run stopped around the create call does not make the next one pay twice
# --------------------------------------------------------------------------------------------------


def ok_ids(out: Path) -> list[str]:
    """The ids of the output's lines that are grounded summaries."""
    return sorted(r["id"] for r in lines(out) if r["status"] == "ok" and r["result"]["grounding"]["grounded"])


def test_a_run_creates_one_batch_without_looking_for_one(tmp_path: Path) -> None:
    folder = articles(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    with FakeBatchAPI() as server:
        outcome = job(server, folder, out)
    assert outcome.exit_code == 0 and ok_ids(out) == ["a00.txt", "a01.txt"]
    assert server.calls.count("POST /v1/batches") == 1
    assert "GET /v1/batches" not in server.calls  # no marker in flight: nothing to look for
    state = JobState.load(JobFiles.beside(out).state)
    assert state is not None and state.submit_key and state.submit_started
    assert server.ours(state.submit_key) == ["batch_1"] == [state.batch_id]
    assert server.batches["batch_1"]["metadata"]["tool"] == "summarizer"


@pytest.mark.parametrize("window", ["after_create", "before_create"])
def test_a_run_stopped_around_the_create_call_does_not_create_a_second_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: str
) -> None:
    """Ctrl-C after the provider created the batch but before the state file names it: the re-run
    adopts that batch. Ctrl-C after the marker was saved but before the create was sent: the re-run
    finds nothing of ours and creates exactly one. Other batches (newer ones over several list pages,
    one with our input file but another key, one with our key but another file) are not adopted, and
    the search stops at batches older than the job's first attempt."""
    folder = articles(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    save = JobState.save

    def interrupted(state: JobState, path: Path) -> None:
        if window == "after_create" and state.stage == "submitted":
            raise KeyboardInterrupt
        save(state, path)
        if window == "before_create" and state.submission_in_flight:
            raise KeyboardInterrupt

    with FakeBatchAPI() as server:
        for _ in range(4):
            server.add_batch("file-old", None, created_at=int(time.time()) - 3 * 86_400)
        monkeypatch.setattr(JobState, "save", interrupted)
        with pytest.raises(KeyboardInterrupt):
            job(server, folder, out)
        monkeypatch.undo()
        state = JobState.load(JobFiles.beside(out).state)
        assert state is not None and state.submission_in_flight and state.input_file_id
        created = server.ours(state.submit_key)
        assert len(created) == (1 if window == "after_create" else 0)
        server.add_batch(state.input_file_id, {"summarizer_job": "another-job"})
        server.add_batch("file-elsewhere", {"summarizer_job": state.submit_key or ""})
        server.add_batch("file-elsewhere", None)
        server.page_size = 2

        outcome = job(server, folder, out)
        state = JobState.load(JobFiles.beside(out).state)

    assert outcome.exit_code == 0 and ok_ids(out) == ["a00.txt", "a01.txt"]
    assert server.calls.count("POST /v1/batches") == 1
    assert server.calls.count("POST /v1/files") == 1
    assert state is not None and state.batch_id is not None
    ours = server.ours(state.submit_key)
    mine = [b for b in ours if server.batches[b]["input_file_id"] == state.input_file_id]
    assert mine == [state.batch_id]
    if window == "after_create":
        assert state.batch_id == created[0]
    # 3 newer batches of others, then ours or the first old one: two pages of two, not all five
    assert server.calls.count("GET /v1/batches") == 2


def test_a_lost_create_answer_is_looked_for_not_sent_again(tmp_path: Path) -> None:
    folder = articles(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    with FakeBatchAPI() as server:
        server.create_faults.append("lost")  # created, then the connection drops before the answer
        outcome = job(server, folder, out)
    assert outcome.exit_code == 0 and ok_ids(out) == ["a00.txt", "a01.txt"]
    assert server.calls.count("POST /v1/batches") == 1  # not retried by the SDK
    assert server.calls.count("GET /v1/batches") == 1 and len(server.batches) == 1


def test_a_failed_create_stops_the_run_and_the_next_run_creates_the_batch(tmp_path: Path) -> None:
    folder = articles(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    with FakeBatchAPI() as server:
        server.create_faults.append(500)  # a server error: created or not, the client cannot tell
        with pytest.raises(BackendError, match="may have created it"):
            job(server, folder, out)
        assert server.batches == {} and server.calls.count("POST /v1/batches") == 1
        state = JobState.load(JobFiles.beside(out).state)
        assert state is not None and state.submission_in_flight

        outcome = job(server, folder, out)
    assert outcome.exit_code == 0 and ok_ids(out) == ["a00.txt", "a01.txt"]
    assert list(server.batches) == ["batch_1"] and server.calls.count("POST /v1/batches") == 2
    assert server.calls.count("GET /v1/batches") == 2  # after the 500, and before the second create


def test_a_refused_create_leaves_no_marker_and_an_unlistable_provider_creates_nothing(
    tmp_path: Path,
) -> None:
    folder = articles(tmp_path / "in", 1)
    out = tmp_path / "out.jsonl"
    with FakeBatchAPI() as server:
        server.list_status = 404
        server.create_faults.append(400)  # refused: certainly not created
        with pytest.raises(Exception, match="scripted 400"):
            job(server, folder, out)
        state = JobState.load(JobFiles.beside(out).state)
        assert state is not None and state.stage == "uploaded" and not state.submission_in_flight
        server.create_faults.append(503)
        with pytest.raises(BackendError, match="cannot be listed"):
            job(server, folder, out)  # created or not is unknown, and there is no list to look in
        with pytest.raises(BackendError, match="summarizer_job=") as raised:
            job(server, folder, out)  # the marker holds: no create without looking first
        assert "--overwrite" in str(raised.value)
        assert server.calls.count("POST /v1/batches") == 2 and server.batches == {}
