"""Near-linear analysis up to the 5 MB input limit, with and without line breaks (issue 13, item 3).

    python bench/long_input_speed.py [DATA_DIR] [--max-mb 5]

An article with no line breaks (one paragraph, as pasted text or a bad HTML extraction gives) used to
take 38 s at 200 KB: title-case detection re-read the whole line once per sentence. This bench
builds texts of 0.25, 0.5, 1, 2 and 5 MB from the BASIL articles of the dev set (read in place;
the seed articles of `fixtures/articles` when the dev data is absent), repeated as needed to reach
the size, once with its paragraph breaks and once with every line break replaced by a space, and
times `summarize_offline` (the whole per-document analysis: names, quotes, dates, citations, ranking)
on each. It prints CPU seconds, the local exponent between sizes and the exponent from the smallest
to the largest size; exit 1 when that exponent is above 1.15 (near-linear).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

from summarizer.documents import document_from_text
from summarizer.offline import summarize_offline

sys.path.insert(0, str(Path(__file__).resolve().parent))
from offline_speed import basil_bodies
from splits import DEV

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
SIZES_MB = (0.25, 0.5, 1.0, 2.0, 5.0)
LIMIT = 1.15


def source_text(data: Path) -> str:
    if data.is_dir():
        return "\n\n".join(body for story in basil_bodies(data) for body in story)
    print(f"(no dev data at {data}: using the seed articles of fixtures/articles)")
    return "\n\n".join((FIXTURES / n).read_text(encoding="utf-8") for n in ("anadolu.txt", "mehr.txt"))


def sized(base: str, mb: float) -> str:
    size = int(mb * 1_000_000)
    text = base
    while len(text) < size:
        text += "\n\n" + base
    cut = text.rfind(" ", 0, size)
    return text[: cut if cut > 0 else size]


def cpu_seconds(text: str) -> float:
    doc = document_from_text(text, outlet="long")
    started = time.process_time()
    summarize_offline(doc)
    return time.process_time() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", nargs="?", type=Path, default=DEV)
    parser.add_argument("--max-mb", type=float, default=5.0)
    args = parser.parse_args(argv)
    base = source_text(args.data)
    sizes = [mb for mb in SIZES_MB if mb <= args.max_mb]
    worst = 0.0
    for layout in ("paragraphs", "one line"):
        seconds = []
        for mb in sizes:
            text = sized(base, mb)
            if layout == "one line":
                text = " ".join(text.split("\n"))
            seconds.append(cpu_seconds(text))
            k = len(seconds) - 1
            local = f"   local exponent {_exp(sizes[k - 1], mb, seconds[k - 1], seconds[k]):.2f}" if k else ""
            print(f"{layout:10s} {mb:5.2f} MB  {seconds[-1]:7.2f} s CPU{local}", flush=True)
        exponent = _exp(sizes[0], sizes[-1], seconds[0], seconds[-1])
        worst = max(worst, exponent)
        print(f"{layout:10s} growth exponent {sizes[0]}->{sizes[-1]} MB: {exponent:.2f} (limit {LIMIT})")
    return 0 if worst <= LIMIT else 1


def _exp(a: float, b: float, ta: float, tb: float) -> float:
    return math.log(tb / ta) / math.log(b / a)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
