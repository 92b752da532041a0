"""Orchestration: documents → prompts → one structured call → grounding → result with provenance."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import os
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from summarizer._version import __version__
from summarizer.analysis import analyse
from summarizer.backends import Backends
from summarizer.candidates import candidate_view, merge_analysis
from summarizer.documents import load_document
from summarizer.documents.language import language_label
from summarizer.errors import BackendError, ConfigError, InputError, TemplateError
from summarizer.grounding import Resolved, resolve_comparison, resolve_summary
from summarizer.llm.base import STRUCTURED_MODES, Backend
from summarizer.llm.calllog import call_context
from summarizer.llm.pricing import PriceTable
from summarizer.llm.structured import StructuredResult, structured_call
from summarizer.llm.tokens import answer_allowance
from summarizer.longdoc import Budget, compare_digested, summarize_long
from summarizer.offline import compare_offline, summarize_offline
from summarizer.prompts import LENGTH_GUIDES, PromptSet, Rendered, article_view, length_limit
from summarizer.rules import selection
from summarizer.schemas import (
    Comparison,
    ComparisonDraft,
    Document,
    InputRecord,
    JudgeDraft,
    Length,
    Provenance,
    Summary,
    SummaryDraft,
    Verification,
)
from summarizer.settings import Settings, settings_problem
from summarizer.text import Semantic, semantic

if TYPE_CHECKING:
    from summarizer.llm.openai_backend import OpenAIBackend

T = TypeVar("T")
DraftT = TypeVar("DraftT", bound=BaseModel)
SourceLike = str | os.PathLike[str] | Document
SummaryLike = str | os.PathLike[str] | Summary | Comparison


class OfflineFallbackWarning(UserWarning):
    """No model was configured, so a summary or comparison came from the offline engine (extractive,
    no model). Pass `engine="offline"` to ask for it, or configure a model; or filter it:
    `warnings.simplefilter("ignore", summarizer.OfflineFallbackWarning)`."""


OFFLINE_FALLBACK = (
    "no model configured, so the offline engine was used (extractive, no model); to use a model set "
    "OPENAI_API_KEY, or pass model=, base_url= or replay=; pass engine='offline' to choose it and "
    "silence this warning"
)

EngineName = Literal["offline", "llm"]
PathLike = str | os.PathLike[str]


def _given(**options: Any) -> dict[str, Any]:
    """The options a caller set (None means: not set, use the default)."""
    return {k: v for k, v in options.items() if v is not None}


class Client:
    """Configuration held for repeated use: `Client(model=...).summarize("article.txt")`.

    Args:
        model: model name (default: $SUMMARIZER_MODEL; gpt-4o-mini on OpenAI; for another base_url, the
            one model the server lists at /v1/models).
        base_url: an OpenAI-compatible endpoint, e.g. "http://localhost:11434/v1" ($OPENAI_BASE_URL).
        api_key: the endpoint's key ($OPENAI_API_KEY); never written to results or logs.
        engine: "llm" asks a model; "offline" uses the deterministic analysis alone. Default: "llm" when a
            model is configured, else "offline", with an `OfflineFallbackWarning`.
        replay: answer from the HTTP exchanges recorded in this folder (no network).
        record: record every HTTP exchange into this folder.
        temperature: sampling temperature (default 0).
        reasks: re-asks after an invalid answer (default 2).
        timeout: seconds per request (default 120; 900 for a server on this machine or network).
        language: language of the report's prose, ISO 639-1 (default: the sources').
        cache: the response cache: None (default) for temperature-0 calls, False never, True always.
        backend: a backend of your own (e.g. `summarizer.testing.FakeBackend`) instead of an endpoint.
        **settings: any other field of `Settings` (structured_output: "auto" by default, max_tokens,
            max_retries, prompts, cache_dir, call_log, log_dir, context_budget, rpm, tpm, select,
            ignore, ...).
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        engine: EngineName | None = None,
        replay: PathLike | None = None,
        record: PathLike | None = None,
        temperature: float | None = None,
        reasks: int | None = None,
        timeout: float | None = None,
        language: str | None = None,
        cache: bool | None = None,
        backend: Backend | None = None,
        **settings: Any,
    ) -> None:
        named = _given(
            model=model,
            base_url=base_url,
            api_key=api_key,
            engine=engine,
            replay=replay,
            record=record,
            temperature=temperature,
            reasks=reasks,
            timeout=timeout,
            language=language,
            cache=cache,
        )
        settings = {**named, **settings}
        if settings.get("structured_output", "auto") not in STRUCTURED_MODES:
            valid = ", ".join(STRUCTURED_MODES)
            raise ConfigError(
                f"structured_output must be one of {valid}; got {settings['structured_output']!r}"
            )
        try:
            self.settings = Settings(**settings)
        except ValidationError as exc:
            raise ConfigError(settings_problem(exc)) from None
        if self.settings.record and self.settings.replay:
            raise ConfigError("--record and --replay exclude each other: choose one")
        self._injected = backend is not None
        self.prices = PriceTable()
        self._backends = Backends(self.settings, self.prices, backend)
        self.prompts = PromptSet(self.settings.prompts)
        self.rules = selection(self.settings.select, self.settings.ignore)

    @property
    def backend(self) -> Backend:
        """The backend for the running event loop (`summarizer.backends`: one is built per loop; an
        injected one is shared as given)."""
        return self._backends.current

    @property
    def _raw(self) -> OpenAIBackend | None:
        """The running loop's backend built here, under its cache and log wrappers (None if injected)."""
        return self._backends.raw

    async def ready(self) -> Backend:
        """The backend, once a server that is not OpenAI's has said which model it serves and its
        context size (`OpenAIBackend.discover`): the model's name when none was given, the context
        budget when `context_budget` is not set. A dead endpoint fails here, before any work."""
        return await self._backends.ready()

    async def _learning_context(self, run: Callable[[], Awaitable[T]]) -> T:
        """`run`, and once more when a server that had not said its context size refuses a request as
        too long for it and names the size (llama-cpp-python does): the size becomes the budget, so
        the second run sends the input in parts. `context_budget`, when set, is never overridden."""
        known = self._budget().window
        try:
            return await run()
        except BackendError as exc:
            raw = self._raw
            said = exc.context_window
            if said is None or said == known or self.settings.context_budget or raw is None:
                raise
            raw.context_window = said
            self._backends.found = (raw.model, said)
            return await run()

    def _budget(self) -> Budget:
        """The context budget: `context_budget`, else what the server said, else the model's known one."""
        said = self._raw.context_window if self._raw is not None else None
        return Budget.for_model(self.backend.model, self.settings.context_budget or said)

    def _allowance(
        self, draft: type[BaseModel], budget: Budget, *, words: int | None = None, sources: int = 1
    ) -> int:
        """The answer's token allowance for a task (sent only where no limit is set and the server's own
        default is unbounded), within what the context budget keeps free for the answer."""
        allowance = answer_allowance(draft, words=words, sources=sources)
        return min(allowance, budget.reserve) if budget.window is not None else allowance

    @property
    def engine(self) -> Literal["offline", "llm"]:
        """The engine runs use: as set, else `llm` when a model is configured, else `offline`."""
        if self.settings.engine is not None:
            return self.settings.engine
        return "llm" if self.model_configured() else "offline"

    def model_configured(self) -> bool:
        s = self.settings
        if self._injected or s.replay or s.record or s.base_url or s.api_key or s.model:
            return True
        return any(os.environ.get(v) for v in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"))

    def _fallback_warning(self) -> None:
        if self.settings.engine is None:
            warnings.warn(OFFLINE_FALLBACK, OfflineFallbackWarning, stacklevel=4)

    # -- summaries -----------------------------------------------------------------------------
    async def asummarize(self, source: SourceLike, *, length: Length = "medium") -> Summary:
        if length not in LENGTH_GUIDES:
            raise ConfigError(f"length must be one of {', '.join(LENGTH_GUIDES)}; got {length!r}")
        started = time.perf_counter()
        docs = _as_documents([source])
        if len(docs) > 1:
            raise InputError(str(source), f"holds {len(docs)} articles; summarise them one at a time")
        doc = docs[0]
        if self.engine == "offline":
            self._fallback_warning()
            return summarize_offline(doc, length, started)
        await self.ready()
        return await self._learning_context(lambda: self._summarize_model(doc, length, started))

    async def _summarize_model(self, doc: Document, length: Length, started: float) -> Summary:
        variables = {
            "doc": article_view(doc),
            "length": length,
            "length_guide": LENGTH_GUIDES[length],
            "report_language": self._language_label([doc]),
        }
        rendered = self.prompts.render("summary", variables)
        budget = self._budget()
        chunks = 1
        passes: _Passes[SummaryDraft, Summary] = _Passes()
        if budget.fits(rendered):
            limit = length_limit(length)
            result = await self._summary_call(rendered, doc, limit, length=length, passes=passes)
        else:  # too long for one request: map-reduce over chunks that keep the sentence ids

            async def call(rendered: Rendered, part: Document) -> StructuredResult[SummaryDraft]:
                return await self._summary_call(rendered, part, length=length, passes=passes)

            long = await summarize_long(doc, variables, self.prompts, call, budget)
            result, chunks, rendered = long.result, long.chunks, Rendered(rendered.messages, long.templates)
        summary = passes.result(result.value)
        summary.provenance = self._provenance(rendered, [doc], result, started)
        summary.provenance.chunks = chunks
        return summary

    async def _summary_call(
        self,
        rendered: Rendered,
        doc: Document,
        max_words: int | None = None,
        *,
        length: Length | None = None,
        passes: _Passes[SummaryDraft, Summary] | None = None,
    ) -> StructuredResult[SummaryDraft]:
        """`max_words`: the summary's length limit, re-asked when exceeded (and the answer's token
        allowance follows it). `passes` keeps each answer's resolution, so the accepted one's result
        (of `length`) is built from the pass that checked it."""
        allowance = self._allowance(SummaryDraft, self._budget(), words=max_words)
        kept: _Passes[SummaryDraft, Summary] = passes if passes is not None else _Passes()

        def resolve(d: SummaryDraft) -> Resolved[Summary]:
            return kept.of(d, lambda: resolve_summary(d, doc, length, rules=self.rules, max_words=max_words))

        return await self._call(rendered, SummaryDraft, resolve, max_tokens=allowance, sources=[doc.id])

    def summarize(self, source: SourceLike, *, length: Length = "medium") -> Summary:
        return self._sync(lambda: self.asummarize(source, length=length))

    # -- comparisons ---------------------------------------------------------------------------
    async def acompare(self, sources: Sequence[SourceLike]) -> Comparison:
        started = time.perf_counter()
        docs = _as_documents(sources)
        if len(docs) < 2:
            raise ConfigError(f"compare needs at least two sources; got {len(docs)}")
        if self.engine == "offline":
            self._fallback_warning()
            return compare_offline(docs, started, self.rules, self._meaning())
        await self.ready()
        return await self._learning_context(lambda: self._compare_model(docs, started))

    async def _compare_model(self, docs: list[Document], started: float) -> Comparison:
        analysis = analyse(docs, self.rules, self._meaning())
        candidates = candidate_view(analysis)
        variables = {
            "documents": [article_view(d) for d in docs],
            "report_language": self._language_label(docs),
            "candidates": candidates,
        }
        rendered = self.prompts.render("comparison", variables)
        budget = self._budget()
        passes: _Passes[ComparisonDraft, Comparison] = _Passes()

        def resolve(d: ComparisonDraft) -> Resolved[Comparison]:  # against the full texts
            return passes.of(d, lambda: resolve_comparison(d, docs, rules=self.rules))

        async def call(rendered: Rendered) -> StructuredResult[ComparisonDraft]:
            allowance = self._allowance(ComparisonDraft, budget, sources=len(docs))
            return await self._call(
                rendered, ComparisonDraft, resolve, max_tokens=allowance, sources=[d.id for d in docs]
            )

        digested = 0
        if budget.fits(rendered, ComparisonDraft):
            result = await call(rendered)
        else:  # too long for one request: digest the sources first, keeping their sentence ids
            every = candidate_view(analysis, limit=len(analysis.findings))
            long = await compare_digested(
                docs, variables, every, self.prompts, self._summary_call, call, budget
            )
            result, candidates, digested = long.result, long.candidates, long.digested
            rendered = Rendered(rendered.messages, long.templates)
        comparison = passes.result(result.value)
        merge_analysis(comparison, result.value, analysis, [str(c["id"]) for c in candidates])
        comparison.provenance = self._provenance(rendered, docs, result, started)
        comparison.provenance.digested = digested
        comparison.provenance.alignment = analysis.alignment.method
        return comparison

    def _meaning(self) -> Semantic | None:
        """The sentence-embedding model `alignment="semantic"` asks for (ConfigError naming the extra
        when it is not installed), or None: statements matched by shared words."""
        return semantic("minilm") if self.settings.alignment == "semantic" else None

    def compare(self, sources: Sequence[SourceLike]) -> Comparison:
        return self._sync(lambda: self.acompare(sources))

    # -- verification --------------------------------------------------------------------------
    async def averify(self, summary: SummaryLike, sources: Sequence[SourceLike] = ()) -> Verification:
        """Check a summary (text, a file, or our result) against its sources; see `summarizer.verify`."""
        from summarizer.verify import Judge, averify_documents, documents_of, parse_summary

        parsed = summary if isinstance(summary, (Summary, Comparison)) else _summary_text(summary)
        parsed = parse_summary(parsed) if isinstance(parsed, str) else parsed
        docs = _as_documents(sources) if sources else documents_of(parsed)
        judge = None
        if self._judge_configured():
            s = self.settings
            backend = await self.ready()
            judge = Judge(backend, self.prompts, s.reasks, s.temperature, s.structured_output)
            judge.max_tokens = self._allowance(JudgeDraft, self._budget(), words=JUDGE_WORDS)
        return await averify_documents(
            parsed,
            docs,
            judge,
            rules=self.rules,
            evidence=self.settings.evidence,
            decide=self.settings.decide,
        )

    def verify(self, summary: SummaryLike, sources: Sequence[SourceLike] = ()) -> Verification:
        return self._sync(lambda: self.averify(summary, sources))

    def _judge_configured(self) -> bool:
        """A judge runs only when a model was asked for: no model means deterministic checks only."""
        s = self.settings
        explicit = s.model or s.base_url or s.replay or s.record or os.environ.get("SUMMARIZER_MODEL")
        return self._injected or bool(explicit)

    # -- shared --------------------------------------------------------------------------------
    async def aclose(self) -> None:
        """Close the backend built here for the running loop (its connection pool is bound to it); an
        injected one is the caller's."""
        await self._backends.aclose()

    def _sync(self, make: Callable[[], Awaitable[T]]) -> T:
        """Run in a fresh event loop; a backend built here is closed with it (its pool is loop-bound)."""

        async def go() -> T:
            try:
                return await make()
            finally:
                await self.aclose()

        return run_sync(go())

    async def _call(
        self,
        rendered: Rendered,
        draft: type[DraftT],
        resolve: Callable[[DraftT], Resolved[Any]],
        *,
        max_tokens: int | None = None,
        sources: Sequence[str] = (),
    ) -> StructuredResult[DraftT]:
        """One structured call; each answer's hard errors and support advice come from one
        `resolve` pass (which the caller keeps, to build the accepted answer's result from it).
        `sources`: the ids of the documents in the prompt; with the ids it shows, the only values a
        grammar-constrained answer may give its `source` and `sentence_ids` (`OutputSpec.choices`)."""
        shown = self.prompts.shown_ids(rendered)
        if not shown:  # a --prompts template that drops the article: refused before any call is paid
            names = ", ".join(t.name for t in rendered.templates)
            raise TemplateError(
                f"the prompt rendered from {names} shows no sentence id, so the model cannot see the "
                'article; a --prompts template must show it, e.g. {% include "_article.j2" %}'
            )

        def grounded_in_prompt(value: DraftT) -> list[str]:
            unseen = sorted(cited_ids(value) - shown)
            problem = f"sentence ids not in the prompt: {', '.join(unseen)}; cite only ids shown in it"
            return [*resolve(value).errors, *([problem] if unseen else [])]

        with call_context(draft.__name__, {t.name: t.sha256 for t in rendered.templates}):
            return await structured_call(
                self.backend,
                rendered.messages,
                draft,
                validate=grounded_in_prompt,
                advise=lambda value: resolve(value).advice,
                reasks=self.settings.reasks,
                temperature=self.settings.temperature,
                mode=self.settings.structured_output,
                max_tokens=max_tokens,
                choices=id_choices(shown, sources),
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
            structured_output=result.mode
            or self._backends.remembered_mode()
            or self.settings.structured_output,
            templates=rendered.templates,
            inputs=[InputRecord(source=d.id, origin=d.origin, sha256=d.sha256) for d in docs],
            attempts=result.attempts,
            reasks=result.reasks,
            usage=result.usage,
            wall_time_s=round(time.perf_counter() - started, 3),
            created_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            fixture_origin=result.fixture_origin,
            cache=result.cache if result.cache in ("hit", "miss") else "off",
            cost_usd=self._cost(result),
            report_language=self._report_language(docs),
        )

    def _remembered_mode(self) -> str:
        """The mode asked for; under `auto`, for an answer from the response cache, the mode the
        endpoint last accepted."""
        return self._backends.remembered_mode() or self.settings.structured_output

    def _report_language(self, docs: Sequence[Document]) -> str | None:
        """`language` when set, else the sources' language when they share one."""
        languages = {d.language for d in docs}
        return self.settings.language or (languages.pop() if len(languages) == 1 else None)

    def _language_label(self, docs: Sequence[Document]) -> str | None:
        code = self._report_language(docs)
        return language_label(code) if code else None

    def _cost(self, result: StructuredResult[Any]) -> float | None:
        if result.cache == "hit" or result.fixture_origin is not None:
            return 0.0
        return self.prices.cost(self.backend.model, result.usage)


ResultT = TypeVar("ResultT", Summary, Comparison)


class _Passes(Generic[DraftT, ResultT]):
    """Each answer of one run resolved once (`grounding.resolve_*`: one Grounder, one walk of the
    draft): the structured loop asks an answer's errors, then its advice, and the run takes the
    accepted answer's result, all from that pass. Kept by the answer's identity: the loop hands the
    same object to all three."""

    def __init__(self) -> None:
        self._done: dict[int, tuple[DraftT, Resolved[ResultT]]] = {}

    def of(self, draft: DraftT, resolve: Callable[[], Resolved[ResultT]]) -> Resolved[ResultT]:
        kept = self._done.get(id(draft))
        if kept is None or kept[0] is not draft:
            kept = self._done[id(draft)] = (draft, resolve())
        return kept[1]

    def result(self, draft: DraftT) -> ResultT:
        """The result of an answer resolved here (the accepted one: the loop checked it)."""
        return self._done[id(draft)][1].result


JUDGE_WORDS = 40
"""Prose in a judge's answer: its one-sentence reason."""


def id_choices(shown: set[str], sources: Sequence[str]) -> dict[str, list[str]]:
    """What an answer may cite: the shown ids of `sources` (tokens shaped like an id of another letter,
    such as a comparison's candidate C4, are left out), in reading order, and the source ids."""

    def parts(sid: str) -> tuple[str, int]:
        prefix = sid.rstrip("0123456789")
        return prefix, int(sid[len(prefix) :] or 0)

    own = [i for i in shown if parts(i)[0] in sources and parts(i)[0] != i] or list(shown)
    return {"sentence_ids": sorted(own, key=parts), "source": list(sources)}


def cited_ids(draft: BaseModel) -> set[str]:
    """Every sentence id an answer cites (its `sentence_ids` lists, at any depth)."""
    found: set[str] = set()
    stack: list[Any] = [draft.model_dump()]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "sentence_ids" and isinstance(item, list):
                    found.update(str(i) for i in item)
                else:
                    stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
    return found


def _as_documents(sources: Sequence[SourceLike]) -> list[Document]:
    """Paths are loaded as the CLI loads them (`load_documents`: a `.jsonl` file or a `.json` list
    stands for as many articles as it holds); Documents are taken as they are but re-labelled A, B, …
    in order."""
    from summarizer.documents import load_documents, segment, source_ids
    from summarizer.documents.web import is_records

    units: list[SourceLike] = []
    for src in sources:
        if isinstance(src, Document) or not is_records(os.fspath(src)):
            units.append(src)
        else:
            units += load_documents([src])
    docs: list[Document] = []
    for sid, src in zip(source_ids(len(units)), units):
        if isinstance(src, Document):
            doc = src if src.id == sid and src.sentences else src.model_copy(update={"id": sid})
            if doc.id != src.id or not doc.sentences:
                doc.sentences = segment(doc.text, sid)
            docs.append(doc)
        else:
            docs.append(load_document(src, source_id=sid))
    return docs


# ------------------------------------------------------------------------------------------------
# Running a coroutine from sync code (`summarizer.api` holds the module-level functions)
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


def _summary_text(summary: str | os.PathLike[str]) -> str:
    """A path (or `-` for stdin) is read; any other string is the summary itself."""
    import sys

    if summary == "-":
        return sys.stdin.read()
    path = Path(summary)
    try:
        looks_like_path = "\n" not in str(summary) and path.is_file()
    except OSError:  # a long summary is no file name
        looks_like_path = False
    if isinstance(summary, os.PathLike) or looks_like_path:
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(str(path), f"cannot read the summary: {exc.strerror}") from None
    return str(summary)
