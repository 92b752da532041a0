"""The tool's own overhead per item, with the model's answer ready at once (FakeBackend).

    python bench/overhead.py [--items 300]

Measures, for a 1,000-word article, the time per item of the whole path except the model:
loading and segmenting, rendering the prompt, the budget check, validation, grounding, result
building and one JSONL line written (no fsync, to measure the tool, not the disk), with
concurrency 1. Baseline in the same run: json.dumps of the same result (the floor of writing it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summarizer import Client
from summarizer.batch import arun_batch, iter_items
from summarizer.documents import load_document
from summarizer.testing import FakeBackend

WORDS = (
    "The city council voted on Tuesday to approve a new budget for road repairs, the mayor said. "
    "Officials expect the work to begin in May and to last for about eighteen months. "
)


FIRST = WORDS.split(". ")[0] + "."


def article(i: int) -> str:
    # Every sentence differs within and across items (a district number), so memoised extraction
    # and support checks are measured cold, as on real, varied articles.
    district = "the mayor of district {} said"
    sentences = " ".join(
        WORDS.replace("the mayor said", district.format(i * 100 + k)).strip() for k in range(40)
    )  # ~ 1,000 words
    return f"Item {i}. {sentences}\n"


def answer() -> dict[str, object]:
    return {
        "headline": "Council approves road budget",
        "summary": "The council approved a budget for road repairs.",
        "key_points": [{"text": FIRST, "sentence_ids": [f"A{2 * k + 2}"]} for k in range(6)],
        "quotes": [],
        "entities": [
            {"name": "city council", "type": "organization", "role": "approved", "sentence_ids": ["A2"]}
        ],
        "dates": [{"text": "on Tuesday", "iso": None, "event": "vote", "sentence_ids": ["A2"]}],
        "caveats": [],
        "language": "en",
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=300)
    n = ap.parse_args().items
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i in range(n):
            (folder / f"a{i:05d}.txt").write_text(article(i))
        words = len(article(0).split())
        backend = FakeBackend([answer()] * (n + 1))
        client = Client(backend=backend)
        client.summarize(folder / "a00000.txt")  # warm-up: imports, templates, schema
        started = time.perf_counter()
        report = asyncio.run(
            arun_batch(client, iter_items([folder]), Path(tmp) / "o.jsonl", concurrency=1, fsync=False)
        )
        per_item = (time.perf_counter() - started) / n
        result = client.summarize(load_document(folder / "a00001.txt")) if backend.queue(answer()) else None
        assert result is not None
        started = time.perf_counter()
        for _ in range(n):
            json.dumps(result.model_dump(mode="json"))
        floor = (time.perf_counter() - started) / n
    print(f"{n} items of {words} words, {report.succeeded} ok, {report.failed} failed")
    print(
        f"per item: {per_item * 1000:.2f} ms (target < 5 ms); "
        f"json.dumps of the result: {floor * 1000:.2f} ms "
        f"({per_item / floor:.1f}x)"
    )


if __name__ == "__main__":
    main()
