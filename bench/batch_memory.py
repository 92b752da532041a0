"""Memory of a long batch: peak RSS must not grow with the number of items.

    python bench/batch_memory.py [--items 10000] [--manifest [--chars 3000]]

Runs a batch of --items summaries (FakeBackend, answers ready at once, no fsync) and samples the
process's resident memory after 10%, 50% and 100% of the items. Flat means the last sample is
within a few MB of the first: results are written and dropped, never accumulated.

The items are files in a folder, or with --manifest the lines of a JSONL manifest that gives each
article's text (--chars characters each). "items as read" is what reading the inputs added to the
RSS; "held over the start" is the last sample less the RSS before the inputs were read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summarizer import Client
from summarizer.batch import BatchReport, Progress, arun_batch, read_items
from summarizer.testing import FakeBackend

ANSWER = {
    "headline": "Budget approved",
    "summary": "The council approved the budget.",
    "key_points": [{"text": "The council approved the budget.", "sentence_ids": ["A1"]}],
    "quotes": [],
    "entities": [],
    "dates": [],
    "caveats": [],
    "language": "en",
}


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


class Sampler(Progress):
    def __init__(self, total: int) -> None:
        super().__init__(sys.stderr, tty=False, every_s=1e9)
        self.marks = {max(1, total // 10): "10%", total // 2: "50%", total: "100%"}
        self.samples: list[tuple[str, float]] = []

    def update(self, report: BatchReport, *, final: bool = False) -> None:
        label = self.marks.get(report.done)
        if label and not final and (not self.samples or self.samples[-1][0] != label):
            self.samples.append((label, rss_mb()))


class Endless(FakeBackend):
    def _completion(self, reply):  # type: ignore[no-untyped-def]
        self.requests.clear()  # FakeBackend keeps every request for tests; a long run must not
        self._replies.append(ANSWER)
        return super()._completion(reply)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--manifest", action="store_true", help="items from a JSONL manifest of texts")
    ap.add_argument("--chars", type=int, default=3000, help="with --manifest: each text's length")
    args = ap.parse_args()
    n = args.items
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / ("items.jsonl" if args.manifest else "in")
        if args.manifest:
            with source.open("w", encoding="utf-8") as fh:
                for i in range(n):
                    fh.write(json.dumps({"id": f"a{i:06d}", "text": article(i, args.chars)}) + "\n")
        else:
            source.mkdir()
            for i in range(n):
                (source / f"a{i:06d}.txt").write_text(
                    f"The council approved budget {i}. It takes effect in May.\n"
                )
        sampler = Sampler(n)
        client = Client(backend=Endless([ANSWER]))
        start = rss_mb()
        items = read_items([source])
        read = rss_mb()
        report = asyncio.run(
            arun_batch(
                client,
                items,
                Path(tmp) / "o.jsonl",
                concurrency=8,
                progress=sampler,
                fsync=False,
            )
        )
    print(f"{n} items: {report.succeeded} ok, {report.failed} failed, {report.elapsed_s:.1f}s")
    for label, mb in sampler.samples:
        print(f"  RSS after {label:>4}: {mb:7.1f} MB")
    first, last = sampler.samples[0][1], sampler.samples[-1][1]
    print(
        f"growth from 10% to 100%: {last - first:+.1f} MB ({(last - first) / max(first, 1e-9) * 100:+.1f}%)"
    )
    print(f"items as read (before the first runs): {read - start:+.1f} MB")
    print(f"held over the start ({start:.1f} MB before the batch): {last - start:+.1f} MB")


def article(i: int, chars: int) -> str:
    """A text of about `chars` characters, its own for item `i` (two items share no text)."""
    sentence = f"The council approved budget {i} after a long debate. It takes effect in May. "
    return (sentence * (chars // len(sentence) + 1))[:chars].rstrip() + "\n"


if __name__ == "__main__":
    main()
