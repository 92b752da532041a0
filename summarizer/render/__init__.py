"""Render a `Summary`, a `Comparison` or a `Verification` as JSON, Markdown, terminal text or a
self-contained HTML page.

Markdown and text show the same content from one document model (`_build`): every item with the
evidence spans behind it, ungrounded items and approximate matches visibly marked, then grounding
and provenance. This layer imports nothing from the project but `summarizer.schemas`, and segmenting and
spans (`documents.segment`, `text.index`) to show evidence in its sentences.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Literal

from summarizer.render import _html, _markdown, _text
from summarizer.render._blocks import Doc
from summarizer.render._comparison import build_comparison
from summarizer.render._summary import build_summary
from summarizer.render._verification import build_verification
from summarizer.render._view import SECTIONS, ReportOptions, parse_sections
from summarizer.schemas import Comparison, Summary, Verification

__all__ = [
    "SECTIONS",
    "Format",
    "ReportOptions",
    "parse_sections",
    "render",
    "to_html",
    "to_json",
    "to_markdown",
    "to_text",
]

Format = Literal["json", "markdown", "text", "html"]
Result = Summary | Comparison | Verification


def _doc(result: Result, options: ReportOptions | None) -> Doc:
    if isinstance(result, Verification):
        return build_verification(result)
    return build_summary(result) if isinstance(result, Summary) else build_comparison(result, options)


def to_json(result: Result) -> str:
    """The result as indented JSON that loads back into its model (always the whole result)."""
    return result.model_dump_json(indent=2) + "\n"


def to_markdown(result: Result, options: ReportOptions | None = None) -> str:
    return _markdown.write(_doc(result, options))


def to_text(result: Result, *, color: bool = False, options: ReportOptions | None = None) -> str:
    """Terminal text, every line within `options.width` columns (100 by default)."""
    width = (options or ReportOptions()).width
    return _text.write(_doc(result, options), color=color, width=width)


def to_html(result: Result, options: ReportOptions | None = None) -> str:
    """One self-contained page: findings (or verified claims) beside the sources' texts, evidence
    highlighted on selection."""
    return _html.write(result, options)


def render(
    result: Result,
    fmt: Format,
    *,
    color: bool = False,
    options: ReportOptions | None = None,
    only: str | Iterable[str] | None = None,
    max_items: int | None = None,
    min_confidence: float | None = None,
    width: int | None = None,
) -> str:
    """`result` as `fmt`. A comparison report is focused by `options`, or by its fields as keywords:
    `render(c, "text", only="conflicts,quotes", max_items=5, min_confidence=0.6, width=80)`."""
    options = options or ReportOptions()
    if only is not None:
        names = parse_sections(only if isinstance(only, str) else ",".join(only))
        options = dataclasses.replace(options, only=names)
    if max_items is not None:
        options = dataclasses.replace(options, max_items=max_items)
    if min_confidence is not None:
        options = dataclasses.replace(options, min_confidence=min_confidence)
    if width is not None:
        options = dataclasses.replace(options, width=width)
    if fmt == "json":
        return to_json(result)
    if fmt == "markdown":
        return to_markdown(result, options)
    if fmt == "text":
        return to_text(result, color=color, options=options)
    if fmt == "html":
        return to_html(result, options)
    raise ValueError(f"unknown format {fmt!r}: expected json, markdown, text or html")
