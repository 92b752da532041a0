"""The module-level functions: `summarize`, `compare` and `verify` (and their awaitable forms), each a
one-off `Client` for scripts that make one call. Options left as None are not set (`Client`'s rule)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from summarizer.llm.base import Backend
from summarizer.pipeline import Client, EngineName, PathLike, SourceLike, SummaryLike
from summarizer.schemas import Comparison, Length, Summary, Verification


def summarize(
    source: SourceLike,
    *,
    length: Length = "medium",
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    engine: EngineName | None = None,
    replay: PathLike | None = None,
    language: str | None = None,
    backend: Backend | None = None,
    **settings: Any,
) -> Summary:
    """Summarise one article: a path, a URL, `-` for stdin, or a `Document`.

    `length` is "short", "medium" or "long". The other options are those of `Client` (model, base_url,
    api_key, engine, replay, language, backend, and any `Settings` field as a keyword). Without a model
    configured, the offline engine answers with an `OfflineFallbackWarning`."""
    client = Client(
        model=model,
        base_url=base_url,
        api_key=api_key,
        engine=engine,
        replay=replay,
        language=language,
        backend=backend,
        **settings,
    )
    return client.summarize(source, length=length)


async def asummarize(
    source: SourceLike,
    *,
    length: Length = "medium",
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    engine: EngineName | None = None,
    replay: PathLike | None = None,
    language: str | None = None,
    backend: Backend | None = None,
    **settings: Any,
) -> Summary:
    """`summarize`, awaitable."""
    client = Client(
        model=model,
        base_url=base_url,
        api_key=api_key,
        engine=engine,
        replay=replay,
        language=language,
        backend=backend,
        **settings,
    )
    return await client.asummarize(source, length=length)


def compare(
    sources: Sequence[SourceLike],
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    engine: EngineName | None = None,
    replay: PathLike | None = None,
    language: str | None = None,
    backend: Backend | None = None,
    **settings: Any,
) -> Comparison:
    """Compare two or more reports of one story (paths, URLs or `Document`s; labelled A, B, … in order).

    The options are those of `Client` (model, base_url, api_key, engine, replay, language, backend, and
    any `Settings` field as a keyword). The result's `evidence(finding)` gives each finding's sentences
    and outlets, `source("B")` a source's metadata. Without a model configured, the offline engine
    answers with an `OfflineFallbackWarning`."""
    client = Client(
        model=model,
        base_url=base_url,
        api_key=api_key,
        engine=engine,
        replay=replay,
        language=language,
        backend=backend,
        **settings,
    )
    return client.compare(sources)


async def acompare(
    sources: Sequence[SourceLike],
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    engine: EngineName | None = None,
    replay: PathLike | None = None,
    language: str | None = None,
    backend: Backend | None = None,
    **settings: Any,
) -> Comparison:
    """`compare`, awaitable."""
    client = Client(
        model=model,
        base_url=base_url,
        api_key=api_key,
        engine=engine,
        replay=replay,
        language=language,
        backend=backend,
        **settings,
    )
    return await client.acompare(sources)


def verify(
    summary: SummaryLike,
    sources: Sequence[SourceLike] = (),
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    replay: PathLike | None = None,
    backend: Backend | None = None,
    **settings: Any,
) -> Verification:
    """Check a summary claim by claim against its sources.

    `summary`: plain text, a path to a text or JSON file (`-` for stdin), or a result of this tool (which
    carries its sources, so `sources` may be left out). With a model setting (model, base_url, replay,
    backend or $SUMMARIZER_MODEL) a judge rules on each claim the deterministic checks pass; without
    one, deterministic checks only (the result's `mode` says which). Other options as for `Client`."""
    client = Client(
        model=model, base_url=base_url, api_key=api_key, replay=replay, backend=backend, **settings
    )
    return client.verify(summary, sources)


async def averify(
    summary: SummaryLike,
    sources: Sequence[SourceLike] = (),
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    replay: PathLike | None = None,
    backend: Backend | None = None,
    **settings: Any,
) -> Verification:
    """`verify`, awaitable."""
    client = Client(
        model=model, base_url=base_url, api_key=api_key, replay=replay, backend=backend, **settings
    )
    return await client.averify(summary, sources)
