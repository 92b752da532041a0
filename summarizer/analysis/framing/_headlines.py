"""The headline aspect: each source's headline as it stands in its text (found by `analysis.layout`,
which alignment also reads, so a headline framing shows is never also a statement only some tell)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.analysis.framing._aspects import HEADLINE, FramingAspect, FramingWording
from summarizer.analysis.framing._doc import _Doc
from summarizer.analysis.layout import headline


def _headlines(docs: Sequence[_Doc]) -> list[FramingAspect]:
    choices = []
    for d in docs:
        where = headline(d.idx)
        if where is not None:
            choices.append(FramingWording(d.id, d.idx.span(*where)))
    distinct = {_normalised(c.span.text) for c in choices}
    if len(choices) < 2 or len(distinct) < 2:
        return []
    return [FramingAspect("Headline", "headline", 0.95, choices, HEADLINE.code)]


def _normalised(headline: str) -> str:
    """A headline as compared: case, quotation marks, dashes and other punctuation aside (`U.S.` and
    `US`, `“No”` and `"No"`, `—` and `-` are the same headline)."""
    return " ".join(re.sub(r"[^\w\s]", "", headline.casefold()).split())
