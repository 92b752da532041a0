"""Long articles: map-reduce over chunks keeps original sentence ids, and no request exceeds the budget;
comparisons too long for one request run over digests of their sources, citing the full texts."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from typing import Any

import pytest

from summarizer import Client, document_from_text, longdoc
from summarizer.errors import ConfigError, RefusalError
from summarizer.llm.base import Completion, Message, OutputSpec
from summarizer.longdoc import Budget, chunk_document, compare_digested, restrict, shown_candidates
from summarizer.prompts import PromptSet, Rendered
from summarizer.schemas import ComparisonDraft, Document, SummaryDraft, Usage
from summarizer.testing import FakeBackend

N = 300
TEXT = " ".join(f"Sentence {i} says the council approved item {i}." for i in range(1, N + 1))
PART = re.compile(r'<part n="\d+">\n(.*?)\n</part>', re.S)
LINE = re.compile(r"^\[([A-Z]\d+)\] (.*)$", re.M)
ARTICLE = re.compile(r'<article id="([A-Z])"[^>]*>\n(.*?)</article>', re.S)
CANDIDATE = re.compile(r"^(C\d+)\. \[", re.M)
ITEM = re.compile(r"item (\d+)")
KEEP = 8


class Scripted:
    """Answers like a model would: summaries cite the sentences they were shown, merges keep ids."""

    name = "scripted"
    endpoint_host = None

    def __init__(self, model: str = "gpt-4o-mini", *, cite_all: bool = False) -> None:
        self.model = model
        self.cite_all = cite_all
        """Summaries cite every sentence they are shown (a digest then keeps them all)."""
        self.requests: list[list[Message]] = []
        self.answers: list[dict[str, Any]] = []

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        self.requests.append(messages)
        user = messages[-1]["content"]
        parts = PART.findall(user)
        if user.startswith("Compare these"):
            answer = self._compare(user)
        elif parts:
            answer = self._merge([json.loads(p) for p in parts])
        else:
            answer = self._summarise(LINE.findall(user))
        self.answers.append(answer)
        return Completion(content=json.dumps(answer), finish_reason="stop", usage=Usage(input_tokens=1))

    def _summarise(self, sentences: list[tuple[str, str]]) -> dict[str, Any]:
        # The library (a date conflict deep in the articles) is never deemed summary-worthy.
        sentences = [(sid, text) for sid, text in sentences if "library" not in text]
        every = sentences if self.cite_all else sentences[::10]
        points = [{"text": text, "sentence_ids": [sid]} for sid, text in every]
        sid, text = sentences[-1]
        quote = {"speaker": "Council", "role": None, "text": text[:-1], "sentence_ids": [sid]}
        return _draft(points, [quote])

    @staticmethod
    def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
        points = [p for part in parts for p in part["key_points"]]
        step = max(1, len(points) // KEEP)
        return _draft(points[::step][:KEEP], [q for part in parts for q in part["quotes"]][-2:])

    @staticmethod
    def _compare(user: str) -> dict[str, Any]:
        """Claims on the items the first source shows, each source citing the sentence it was shown
        about that item (or omitting it); one framing in verbatim wordings; every candidate confirmed."""
        shown = {src: LINE.findall(body) for src, body in ARTICLE.findall(user)}
        items = {
            src: {m.group(1): sid for sid, text in lines if (m := ITEM.search(text))}
            for src, lines in shown.items()
        }
        first = next(iter(shown))
        claims = []
        for n in items[first]:
            statuses = []
            for src in shown:
                sid = items[src].get(n)
                status = "reports" if sid else "omits"
                statuses.append({"source": src, "status": status, "sentence_ids": [sid] if sid else []})
            claims.append({"claim": f"The council approved item {n}.", "sources": statuses})
        choices = []
        for src, lines in shown.items():
            sid, text = next((sid, text) for sid, text in lines if ITEM.search(text))
            words = text[: ITEM.search(text).end()]  # type: ignore[union-attr]
            choices.append({"source": src, "wording": words, "sentence_ids": [sid]})
        reviews = [
            {"candidate_id": c, "verdict": "confirmed", "reason": "The articles bear it out."}
            for c in CANDIDATE.findall(user)
        ]
        return {
            "story": "A council approves items.",
            "overview": "The sources agree on the items.",
            "claims": claims,
            "conflicts": [],
            "quote_variants": [],
            "sourcing": [{"source": src, "cited": []} for src in shown],
            "framing": [{"aspect": "The decision", "choices": choices}],
            "candidate_reviews": reviews,
        }


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
    summary = Client(backend=backend, context_budget=4200).summarize(doc)
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


# -- comparisons over digests ------------------------------------------------------------------------


def _story(sentence: str, lead: str, middle: str, n: int = N) -> str:
    body = [sentence.format(i=i) for i in range(1, n + 1)]
    return " ".join([lead, *body[: n // 2], middle, *body[n // 2 :]])


A_TEXT = _story(
    "Sentence {i} says the council approved item {i}.",
    "The new bridge cost 12 million euros, the council said on Monday.",
    "The library will open on 3 May 2024, the council said.",
)
B_TEXT = _story(
    "The council backed item {i}, officials said.",
    "The new bridge cost 15 million euros, the council said on Monday.",
    "The library will open on 9 June 2024, the council said.",
)


def _pair() -> list[Document]:
    return [
        document_from_text(A_TEXT, outlet="Gazette"),
        document_from_text(B_TEXT, source_id="B", outlet="Herald"),
    ]


def _is_comparison(messages: list[Message]) -> bool:
    return str(messages[-1]["content"]).startswith("Compare these")


def _shown(messages: list[Message]) -> dict[str, list[str]]:
    """The sentence ids each source shows in a comparison request."""
    user = str(messages[-1]["content"])
    return {src: [sid for sid, _ in LINE.findall(body)] for src, body in ARTICLE.findall(user)}


def _assert_within(requests: list[list[Message]], window: int) -> None:
    limit = Budget(window, "gpt-4o-mini")
    for messages in requests:
        draft = ComparisonDraft if _is_comparison(messages) else SummaryDraft
        assert limit.prompt_tokens(Rendered(messages, []), draft) <= limit.prompt_limit


def test_long_comparison_runs_over_digests_and_cites_the_full_texts() -> None:
    backend = Scripted()
    docs = _pair()
    comparison = Client(backend=backend, context_budget=6000).compare(docs)

    # Digests first (map-reduce: each source is too long for one request), the comparison last.
    *digests, last = backend.requests
    assert _is_comparison(last) and not any(_is_comparison(m) for m in digests)
    assert any("<part n=" in str(m[-1]["content"]) for m in digests)
    assert comparison.provenance.digested == 2
    assert comparison.provenance.attempts == len(backend.requests)
    assert comparison.provenance.usage.input_tokens == len(backend.requests)
    names = {t.name for t in comparison.provenance.templates}
    assert {"comparison/user.j2", "summary/user.j2", "summary_reduce/user.j2"} <= names
    _assert_within(backend.requests, 6000)

    # The comparison shows each source's lead and the sentences its final summary cites, ids unchanged.
    shown = _shown(last)
    user = str(last[-1]["content"])
    summaries = [a for a in backend.answers if "key_points" in a]
    for doc in docs:
        final = next(a for a in reversed(summaries) if a["key_points"][0]["sentence_ids"][0][0] == doc.id)
        cited = {i for item in final["key_points"] + final["quotes"] for i in item["sentence_ids"]}
        digest = cited | {f"{doc.id}1", f"{doc.id}2"}
        assert shown[doc.id] == [s.id for s in doc.sentences if s.id in digest]
        assert 5 < len(shown[doc.id]) < len(doc.sentences) // 5
        assert max(int(sid[1:]) for sid in shown[doc.id]) > N // 2
        for s in doc.sentences:
            assert (f"[{s.id}] {doc.text[s.start : s.end]}\n" in user) == (s.id in digest)

    # Citations land on the right spans of the full texts.
    by_id = {d.id: d for d in docs}
    sentence = {s.id: s for d in docs for s in d.sentences}
    cited_ids: list[str] = []
    for claim in comparison.claims:
        number = ITEM.search(claim.claim).group(1)  # type: ignore[union-attr]
        for status in claim.sources:
            for span in status.evidence:
                (sid,) = span.sentence_ids
                assert span.text == by_id[span.source].text[span.start : span.end]
                assert (span.start, span.end) == (sentence[sid].start, sentence[sid].end)
                assert ITEM.search(span.text).group(1) == number  # type: ignore[union-attr]
                cited_ids.append(sid)
    assert {sid[0] for sid in cited_ids} == {"A", "B"} and len(cited_ids) >= 8
    assert max(int(sid[1:]) for sid in cited_ids if sid[0] == "B") > N // 2
    (framing,) = comparison.framing
    for choice in framing.choices:
        (span,) = choice.evidence
        assert span.text == choice.wording == by_id[span.source].text[span.start : span.end]
        assert choice.grounding.grounded
    assert comparison.grounding.ungrounded == 0

    # Candidates are found on the full texts; only those whose evidence is shown are listed and reviewed.
    assert "12 million euros" in user and "3 May 2024" not in user
    listed = CANDIDATE.findall(user)
    assert listed and [r.candidate_id for r in comparison.candidate_reviews] == listed


def test_only_the_longest_sources_are_digested() -> None:
    long = " ".join(f"Sentence {i} says the council approved item {i}." for i in range(1, 201))
    short = " ".join(f"The council backed item {i}, officials said." for i in range(1, 21))
    docs = [
        document_from_text(short, outlet="Herald"),
        document_from_text(long, source_id="B", outlet="Gazette"),
    ]
    point = {"text": "Sentence 150 says the council approved item 150.", "sentence_ids": ["B150"]}
    quote = {
        "speaker": "Council",
        "role": None,
        "text": "the council approved item 170",
        "sentence_ids": ["B170"],
    }
    claim = {
        "claim": "The council approved item 150.",
        "sources": [
            {"source": "A", "status": "omits", "sentence_ids": []},
            {"source": "B", "status": "reports", "sentence_ids": ["B150"]},
        ],
    }
    choices = [
        {"source": "A", "wording": "The council backed item 17", "sentence_ids": ["A17"]},
        {"source": "B", "wording": "the council approved item 170", "sentence_ids": ["B170"]},
    ]
    answer = {
        "story": "A council approves items.",
        "overview": "Both report approvals.",
        "claims": [claim],
        "conflicts": [],
        "quote_variants": [],
        "sourcing": [{"source": "A", "cited": []}, {"source": "B", "cited": []}],
        "framing": [{"aspect": "The decision", "choices": choices}],
        "candidate_reviews": [],
    }
    backend = FakeBackend([_draft([point], [quote]), answer], model="gpt-4o-mini")
    comparison = Client(backend=backend, context_budget=8000).compare(docs)

    summary, last = (r.messages for r in backend.requests)
    assert "Summarise this article. Length: short." in str(summary[-1]["content"])
    assert "[B200] " in str(summary[-1]["content"]) and "[A1] " not in str(summary[-1]["content"])
    assert _shown(last) == {"A": [s.id for s in docs[0].sentences], "B": ["B1", "B2", "B150", "B170"]}
    prompt = str(last[-1]["content"])
    assert '<article id="B" outlet="Gazette" excerpt="true">' in prompt  # the model is told B is partial
    assert '<article id="A" outlet="Herald">' in prompt and "never `omits`" in prompt
    assert comparison.provenance.digested == 1 and comparison.provenance.attempts == 2
    from summarizer.render import render

    assert "digested first" in render(comparison, "markdown")  # readers learn it was compared over excerpts
    _assert_within([summary, last], 8000)
    (status,) = [s for s in comparison.claims[0].sources if s.status == "reports"]
    assert status.evidence[0].text == "Sentence 150 says the council approved item 150."
    for choice in comparison.framing[0].choices:
        (span,) = choice.evidence
        assert span.text == choice.wording == docs[ord(span.source) - 65].text[span.start : span.end]


def test_a_comparison_that_fits_is_one_request() -> None:
    backend = Scripted()
    docs = [document_from_text(A_TEXT[:1500]), document_from_text(B_TEXT[:1500], source_id="B")]
    comparison = Client(backend=backend).compare(docs)
    assert len(backend.requests) == 1 and comparison.provenance.digested == 0


def test_no_room_even_for_digests_fails_before_any_call() -> None:
    backend = Scripted()
    docs = [document_from_text(A_TEXT[:1500]), document_from_text(B_TEXT[:1500], source_id="B")]
    with pytest.raises(ConfigError, match=r"comparison of 2 sources .*--context-budget"):
        Client(backend=backend, context_budget=4000).compare(docs)
    assert backend.requests == []


def test_digests_that_do_not_fit_together_fail_clearly() -> None:
    backend = Scripted(cite_all=True)
    texts = [" ".join(f"Report {k} says the council approved item {i}." for i in range(60)) for k in range(3)]
    docs = [document_from_text(t, source_id=sid) for t, sid in zip(texts, "ABC")]
    with pytest.raises(ConfigError, match=r"comparison of 3 sources .*digests.*--context-budget"):
        Client(backend=backend, context_budget=6000).compare(docs)
    assert len(backend.requests) == 3 and not any(_is_comparison(m) for m in backend.requests)
    _assert_within(backend.requests, 6000)


def test_shown_candidates_need_all_their_evidence_in_view() -> None:
    doc = document_from_text(TEXT[:2000])
    view = restrict(doc, {"A5"}, lead=2)
    assert [s.id for s in view.sentences] == ["A1", "A2", "A5"] and view.text == doc.text
    candidates: list[dict[str, Any]] = [
        {"id": f"C{n}", "confidence": conf, "values": [{"source": "A", "sentence_ids": ids}]}
        for n, (conf, ids) in enumerate([("0.50", ["A1"]), ("0.90", ["A5", "A6"]), ("0.70", ["A2", "A5"])], 1)
    ]
    assert [c["id"] for c in shown_candidates(candidates, [view])] == ["C1", "C3"]
    assert [c["id"] for c in shown_candidates(candidates, [view], limit=1)] == ["C3"]


# -- digests run concurrently --------------------------------------------------------------------------

C_TEXT = _story(
    "Report {i}: the council passed item {i}.",
    "The new bridge cost 12 million euros, the mayor said on Monday.",
    "The library will open on 3 May 2024, the mayor said.",
)


def _trio() -> list[Document]:
    return [*_pair(), document_from_text(C_TEXT, source_id="C", outlet="Courier")]


def _source_of(messages: list[Message]) -> str:
    """The source a summary or merge request is about (the article tag names it)."""
    found = re.search(r'<article id="([A-Z])"', str(messages[-1]["content"]))
    assert found is not None
    return found.group(1)


class Slow(Scripted):
    """Answers after a pause, counting the requests in flight; `blocked` sources wait (5 s) until
    cancelled, `refused` ones are refused (the structured call raises the refusal, as a real one's)."""

    def __init__(
        self, *, blocked: str = "", refused: str = "", cite_all: str = "", together: int = 1
    ) -> None:
        super().__init__()
        self.blocked, self.refused, self.cite_all_of = blocked, refused, cite_all
        self.together = together
        """Requests answer only once this many have been in flight at once (or after 2 s): the test
        sees the overlap however slowly the machine runs, never a race against a short sleep."""
        self._met = asyncio.Event()
        self.in_flight = self.max_in_flight = self.cancelled = 0
        self.started: list[str] = []
        """The source of each summary request, in the order they were sent."""

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        source = "" if _is_comparison(messages) else _source_of(messages)
        self.started.append(source)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if source and source in self.blocked:
                await asyncio.sleep(5)  # only a cancellation cuts this short in a passing test
            if self.in_flight >= self.together:
                self._met.set()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._met.wait(), timeout=2)
            await asyncio.sleep(0.002)
        except asyncio.CancelledError:
            await asyncio.sleep(0.01)  # a real client closes its connection before it lets go
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1
        if source and source in self.refused:
            return Completion(content=None, refusal="I cannot help with that.", finish_reason="stop")
        self.cite_all = bool(source) and source in self.cite_all_of  # read before any other request runs
        return await super().complete(messages, output, temperature=temperature)


