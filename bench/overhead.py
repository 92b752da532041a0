"""The tool's own overhead per item, with the model's answer ready at once (FakeBackend).

    python bench/overhead.py [--items 300] [--rounds 5]

Measures, for a 1,000-word article, the time per item of the whole path except the model: loading,
language detection and segmenting, rendering the prompt, the budget check, validation, support checks,
grounding, result building and one JSONL line written (no fsync, to measure the tool, not the disk),
with concurrency 1. Baseline in the same run: json.dumps of the same output lines.

The workload is a local news report in varied sentences with numbers, dates, names and a quote; the
answers restate those numbers and dates and quote exactly, as a good model's would, so every support
check runs. Every number differs between sentences and items, so memoised work is measured cold.
Each round uses its own articles; the median round is the figure (this VM's timings are noisy).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summarizer import Client
from summarizer.batch import arun_batch, iter_items
from summarizer.testing import FakeBackend

# Sentence templates in the register of a local news report. Every number is derived from the item and
# the sentence, so no two sentences of the run are alike: memoised extraction and support checks are
# measured cold, as on real, varied articles.
TEMPLATES = (
    "The city council of Riverton voted {a} to {b} on Tuesday to approve a new budget for road repairs "
    "in district {n}, Mayor Jane Holloway said at a press conference.",
    '"We have waited {b} years for this, and the work on district {n} cannot wait any longer," Holloway '
    "told reporters outside City Hall.",
    "Officials expect the work to begin on March {d}, 2027 and to last about eighteen months, according "
    "to a statement from the transport department.",
    "The plan sets aside ${n} million for resurfacing, up from ${m} million last year, and adds {b} new "
    "inspectors to the department.",
    "Opposition councillor Mark Delaney said the vote was rushed and that residents of district {n} had "
    "not been consulted before the meeting.",
    "Traffic on the main bridge, which carries about {n},000 vehicles a day, will be reduced to one lane "
    "while the repairs are under way.",
    "Local business owners said they were worried about losing customers, although the chamber of "
    "commerce welcomed the decision as overdue.",
    "The state government has promised to cover {p} percent of the cost if the city meets its deadlines "
    "for district {n} by June 2028.",
)


def _values(i: int, k: int) -> dict[str, int]:
    n = i * 97 + k + 100
    return {"n": n, "m": n - 7, "a": 5 + k % 4, "b": 2 + k % 3, "d": 1 + (i + k) % 28, "p": 40 + (i + k) % 50}


def article(i: int) -> str:
    """About 1,000 words: a title and 42 sentences in paragraphs of up to four."""
    sentences = [TEMPLATES[k % len(TEMPLATES)].format(**_values(i, k)) for k in range(42)]
    paragraphs = [" ".join(sentences[k : k + 4]) for k in range(0, 42, 4)]
    return f"Riverton approves road budget, item {i}\n\n" + "\n\n".join(paragraphs) + "\n"


def answer(i: int) -> dict[str, object]:
    """What a good model answers: key points restating the numbers and dates of their sentences, exact
    quotes, entities and dates, all citing ids (A1 is the title; sentence k of the body is A{k + 2})."""
    v = [_values(i, k) for k in range(40)]

    def point(text: str, k: int) -> dict[str, object]:
        return {"text": text, "sentence_ids": [f"A{k + 2}"]}

    def date(text: str, iso: str, event: str, k: int) -> dict[str, object]:
        return {"text": text, "iso": iso, "event": event, "sentence_ids": [f"A{k + 2}"]}

    def entity(name: str, kind: str, role: str, k: int) -> dict[str, object]:
        return {"name": name, "type": kind, "role": role, "sentence_ids": [f"A{k + 2}"]}

    quote = TEMPLATES[1].format(**v[9]).split('"')[1].rstrip(",")
    day = v[2]["d"]
    return {
        "headline": "Riverton council approves road repair budget",
        "summary": "Riverton's council approved a road repair budget; work starts in March 2027.",
        "key_points": [
            point(f"The council voted {v[0]['a']} to {v[0]['b']} to approve the road budget.", 0),
            point(f"The plan sets aside ${v[3]['n']} million for resurfacing.", 3),
            point(f"Work is expected to begin on March {day}, 2027.", 2),
            point(f"The bridge carries about {v[5]['n']},000 vehicles a day.", 5),
            point("Mark Delaney said the vote was rushed.", 4),
            point(f"The state will cover {v[7]['p']} percent of the cost.", 7),
        ],
        "quotes": [{"speaker": "Jane Holloway", "role": "Mayor", "text": quote, "sentence_ids": ["A11"]}],
        "entities": [
            entity("Jane Holloway", "person", "mayor", 0),
            entity("Mark Delaney", "person", "councillor", 4),
            entity("Riverton", "place", "city", 0),
        ],
        "dates": [
            date(f"March {day}, 2027", f"2027-03-{day:02d}", "work begins", 2),
            date("June 2028", "2028-06", "state deadline", 7),
        ],
        "caveats": [],
        "language": "en",
    }


def run_round(first: int, n: int, tmp: Path) -> tuple[float, float, int, int]:
    """`n` items (articles `first` … `first + n - 1`) through a batch: the time per item, the time per
    item of json.dumps of the same output lines, grounding items checked and ungrounded."""
    folder = tmp / f"in-{first}"
    folder.mkdir()
    for i in range(first, first + n):
        (folder / f"a{i:06d}.txt").write_text(article(i))
    warm = tmp / f"warm-up-{first}.txt"
    warm.write_text(article(first + n))
    answers = [json.dumps(answer(i)) for i in (first + n, *range(first, first + n))]  # replayed text
    backend = FakeBackend(answers)
    client = Client(backend=backend)
    client.summarize(warm)  # warm-up on another article: imports, templates, schema
    out = tmp / f"out-{first}.jsonl"
    started = time.perf_counter()
    report = asyncio.run(arun_batch(client, iter_items([folder]), out, concurrency=1, fsync=False))
    per_item = (time.perf_counter() - started) / n
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    started = time.perf_counter()
    for line in lines:
        json.dumps(line)
    floor = (time.perf_counter() - started) / n
    grounding = [line["result"]["grounding"] for line in lines if "result" in line]
    if report.failed or backend.remaining or len(grounding) != n:
        sys.exit("the workload did not run as intended: every item should succeed at the first answer")
    return per_item, floor, sum(g["items"] for g in grounding), sum(g["ungrounded"] for g in grounding)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=300, help="items per round")
    ap.add_argument("--rounds", type=int, default=5, help="rounds, each on its own articles")
    args = ap.parse_args()
    n = args.items
    per_item, floors, checked, ungrounded = [], [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            t, floor, items, bad = run_round(r * (n + 1), n, Path(tmp))
            per_item.append(t)
            floors.append(floor)
            checked, ungrounded = checked + items, ungrounded + bad
    words = len(article(0).split())
    print(f"{args.rounds} rounds of {n} items of {words} words")
    print(f"grounding: {checked} items checked in the results, {ungrounded} ungrounded")
    print("per item, by round: " + ", ".join(f"{t * 1000:.2f}" for t in per_item) + " ms")
    median, floor = statistics.median(per_item), statistics.median(floors)
    print(
        f"per item: median {median * 1000:.2f} ms, best {min(per_item) * 1000:.2f} ms (target < 5 ms); "
        f"json.dumps of the same lines: {floor * 1000:.2f} ms ({median / floor:.1f}x)"
    )
    if ungrounded:
        sys.exit("some items were not grounded: the workload's answers no longer match its articles")


if __name__ == "__main__":
    main()
