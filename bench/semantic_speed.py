"""What `compare --alignment semantic` costs beside the lexical default (issue 11).

    python bench/semantic_speed.py [DATA_DIR] [--repeats N]   # default: ../shared/data/dev beside the repo

Three articles of about 1,500 words each, built from the BASIL stories as in bench/offline_speed.py
(the three outlets' versions of the same stories, so statements align). Printed in CPU seconds (user +
system of this process; the machine is shared, wall time beside it):
- **model load**: `semantic("minilm")` once, in this process (reading the safetensors weights and
  the tokenizer), which a CLI run pays once and a long-running program once per process;
- **lexical** and **semantic** comparisons: the median of `--repeats` runs (3 by default), each cold
  (its own copy of the documents, and for semantic an empty embedding memo, so every sentence is
  embedded again, as in a CLI run), interleaved.
The issue's target: a 3 x 1,500-word comparison under 2 s with the fast path (lexical).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from summarizer.offline import compare_offline
from summarizer.text import semantic

sys.path.insert(0, str(Path(__file__).resolve().parent))
from offline_speed import articles, basil_bodies, cold, medians
from splits import DEV, require_dev


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEV)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    docs = articles(basil_bodies(require_dev(args.data)), 3)
    words = sum(len(d.text.split()) for d in docs)
    started, started_cpu = time.perf_counter(), time.process_time()
    model = semantic("minilm")
    load = (time.process_time() - started_cpu, time.perf_counter() - started)
    memo = getattr(model, "_cache", None)
    inputs = {m: cold(docs, args.repeats + 1) for m in ("lexical", "semantic")}

    def lexical(run: int) -> object:
        return compare_offline(inputs["lexical"][run])

    def semantic_run(run: int) -> object:
        if isinstance(memo, dict):
            memo.clear()  # every sentence embedded again, as in a fresh process
        return compare_offline(inputs["semantic"][run], meaning=model)

    (lex, sem), _ = medians([lexical, semantic_run], args.repeats)
    sentences = sum(len(d.sentences) for d in docs)
    print(f"3 articles, {words:,} words, {sentences} sentences; median of {args.repeats} cold runs")
    print(f"{'':34s} {'CPU s':>8s} {'wall s':>8s}")
    print(f"{'model load (once per process)':34s} {load[0]:8.2f} {load[1]:8.2f}")
    print(f"{'compare, lexical (default)':34s} {lex[0]:8.2f} {lex[1]:8.2f}")
    print(f"{'compare, semantic (minilm)':34s} {sem[0]:8.2f} {sem[1]:8.2f}")
    ratio, loaded = sem[0] / lex[0], (sem[0] + load[0]) / lex[0]
    print(f"semantic / lexical CPU: {ratio:.1f}x; with the model load: {loaded:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
