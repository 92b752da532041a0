"""A small format-neutral document model: the builders fill it, the Markdown and text writers print it.

Evidence travels with the item it backs; each writer decides how to show it (footnotes in Markdown,
indented quotations in a terminal). Styles name a meaning, never a colour, and every styled run also
carries words or symbols, so no signal depends on colour alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from summarizer.schemas import Span

Style = Literal["", "strong", "code", "ok", "warn", "bad", "note", "dim", "ins", "del"]


@dataclass(frozen=True)
class Seg:
    """A run of inline text in one style."""

    text: str
    style: Style = ""


Inline = tuple[Seg, ...]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int
    """1 for the title, 2 for a section, 3 for a subsection."""


@dataclass(frozen=True)
class Para:
    inline: Inline


@dataclass(frozen=True)
class Item:
    """A list item: its text, the spans behind it, then any warnings about it."""

    inline: Inline
    evidence: Sequence[Span] = ()
    flags: Inline = ()


@dataclass(frozen=True)
class ItemList:
    items: Sequence[Item]


@dataclass(frozen=True)
class Cell:
    inline: Inline
    evidence: Sequence[Span] = ()


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


@dataclass(frozen=True)
class BlockQuote:
    """Quoted words, who said or printed them, the spans behind them and any warnings."""

    text: str
    attribution: Inline
    evidence: Sequence[Span] = ()
    flags: Inline = ()


@dataclass(frozen=True)
class Finding:
    """A numbered finding: its head line, lines about it (origin, notes), one item per source (each
    with its evidence), then closing lines (word diffs)."""

    head: Inline
    notes: Sequence[Inline] = ()
    items: Sequence[Item] = ()
    tail: Sequence[Inline] = ()


Block = Heading | Para | ItemList | Table | BlockQuote | Finding


@dataclass
class Doc:
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def plain(text: str, style: Style = "") -> Inline:
    return (Seg(text, style),)


def flatten(text: str) -> str:
    """Collapse all whitespace, newlines included, to single spaces."""
    return re.sub(r"\s+", " ", text).strip()


_OPENS = '“"„«'
_CLOSES = '”"»'


def quoted(text: str) -> str:
    """`text` between “ and ”, unless it opens or closes with a double quotation mark of its own: then
    verbatim, since wrapping it would show `““` or `””` (framing wordings are often quotes)."""
    if text and (text[0] in _OPENS or text[-1] in _CLOSES):
        return text
    return f"“{text}”"


def span_label(span: Span) -> str:
    """`A3` or `A3, A4`; the source id and character offsets when no sentence is known."""
    if span.sentence_ids:
        return ", ".join(span.sentence_ids)
    return f"{span.source}:{span.start}–{span.end}"


def span_key(span: Span) -> tuple[str, int, int]:
    return (span.source, span.start, span.end)
