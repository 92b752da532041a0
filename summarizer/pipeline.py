"""Orchestration: documents → prompts → one structured call → grounding → result with provenance."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import os
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer._version import __version__
from summarizer.documents import load_document
from summarizer.errors import ConfigError
from summarizer.grounding import Grounder, check_comparison, check_summary, summarise_grounding
from summarizer.llm.base import STRUCTURED_MODES, Backend, StructuredMode
from summarizer.llm.structured import StructuredResult, structured_call
from summarizer.prompts import LENGTH_GUIDES, PromptSet, Rendered, article_view
from summarizer.schemas import (
    Caveat,
    Cited,
    Claim,
    Comparison,
    ComparisonDraft,
    Conflict,
    ConflictValue,
    DateMention,
    Document,
    Entity,
    Framing,
    FramingChoice,
    Grounding,
    InputRecord,
    KeyPoint,
    Length,
    Provenance,
    Quote,
    QuoteVariant,
    QuoteWording,
    SourceInfo,
    SourceStatus,
    Sourcing,
    Summary,
    SummaryDraft,
)

T = TypeVar("T")
DraftT = TypeVar("DraftT", bound=BaseModel)
SourceLike = str | os.PathLike[str] | Document


class Settings(BaseModel):
    """Everything a run can be configured with. Unset model/base URL/key fall back to the environment."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    structured_output: StructuredMode = "json_schema"
    reasks: int = Field(default=2, ge=0, le=10)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    timeout: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=4, ge=0, le=20)
    prompts: Path | None = None
    record: Path | None = None
    replay: Path | None = None


class Client:
    """Configuration held for repeated use: `Client(model=...).summarize("article.txt")`."""

    def __init__(self, *, backend: Backend | None = None, **settings: Any) -> None:
        if settings.get("structured_output", "json_schema") not in STRUCTURED_MODES:
            valid = ", ".join(STRUCTURED_MODES)
            raise ConfigError(
                f"structured_output must be one of {valid}; got {settings['structured_output']!r}"
            )
        try:
            self.settings = Settings(**settings)
        except ValidationError as exc:
            raise ConfigError(_settings_problem(exc)) from None
        if self.settings.record and self.settings.replay:
            raise ConfigError("--record and --replay exclude each other: choose one")
        self._backend = backend
        self._injected = backend is not None
        self.prompts = PromptSet(self.settings.prompts)

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            from summarizer.llm.openai_backend import OpenAIBackend

            s = self.settings
            self._backend = OpenAIBackend.from_settings(
                model=s.model,
                base_url=s.base_url,
                api_key=s.api_key,
                record_dir=s.record,
                replay_dir=s.replay,
                timeout=s.timeout,
                max_retries=s.max_retries,
            )
        return self._backend

    # -- summaries -----------------------------------------------------------------------------
    async def asummarize(self, source: SourceLike, *, length: Length = "medium") -> Summary:
        if length not in LENGTH_GUIDES:
            raise ConfigError(f"length must be one of {', '.join(LENGTH_GUIDES)}; got {length!r}")
        started = time.perf_counter()
        doc = _as_documents([source])[0]
        rendered = self.prompts.render(
            "summary", {"doc": article_view(doc), "length": length, "length_guide": LENGTH_GUIDES[length]}
        )
        result = await self._call(rendered, SummaryDraft, lambda d: check_summary(d, doc))
        summary = build_summary(result.value, doc, length)
        summary.provenance = self._provenance(rendered, [doc], result, started)
        return summary

    def summarize(self, source: SourceLike, *, length: Length = "medium") -> Summary:
        return self._sync(lambda: self.asummarize(source, length=length))

    # -- comparisons ---------------------------------------------------------------------------
    async def acompare(self, sources: Sequence[SourceLike]) -> Comparison:
        started = time.perf_counter()
        docs = _as_documents(sources)
        if len(docs) < 2:
            raise ConfigError(f"compare needs at least two sources; got {len(docs)}")
        rendered = self.prompts.render("comparison", {"documents": [article_view(d) for d in docs]})
        result = await self._call(rendered, ComparisonDraft, lambda d: check_comparison(d, docs))
        comparison = build_comparison(result.value, docs)
        comparison.provenance = self._provenance(rendered, docs, result, started)
        return comparison

    def compare(self, sources: Sequence[SourceLike]) -> Comparison:
        return self._sync(lambda: self.acompare(sources))

    # -- shared --------------------------------------------------------------------------------
    def _sync(self, make: Callable[[], Awaitable[T]]) -> T:
        """Run in a fresh event loop; a backend built here is closed with it (its pool is loop-bound)."""

        async def go() -> T:
            try:
                return await make()
            finally:
                if not self._injected and self._backend is not None:
                    closer = getattr(self._backend, "aclose", None)
                    self._backend = None
                    if closer is not None:
                        await closer()

        return run_sync(go())

    async def _call(self, rendered: Rendered, draft: type[DraftT], validate: Any) -> StructuredResult[DraftT]:
        return await structured_call(
            self.backend,
            rendered.messages,
            draft,
            validate=validate,
            reasks=self.settings.reasks,
            temperature=self.settings.temperature,
            mode=self.settings.structured_output,
        )

    def _provenance(
        self, rendered: Rendered, docs: Sequence[Document], result: StructuredResult[Any], started: float
    ) -> Provenance:
        backend = self.backend
        return Provenance(
            tool_version=__version__,
            engine="llm",
            backend=backend.name,
            model=backend.model,
            endpoint_host=backend.endpoint_host,
            structured_output=self.settings.structured_output,
            templates=rendered.templates,
            inputs=[InputRecord(source=d.id, origin=d.origin, sha256=d.sha256) for d in docs],
            attempts=result.attempts,
            reasks=result.reasks,
            usage=result.usage,
            wall_time_s=round(time.perf_counter() - started, 3),
            created_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            fixture_origin=result.fixture_origin,
        )