@pytest.fixture
def sequential_map(monkeypatch: pytest.MonkeyPatch) -> None:
    """The digest tests count requests in flight per digest: each digest's own chunks one at a time."""
    monkeypatch.setattr(longdoc, "MAP_CONCURRENCY", 1)


def _digest_requests(backend: Scripted) -> list[str]:
    return sorted(json.dumps(m) for m in backend.requests if not _is_comparison(m))


@pytest.mark.parametrize("concurrency", [4, 2])
@pytest.mark.usefixtures("sequential_map")
def test_digests_run_concurrently_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch, concurrency: int
) -> None:
    docs = _trio()
    monkeypatch.setattr(longdoc, "DIGEST_CONCURRENCY", 1)
    one = Slow()
    alone = Client(backend=one, context_budget=8000).compare(docs)
    monkeypatch.setattr(longdoc, "DIGEST_CONCURRENCY", concurrency)
    many = Slow(together=min(concurrency, 3))
    together = Client(backend=many, context_budget=8000).compare(docs)

    assert alone.provenance.digested == together.provenance.digested == 3
    assert one.max_in_flight == 1  # each digest is a map-reduce of several requests, one at a time
    assert many.max_in_flight == min(concurrency, 3)  # the three digests at once, within the bound
    digests = [source for source in many.started if source]
    assert digests != sorted(digests)  # their requests interleave

    # The same requests, the same comparison request, the same answer, provenance and citations.
    assert _digest_requests(many) == _digest_requests(one)
    assert many.requests[-1] == one.requests[-1] and _is_comparison(many.requests[-1])
    assert together.model_dump(exclude={"provenance"}) == alone.model_dump(exclude={"provenance"})
    timing = {"wall_time_s", "created_at"}
    assert together.provenance.model_dump(exclude=timing) == alone.provenance.model_dump(exclude=timing)
    assert together.provenance.attempts == len(many.requests)
    _assert_within(many.requests, 8000)


