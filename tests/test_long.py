"""Long articles: map-reduce over chunks keeps original sentence ids, and no request exceeds the budget."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from summarizer import Client, document_from_text
from summarizer.errors import ConfigError
from summarizer.llm.base import Completion, Message, OutputSpec
from summarizer.longdoc import Budget, chunk_document
from summarizer.prompts import Rendered
from summarizer.schemas import Usage

N = 300
TEXT = " ".join(f"Sentence {i} says the council approved item {i}." for i in range(1, N + 1))
PART = re.compile(r'<part n="\d+">\n(.*?)\n</part>', re.S)
LINE = re.compile(r"^\[(A\d+)\] (.*)$", re.M)
KEEP = 8


class Scripted:
    """Answers like a model would: summaries cite the sentences they were shown, merges keep ids."""

    name = "scripted"
    endpoint_host = None

    def __init__(self, model: str = "gpt-4o-mini") -> None:
        self.model = model
        self.requests: list[list[Message]] = []

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        self.requests.append(messages)
        user = messages[-1]["content"]
        parts = PART.findall(user)
        answer = self._merge([json.loads(p) for p in parts]) if parts else self._summarise(LINE.findall(user))
        return Completion(content=json.dumps(answer), finish_reason="stop", usage=Usage(input_tokens=1))

    @staticmethod
    def _summarise(sentences: list[tuple[str, str]]) -> dict[str, Any]:
        points = [{"text": text, "sentence_ids": [sid]} for sid, text in sentences[::10]]
        sid, text = sentences[-1]
        quote = {"speaker": "Council", "role": None, "text": text[:-1], "sentence_ids": [sid]}
        return _draft(points, [quote])

    @staticmethod
    def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
        points = [p for part in parts for p in part["key_points"]]
        step = max(1, len(points) // KEEP)
        return _draft(points[::step][:KEEP], [q for part in parts for q in part["quotes"]][-2:])


def _draft(points: list[dict[str, Any]], quotes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "headline": "Council approves items",
        "summary": "The council approved many items.",
        "key_points": points,
        "quotes": quotes,
        "entities": [],
        "dates": [],
        "caveats": [],
        "language": "en",
    }


@pytest.mark.parametrize("budget", [6000, 4500])
def test_long_article_citations_land_on_the_right_spans(budget: int) -> None:
    backend = Scripted()
    doc = document_from_text(TEXT, outlet="Gazette")
    assert len(doc.sentences) == N
    summary = Client(backend=backend, context_budget=budget).summarize(doc)
    assert summary.provenance.chunks >= 3
    assert len(backend.requests) > summary.provenance.chunks  # map calls, then at least one merge
    for point in summary.key_points:
        (span,) = point.evidence
        number = int(span.sentence_ids[0][1:])
        assert span.text == f"Sentence {number} says the council approved item {number}."
        assert span.text == TEXT[span.start : span.end] == point.text
        assert point.grounding.grounded
    assert summary.quotes and all(q.grounding.grounded for q in summary.quotes)
    assert max(int(p.evidence[0].sentence_ids[0][1:]) for p in summary.key_points) > N // 2
    limit = Budget(budget, "gpt-4o-mini")
    for messages in backend.requests:
        assert limit.prompt_tokens(Rendered(messages, [])) <= limit.prompt_limit


def test_reduce_recurses_when_parts_do_not_fit_together() -> None:
    backend = Scripted()
    doc = document_from_text(TEXT, outlet="Gazette")
    summary = Client(backend=backend, context_budget=4500).summarize(doc)
    merges = [m for m in backend.requests if "<part n=" in m[-1]["content"]]
    chunks = summary.provenance.chunks
    assert len(merges) >= 2, (chunks, len(merges))
    assert summary.provenance.attempts == len(backend.requests)


def test_short_article_is_one_call() -> None:
    backend = Scripted()
    summary = Client(backend=backend).summarize(document_from_text(TEXT[:2000], outlet="Gazette"))
    assert summary.provenance.chunks == 1 and len(backend.requests) == 1


def test_chunks_keep_whole_sentences_and_ids() -> None:
    doc = document_from_text(TEXT, outlet="Gazette")
    chunks = chunk_document(doc, 500, Budget(2000, None))
    assert len(chunks) > 3
    assert [s.id for c in chunks for s in c.sentences] == [s.id for s in doc.sentences]
    assert all(c.text == doc.text for c in chunks)
    with pytest.raises(ConfigError, match="--context-budget"):
        chunk_document(doc, 5000, Budget(2000, None))
