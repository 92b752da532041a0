"""Long articles: map-reduce over chunks of whole sentences that keep their original ids.

An article whose prompt would not fit the model's context budget is cut into chunks of whole
sentences. Each chunk is the same document with only some of its sentences, so the model sees and
cites the original ids (A17 stays A17) and every citation still resolves to the right span of the
full text. The partial summaries are then merged by the `summary_reduce` prompt; when they do not
fit one prompt either, consecutive parts are merged in groups first, recursively, so no request
ever exceeds the budget. Every merge is validated against the full document.

A comparison whose prompt would not fit is run over digests (`compare_digested`): the longest sources
are summarised first (map-reduce when one alone is too long), and each digested source is shown as
the same document restricted to its lead and the sentences its summary cites, with their original
ids (B17 stays B17). The comparison is validated and grounded against the full documents. Digests
run concurrently (at most `DIGEST_CONCURRENCY` at a time), in waves that digest exactly the sources
the one-at-a-time loop would: see `_compare_digested`.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

from summarizer.errors import ConfigError
from summarizer.llm.structured import StructuredResult, strict_json_schema
from summarizer.llm.tokens import OUTPUT_RESERVE, context_window, count_message_tokens, count_tokens
from summarizer.prompts import LENGTH_GUIDES, PromptSet, Rendered, article_view
from summarizer.schemas import ComparisonDraft, Document, Sentence, SummaryDraft, TemplateRecord, Usage

T = TypeVar("T", bound=BaseModel)

Call = Callable[[Rendered, Document], Awaitable[StructuredResult[SummaryDraft]]]
"""The pipeline's structured call: a rendered prompt and the document to validate the answer against."""

CompareCall = Callable[[Rendered], Awaitable[StructuredResult[ComparisonDraft]]]
"""The pipeline's comparison call, validated and grounded against the full documents."""

MAX_LEVELS = 8

LEAD_SENTENCES = 2
"""Opening sentences a digest keeps besides those its summary cites (the lede), when they fit."""

CANDIDATE_LIMIT = 40
"""Candidate findings shown with digests at most (as `candidates.candidate_view` shows at most)."""

_IN_PARTS: ContextVar[bool] = ContextVar("summarizer_longdoc_in_parts", default=False)


def in_parts() -> bool:
    """True inside a map-reduce or a digested comparison: the call being made is one of several for
    one item (a provider batch job, which sends one request per item, needs to know)."""
    return _IN_PARTS.get()


