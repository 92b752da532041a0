"""Speed of the offline engine on synthetic articles built from the seed articles' sentences.

    python bench/offline_speed.py [--summaries N]

Each synthetic article has about 1,500 words: seed sentences drawn in a seeded random order, with
names and numbers varied so articles differ. Targets (issue 4): an offline comparison of 10 such
articles under 2 s, offline summaries of 1,000 under 60 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from summarizer.documents import document_from_text, segment
from summarizer.offline import compare_offline, summarize_offline
from summarizer.schemas import Document

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
WORDS = 1500


def seed_sentences() -> list[str]:
    out = []
    for name in ("anadolu.txt", "mehr.txt"):
        text = (ARTICLES / name).read_text(encoding="utf-8")
        out += [text[s.start : s.end] for s in segment(text, "A")]
    return out


def synthetic(n: int, rng: random.Random, pool: list[str]) -> str:
    words, paragraphs = 0, []
    while words < WORDS:
        sentence = rng.choice(pool).replace("2018", str(2000 + rng.randint(0, 24)))
        sentence = sentence.replace("Vaezi", rng.choice(["Vaezi", "Vaezy", "Vaezi"]))
        paragraphs.append(sentence)
        words += len(sentence.split())
    return f"Synthetic article {n}\n\n" + "\n\n".join(paragraphs)


def documents(count: int, rng: random.Random) -> list[Document]:
    pool = seed_sentences()
    return [
        document_from_text(synthetic(n, rng, pool), source_id=_sid(n), outlet=f"Outlet {n}")
        for n in range(count)
    ]


def _sid(n: int) -> str:
    return chr(ord("A") + n) if n < 26 else "A"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--summaries", type=int, default=1000)
    args = parser.parse_args(argv)
    rng = random.Random(4)
    docs = documents(10, rng)
    started = time.perf_counter()
    comparison = compare_offline(docs)
    compare_s = time.perf_counter() - started
    words = sum(len(d.text.split()) for d in docs)
    print(
        f"compare: 10 articles, {words} words, {len(comparison.claims)} claims: "
        f"{compare_s:.2f} s (target < 2 s)"
    )
    texts = [d.text for d in documents(args.summaries, rng)]
    started = time.perf_counter()
    for text in texts:
        summarize_offline(document_from_text(text, outlet="x"), "medium")
    summaries_s = time.perf_counter() - started
    print(
        f"summaries: {args.summaries} articles of ~{WORDS} words (loading included): {summaries_s:.1f} s "
        f"(target < 60 s for 1,000)"
    )
    ok = compare_s < 2 and summaries_s * 1000 / args.summaries < 60
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
