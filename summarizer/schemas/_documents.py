"""Documents: an input article, its metadata and its sentences with character offsets."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from pydantic import Field, computed_field, model_validator

from summarizer.schemas._base import _drop, _Strict


class Sentence(_Strict):
    """One sentence of a document, by character offsets into the document's text."""

    id: str
    """Stable sentence id: source id followed by the 1-based sentence number, e.g. `A3`."""
    start: int
    """Offset of the first character of the sentence in the document text."""
    end: int
    """Offset one past the last character of the sentence."""


class Document(_Strict):
    """An input article, its metadata and its sentences."""

    id: str
    """Source id: `A` for the first source, `B` for the second, and so on."""
    outlet: str
    """The outlet that published the article (never empty: derived from the file name if not given)."""
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    """Publication date, used to resolve relative dates such as "on Friday"."""
    language: str | None = None
    """ISO 639-1 code of the article's language: as given, else detected from the text (null when unsure)."""
    author: str | None = None
    """The byline, when the input gives one (a flag, a sidecar, a web page's metadata)."""
    origin: str = "-"
    """Where the text came from: a file path, a URL or `-` for standard input."""
    text: str
    """The text exactly as loaded; every offset refers to it."""
    sentences: list[Sentence] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _computed(cls, data: Any) -> Any:
        return _drop(data, "sha256")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sha256(self) -> str:
        """SHA-256 of the UTF-8 text."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def sentence(self, sentence_id: str) -> Sentence | None:
        for s in self.sentences:
            if s.id == sentence_id:
                return s
        return None