@dataclass(frozen=True)
class Budget:
    """How many tokens one request may hold: the context window less the answer's reserve."""

    window: int | None
    """None: unknown, so every prompt fits (no budget enforced)."""
    model: str | None = None

    @classmethod
    def for_model(cls, model: str | None, override: int | None = None) -> Budget:
        return cls(context_window(model, override), model)

    @property
    def reserve(self) -> int:
        """Tokens kept free for the answer (the answer's allowance stays within them)."""
        return OUTPUT_RESERVE if self.window is None else min(OUTPUT_RESERVE, self.window // 4)

    @property
    def prompt_limit(self) -> int:
        if self.window is None:
            return 1 << 62
        return self.window - self.reserve

    def prompt_tokens(self, rendered: Rendered, draft: type[BaseModel] = SummaryDraft) -> int:
        """The messages and the answer schema (`draft`), which the request carries too."""
        return count_message_tokens(rendered.messages, self.model) + _schema_tokens(self.model, draft)

    def fits(self, rendered: Rendered, draft: type[BaseModel] = SummaryDraft) -> bool:
        return self.window is None or self.prompt_tokens(rendered, draft) <= self.prompt_limit


@cache
def _schema_tokens(model: str | None, draft: type[BaseModel]) -> int:
    return count_tokens(json.dumps(strict_json_schema(draft)), model)


@dataclass(frozen=True)
class LongResult:
    result: StructuredResult[SummaryDraft]
    """The final merge, with attempts, usage and cache status summed over every call."""
    templates: list[TemplateRecord]
    chunks: int


def chunk_document(doc: Document, fixed_tokens: int, budget: Budget) -> list[Document]:
    """Consecutive runs of whole sentences, each fitting the budget beside `fixed_tokens` of prompt."""
    room = budget.prompt_limit - fixed_tokens
    if room <= 0:
        raise ConfigError(
            f"the context budget ({budget.window} tokens) leaves no room for the article beside the "
            "instructions and schema; raise --context-budget, and for a local server start it with a "
            "larger context (llama.cpp: --n_ctx or -c; Ollama: num_ctx)"
        )
    chunks: list[list[Sentence]] = [[]]
    used = 0
    for whole in doc.sentences:
        for s in split_sentence(doc, whole, room, budget.model):
            cost = _line_tokens(doc, s, budget.model)
            if chunks[-1] and used + cost > room:
                chunks.append([])
                used = 0
            chunks[-1].append(s)
            used += cost
    return [doc.model_copy(update={"sentences": part}) for part in chunks if part]


def _line_tokens(doc: Document, s: Sentence, model: str | None) -> int:
    return count_tokens(f"[{s.id}] {doc.text[s.start : s.end]}\n", model)


def split_sentence(doc: Document, s: Sentence, room: int, model: str | None) -> list[Sentence]:
    """`s` itself when it fits `room`, else consecutive parts of it (cut after whitespace, or inside a
    word longer than the room) that each fit, all keeping the sentence's id: the model cites the id,
    which resolves against the whole sentence of the full text. Parts are measured word by word (a
    sum of word counts, which does not under-count), so a sentence of any length is cut in one pass."""
    if _line_tokens(doc, s, model) <= room:
        return [s]
    target = max(1, room - count_tokens(f"[{s.id}] \n", model))
    text = doc.text[s.start : s.end]
    parts: list[tuple[int, int]] = []
    start = used = 0
    for word in re.finditer(r"\S+\s*", text):
        cost = count_tokens(word.group(), model)
        if used and used + cost > target:
            parts.append((start, word.start()))
            start, used = word.start(), 0
        if cost > target:  # one word longer than the room: cut it by characters
            size = max(1, target // 2)
            parts += [(a, min(a + size, word.end())) for a in range(word.start(), word.end(), size)]
            start, used = word.end(), 0
            continue
        used += cost
    if start < len(text):
        parts.append((start, len(text)))
    return [Sentence(id=s.id, start=s.start + a, end=s.start + b) for a, b in parts if b > a]


async def summarize_long(
    doc: Document, variables: Mapping[str, Any], prompts: PromptSet, call: Call, budget: Budget
) -> LongResult:
    """Map each chunk to a partial summary, then reduce (recursively) to one, within `budget`."""
    token = _IN_PARTS.set(True)
    try:
        return await _map_reduce(doc, variables, prompts, call, budget)
    finally:
        _IN_PARTS.reset(token)


async def _map_reduce(
    doc: Document, variables: Mapping[str, Any], prompts: PromptSet, call: Call, budget: Budget
) -> LongResult:
    empty = prompts.render(
        "summary", {**variables, "doc": article_view(doc.model_copy(update={"sentences": []}))}
    )
    chunks = chunk_document(doc, budget.prompt_tokens(empty), budget)
    templates: list[TemplateRecord] = []

    def job(chunk: Document) -> Callable[[], Awaitable[StructuredResult[SummaryDraft]]]:
        rendered = prompts.render("summary", {**variables, "doc": article_view(chunk)})
        templates.extend(rendered.templates)
        return lambda: call(rendered, chunk)

    # The chunks are independent: their summaries are asked for concurrently, in order of the text.
    results = await _all_or_none([job(chunk) for chunk in chunks], MAP_CONCURRENCY)
    parts = [r.value for r in results]

    def merge(group: list[SummaryDraft]) -> Callable[[], Awaitable[StructuredResult[SummaryDraft]]]:
        rendered = _reduce_prompt(group, doc, variables, prompts)
        templates.extend(rendered.templates)
        return lambda: call(rendered, doc)

    for _level in range(MAX_LEVELS):
        groups = _groups(parts, doc, variables, prompts, budget)
        if len(groups) == 1:
            rendered = _reduce_prompt(groups[0], doc, variables, prompts)
            templates += rendered.templates
            final = await call(rendered, doc)
            return LongResult(_combined(results, final), _dedupe(templates), len(chunks))
        if all(len(g) == 1 for g in groups):
            break
        # The groups of one level are independent: they are merged concurrently, in order.
        jobs = {i: merge(group) for i, group in enumerate(groups) if len(group) > 1}
        done = dict(zip(jobs, await _all_or_none(list(jobs.values()), MAP_CONCURRENCY)))
        results += done.values()
        parts = [done[i].value if i in done else group[0] for i, group in enumerate(groups)]
    raise ConfigError(
        f"the partial summaries do not fit the context budget ({budget.window} tokens) even two at a "
        "time; raise --context-budget or use a model with a larger context window"
    )


@dataclass(frozen=True)
class DigestedComparison:
    result: StructuredResult[ComparisonDraft]
    """The comparison, with attempts, usage and cache status summed over the digest calls too."""
    templates: list[TemplateRecord]
    candidates: list[dict[str, Any]]
    """The candidate findings shown to the model: those whose evidence lies in the sentences shown."""
    digested: int
    """How many sources were digested (the others were shown in full)."""


DIGEST_LENGTH = "short"
"""Length asked of a digest's summary: only the sentences it cites are kept, so its prose can be short."""

MAP_CONCURRENCY = 4
"""Chunk summaries of one long article in flight at most (see `DIGEST_CONCURRENCY` for why a bound)."""

DIGEST_CONCURRENCY = 4
"""Digests of one comparison in flight at most. Each may be a map-reduce of several requests, and a
batch already runs several comparisons at once; a pacing limiter spaces request starts but does not
cap how many are open, so without one (local servers, or no --rpm/--tpm) ten sources at once would
queue on a server that serves a few at a time, or meet 429s and their backoff. Four keeps the usual
2 to 5 sources fully concurrent."""


async def compare_digested(
    docs: Sequence[Document],
    variables: Mapping[str, Any],
    candidates: Sequence[dict[str, Any]],
    prompts: PromptSet,
    summarize: Call,
    compare: CompareCall,
    budget: Budget,
    *,
    concurrency: int | None = None,
) -> DigestedComparison:
    """Digest the longest sources until the comparison prompt fits `budget`, then compare.

    A digested source is summarised (map-reduce when it alone is too long) and shown as the same
    document restricted to its lead and the sentences its summary cites, with their original ids; the
    comparison call (`compare`) validates and grounds against the full documents. `variables` are the
    comparison prompt's (`documents` and `candidates` are replaced); `candidates` are the candidate
    views of the full documents' analysis, in id order: those whose evidence lies wholly in the
    sentences shown are listed, the most confident first, at most `CANDIDATE_LIMIT`. At most
    `concurrency` digests (default `DIGEST_CONCURRENCY`) are in flight at once.
    """
    limit = DIGEST_CONCURRENCY if concurrency is None else concurrency
    if limit < 1:
        raise ConfigError(f"digest concurrency must be 1 or more, not {limit}")
    token = _IN_PARTS.set(True)
    try:
        return await _compare_digested(
            docs, variables, candidates, prompts, summarize, compare, budget, limit
        )
    finally:
        _IN_PARTS.reset(token)


async def _compare_digested(
    docs: Sequence[Document],
    variables: Mapping[str, Any],
    candidates: Sequence[dict[str, Any]],
    prompts: PromptSet,
    summarize: Call,
    compare: CompareCall,
    budget: Budget,
    concurrency: int,
) -> DigestedComparison:
    """Digest in waves, then compare. The sources to digest are those a one-at-a-time loop picks:
    longest first, each only while the prompt with the digests so far still does not fit. That choice
    depends on what earlier digests cite, so it cannot be made up front; a wave instead takes the next
    source (the prompt does not fit now) and then each following one for which `surely_over` proves
    the prompt cannot fit whatever the wave's digests cite. The wave's digests run concurrently, and
    the next wave is chosen with their real citations, so exactly the same sources are digested."""

    def render(
        views: Sequence[Document],
        shown: list[dict[str, Any]] | None = None,
        excerpts: Sequence[bool] | None = None,
    ) -> tuple[Rendered, list[dict[str, Any]]]:
        shown = shown_candidates(candidates, views) if shown is None else shown
        if excerpts is None:
            excerpts = [len(v.sentences) < len(d.sentences) for v, d in zip(views, docs)]
        documents = [article_view(v, excerpt=e) for v, e in zip(views, excerpts)]
        return prompts.render("comparison", {**variables, "documents": documents, "candidates": shown}), shown

    def fits(
        views: Sequence[Document],
        shown: list[dict[str, Any]] | None = None,
        excerpts: Sequence[bool] | None = None,
    ) -> bool:
        return budget.fits(render(views, shown, excerpts)[0], ComparisonDraft)

    def surely_over(views: Sequence[Document], wave: Sequence[int]) -> bool:
        """True when the prompt cannot fit whatever the digests of `wave` cite. It is rendered with
        the least those digests can show: the wave's sources cut to their lead and not marked as
        excerpts, and only the candidates listed under any outcome (visible with the leads, and among
        the `CANDIDATE_LIMIT` best of those visible were the wave's sources shown whole). The real
        prompt only adds lines, attributes and candidates to it, and token counts do not shrink as
        text is added (the estimate's by construction, tiktoken's in practice for whole lines), so when
        this does not fit the real one does not either."""
        least, most = list(views), list(views)
        for i in wave:
            least[i], most[i] = restrict(docs[i], set(), LEAD_SENTENCES), docs[i]
        best = {id(c) for c in shown_candidates(candidates, most)}
        sure = [c for c in shown_candidates(candidates, least) if id(c) in best]
        excerpts = [
            i not in wave and len(v.sentences) < len(d.sentences) for i, (v, d) in enumerate(zip(least, docs))
        ]
        return not fits(least, sure, excerpts)

    if not fits([restrict(d, set(), 0) for d in docs]):  # no room even for digests: spend no call
        raise ConfigError(_no_room(len(docs), budget, "even with no article text"))
    cited: dict[int, set[str]] = {}
    results: list[StructuredResult[SummaryDraft]] = []
    templates: list[TemplateRecord] = []
    views = list(docs)
    order = sorted(range(len(docs)), key=lambda i: -count_tokens(docs[i].text, budget.model))
    while order and not fits(views):
        wave = [order.pop(0)]
        while order and surely_over(views, wave):
            wave.append(order.pop(0))
        digests = await _digest_all(
            [docs[i] for i in wave], variables, prompts, summarize, budget, concurrency
        )
        for i, (ids, result, used) in zip(wave, digests):
            cited[i] = ids
            results.append(result)
            templates += used
            views[i] = restrict(docs[i], ids, LEAD_SENTENCES)
    for lead in (LEAD_SENTENCES, 0):  # without the leads as a last resort
        views = [restrict(d, cited[i], lead) if i in cited else d for i, d in enumerate(docs)]
        rendered, shown = render(views)
        if budget.fits(rendered, ComparisonDraft):
            final = await compare(rendered)
            used = _dedupe([*rendered.templates, *templates])
            return DigestedComparison(_combined(results, final), used, shown, len(cited))
    raise ConfigError(
        _no_room(len(docs), budget, "even over digests of each source (the sentences its summary cites)")
    )


def _no_room(sources: int, budget: Budget, why: str) -> str:
    return (
        f"the comparison of {sources} sources does not fit the context budget ({budget.window} tokens) "
        f"{why}; raise --context-budget, use a model with a larger context window, or compare fewer "
        "sources at a time"
    )


Digest = tuple[set[str], StructuredResult[SummaryDraft], list[TemplateRecord]]
"""A digested source: the ids its summary cites, the (summed) summary result, the templates used."""


async def _digest_all(
    docs: Sequence[Document],
    variables: Mapping[str, Any],
    prompts: PromptSet,
    call: Call,
    budget: Budget,
    concurrency: int,
) -> list[Digest]:
    """Digest `docs` concurrently, at most `concurrency` at a time; the digests in the order of `docs`.
    Every call goes through `call` as before (the client's structured call, and its pacing)."""

    def job(doc: Document) -> Callable[[], Awaitable[Digest]]:
        return lambda: _digest(doc, variables, prompts, call, budget)

    return await _all_or_none([job(d) for d in docs], concurrency)


R = TypeVar("R")


async def _all_or_none(jobs: Sequence[Callable[[], Awaitable[R]]], concurrency: int) -> list[R]:
    """Run `jobs` concurrently, at most `concurrency` at a time; their results in the order of `jobs`.

    The first failure cancels the jobs in flight, and none starts after it (a one-at-a-time loop starts
    nothing after a failure); it is raised once every job has finished, so no task outlives this call
    and no exception goes unretrieved. A cancellation of the caller cancels and awaits them the same way.
    "First" is first in time: when two jobs fail, a one-at-a-time loop would have raised the earlier
    job's error, this raises whichever failed first (the same kind of error either way).
    """
    gate = asyncio.Semaphore(concurrency)
    failures: list[Exception] = []

    async def one(job: Callable[[], Awaitable[R]]) -> R:
        async with gate:
            if failures:  # another job failed: start no request
                raise asyncio.CancelledError
            try:
                return await job()
            except Exception as exc:
                failures.append(exc)
                raise

    tasks = [asyncio.create_task(one(job)) for job in jobs]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:  # each is cancelled once at most: a second cancel would cut its cleanup short
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if failures:
        raise failures[0]
    return [task.result() for task in tasks]


async def _digest(
    doc: Document, variables: Mapping[str, Any], prompts: PromptSet, call: Call, budget: Budget
) -> Digest:
    """Summarise one source (in parts when it alone is too long); the ids its summary cites."""
    summary = {
        "length": DIGEST_LENGTH,
        "length_guide": LENGTH_GUIDES[DIGEST_LENGTH],
        "report_language": variables.get("report_language"),
    }
    rendered = prompts.render("summary", {**summary, "doc": article_view(doc)})
    if budget.fits(rendered):
        result, templates = await call(rendered, doc), rendered.templates
    else:
        long = await _map_reduce(doc, summary, prompts, call, budget)
        result, templates = long.result, long.templates
    return cited_ids(result.value), result, templates


def cited_ids(draft: SummaryDraft) -> set[str]:
    """Every sentence id a summary cites: key points, quotes, dates, entities, caveats."""
    groups: list[Sequence[Any]] = [draft.key_points, draft.quotes, draft.dates, draft.entities, draft.caveats]
    return {sid for items in groups for item in items for sid in item.sentence_ids}


def restrict(doc: Document, ids: set[str], lead: int = 0) -> Document:
    """The same document showing only its first `lead` sentences and those in `ids`, ids unchanged."""
    kept = [s for n, s in enumerate(doc.sentences) if n < lead or s.id in ids]
    return doc.model_copy(update={"sentences": kept})


def shown_candidates(
    candidates: Sequence[dict[str, Any]], views: Sequence[Document], limit: int = CANDIDATE_LIMIT
) -> list[dict[str, Any]]:
    """The candidates whose evidence lies wholly in the sentences of `views`: the `limit` most
    confident, in their given order (the model can judge only what it is shown)."""
    visible = {s.id for v in views for s in v.sentences}
    fit = [c for c in candidates if all(set(v["sentence_ids"]) <= visible for v in c["values"])]
    best = {id(c) for c in sorted(fit, key=lambda c: -float(c["confidence"]))[:limit]}
    return [c for c in fit if id(c) in best]


def _reduce_prompt(
    parts: Sequence[SummaryDraft], doc: Document, variables: Mapping[str, Any], prompts: PromptSet
) -> Rendered:
    view = article_view(doc.model_copy(update={"sentences": []}))
    texts = [p.model_dump_json(exclude_none=False) for p in parts]
    return prompts.render("summary_reduce", {**variables, "doc": view, "parts": texts})


def _groups(
    parts: list[SummaryDraft], doc: Document, variables: Mapping[str, Any], prompts: PromptSet, budget: Budget
) -> list[list[SummaryDraft]]:
    """Consecutive parts packed greedily into groups whose merge prompt fits the budget."""
    groups: list[list[SummaryDraft]] = [[]]
    for part in parts:
        trial = [*groups[-1], part]
        if groups[-1] and not budget.fits(_reduce_prompt(trial, doc, variables, prompts)):
            groups.append([part])
        else:
            groups[-1] = trial
    return groups


def _combined(earlier: Sequence[StructuredResult[Any]], last: StructuredResult[T]) -> StructuredResult[T]:
    """`last`'s answer, with attempts, usage and cache status summed over `earlier` calls too."""
    results = [*earlier, last]
    usage = Usage()
    for r in results:
        usage = usage + r.usage
    caches = {r.cache for r in results}
    cache = "hit" if caches == {"hit"} else "miss" if caches & {"hit", "miss"} else last.cache
    origins = {r.fixture_origin for r in results}
    return StructuredResult(
        value=last.value,
        attempts=sum(r.attempts for r in results),
        reasks=sum(r.reasks for r in results),
        usage=usage,
        raw=last.raw,
        fixture_origin=last.fixture_origin if len(origins) == 1 else None,
        cache=cache,
        mode=last.mode,
    )


def _dedupe(records: list[TemplateRecord]) -> list[TemplateRecord]:
    seen: dict[str, TemplateRecord] = {}
    for r in records:
        seen.setdefault(r.name, r)
    return list(seen.values())