@pytest.mark.usefixtures("sequential_map")
def test_a_digest_waits_for_the_citations_it_depends_on() -> None:
    """Whether the second source needs a digest depends on what the first one's digest cites: with A's
    lead only, B would fit whole, so B is digested only after A's digest turns out to keep all of A."""
    a = " ".join(f"Sentence {i} says the council approved item {i}." for i in range(1, 61))
    b = " ".join(f"The council backed item {i}, officials said." for i in range(1, 51))
    docs = [document_from_text(a, outlet="Gazette"), document_from_text(b, source_id="B", outlet="Herald")]
    backend = Slow(cite_all="A")
    comparison = Client(backend=backend, context_budget=6000).compare(docs)
    assert backend.started == ["A", "B", ""] and backend.max_in_flight == 1
    assert comparison.provenance.digested == 2
    shown = _shown(backend.requests[-1])
    assert shown["A"] == [s.id for s in docs[0].sentences] and len(shown["B"]) < len(docs[1].sentences)

    lean = Slow()  # A's digest cites a tenth of A: B then fits whole and is not digested
    assert Client(backend=lean, context_budget=6000).compare(docs).provenance.digested == 1
    assert lean.started == ["A", ""]


@pytest.mark.usefixtures("sequential_map")
async def test_a_failing_digest_cancels_the_others_and_raises_its_error() -> None:
    backend = Slow(blocked="A", refused="B")
    client = Client(backend=backend, context_budget=8000)
    with pytest.raises(RefusalError, match="refused"):
        await client.acompare(_trio())
    assert asyncio.all_tasks() == {asyncio.current_task()}  # A's digest was cancelled and awaited
    assert backend.in_flight == 0 and backend.cancelled >= 1
    assert "A" in backend.started and not any(_is_comparison(m) for m in backend.requests)


