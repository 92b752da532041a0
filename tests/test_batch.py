"""`summarizer batch`: inputs, JSONL output, resume without loss or duplicates, failures, pacing."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer import Client
from summarizer.batch import BatchItem, Progress, arun_batch, finished_ids, iter_items, run_batch
from summarizer.cli import main
from summarizer.errors import BackendError, ConfigError
from summarizer.llm.base import Completion
from summarizer.llm.openai_backend import OpenAIBackend
from summarizer.llm.pacing import RateLimiter
from summarizer.testing import FakeBackend
from tests.fakeserver import RateLimitedServer
from tests.samples import SUMMARY_ANSWER as ANSWER

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"

ROOT = Path(__file__).resolve().parent.parent


def articles(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(f"Article {i} reports an event. It happened on day {i}.\n")
    return folder


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


class Interrupting(FakeBackend):
    """Answers `ok_calls` requests, then raises KeyboardInterrupt as a user's Ctrl-C would."""

    def __init__(self, ok_calls: int) -> None:
        super().__init__([ANSWER] * ok_calls)

    async def complete(self, messages: Any, output: Any, *, temperature: float) -> Completion:
        if not self.remaining:
            raise KeyboardInterrupt
        await asyncio.sleep(0)
        return await super().complete(messages, output, temperature=temperature)


def test_resume_after_interruption_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    inputs = articles(tmp_path / "in", 12)
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(Client(backend=Interrupting(5)), iter_items([inputs]), out, concurrency=3)
    before = lines(out)
    assert 1 <= len(before) <= 5
    with out.open("a", encoding="utf-8") as fh:  # a crash in the middle of a write
        fh.write('{"id": "a011.txt", "task": "summ')
    backend = FakeBackend([ANSWER] * 12)
    report = run_batch(Client(backend=backend), iter_items([inputs]), out, resume=True, concurrency=3)
    after = lines(out)
    ids = [r["id"] for r in after]
    assert sorted(ids) == [f"a{i:03d}.txt" for i in range(12)]
    assert len(ids) == len(set(ids)) == 12
    assert after[: len(before)] == before
    assert report.skipped == len(before) and report.succeeded == 12 - len(before)
    assert len(backend.requests) == 12 - len(before)


def test_one_failure_never_stops_the_batch(tmp_path: Path) -> None:
    inputs = articles(tmp_path / "in", 4)
    (inputs / "empty.txt").write_text("   \n")
    failing = BackendError("server answered HTTP 500", status=500)
    backend = FakeBackend([ANSWER, failing, ANSWER, ANSWER])
    out = tmp_path / "out.jsonl"
    report = run_batch(Client(backend=backend), iter_items([inputs]), out, concurrency=1)
    records = {r["id"]: r for r in lines(out)}
    assert len(records) == 5
    assert records["a001.txt"]["status"] == "error"
    assert records["a001.txt"]["error"]["type"] == "BackendError"
    assert records["empty.txt"]["error"]["exit_code"] == 3
    assert (report.succeeded, report.failed, report.exit_code) == (3, 2, 4)
    assert finished_ids(out, retry_failed=True) == {"a000.txt", "a002.txt", "a003.txt"}
    retry = FakeBackend([ANSWER])
    again = run_batch(Client(backend=retry), iter_items([inputs]), out, retry_failed=True)
    assert (again.succeeded, again.failed, again.skipped) == (1, 1, 3)
    assert lines(out)[-1]["status"] in ("ok", "error")


def test_existing_output_needs_resume_or_overwrite(tmp_path: Path) -> None:
    inputs = articles(tmp_path / "in", 1)
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "x", "status": "ok"}\n')
    with pytest.raises(ConfigError, match="--resume"):
        run_batch(Client(backend=FakeBackend([ANSWER])), iter_items([inputs]), out)
    report = run_batch(Client(backend=FakeBackend([ANSWER])), iter_items([inputs]), out, overwrite=True)
    assert report.succeeded == 1 and len(lines(out)) == 1


