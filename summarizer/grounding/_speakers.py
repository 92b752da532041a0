"""Speakers: is a quote given to the person the article attributes it to?

The quote's span is matched to the analysis's quotations (`summarizer.analysis.find_quotes`, which
attributes a quote in or before its sentence: `X said`, a pronoun, a description, a continued quote).
When the analysis names a speaker there, the given speaker must name the same person: one of its words
is the speaker's surname, or a spelling variant of it ("Sergie"/"Sergei Lavrov"). When the analysis
names nobody, the given speaker must at least be named somewhere in or before the quote's sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from summarizer.analysis import QuoteMention
from summarizer.grounding._evidence import Evidence, issue
from summarizer.rules import register
from summarizer.schemas import Document, Span, SupportIssue
from summarizer.text import LETTER_WORD, strip_possessive

SPEAKER = register(
    "S203",
    "speaker",
    "check",
    "a quote is given to someone other than the speaker the article attributes it to in or before it",
)

SURNAME_SIMILARITY = 84.0
"""rapidfuzz ratio at or above which a word of the given speaker is the attributed speaker's surname."""


def _words(name: str) -> list[str]:
    return [strip_possessive(w).lower() for w in LETTER_WORD.findall(name)]


def _names_same_person(given: str, attributed: str) -> bool:
    surname = _words(attributed)[-1:]
    if not surname:
        return True
    last = surname[0]
    return any(
        w == last or (min(len(w), len(last)) >= 5 and fuzz.ratio(w, last) >= SURNAME_SIMILARITY)
        for w in _words(given)
    )


def _proper(name: str | None) -> bool:
    """A name, not a description left as written (`the chief Russian diplomat`)."""
    if not name:
        return False
    return name[0].isupper() and not name.lower().startswith(("the ", "a ", "an "))


def speaker_issue(
    doc: Document, quotes: Sequence[QuoteMention], span: Span, speaker: str
) -> SupportIssue | None:
    """The issue with giving the quote at `span` to `speaker`, or None when the article agrees."""
    if not speaker.strip():
        return None
    sentences = [s for s in doc.sentences if s.id in span.sentence_ids]
    evidence = Evidence(tuple(doc.text[s.start : s.end] for s in sentences), doc.published)
    attributed = [
        q.speaker
        for q in quotes
        if q.start < span.end and span.start < q.end and q.resolution != "unknown" and _proper(q.speaker)
    ]
    if attributed:
        if any(_names_same_person(speaker, who) for who in attributed if who):
            return None
        who = attributed[0]
        return issue(
            SPEAKER,
            speaker,
            evidence,
            f"the article attributes this quote to {who}, not to {speaker}",
        )
    named = [w for w in LETTER_WORD.findall(speaker) if w[:1].isupper()]
    if not named:  # "an official": no one named, nothing to hold against the article
        return None
    before = doc.text[: max((s.end for s in sentences), default=span.end)]
    seen = set(_words(before))
    if any(_seen(strip_possessive(w).lower(), seen) for w in named):
        return None
    return issue(
        SPEAKER,
        speaker,
        evidence,
        f"{speaker} is not named in or before the quoted sentences: the quote cannot be shown to be theirs",
    )


def _seen(word: str, seen: set[str]) -> bool:
    if word in seen:
        return True
    if len(word) < 5:
        return False
    return process.extractOne(word, seen, scorer=fuzz.ratio, score_cutoff=SURNAME_SIMILARITY) is not None