@pytest.mark.usefixtures("sequential_map")
async def test_no_digest_starts_after_one_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    """One at a time, as before: the first digest (the longest source) fails and no other starts."""
    monkeypatch.setattr(longdoc, "DIGEST_CONCURRENCY", 1)
    backend = Slow(refused="A")
    with pytest.raises(RefusalError):
        await Client(backend=backend, context_budget=8000).acompare(_trio())
    assert backend.started == ["A"] and backend.cancelled == 0
    assert asyncio.all_tasks() == {asyncio.current_task()}


@pytest.mark.usefixtures("sequential_map")
async def test_cancelling_the_comparison_cancels_and_awaits_its_digests() -> None:
    backend = Slow(blocked="ABC")
    comparing = asyncio.create_task(Client(backend=backend, context_budget=8000).acompare(_trio()))
    for _ in range(10_000):  # until the three digests' first requests are in flight
        if backend.in_flight == 3:
            break
        await asyncio.sleep(0)
    assert backend.in_flight == 3
    comparing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await comparing
    assert backend.cancelled == 3 and backend.in_flight == 0
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_digest_concurrency_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="concurrency must be 1 or more"):
        await compare_digested(_pair(), {}, [], PromptSet(), _never, _never, Budget(6000), concurrency=0)


async def _never(*_: Any) -> Any:
    raise AssertionError("no call is made")


