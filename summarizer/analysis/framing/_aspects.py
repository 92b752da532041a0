"""What the detectors report: an aspect of the framing and each source's wording for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summarizer.schemas import Span

FramingKind = Literal["headline", "word_choice", "label"]


@dataclass(frozen=True)
class FramingWording:
    """One source's wording for an aspect: `span.text` is the wording, verbatim."""

    source: str
    span: Span


@dataclass
class FramingAspect:
    aspect: str
    kind: FramingKind
    confidence: float
    """How directly the wordings are tied to one another, 0 to 1; used to rank and cap."""
    choices: list[FramingWording]