def test_manifest_for_compare_and_texts(tmp_path: Path) -> None:
    inputs = articles(tmp_path / "in", 2)
    manifest = tmp_path / "groups.jsonl"
    manifest.write_text(
        json.dumps({"id": "g1", "sources": ["in/a000.txt", {"text": "B says so. It is so.", "outlet": "B"}]})
        + "\n\n"
        + json.dumps({"sources": ["in/a000.txt", "in/a001.txt"]})
        + "\n"
    )
    items = list(iter_items([manifest], task="compare"))
    assert [i.id for i in items] == ["g1", "groups.jsonl:3"]
    assert items[0].sources[0] == str(inputs / "a000.txt")
    summaries = tmp_path / "one.jsonl"
    summaries.write_text(json.dumps({"id": "t", "text": "A text. Two sentences.", "outlet": "X"}) + "\n")
    (item,) = iter_items([summaries])
    assert isinstance(item, BatchItem) and item.sources[0].outlet == "X"  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match="sources"):
        list(iter_items([summaries], task="compare"))
    with pytest.raises(ConfigError, match="no such file"):
        list(iter_items([tmp_path / "missing"]))


def test_glob_and_compare_folders(tmp_path: Path) -> None:
    articles(tmp_path / "groups" / "story1", 2)
    articles(tmp_path / "groups" / "story2", 3)
    groups = list(iter_items([tmp_path / "groups"], task="compare"))
    assert [(g.id, len(g.sources)) for g in groups] == [("story1", 2), ("story2", 3)]
    found = list(iter_items([str(tmp_path / "groups" / "*" / "a00[01].txt")]))
    assert len(found) == 4


def test_progress_lines_when_not_a_terminal() -> None:
    from summarizer.batch import BatchReport

    stream = io.StringIO()
    progress = Progress(stream, tty=False)
    report = BatchReport(total=10, succeeded=3, failed=1, cached=1, tokens=1234, cost_usd=0.01)
    progress.update(report)
    progress.update(report)  # throttled
    progress.update(report, final=True)
    out = stream.getvalue().splitlines()
    assert len(out) == 2 and "4/10" in out[0] and "ETA" in out[0] and "1234 tok" in out[0]
    tty = io.StringIO()
    Progress(tty, tty=True).update(report, final=True)
    assert tty.getvalue().startswith("\r")


def test_cli_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    args = [
        "batch",
        str(ROOT / "fixtures/articles"),
        "-o",
        str(out),
        "--replay",
        str(ROOT / "fixtures/exchanges"),
    ]
    assert main([*args, "--no-progress"]) == 0, out.read_text()
    assert "2 succeeded, 0 failed, 0 cached" in capsys.readouterr().err
    assert main([*args, "--resume", "--no-progress"]) == 0
    assert "2 skipped" in capsys.readouterr().err
    assert len(lines(out)) == 2
    assert main([*args, "--no-progress"]) == 2
    assert "--resume" in capsys.readouterr().err


def run_against(server: RateLimitedServer, tmp_path: Path, n: int, limiter: RateLimiter | None) -> Any:
    backend = OpenAIBackend(
        "gpt-4o-mini",
        base_url=server.url,
        api_key="sk-test",
        retry_wait_base=0.01,
        retry_wait_max=0.05,
        max_retries=20,
        limiter=limiter,
    )
    inputs = articles(tmp_path / "in", n)
    out = tmp_path / f"out-{id(limiter)}.jsonl"

    async def go() -> Any:
        async with backend:
            return await arun_batch(Client(backend=backend), iter_items([inputs]), out, concurrency=8)

    return asyncio.run(go())


def test_a_429_storm_is_paced(tmp_path: Path) -> None:
    answer = json.dumps(ANSWER)
    with RateLimitedServer(rpm=600, burst=2, answer=lambda body: answer) as server:
        unpaced = run_against(server, tmp_path, 16, None)
        storm = server.throttled
    assert unpaced.succeeded == 16 and storm >= 4
    with RateLimitedServer(rpm=600, burst=2, answer=lambda body: answer) as server:
        paced = run_against(server, tmp_path, 16, RateLimiter(rpm=600))
        assert paced.succeeded == 16 and paced.failed == 0
        assert server.throttled <= 2


