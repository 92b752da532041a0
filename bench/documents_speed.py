"""Sentence segmentation and extraction speed, and how it grows with length.

    python bench/documents_speed.py

Prints seconds for 1x, 2x and 4x a 1.5 MB text built from the seed articles, as ratios
against the 1x run in the same process (linear growth gives about 2 and 4).
"""

from __future__ import annotations

import time
from pathlib import Path

from summarizer.analysis.dates import find_dates
from summarizer.analysis.numbers import find_numbers
from summarizer.documents import segment

ROOT = Path(__file__).resolve().parent.parent


def timed(fn: object, text: str) -> float:
    started = time.perf_counter()
    fn(text)  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    articles = ROOT / "fixtures" / "articles"
    seeds = [(articles / n).read_text(encoding="utf-8") for n in ("anadolu.txt", "mehr.txt")]
    base = "\n\n".join(seeds * 300)
    print(f"1x = {len(base):,} characters, {len(segment(base, 'A')):,} sentences")
    steps = (("segment", lambda t: segment(t, "A")), ("numbers", find_numbers), ("dates", find_dates))
    for name, fn in steps:
        one = timed(fn, base)
        ratios = [timed(fn, "\n\n".join([base] * k)) / one for k in (2, 4)]
        print(f"{name:8s} 1x {one:6.3f} s   2x {ratios[0]:4.2f}x   4x {ratios[1]:4.2f}x")


if __name__ == "__main__":
    main()
