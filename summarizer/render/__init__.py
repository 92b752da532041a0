"""Render a `Summary` or a `Comparison` as JSON, Markdown or terminal text.

Markdown and text show the same content from one document model (`_build`): every item with the
evidence spans behind it, ungrounded items and approximate matches visibly marked, then grounding
and provenance. This layer imports nothing from the project but `summarizer.schemas`.
"""

from __future__ import annotations

from typing import Literal

from summarizer.render import _markdown, _text
from summarizer.render._blocks import Doc
from summarizer.render._comparison import build_comparison
from summarizer.render._summary import build_summary
from summarizer.schemas import Comparison, Summary

__all__ = ["Format", "render", "to_json", "to_markdown", "to_text"]

Format = Literal["json", "markdown", "text"]


def _doc(result: Summary | Comparison) -> Doc:
    return build_summary(result) if isinstance(result, Summary) else build_comparison(result)


def to_json(result: Summary | Comparison) -> str:
    """The result as indented JSON that loads back into its model."""
    return result.model_dump_json(indent=2) + "\n"


def to_markdown(result: Summary | Comparison) -> str:
    return _markdown.write(_doc(result))


def to_text(result: Summary | Comparison, *, color: bool = False) -> str:
    return _text.write(_doc(result), color=color)


def render(result: Summary | Comparison, fmt: Format, *, color: bool = False) -> str:
    if fmt == "json":
        return to_json(result)
    if fmt == "markdown":
        return to_markdown(result)
    if fmt == "text":
        return to_text(result, color=color)
    raise ValueError(f"unknown format {fmt!r}: expected json, markdown or text")
