"""Evidence for scripts: each span of a finding with its outlet and the whole sentences it lies in.

    for conflict in comparison.conflicts:
        for ev in comparison.evidence(conflict):
            print(ev.outlet, ev.sentence_ids, ev.sentence)

A span's `text` is the exact words cited (a quote, a name, "$500,000"); `sentence` is the text of
the sentences it lies in, read from the result's own copy of the source (`SourceInfo.sentences`), so
no document has to be loaded again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from summarizer.schemas._results import SourceInfo, Span


@dataclass(frozen=True)
class Evidence:
    """One evidence span of a finding, with its source's outlet and the sentences around it."""

    source: str
    """Source id: `A`, `B`, …"""
    outlet: str
    """The outlet that published the source."""
    published: dt.date | None
    text: str
    """The exact words cited: `source_text[start:end]`."""
    sentence: str
    """The whole sentence (or sentences) the span lies in; the span's own text when the result holds no
    sentence offsets (results written before they were kept)."""
    sentence_ids: tuple[str, ...]
    start: int
    end: int


def spans_in(item: object) -> Iterator[Span]:
    """Every span in a finding (or any part of a result), in order, each once."""
    seen: set[tuple[str, int, int]] = set()
    for span in _walk(item):
        key = (span.source, span.start, span.end)
        if key not in seen:
            seen.add(key)
            yield span


def _walk(item: object) -> Iterator[Span]:
    if isinstance(item, Span):
        yield item
    elif isinstance(item, BaseModel):
        for name in type(item).model_fields:
            yield from _walk(getattr(item, name))
    elif isinstance(item, (list, tuple)):
        for part in item:
            yield from _walk(part)


def evidence_of(sources: Mapping[str, SourceInfo], item: object) -> list[Evidence]:
    out = []
    for span in spans_in(item):
        src = sources.get(span.source)
        sentence = src.sentence_text(span.start, span.end) if src is not None else None
        out.append(
            Evidence(
                source=span.source,
                outlet=src.outlet if src is not None else span.source,
                published=src.published if src is not None else None,
                text=span.text,
                sentence=sentence or span.text,
                sentence_ids=tuple(span.sentence_ids),
                start=span.start,
                end=span.end,
            )
        )
    return out


def source_by_id(sources: list[SourceInfo], source_id: str) -> SourceInfo:
    for s in sources:
        if s.id == source_id:
            return s
    known = ", ".join(s.id for s in sources)
    raise KeyError(f"no source {source_id!r} in this result; its sources are {known}")
