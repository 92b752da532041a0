"""Render a `Summary`, a `Comparison` or a `Verification` as JSON, Markdown, terminal text or a
self-contained HTML page.

Markdown and text show the same content from one document model (`_build`): every item with the
evidence spans behind it, ungrounded items and approximate matches visibly marked, then grounding
and provenance. This layer imports nothing from the project but `summarizer.schemas`.
"""

from __future__ import annotations

from typing import Literal

from summarizer.render import _html, _markdown, _text
from summarizer.render._blocks import Doc
from summarizer.render._comparison import build_comparison
from summarizer.render._summary import build_summary
from summarizer.render._verification import build_verification
from summarizer.schemas import Comparison, Summary, Verification

__all__ = ["Format", "render", "to_html", "to_json", "to_markdown", "to_text"]

Format = Literal["json", "markdown", "text", "html"]
Result = Summary | Comparison | Verification


def _doc(result: Result) -> Doc:
    if isinstance(result, Verification):
        return build_verification(result)
    return build_summary(result) if isinstance(result, Summary) else build_comparison(result)


def to_json(result: Result) -> str:
    """The result as indented JSON that loads back into its model."""
    return result.model_dump_json(indent=2) + "\n"


def to_markdown(result: Result) -> str:
    return _markdown.write(_doc(result))


def to_text(result: Result, *, color: bool = False) -> str:
    return _text.write(_doc(result), color=color)


def to_html(result: Result) -> str:
    """One self-contained page: findings (or verified claims) beside the sources' texts, evidence
    highlighted on selection."""
    return _html.write(result)


def render(result: Result, fmt: Format, *, color: bool = False) -> str:
    if fmt == "json":
        return to_json(result)
    if fmt == "markdown":
        return to_markdown(result)
    if fmt == "text":
        return to_text(result, color=color)
    if fmt == "html":
        return to_html(result)
    raise ValueError(f"unknown format {fmt!r}: expected json, markdown, text or html")
