"""No input crashes the offline analysis: summaries and comparisons of damaged, reordered and odd text.

The inputs are built here from the seed articles and from short texts written for this file, changed
by seeded random edits (shuffled sentences, truncation at any character, odd punctuation, no line
breaks, mixed scripts). Every run must return a valid result whose spans hold; the dev stories are
run the same way by `bench/offline_all_stories.py`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from summarizer.analysis import analyse, find_framing
from summarizer.documents import document_from_text, segment
from summarizer.offline import compare_offline, summarize_offline
from summarizer.schemas import Document

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"

WRITTEN = (
    "Council backs budget plan\n\n"
    "The city council passed the reckless budget plan on Tuesday after a long debate. "
    "Mayor Jane O'Neil said: “We will not raise taxes,” and added that 1,200 jobs were safe. "
    "Critics, including Sen. J. R. Smith-Jones (D-N.Y.), called it “a disgrace” on 3 March 2024. "
    "“It is over,” he said. She said it was not. U.S. officials declined to comment… "
    "The DNC (Democratic National Convention) and Ft. Myers' officials met in St. Louis at 5 p.m.\n\n"
    "After a long debate on Tuesday, the council approved the plan"
)
SCRIPTS = [
    *("Москва заявила", "قال الرئيس", "北京 表示", "Αθήνα", "🙂🔥"),
    *("e\u0301cole", "\u200b", "שלום", "नमस्ते"),
]
PUNCT = [*"“”«»'\"…—–()[]:;?.,", "!!", "..."]


def seeds() -> list[str]:
    return [(ARTICLES / name).read_text(encoding="utf-8") for name in ("anadolu.txt", "mehr.txt")] + [WRITTEN]


def shuffled(text: str, rng: random.Random) -> str:
    sentences = [text[s.start : s.end] for s in segment(text, "A")]
    rng.shuffle(sentences)
    return " ".join(sentences)


def truncated(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(1, len(text))]


def odd_punctuation(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 40)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(PUNCT))
    return "".join(chars)


def one_line(text: str, rng: random.Random) -> str:
    return " ".join(text.split())


def mixed_scripts(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(max(1, len(words) // 15)):
        words.insert(rng.randrange(len(words) + 1), rng.choice(SCRIPTS))
    return " ".join(words)


def stripped_endings(text: str, rng: random.Random) -> str:
    """Sentences without their final punctuation (a window past a sentence's last word)."""
    return text.replace(". ", "\n\n").replace(".\n", "\n")


EDITS: dict[str, Callable[[str, random.Random], str]] = {
    "shuffled": shuffled,
    "truncated": truncated,
    "odd-punctuation": odd_punctuation,
    "one-line": one_line,
    "mixed-scripts": mixed_scripts,
    "stripped-endings": stripped_endings,
}


def edited(seed: int) -> list[str]:
    """Three texts, each a seed text under one to three random edits."""
    rng = random.Random(seed)
    out = []
    for text in rng.sample(seeds(), 3):
        for name in rng.sample(sorted(EDITS), rng.randint(1, 3)):
            text = EDITS[name](text, rng)
            text = text if text.strip() else "x"
        out.append(text)
    return out


def as_docs(texts: list[str]) -> list[Document]:
    return [
        document_from_text(t, source_id=chr(ord("A") + n), outlet=f"Outlet {n}", published="2024-03-05")
        for n, t in enumerate(texts)
    ]


def assert_spans_hold(value: object, docs: dict[str, Document]) -> None:
    if isinstance(value, dict):
        if {"source", "start", "end", "text"} <= set(value):
            assert docs[value["source"]].text[value["start"] : value["end"]] == value["text"]
        for v in value.values():
            assert_spans_hold(v, docs)
    elif isinstance(value, list):
        for v in value:
            assert_spans_hold(v, docs)


@pytest.mark.parametrize("seed", range(12))
def test_fuzzed_articles_never_crash_summary_or_comparison(seed: int) -> None:
    docs = as_docs(edited(seed))
    by_id = {d.id: d for d in docs}
    comparison = compare_offline(docs)
    assert_spans_hold(comparison.model_dump(mode="json"), by_id)
    for doc in docs:
        summary = summarize_offline(doc, "short")
        assert_spans_hold(summary.model_dump(mode="json"), by_id)


@pytest.mark.parametrize("name", sorted(EDITS))
def test_each_edit_alone_on_every_seed_never_crashes(name: str) -> None:
    rng = random.Random(name)
    texts = [EDITS[name](t, rng).strip() or "x" for t in seeds()]
    compare_offline(as_docs(texts))


@pytest.mark.parametrize(
    "text",
    [".", "“", "”“", "...", "\n\n.\n", "A", "Mr.", "“Yes,” he said", "U.S.", "1,000", "☃", "a\u0301" * 50],
)
def test_degenerate_texts_never_crash(text: str) -> None:
    docs = as_docs([text, WRITTEN])
    compare_offline(docs)
    summarize_offline(docs[0])


def test_a_shared_neighbour_that_ends_an_unpunctuated_sentence_gives_no_index_error() -> None:
    """story-39 crashed here: the word after a loaded term is the last word of the other sentence."""
    a = "The council passed the reckless budget plan on Tuesday after a long debate."
    b = "After a long debate on Tuesday, the council approved the plan"
    docs = [document_from_text(a, source_id="A"), document_from_text(b, source_id="B")]
    assert isinstance(find_framing(analyse(docs)), list)
