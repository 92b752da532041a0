"""Grounding speed: a synthetic 20,000-word article, 100 cited quotes and 200 key points.

    python bench/grounding_speed.py

Times `build_summary` (span resolution, quote alignment, support checks: numbers, dates, names,
negation) at 1×, 2× and 4× the article length with the same items, and prints the ratios: linear
growth gives about 2 and 4. Target: under 1 second at 1×.
"""

from __future__ import annotations

import random
import time

from summarizer.documents import document_from_text
from summarizer.grounding import build_summary
from summarizer.schemas import DraftKeyPoint, DraftQuote, SummaryDraft

VOCABULARY = (
    "the minister said talks with the delegation would resume after officials reviewed the proposal "
    "and the council weighed sanctions while markets watched prices and analysts expected growth"
)
WORDS = VOCABULARY.split(" ")
NAMES = ["Mahmoud Vaezi", "Sergei Lavrov", "Mike Pompeo", "Hassan Rouhani", "Angela Merkel"]


def article(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    sentences, count = [], 0
    while count < words:
        body = " ".join(rng.choice(WORDS) for _ in range(18))
        name = rng.choice(NAMES)
        n = rng.randint(2, 900)
        sentence = f"{name} said on June {rng.randint(1, 28)} that {n} people {body}, “not {body[:40]}”."
        sentences.append(sentence[0].upper() + sentence[1:])
        count += len(sentence.split())
    return " ".join(sentences)


def draft_for(text: str, n_quotes: int = 100, n_points: int = 200) -> tuple[SummaryDraft, object]:
    doc = document_from_text(text, outlet="bench", published="2020-09-07")
    sentences = doc.sentences
    step_q, step_k = max(1, len(sentences) // n_quotes), max(1, len(sentences) // n_points)
    quotes = []
    for s in sentences[::step_q][:n_quotes]:
        sentence = doc.text[s.start : s.end]
        inner = sentence[sentence.index("“") + 1 : sentence.index("”")]
        quotes.append(DraftQuote(speaker="x", role=None, text=inner, sentence_ids=[s.id]))
    points = [
        DraftKeyPoint(text=doc.text[s.start : s.end][:160], sentence_ids=[s.id])
        for s in sentences[::step_k][:n_points]
    ]
    draft = SummaryDraft(
        headline="h",
        summary="s",
        key_points=points,
        quotes=quotes,
        entities=[],
        dates=[],
        caveats=[],
        language="en",
    )
    return draft, doc


def timed(words: int, seed: int) -> float:
    # A text of its own per run: the memoised extraction must not be measured warm.
    draft, doc = draft_for(article(words, seed))
    started = time.perf_counter()
    summary = build_summary(draft, doc, "medium")  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    assert len(summary.quotes) == 100 and len(summary.key_points) == 200
    return elapsed


def main() -> int:
    timed(20_000, seed=1)  # warm-up: imports, regex compilation
    base = timed(20_000, seed=7)
    double, quadruple = timed(40_000, seed=8), timed(80_000, seed=9)
    print(f"20,000 words, 100 quotes, 200 key points: {base:.3f} s (target < 1 s)")
    print(
        f"40,000 words: {double:.3f} s (ratio {double / base:.2f}); 80,000 words: {quadruple:.3f} s "
        f"(ratio {quadruple / base:.2f}); linear growth gives 2 and 4"
    )
    return 0 if base < 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