def _settings_problem(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"])
        problems.append(
            f"{name}: {err['msg']}" if err["type"] != "extra_forbidden" else f"unknown setting {name!r}"
        )
    return (
        "invalid settings: " + "; ".join(problems) + f" (valid settings: {', '.join(Settings.model_fields)})"
    )


def _as_documents(sources: Sequence[SourceLike]) -> list[Document]:
    """Paths are loaded; Documents are taken as they are but re-labelled A, B, … in order."""
    from summarizer.documents import segment, source_ids

    docs: list[Document] = []
    for sid, src in zip(source_ids(len(sources)), sources):
        if isinstance(src, Document):
            doc = src if src.id == sid and src.sentences else src.model_copy(update={"id": sid})
            if doc.id != src.id or not doc.sentences:
                doc.sentences = segment(doc.text, sid)
            docs.append(doc)
        else:
            docs.append(load_document(src, source_id=sid))
    return docs


# ------------------------------------------------------------------------------------------------
# Drafts → results
# ------------------------------------------------------------------------------------------------


def source_info(doc: Document) -> SourceInfo:
    return SourceInfo(
        id=doc.id,
        outlet=doc.outlet,
        title=doc.title,
        url=doc.url,
        published=doc.published,
        language=doc.language,
        origin=doc.origin,
        sha256=doc.sha256,
        text=doc.text,
    )


def _placeholder_provenance() -> Provenance:
    return Provenance(tool_version=__version__, engine="llm", created_at=dt.datetime.now(dt.timezone.utc))


def build_summary(draft: SummaryDraft, doc: Document, length: Length) -> Summary:
    g = Grounder([doc])
    key_points = [
        KeyPoint(text=k.text, evidence=ev, grounding=gr)
        for k in draft.key_points
        for ev, gr in [g.cited(k.sentence_ids, doc.id)]
    ]
    quotes = []
    for q in draft.quotes:
        evidence, grounding = g.verbatim(doc.id, q.text, q.sentence_ids)
        quotes.append(
            Quote(speaker=q.speaker, role=q.role, text=q.text, evidence=evidence, grounding=grounding)
        )
    dates = [
        DateMention(text=d.text, iso=d.iso, event=d.event, evidence=ev, grounding=gr)
        for d in draft.dates
        for ev, gr in [g.cited(d.sentence_ids, doc.id)]
    ]
    entities = [
        Entity(name=e.name, type=e.type, role=e.role, evidence=g.sentence_spans(e.sentence_ids))
        for e in draft.entities
    ]
    caveats = [Caveat(text=c.text, evidence=g.sentence_spans(c.sentence_ids)) for c in draft.caveats]
    checked = [k.grounding for k in key_points] + [q.grounding for q in quotes] + [d.grounding for d in dates]
    return Summary(
        headline=draft.headline,
        summary=draft.summary,
        length=length,
        key_points=key_points,
        quotes=quotes,
        entities=entities,
        dates=dates,
        caveats=caveats,
        language=draft.language,
        source=source_info(doc),
        grounding=summarise_grounding(checked),
        provenance=_placeholder_provenance(),
    )


def build_comparison(draft: ComparisonDraft, docs: Sequence[Document]) -> Comparison:
    g = Grounder(docs)
    claims = [_claim(g, c) for c in draft.claims]
    conflicts = [_conflict(g, c) for c in draft.conflicts]
    variants = [_variant(g, v) for v in draft.quote_variants]
    sourcing = [
        Sourcing(
            source=s.source,
            cited=[
                Cited(name=c.name, kind=c.kind, evidence=g.cited(c.sentence_ids, s.source)[0])
                for c in s.cited
            ],
        )
        for s in draft.sourcing
    ]
    framing = [_framing(g, f) for f in draft.framing]
    checked = (
        [c.grounding for c in claims]
        + [c.grounding for c in conflicts]
        + [w.grounding for v in variants for w in v.wordings]
        + [ch.grounding for f in framing for ch in f.choices]
    )
    return Comparison(
        story=draft.story,
        overview=draft.overview,
        claims=claims,
        conflicts=conflicts,
        quote_variants=variants,
        sourcing=sourcing,
        framing=framing,
        sources=[source_info(d) for d in docs],
        grounding=summarise_grounding(checked),
        provenance=_placeholder_provenance(),
    )


def _merge_groundings(groundings: Sequence[Grounding]) -> Grounding:
    reasons = [r for gr in groundings for r in gr.reasons]
    return Grounding(grounded=all(gr.grounded for gr in groundings), reasons=reasons)


def _claim(g: Grounder, draft: Any) -> Claim:
    statuses: list[SourceStatus] = []
    groundings: list[Grounding] = []
    for st in draft.sources:
        if st.status == "omits":
            statuses.append(SourceStatus(source=st.source, status=st.status, evidence=[]))
            continue
        evidence, grounding = g.cited(st.sentence_ids, st.source)
        statuses.append(SourceStatus(source=st.source, status=st.status, evidence=evidence))
        groundings.append(
            grounding.model_copy(update={"reasons": [f"{st.source}: {r}" for r in grounding.reasons]})
        )
    return Claim(claim=draft.claim, sources=statuses, grounding=_merge_groundings(groundings))


def _conflict(g: Grounder, draft: Any) -> Conflict:
    values: list[ConflictValue] = []
    groundings: list[Grounding] = []
    for v in draft.values:
        evidence, grounding = g.verbatim(v.source, v.value, v.sentence_ids)
        if not grounding.grounded:
            # A value may be paraphrased ("Tuesday" for "on Tuesday"): the cited sentences still back it.
            evidence, grounding = g.cited(v.sentence_ids, v.source)
        values.append(ConflictValue(source=v.source, value=v.value, evidence=evidence))
        groundings.append(grounding)
    return Conflict(
        kind=draft.kind, description=draft.description, values=values, grounding=_merge_groundings(groundings)
    )


def _variant(g: Grounder, draft: Any) -> QuoteVariant:
    wordings = []
    for w in draft.wordings:
        evidence, grounding = g.verbatim(w.source, w.text, w.sentence_ids)
        wordings.append(QuoteWording(source=w.source, text=w.text, evidence=evidence, grounding=grounding))
    return QuoteVariant(
        speaker=draft.speaker, wordings=wordings, meaning_differs=draft.meaning_differs, note=draft.note
    )


def _framing(g: Grounder, draft: Any) -> Framing:
    choices = []
    for ch in draft.choices:
        evidence, grounding = g.verbatim(ch.source, ch.wording, ch.sentence_ids)
        choices.append(
            FramingChoice(source=ch.source, wording=ch.wording, evidence=evidence, grounding=grounding)
        )
    return Framing(aspect=draft.aspect, choices=choices)


# ------------------------------------------------------------------------------------------------
# Sync entry points
# ------------------------------------------------------------------------------------------------


def run_sync(awaitable: Awaitable[T]) -> T:
    """Run a coroutine to completion, also from code that already runs an event loop (notebooks)."""

    async def wrap() -> T:
        return await awaitable

    coro: Coroutine[Any, Any, T] = wrap()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def summarize(source: SourceLike, *, length: Length = "medium", **settings: Any) -> Summary:
    """Summarise one article (a path, `-` for stdin, or a Document). Settings as for `Client`."""
    return Client(**settings).summarize(source, length=length)


async def asummarize(source: SourceLike, *, length: Length = "medium", **settings: Any) -> Summary:
    return await Client(**settings).asummarize(source, length=length)


def compare(sources: Sequence[SourceLike], **settings: Any) -> Comparison:
    """Compare two or more reports of one story. Settings as for `Client`."""
    return Client(**settings).compare(sources)


async def acompare(sources: Sequence[SourceLike], **settings: Any) -> Comparison:
    return await Client(**settings).acompare(sources)
