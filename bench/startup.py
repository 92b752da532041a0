"""Start-up: `summarizer --help` must be quick and must not import the openai SDK.

    python bench/startup.py [--runs 10]

Prints the median wall time of `summarizer --help` in a fresh interpreter, against a bare
`python -c pass` baseline in the same run, and whether `openai` was imported.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

PROBE = (
    "import sys; from summarizer.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
    "print('openai' in sys.modules, file=sys.stderr)"
)


def timed(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stderr.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    runs = ap.parse_args().runs
    base = statistics.median(timed([sys.executable, "-c", "pass"])[0] for _ in range(runs))
    results = [timed([sys.executable, "-c", PROBE]) for _ in range(runs)]
    helped = statistics.median(t for t, _ in results)
    imported = any(flag == "True" for _, flag in results)
    print(f"python -c pass      {base * 1000:7.1f} ms (baseline)")
    print(f"summarizer --help   {helped * 1000:7.1f} ms  ({helped / base:.1f}x baseline; target < 300 ms)")
    print(f"openai imported: {imported} (target: False)")


if __name__ == "__main__":
    main()
