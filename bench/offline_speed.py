"""How the offline engine's time grows with input, on real dev articles (distinct text, never repeated).

    python bench/offline_speed.py [DATA_DIR] [--repeats N]   # default: ../shared/data/dev beside the repo

The BASIL articles of the dev set (about 150k words of full news text) are read in place:
- **summarize**: one document of 1k, 5k, 20k and 80k words, made of whole articles back to back;
- **compare**: 2, 5, 10 and 20 articles of about 1,500 words each. Article k is built from source
  `k mod 3` of a block of stories, so articles 0-2 hold the three outlets' versions of the same stories
  (statements align, quotes and names recur) and the next three another block; no text is repeated.
Each point is the median of `--repeats` runs (5 by default), in the engine, in one process:
documents are built before the clock starts, each run has its own copy of them (see `cold`), and
the runs are interleaved (one run of every size per round, after one untimed warm-up round), so a
change in the machine's load during the bench falls on all sizes alike instead of on whichever size
ran then. Exponents and targets use CPU time
(the machine is shared by several jobs, so wall time mostly measures the neighbours); wall time is
printed beside it. The compare exponent counts articles, as the issue states it; the articles
vary in length (whole stories are appended until each reaches ARTICLE_WORDS), so the words of each
size are printed too, with the exponent over words. The growth exponent is
log(t_last / t_first) / log(size_last / size_first); the local exponent between neighbouring points
shows where growth bends. Peak memory is measured (tracemalloc) in a separate, untimed run of the
largest point.

Targets (issue 16): summarize exponent <= 1.1 from 1k to 80k words; compare exponent <= 1.2 from 2 to
20 articles; 20 articles in under 3 s. Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from summarizer.documents import document_from_text
from summarizer.offline import compare_offline, summarize_offline
from summarizer.schemas import Document

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splits import DEV, require_dev, stories

SUMMARY_WORDS = (1_000, 5_000, 20_000, 80_000)
COMPARE_ARTICLES = (2, 5, 10, 20)
ARTICLE_WORDS = 1_500
TARGETS = {"summarize": 1.1, "compare": 1.2}
COMPARE_20_S = 3.0


def basil_bodies(data: Path) -> list[list[str]]:
    """Per BASIL story, its articles' bodies (headline line dropped), in source order."""
    out = []
    for folder in stories(data):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if "bias_spans" not in meta.get("gold", {}):
            continue
        bodies = []
        for _, info in sorted(meta["sources"].items()):
            text = (folder / info["file"]).read_text(encoding="utf-8")
            bodies.append(text.split("\n", 1)[-1].strip())
        out.append(bodies)
    return out


def long_text(bodies: list[list[str]], words: int) -> str:
    parts, count = [], 0
    for story in bodies:
        for body in story:
            parts.append(body)
            count += len(body.split())
            if count >= words:
                return "Long document\n\n" + "\n\n".join(parts)
    raise SystemExit(f"bench: only {count} words of BASIL text, {words} asked")


def articles(bodies: list[list[str]], count: int) -> list[Document]:
    """`count` articles of about ARTICLE_WORDS words; each triple shares its stories."""
    texts: list[list[str]] = [[] for _ in range(count)]
    story = 0
    for first in range(0, count, 3):
        group = range(first, min(first + 3, count))
        while min(sum(len(p.split()) for p in texts[k]) for k in group) < ARTICLE_WORDS:
            if story >= len(bodies):
                raise SystemExit("bench: not enough BASIL text for the compare sizes")
            for k in group:
                texts[k].append(bodies[story][k % 3 % len(bodies[story])])
            story += 1
    return [
        document_from_text(
            f"Article {k}\n\n" + "\n\n".join(parts),
            source_id=chr(ord("A") + k),
            outlet=f"Outlet {k}",
            published="2016-06-01",
        )
        for k, parts in enumerate(texts)
    ]


def medians(
    fns: Sequence[Callable[[int], object]], repeats: int
) -> tuple[list[tuple[float, float]], list[list[float]]]:
    """Per function, the median (CPU seconds, wall seconds) of `repeats` runs, interleaved: each
    round runs every function once, after one untimed round (first imports, compiled patterns).
    Run r calls `fn(r)`, which must use its own copy of the input (see `cold`). Also each function's
    CPU seconds per round."""
    for fn in fns:
        fn(0)
    cpu: list[list[float]] = [[] for _ in fns]
    wall: list[list[float]] = [[] for _ in fns]
    for r in range(1, repeats + 1):
        for k, fn in enumerate(fns):
            started, started_cpu = time.perf_counter(), time.process_time()
            fn(r)
            cpu[k].append(time.process_time() - started_cpu)
            wall[k].append(time.perf_counter() - started)
    return [(statistics.median(c), statistics.median(w)) for c, w in zip(cpu, wall)], cpu


