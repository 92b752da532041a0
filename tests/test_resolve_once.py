"""Resolve once: each answer of the model becomes its errors, its advice and its result in one pass (one
Grounder, each item checked once), and the result is the one that pass built."""

from __future__ import annotations

import collections
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import Client, document_from_text
from summarizer.documents import load_document
from summarizer.grounding import (
    Grounder,
    build_summary,
    check_summary,
    resolve_summary,
    support_summary,
)
from summarizer.prompts import length_limit
from summarizer.schemas import SummaryDraft
from summarizer.testing import FakeBackend
from tests.test_long import TEXT, Scripted

ROOT = Path(__file__).resolve().parent.parent
ANADOLU = ROOT / "fixtures" / "articles" / "anadolu.txt"
MEHR = ROOT / "fixtures" / "articles" / "mehr.txt"
AUTHORED = ROOT / "fixtures" / "authored"
CHECKS = ("support_checks", "speaker_checks", "date_checks")


def answer(name: str) -> dict[str, Any]:
    return dict(json.loads((AUTHORED / name).read_text(encoding="utf-8"))["answer"])


class Spy:
    """Counts the Grounders built and every support check asked of them, by its arguments."""

    def __init__(self) -> None:
        self.grounders = 0
        self.checks: collections.Counter[tuple[Any, ...]] = collections.Counter()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    found = Spy()
    init = Grounder.__init__

    def counting_init(self: Grounder, *args: Any, **kwargs: Any) -> None:
        found.grounders += 1
        init(self, *args, **kwargs)

    monkeypatch.setattr(Grounder, "__init__", counting_init)
    for name in CHECKS:
        method = getattr(Grounder, name)

        def counting(self: Grounder, *args: Any, _name: str = name, _method: Any = method) -> Any:
            found.checks[(_name, *(tuple(a) if isinstance(a, list) else a for a in args))] += 1
            return _method(self, *args)

        monkeypatch.setattr(Grounder, name, counting)
    yield found


def test_one_attempt_builds_one_grounder_and_checks_each_item_once(spy: Spy) -> None:
    """Before, an attempt built three Grounders (check, advise, build) and ran every support check
    twice (advice, then the result's grounding)."""
    summary = Client(backend=_backend(answer("summary-anadolu.json")), reasks=0).summarize(ANADOLU)
    assert summary.provenance.attempts == 1
    assert spy.grounders == 1
    kinds = collections.Counter(key[0] for key in spy.checks)
    assert kinds == {"support_checks": 7, "speaker_checks": 7, "date_checks": len(summary.dates)}
    assert max(spy.checks.values()) == 1


def test_each_attempt_of_a_comparison_is_one_pass(spy: Spy) -> None:
    """Two answers, the first refused for an unknown sentence id: two Grounders, one per attempt, and
    the accepted answer's result comes from its own pass (no third Grounder to build it)."""
    good = answer("comparison-anadolu-mehr.json")
    bad = json.loads(json.dumps(good))
    bad["claims"][0]["sources"][0]["sentence_ids"] = ["A99"]
    comparison = Client(backend=_backend(bad, good), reasks=1).compare([ANADOLU, MEHR])
    assert comparison.provenance.attempts == 2
    assert spy.grounders == 2
    assert all(w.evidence for v in comparison.quote_variants for w in v.wordings)
    counts = {n for key, n in spy.checks.items() if key[0] == "support_checks"}
    assert counts == {1, 2}  # once per attempt; the first claim's first source differs between them


def test_the_pass_gives_what_check_support_and_build_give() -> None:
    """The one pass agrees with the separate functions it replaced, on an answer with advice."""
    doc = load_document(ANADOLU, source_id="A")
    data = answer("summary-anadolu.json")
    data["key_points"][1]["sentence_ids"] = ["A4"]  # miscited: advice, and an ungrounded key point
    data["key_points"][2]["text"] += " It cost 40 million dollars."
    data["quotes"][0]["sentence_ids"] = ["A77"]  # unknown: a hard error
    draft = SummaryDraft.model_validate(data)
    limit = length_limit("medium")
    resolved = resolve_summary(draft, doc, "medium", max_words=limit)
    assert resolved.errors == check_summary(draft, doc) and resolved.errors
    assert resolved.advice == support_summary(draft, doc, max_words=limit) and resolved.advice
    built = build_summary(draft, doc, "medium")
    assert resolved.result.model_dump(exclude={"provenance"}) == built.model_dump(exclude={"provenance"})
    assert not resolved.result.key_points[1].grounding.grounded


def _backend(*answers: dict[str, Any]) -> FakeBackend:
    return FakeBackend(list(answers))


class _Wordy(Scripted):
    """Summaries whose paragraph runs past the medium length's word limit."""

    def _summarise(self, sentences: list[tuple[str, str]]) -> dict[str, Any]:
        return {**super()._summarise(sentences), "summary": "The council approved many items. " * 40}

    @staticmethod
    def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
        return {**Scripted._merge(parts), "summary": "The council approved many items. " * 40}


def test_a_long_article_is_one_pass_per_request_and_its_result_keeps_the_length_limit(spy: Spy) -> None:
    """The parts of a long article are not re-asked for their length, but the result holds its
    paragraph to the length asked for (as when it was built apart): from the final answer's own pass."""
    backend = _Wordy()
    doc = document_from_text(TEXT, outlet="Gazette")
    summary = Client(backend=backend, context_budget=6000).summarize(doc)
    assert summary.provenance.chunks >= 3
    assert summary.provenance.attempts == len(backend.requests) == spy.grounders
    assert "summary: length: 200 words, at most 130: shorten it" in summary.grounding.reasons
