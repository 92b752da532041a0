"""Throughput at a provider's rate limit: `summarizer batch` pacing against the cookbook pattern.

    python bench/throughput.py [--items 1000] [--rpm 3000] [--latency 0.2] [--concurrency 32]

A local fake OpenAI-compatible server (tests/fakeserver.py: RateLimitedServer) answers after
`--latency` seconds and enforces `--rpm` with a token bucket holding one second's worth of requests,
answering 429 + retry-after-ms beyond it, as providers do. The same N summary requests are run

  1. through `summarizer.batch` (client-side pacing to --rpm, Retry-After honoured, concurrency N),
  2. through the pattern of the OpenAI cookbook's `api_request_parallel_processor.py`, written here:
     capacity counters refilled continuously at the limit (starting full), a request sent whenever
     capacity allows, and a 15 s pause for everyone after a rate-limit error, failed requests requeued.

Printed: achieved rate as a fraction of the limit, 429s seen, failed items, wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openai

from summarizer import Client
from summarizer.batch import arun_batch, iter_items
from summarizer.documents import load_document
from summarizer.llm.base import OutputSpec
from summarizer.llm.openai_backend import OpenAIBackend, build_request
from summarizer.llm.pacing import RateLimiter
from summarizer.llm.structured import strict_json_schema
from summarizer.prompts import LENGTH_GUIDES, PromptSet, article_view
from summarizer.schemas import SummaryDraft
from tests.fakeserver import RateLimitedServer

ANSWER = json.dumps(
    {
        "headline": "Council approves budget",
        "summary": "The council approved the budget.",
        "key_points": [{"text": "The council approved the budget.", "sentence_ids": ["A1"]}],
        "quotes": [],
        "entities": [],
        "dates": [],
        "caveats": [],
        "language": "en",
    }
)


def write_articles(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        p = folder / f"a{i:05d}.txt"
        p.write_text(f"The council approved the budget number {i}. Officials said it passes on Monday.\n")
        paths.append(p)
    return paths


async def run_summarizer(url: str, folder: Path, out: Path, rpm: float, concurrency: int) -> dict[str, Any]:
    backend = OpenAIBackend(
        "gpt-4o-mini", base_url=url, api_key="sk-bench", limiter=RateLimiter(rpm=rpm), max_retries=8
    )
    client = Client(backend=backend)
    started = time.monotonic()
    async with backend:
        report = await arun_batch(client, iter_items([folder]), out, concurrency=concurrency)
    return {"elapsed": time.monotonic() - started, "ok": report.succeeded, "failed": report.failed}


async def run_cookbook(url: str, paths: list[Path], rpm: float) -> dict[str, Any]:
    """The cookbook's loop: capacity refills at the limit; after a 429 everyone waits 15 s."""
    prompts = PromptSet()
    spec = OutputSpec("SummaryDraft", strict_json_schema(SummaryDraft))
    client = openai.AsyncOpenAI(base_url=url, api_key="sk-bench", max_retries=0)
    pause_after_rate_limit = 15.0
    queue: list[tuple[dict[str, Any], int]] = []
    for p in paths:
        doc = load_document(p)
        vars_ = {"doc": article_view(doc), "length": "medium", "length_guide": LENGTH_GUIDES["medium"]}
        try:
            messages = prompts.render("summary", vars_).messages
        except Exception:
            messages = prompts.render("summary", {**vars_, "report_language": None}).messages
        queue.append((build_request("gpt-4o-mini", messages, spec, 0.0), 5))
    capacity, last = rpm, time.monotonic()
    last_rate_limit = -1e9
    in_flight: set[asyncio.Task[None]] = set()
    stats = {"ok": 0, "failed": 0, "errors": 0}

    async def call(request: dict[str, Any], attempts_left: int) -> None:
        nonlocal last_rate_limit
        try:
            await client.chat.completions.create(**request)
            stats["ok"] += 1
        except openai.APIError as exc:  # the cookbook retries every error; only 429s pause everyone
            if isinstance(exc, openai.RateLimitError):
                last_rate_limit = time.monotonic()
            stats["errors"] += 1
            if attempts_left > 0:
                queue.append((request, attempts_left - 1))
            else:
                stats["failed"] += 1

    started = time.monotonic()
    async with client:
        while queue or in_flight:
            now = time.monotonic()
            capacity = min(rpm, capacity + rpm * (now - last) / 60.0)
            last = now
            since = now - last_rate_limit
            if queue and capacity >= 1 and since >= pause_after_rate_limit:
                capacity -= 1
                task = asyncio.create_task(call(*queue.pop(0)))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                continue
            await asyncio.sleep(0.001)
    return {"elapsed": time.monotonic() - started, **stats}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--rpm", type=float, default=3000)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--concurrency", type=int, default=32)
    args = ap.parse_args()
    limit = args.rpm / 60
    print(
        f"{args.items} summaries, limit {args.rpm:.0f} rpm ({limit:.1f}/s), "
        f"latency {args.latency * 1000:.0f} ms"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        paths = write_articles(folder, args.items)
        rows = []
        for name in ("summarizer batch", "cookbook pattern"):
            with RateLimitedServer(rpm=args.rpm, latency=args.latency, answer=lambda body: ANSWER) as server:
                if name == "summarizer batch":
                    res = asyncio.run(
                        run_summarizer(
                            server.url, folder, Path(tmp) / "out.jsonl", args.rpm, args.concurrency
                        )
                    )
                else:
                    res = asyncio.run(run_cookbook(server.url, paths, args.rpm))
                rate = res["ok"] / res["elapsed"]
                rows.append((name, rate / limit, server.throttled, res["failed"], res["elapsed"]))
    print(f"{'runner':<18} {'rate/limit':>10} {'429s':>6} {'failed':>7} {'wall s':>8}")
    for name, frac, throttled, failed, elapsed in rows:
        print(f"{name:<18} {frac:>10.3f} {throttled:>6} {failed:>7} {elapsed:>8.1f}")


if __name__ == "__main__":
    main()
