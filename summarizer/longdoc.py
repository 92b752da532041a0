"""Long articles: map-reduce over chunks of whole sentences that keep their original ids.

An article whose prompt would not fit the model's context budget is cut into chunks of whole
sentences. Each chunk is the same document with only some of its sentences, so the model sees and
cites the original ids (A17 stays A17) and every citation still resolves to the right span of the
full text. The partial summaries are then merged by the `summary_reduce` prompt; when they do not
fit one prompt either, consecutive parts are merged in groups first, recursively, so no request
ever exceeds the budget. Every merge is validated against the full document.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from summarizer.errors import ConfigError
from summarizer.llm.structured import StructuredResult, strict_json_schema
from summarizer.llm.tokens import OUTPUT_RESERVE, context_window, count_message_tokens, count_tokens
from summarizer.prompts import PromptSet, Rendered, article_view
from summarizer.schemas import Document, Sentence, SummaryDraft, TemplateRecord, Usage

Call = Callable[[Rendered, Document], Awaitable[StructuredResult[SummaryDraft]]]
"""The pipeline's structured call: a rendered prompt and the document to validate the answer against."""

MAX_LEVELS = 8

_IN_PARTS: ContextVar[bool] = ContextVar("summarizer_longdoc_in_parts", default=False)


def in_parts() -> bool:
    """True inside a map-reduce: the call being made is one of several for one article (a provider
    batch job, which sends one request per item, needs to know)."""
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
    def prompt_limit(self) -> int:
        if self.window is None:
            return 1 << 62
        return self.window - min(OUTPUT_RESERVE, self.window // 4)

    def prompt_tokens(self, rendered: Rendered) -> int:
        return count_message_tokens(rendered.messages, self.model) + _schema_tokens(self.model)

    def fits(self, rendered: Rendered) -> bool:
        return self.window is None or self.prompt_tokens(rendered) <= self.prompt_limit


@cache
def _schema_tokens(model: str | None) -> int:
    return count_tokens(json.dumps(strict_json_schema(SummaryDraft)), model)


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
            "instructions and schema; raise --context-budget"
        )
    chunks: list[list[Sentence]] = [[]]
    used = 0
    for s in doc.sentences:
        cost = count_tokens(f"[{s.id}] {doc.text[s.start : s.end]}\n", budget.model)
        if chunks[-1] and used + cost > room:
            chunks.append([])
            used = 0
        chunks[-1].append(s)
        used += cost
    return [doc.model_copy(update={"sentences": part}) for part in chunks if part]


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
    results: list[StructuredResult[SummaryDraft]] = []
    templates: list[TemplateRecord] = []
    for chunk in chunks:
        rendered = prompts.render("summary", {**variables, "doc": article_view(chunk)})
        templates += rendered.templates
        results.append(await call(rendered, chunk))
    parts = [r.value for r in results]
    for _level in range(MAX_LEVELS):
        groups = _groups(parts, doc, variables, prompts, budget)
        if len(groups) == 1:
            rendered = _reduce_prompt(groups[0], doc, variables, prompts)
            templates += rendered.templates
            final = await call(rendered, doc)
            return LongResult(_combined([*results, final]), _dedupe(templates), len(chunks))
        if all(len(g) == 1 for g in groups):
            break
        merged = []
        for group in groups:
            if len(group) == 1:
                merged.append(group[0])
                continue
            rendered = _reduce_prompt(group, doc, variables, prompts)
            templates += rendered.templates
            result = await call(rendered, doc)
            results.append(result)
            merged.append(result.value)
        parts = merged
    raise ConfigError(
        f"the partial summaries do not fit the context budget ({budget.window} tokens) even two at a "
        "time; raise --context-budget or use a model with a larger context window"
    )


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


def _combined(results: Sequence[StructuredResult[SummaryDraft]]) -> StructuredResult[SummaryDraft]:
    last = results[-1]
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
    )


def _dedupe(records: list[TemplateRecord]) -> list[TemplateRecord]:
    seen: dict[str, TemplateRecord] = {}
    for r in records:
        seen.setdefault(r.name, r)
    return list(seen.values())