def cold(docs: list[Document], runs: int) -> list[list[Document]]:
    """`runs` copies of `docs` differing only in `origin`: `summarizer.text.index` remembers each
    document's index and analysis (names, quotes) by content, so a run on the very documents of the
    run before would skip that work; every timed run starts cold, as a CLI run does."""
    return [[d.model_copy(update={"origin": f"bench run {r}"}) for d in docs] for r in range(runs)]


def _summarize(inputs: list[list[Document]], run: int) -> object:
    return summarize_offline(inputs[run][0])


def _compare(inputs: list[list[Document]], run: int) -> object:
    return compare_offline(inputs[run])


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def growth(
    name: str,
    sizes: tuple[int, ...],
    measured: tuple[list[tuple[float, float]], list[list[float]]],
    unit: str,
) -> float:
    """Prints each size's medians and the growth exponent of the medians, with the range of the
    exponents of single rounds (in a round, every size runs within seconds of the others)."""
    times, rounds = measured
    seconds = [cpu for cpu, _ in times]
    for k, (size, (cpu, wall)) in enumerate(zip(sizes, times)):
        local = "" if k == 0 else f"   local exponent {_exp(sizes[k - 1], size, seconds[k - 1], cpu):.2f}"
        print(f"{name:9s} {size:>7,} {unit:8s} {cpu:7.3f} s CPU ({wall:7.3f} s wall){local}")
    exponent = _exp(sizes[0], sizes[-1], seconds[0], seconds[-1])
    span = f"{sizes[0]:,}->{sizes[-1]:,} {unit}"
    single = [_exp(sizes[0], sizes[-1], a, b) for a, b in zip(rounds[0], rounds[-1])]
    spread = f"single rounds {min(single):.2f}-{max(single):.2f}"
    print(f"{name:9s} growth exponent {span}: {exponent:.2f} ({spread}; target <= {TARGETS[name]})")
    return exponent


def _exp(a: int, b: int, ta: float, tb: float) -> float:
    return math.log(tb / ta) / math.log(b / a)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEV, help="the dev data folder (story-*/)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per size (median); default 5")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, not {args.repeats}")
    data = require_dev(args.data)
    bodies = basil_bodies(data)
    docs = [document_from_text(long_text(bodies, w), outlet="long") for w in SUMMARY_WORDS]
    runs = args.repeats + 1
    summary_in = [cold([d], runs) for d in docs]
    summary_s = medians([functools.partial(_summarize, d) for d in summary_in], args.repeats)
    summary_exp = growth("summarize", SUMMARY_WORDS, summary_s, "words")
    peak = peak_mb(lambda: summarize_offline(docs[-1]))
    print(f"summarize peak memory at {SUMMARY_WORDS[-1]:,} words: {peak:.0f} MB")
    sets = [articles(bodies, n) for n in COMPARE_ARTICLES]
    compare_in = [cold(s, runs) for s in sets]
    compare_s = medians([functools.partial(_compare, s) for s in compare_in], args.repeats)
    compare_exp = growth("compare", COMPARE_ARTICLES, compare_s, "articles")
    words = [sum(len(d.text.split()) for d in s) for s in sets]
    by_words = _exp(words[0], words[-1], compare_s[0][0][0], compare_s[0][-1][0])
    sizes = ", ".join(f"{w:,}" for w in words)
    print(f"compare   words per size: {sizes}; growth exponent over words {by_words:.2f}")
    peak = peak_mb(lambda: compare_offline(sets[-1]))
    print(f"compare   peak memory at {COMPARE_ARTICLES[-1]} articles: {peak:.0f} MB")
    cpu, wall = compare_s[0][-1]
    n = COMPARE_ARTICLES[-1]
    print(f"compare   {n} articles: {cpu:.2f} s CPU, {wall:.2f} s wall (target < {COMPARE_20_S} s)")
    ok = summary_exp <= TARGETS["summarize"] and compare_exp <= TARGETS["compare"]
    return 0 if ok and cpu < COMPARE_20_S else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
