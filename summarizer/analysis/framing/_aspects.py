"""What the detectors report: an aspect of the framing and each source's wording for it; and the
framing detectors' rule codes (`summarizer rules`; D2xx, apart from the D1xx of `compare`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summarizer.rules import register
from summarizer.schemas import Span

FramingKind = Literal["headline", "word_choice", "label", "emphasis"]

HEADLINE = register(
    "D201", "framing-headline", "detector", "each outlet's headline, as it stands in its text"
)
WORD_CHOICE = register(
    "D202",
    "framing-word-choice",
    "detector",
    "words of different connotation in the same slot of one statement",
)
SPEECH_VERBS = register(
    "D203",
    "framing-speech-verbs",
    "detector",
    "loaded verbs for one person's words where another outlet says `said`",
)
LABEL = register(
    "D204",
    "framing-label",
    "detector",
    "an evaluative label for a person or body other outlets name without it",
)
NAMING = register(
    "D205", "framing-naming", "detector", "contested names for one group (`regime` / `government`)"
)
EMPHASIS = register(
    "D206",
    "framing-emphasis",
    "detector",
    "a statement one outlet leads with that another reports only far down its article",
)


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
    rule: str = ""
    """The code of the detector that found it (`D201` …, see `summarizer rules`)."""
