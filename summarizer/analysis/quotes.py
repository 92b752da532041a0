"""Direct and indirect quotations with their speakers.

Direct quotes are the stretches between quotation marks (curly or straight; a quote left open at the
end of a paragraph continues when the next paragraph opens with a quotation mark). The speaker comes
from the quote's sentence: a name or pronoun next to a speech verb (`“…,” X said`, `X said: “…”`, `said
X`, `according to X`), or the subject of a participle of saying (`X …, saying “…”`). A colon gives the
quote to the subject of the clause it ends, unless a verb of saying by the colon has a subject of its
own (`X is shown while a narrator says: “…”`): then that subject speaks, or nobody when it is no name.
A quote over several sentences is attributed outside it, never by its own words. A pronoun resolves to
the subject of the nearest sentence before that names a person, else to the last speaker if that quote
was recent; a bare surname to the fullest name in the document; a description (`the chief Russian
diplomat`) to a person named in the sentences just before who shares a word with it, else it stays as
written. A quote with no attribution right after another quote continues that speaker, unless its
sentence names someone else. When these rules find nobody they name nobody: an unknown speaker is
better than a wrong one. Short quoted phrases with no speaker nearby are scare quotes (`“wrong path”`),
not quotations. Indirect quotes are sentences of the form `X said (that) …`, `…, X said.` or `according
to X, …`, with no quotation marks.

The work is done in two private modules, one concern each: `_quote_marks` (the quoted stretches of a
text) and `_quote_speakers` (who speaks a direct quote); this module finds the quotes, direct and
indirect, and re-exports their public names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from summarizer.analysis._quote_marks import quoted_stretches
from summarizer.analysis._quote_speakers import (
    MAX_COLON_TAIL_WORDS,
    MAX_SUBJECT_WORDS,
    SPEECH_VERBS,
    Resolution,
    _attribute,
    _continued,
    _State,
)
from summarizer.analysis._text import DocIndex, index_of, is_boilerplate
from summarizer.analysis.names import NameIndex, NameMention, find_names
from summarizer.schemas import Document

__all__ = [
    "MAX_COLON_TAIL_WORDS",
    "MAX_SUBJECT_WORDS",
    "MIN_QUOTE_WORDS",
    "SPEECH_VERBS",
    "QuoteKind",
    "QuoteMention",
    "Resolution",
    "find_quotes",
    "quoted_stretches",
]

QuoteKind = Literal["direct", "partial", "indirect"]
MIN_QUOTE_WORDS = 4
"""Quoted stretches shorter than this count only when a speaker is attributed in their sentence."""


@dataclass(frozen=True)
class QuoteMention:
    """A quotation: `start:end` covers the quoted words, without the quotation marks."""

    source: str
    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: str | None
    """The speaker by the fullest name in the document, or as written when it cannot be resolved."""
    speaker_text: str | None
    """The speaker as written next to the quote (`he`, `Vaezi`, `the chief Russian diplomat`)."""
    resolution: Resolution


def find_quotes(
    doc: Document, index: DocIndex | None = None, names: Sequence[NameMention] | None = None
) -> list[QuoteMention]:
    idx = index or index_of(doc)
    mentions = NameIndex(names if names is not None else find_names(doc, idx))
    direct = _direct(idx, mentions)
    indirect = _indirect(idx, mentions, direct)
    return sorted(direct + indirect, key=lambda q: q.start)


# ------------------------------------------------------------------------------------------------
# Direct quotes (their speakers: `_quote_speakers`)
# ------------------------------------------------------------------------------------------------


def _direct(idx: DocIndex, names: NameIndex) -> list[QuoteMention]:
    state = _State()
    out: list[QuoteMention] = []
    for start, end in quoted_stretches(idx.text):
        sentence = idx.sentence_at(start)
        if sentence is None or idx.boilerplate[sentence]:
            continue
        found = _attribute(idx, names, start, end, sentence, state)
        words = len(idx.text[start:end].split())
        if found is None and words < MIN_QUOTE_WORDS:
            continue  # a scare quote or a term, not a quotation
        speaker, written, how = found or _continued(idx, names, state, start, end)
        kind: QuoteKind = "direct" if words >= MIN_QUOTE_WORDS else "partial"
        out.append(QuoteMention(idx.id, start, end, idx.text[start:end], kind, speaker, written, how))
        if kind == "partial":
            continue  # a quoted term (`NBC's “Today” show`) neither starts nor ends a run of quotes
        if speaker is not None:
            state.last_speaker = (speaker, written, how)
        state.last_end = end
    return out


# ------------------------------------------------------------------------------------------------
# Indirect quotes
# ------------------------------------------------------------------------------------------------

_INDIRECT_AFTER = re.compile(rf"\s*(?:has |had )?(?:{SPEECH_VERBS})(?: on \w+)?(?:,)?(?: that)?\s+")


def _indirect(idx: DocIndex, names: NameIndex, direct: Sequence[QuoteMention]) -> list[QuoteMention]:
    quoted = {idx.sentence_at(q.start) for q in direct if q.kind == "direct"}
    out: list[QuoteMention] = []
    people = NameIndex([m for m in names.mentions if m.type in ("person", "organization")])
    for i, s in enumerate(idx.doc.sentences):
        text = idx.sentence_texts[i]
        if i in quoted or is_boilerplate(text):
            continue
        found = _indirect_in(idx, people, s.start, s.end)
        if found is not None:
            out.append(found)
    return out


def _indirect_in(idx: DocIndex, people: NameIndex, start: int, end: int) -> QuoteMention | None:
    text = idx.text
    for m in people.between(start, end):
        after = _INDIRECT_AFTER.match(text, m.end, end)
        if after is not None and m.start - start <= 40 and end - after.end() > 15:
            return _make_indirect(idx, after.end(), end, m)
        tail = re.match(rf"\s*(?:{SPEECH_VERBS})\s*\.?\s*$", text[m.end : end])
        comma = text.rfind(",", start, m.start)
        if tail is not None and comma > start and m.start - comma <= 4:
            return _make_indirect(idx, start, comma, m)
        acc = re.search(r"[Aa]ccording to\s*$", text[max(start, m.start - 14) : m.start])
        if acc is not None and end - m.end > 15 and text[m.end : m.end + 1] == ",":
            return _make_indirect(idx, m.end + 1, end, m)
        if acc is not None and m.start - start > 15:
            return _make_indirect(
                idx, start, text.rfind(",", start, m.start) if "," in text[start : m.start] else m.start, m
            )
    return None


def _make_indirect(idx: DocIndex, start: int, end: int, who: NameMention) -> QuoteMention | None:
    while start < end and idx.text[start] in " ,":
        start += 1
    while end > start and idx.text[end - 1] in " .,":
        end -= 1
    if len(idx.text[start:end].split()) < 4:
        return None
    return QuoteMention(idx.id, start, end, idx.text[start:end], "indirect", who.canonical, who.text, "named")
