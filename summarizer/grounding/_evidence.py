"""What support checks read: the cited sentences of one source, and how an issue is reported."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from summarizer.schemas import SupportIssue

EVIDENCE_SHOWN = 300
"""Characters of evidence quoted in a `SupportIssue`."""

_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'’.-]*\w|[A-Za-z\u00c0-\u024f]|\d[\d,.]*")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def strip_possessive(word: str) -> str:
    """ "Iran's" → "Iran", "states’" → "states"; the regex runs only on the few words that need it."""
    return _POSSESSIVE.sub("", word) if word.endswith(("'", "’", "'s", "’s")) else word


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


@dataclass(frozen=True)
class Evidence:
    """The cited sentences of one source, read once and shared by every check of an item."""

    sentences: tuple[str, ...]
    published: dt.date | None = None

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def shown(self) -> str:
        text = self.text
        return text if len(text) <= EVIDENCE_SHOWN else text[: EVIDENCE_SHOWN - 1] + "…"


def _issue(check: str, token: str, evidence: Evidence, message: str) -> SupportIssue:
    return SupportIssue.model_validate(
        {"check": check, "token": token, "evidence": evidence.shown, "message": message}
    )
