"""Whom an outlet cites: quoted people and organisations, news agencies, anonymous sources, documents."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from summarizer.analysis._text import DocIndex
from summarizer.analysis.names import NameMention
from summarizer.analysis.quotes import QuoteMention
from summarizer.text import wordlist

CitedKind = Literal["named_person", "organization", "news_agency", "document", "anonymous"]

NEWS_AGENCIES = wordlist("news_agencies")
_ANONYMOUS = re.compile(
    r"\b(?:(?:senior|western|u\.s\.|us|american|iranian|russian|european|israeli|government|"
    r"administration|military|security|intelligence|diplomatic|unnamed|anonymous)\s+)*"
    r"(?:officials|sources|diplomats|aides|people familiar with [\w\s]{3,30}?|a source|an official|"
    r"a (?:senior |western |government )?(?:official|diplomat|source))\b"
    r"(?=[^.]{0,60}\b(?:said|say|says|told|according|speaking on condition))",
    re.IGNORECASE,
)
_DOCUMENT = re.compile(
    r"\b(?:Resolution \d+|(?:according to|cited|citing|in) (?:a|the) (?:\w+ ){0,3}"
    r"(?:report|statement|document|letter|memo|filing|indictment|lawsuit|transcript|study|survey))\b",
)


@dataclass
class Citation:
    """One party an outlet cites, with the spans where it does."""

    name: str
    kind: CitedKind
    spans: list[tuple[int, int]] = field(default_factory=list)


def _agency(name: str) -> bool:
    return any(w in NEWS_AGENCIES for w in name.replace("’s", "").split()) or "News Agency" in name


def find_citations(
    idx: DocIndex, names: Sequence[NameMention], quotes: Sequence[QuoteMention]
) -> list[Citation]:
    found: dict[str, Citation] = {}

    def add(name: str, kind: CitedKind, start: int, end: int) -> None:
        c = found.setdefault(name.lower(), Citation(name, kind))
        c.spans.append((start, end))

    by_canonical = {m.canonical: m for m in names}
    for q in quotes:
        if q.speaker is None:
            continue
        m = by_canonical.get(q.speaker)
        if m is not None and m.type == "person":
            add(q.speaker, "named_person", q.start, q.end)
        elif m is not None:
            add(q.speaker, "news_agency" if _agency(q.speaker) else "organization", q.start, q.end)
        else:
            add(q.speaker, "anonymous", q.start, q.end)
    for m in names:
        sentence = idx.sentence_at(m.start)
        if sentence is None or idx.boilerplate[sentence]:
            continue
        if m.type == "organization" and _agency(m.canonical) and m.canonical.lower() not in _own(idx):
            add(m.canonical, "news_agency", m.start, m.end)
    for pattern, kind in ((_ANONYMOUS, "anonymous"), (_DOCUMENT, "document")):
        for hit in pattern.finditer(idx.text):
            sentence = idx.sentence_at(hit.start())
            if sentence is not None and not idx.boilerplate[sentence]:
                add(_clean(hit.group(0)), kind, hit.start(), hit.end())  # type: ignore[arg-type]
    return list(found.values())


def _own(idx: DocIndex) -> str:
    """The outlet's own name: an agency naming itself in its byline is not a source it cites."""
    return idx.doc.outlet.lower()


def _clean(text: str) -> str:
    return re.sub(r"^(?:according to|cited|citing|in)\s+", "", text, flags=re.IGNORECASE)