async def test_limiter_spaces_requests_and_pauses_on_retry_after() -> None:
    import time

    limiter = RateLimiter(rpm=6000)  # 10 ms apart
    started = time.monotonic()
    for _ in range(5):
        await limiter.acquire({"messages": []})
    assert time.monotonic() - started >= 0.035
    limiter.pause(0.05)
    before = time.monotonic()
    await limiter.acquire({"messages": []})
    assert time.monotonic() - before >= 0.045
    tokens = RateLimiter(tpm=60_000)  # 1,000 tokens a second
    request = {"messages": [{"role": "user", "content": "x" * 300}], "max_tokens": 50}
    assert 140 < tokens.estimate(request) < 200
    with pytest.raises(ConfigError, match="--rpm"):
        RateLimiter(rpm=0)


async def test_limiter_keeps_its_spacing_after_the_event_loop_was_held_up() -> None:
    """Waiters whose slots pass while the loop is busy (CPU work, a loaded machine) must not all go at
    once: the provider would see a burst and answer 429 (test_a_429_storm_is_paced failed so)."""
    import itertools
    import time

    limiter = RateLimiter(rpm=600)  # 100 ms apart
    released: list[float] = []

    async def one() -> None:
        await limiter.acquire({"messages": []})
        released.append(time.monotonic())

    tasks = [asyncio.create_task(one()) for _ in range(4)]
    await asyncio.sleep(0)  # every waiter has reserved its slot
    time.sleep(0.45)  # the loop is held up past all four slots
    await asyncio.gather(*tasks)
    gaps = [b - a for a, b in itertools.pairwise(released)]
    assert len(gaps) == 3 and min(gaps) >= 0.099, gaps


def test_a_result_model_is_written_as_its_json_form() -> None:
    """`json_line` lets pydantic serialise the result; the line must read back as `model_dump` would
    give it, with the other fields intact, and a record with nothing but a model must stay valid."""
    from summarizer.batch import json_line
    from summarizer.schemas import Usage

    usage = Usage(input_tokens=3, output_tokens=4)
    line = json_line({"id": "é.txt", "status": "ok", "result": usage})
    assert json.loads(line) == {"id": "é.txt", "status": "ok", "result": usage.model_dump(mode="json")}
    assert "é" in line  # not escaped, as the rest of the line
    assert json.loads(json_line({"result": usage})) == {"result": usage.model_dump(mode="json")}
    assert json.loads(json_line({"id": "a", "n": 1})) == {"id": "a", "n": 1}


def test_an_offline_batch_needs_no_endpoint_and_costs_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`--engine offline` (or nothing configured) runs without a model: no endpoint is required, and
    its results are free, not "of unknown price"."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "story"
    folder.mkdir()
    for name in ("anadolu.txt", "mehr.txt"):
        (folder / name).write_text((ARTICLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    report = run_batch(Client(engine="offline"), iter_items([tmp_path], task="compare"), out)
    assert (report.succeeded, report.failed, report.unpriced, report.cost_usd) == (1, 0, 0, 0.0)
    [line] = [json.loads(x) for x in out.read_text().splitlines()]
    assert line["status"] == "ok" and line["result"]["provenance"]["engine"] == "offline"


BATCH_PUBLIC = [
    "ARTICLE_SUFFIXES",
    "BatchItem",
    "BatchItems",
    "BatchReport",
    "JsonlWriter",
    "OutputWriteError",
    "Progress",
    "Runner",
    "SIDECAR",
    "Source",
    "TASKS",
    "Task",
    "arun_batch",
    "count_items",
    "cut_torn_tail",
    "damaged_path",
    "error_record",
    "finished_ids",
    "iter_items",
    "json_line",
    "log",
    "read_items",
    "run_batch",
    "run_item",
    "unique_ids",
]
"""Every public name `summarizer.batch` defined when it was one file of 764 lines."""


def test_the_batch_module_still_offers_every_public_name_it_had() -> None:
    from summarizer import batch

    assert set(batch.__all__) == {*BATCH_PUBLIC, "count_record"}  # was _count, imported by provider_batch
    assert all(hasattr(batch, name) for name in BATCH_PUBLIC)
    assert batch.log.name == "summarizer.batch"  # warnings of the output file keep their logger