@pytest.mark.parametrize(("concurrency", "budget"), [(4, 6000), (2, 6000), (4, 4500)])
def test_chunk_summaries_run_concurrently_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch, concurrency: int, budget: int
) -> None:
    """The map step asks for the chunks' summaries at once (within the bound), and so does each level
    of a recursive reduce (budget 4500); the requests, the result and its citations are those of a
    one-at-a-time run."""
    doc = document_from_text(TEXT, outlet="Gazette")
    monkeypatch.setattr(longdoc, "MAP_CONCURRENCY", 1)
    one = Slow()
    alone = Client(backend=one, context_budget=budget).summarize(doc)
    monkeypatch.setattr(longdoc, "MAP_CONCURRENCY", concurrency)
    chunks = alone.provenance.chunks
    many = Slow(together=min(concurrency, chunks))
    together = Client(backend=many, context_budget=budget).summarize(doc)
    assert chunks >= 3 and together.provenance.chunks == chunks
    assert one.max_in_flight == 1 and many.max_in_flight == min(concurrency, chunks)
    assert sorted(map(json.dumps, many.requests)) == sorted(map(json.dumps, one.requests))
    assert together.model_dump(exclude={"provenance"}) == alone.model_dump(exclude={"provenance"})
    timing = {"wall_time_s", "created_at"}
    assert together.provenance.model_dump(exclude=timing) == alone.provenance.model_dump(exclude=timing)
