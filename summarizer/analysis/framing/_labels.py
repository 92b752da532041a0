"""Labels for the same person or body (`hardline cleric X` / `X`), and contested names for one group
(`Iranian regime` / `Iranian government`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from summarizer.analysis._text import words_set
from summarizer.analysis.framing._aspects import LABEL, NAMING, FramingAspect, FramingWording
from summarizer.analysis.framing._doc import _Doc, _fold, _fold_term, _trimmed
from summarizer.analysis.framing._lexicon import (
    _FIXED_NAMING,
    _FIXED_TERM,
    _NAMING,
    _NAMING_TERM,
    _NOUN_LABELS,
    LABELS,
    SPEECH,
)
from summarizer.analysis.names import NameGroup, NameMention
from summarizer.schemas import Span
from summarizer.text import STOPWORDS_ANALYSIS, TOKEN, wordlist

_APPOSITIVE = re.compile(r",\s+(?:the|a|an)\s+([^,.;:()“”\"]{3,80}?)(?=[,.;:)]|\s+(?:who|which|said)\b)")


def _labels(docs: Sequence[_Doc], groups: Sequence[NameGroup]) -> list[FramingAspect]:
    by_id = {d.id: d for d in docs}
    out = []
    for g in groups:
        if g.type not in ("person", "organization") or len(g.sources) < 2:
            continue
        labelled: dict[str, tuple[Span, str]] = {}
        for m in g.mentions:
            doc = by_id.get(m.source)
            if doc is None or m.source in labelled or doc.quoted(m.start):
                continue
            found = _descriptor(doc, m)
            if found is not None:
                labelled[m.source] = found
        if not labelled:
            continue
        words = {w for _, w in labelled.values()}
        plain = []
        for source in g.sources:
            if source in labelled:
                continue
            doc = by_id[source]
            mentions = [m for m in g.mentions if m.source == source and not doc.quoted(m.start)]
            if not mentions or _says_any(doc, mentions, words):
                continue
            plain.append(FramingWording(source, _with_role(doc, mentions[0])))
        if not plain:
            continue
        choices = [FramingWording(s, span) for s, (span, _) in labelled.items()] + plain
        order = {s: n for n, s in enumerate(d.id for d in docs)}
        choices.sort(key=lambda c: order[c.source])
        out.append(FramingAspect(f"How {g.canonical} is described", "label", 0.85, choices, LABEL.code))
    return out


def _descriptor(doc: _Doc, m: NameMention) -> tuple[Span, str] | None:
    """A loaded label attached to a mention: among the (up to four) words right before it and its
    title, with no function word or punctuation between (`hardline cleric X`, `embattled Rep. X`) and
    the name ending its phrase (not `controversial Trump policy`), or in an appositive (`X, a hardline
    cleric,`)."""
    text = doc.idx.text
    end = m.start
    if m.role and text[: m.start].endswith(m.role + " "):
        end = m.start - len(m.role) - 1
    sentence = doc.idx.sentence_at(m.start)
    floor = doc.idx.doc.sentences[sentence].start if sentence is not None else 0
    lo = max(floor, end - 80)
    before = list(TOKEN.finditer(text, lo, end))
    if before and lo > floor and not text[lo - 1].isspace():
        before = before[1:]  # a word cut by the look-back limit
    start: int | None = None
    label = ""
    words = [(tok.start(), tok.group(0), _fold(tok.group(0))) for tok in reversed(before[-2:])]
    words = words[: next((n for n, (_, raw, word) in enumerate(words) if _stops(raw, word)), len(words))]
    if words and _is_label(words[0][2], noun_ok=True):
        start, label = words[0][0], words[0][2]  # `hardline Ahmad Khatami`, `dictator Kim Jong Un`
    elif len(words) == 2 and LABELS.get(words[0][2]) is None and _is_label(words[1][2], noun_ok=False):
        start, label = words[1][0], words[1][2]  # `hardline cleric X`, not `regime critic X`
    if (
        start is not None
        and (_ends_phrase(text, m.end) or LABELS[label] == "distance")
        and not doc.quoted(start)
    ):
        return _trimmed(doc.idx, start, m.end), label
    app = _APPOSITIVE.match(text, m.end)
    if app is not None and not doc.quoted(app.start(1)):
        found = _appositive_label(app.group(1))
        if found is not None:
            return _trimmed(doc.idx, m.start, app.end(1)), found
    return None


def _stops(raw: str, word: str) -> bool:
    return raw[-1] in ',;:.!?”"' or word in STOPWORDS_ANALYSIS or not word or raw.endswith(("'s", "’s"))


_NOT_PERSONAL = words_set("regime regimes")
"""Labels of governments, named apart (`_namings`), never of a person."""


def _is_label(word: str, noun_ok: bool) -> bool:
    """Whether `word` labels the person when written right before the name (`noun_ok`: as a title,
    `dictator X`) or right before the role noun (`hardline cleric X`: adjectives only)."""
    cls = LABELS.get(word)
    if cls is None or word in _NOT_PERSONAL:
        return False
    if cls == "distance":
        return noun_ok
    return cls == "label" and (noun_ok or word not in _NOUN_LABELS)


_APPOSITIVE_STOP = wordlist("appositive_stops")


def _appositive_label(phrase: str) -> str | None:
    """The label in an appositive (`, a hardline cleric,`): its head noun (`a demagogue`) or an adjective
    right before the head (`a controversial figure`); nothing after a preposition (`a victim of the
    regime`) or in a possessor (`the dictator's former physician`)."""
    words: list[tuple[str, str]] = []
    for tok in TOKEN.finditer(phrase):
        word = _fold(tok.group(0))
        if word in _APPOSITIVE_STOP:
            break
        words.append((tok.group(0), word))
    if not words:
        return None
    head_raw, head = words[-1]
    if head_raw.endswith(("'s", "’s")):
        return None
    if _is_label(head, noun_ok=True) and LABELS.get(head) == "label":
        return head
    if len(words) >= 2 and not words[-2][0].endswith(("'s", "’s")) and _is_label(words[-2][1], noun_ok=False):
        return words[-2][1] if LABELS.get(words[-2][1]) == "label" else None
    return None


def _ends_phrase(text: str, end: int) -> bool:
    """Whether a name ends its noun phrase: punctuation follows (not a possessive), or a function word
    or a verb in the past tense (`… Khatami said`, `… Khatami led`), not a noun (`… Trump policy`)."""
    nxt = text[end : end + 1]
    if nxt in ("’", "'"):
        return False
    if not nxt or not nxt.isspace():
        return True
    found = TOKEN.search(text, end)
    word = _fold(found.group(0)) if found else ""
    return (
        word in STOPWORDS_ANALYSIS
        or word in SPEECH
        or (word.isalpha() and word.endswith("ed"))
        or word in _PAST
    )


_PAST = wordlist("irregular_past")
"""Irregular past tenses: a verb after a name ends its phrase (`… Khatami led prayers`)."""


def _says_any(doc: _Doc, mentions: Sequence[NameMention], words: set[str]) -> bool:
    """Whether the document uses any of `words` in a sentence that names the person or body."""
    sentences = {doc.idx.sentence_at(m.start) for m in mentions}
    for n in sentences:
        if n is None:
            continue
        sent = doc.idx.doc.sentences[n]
        if any(t.folded in words for t in doc.terms_in(sent.start, sent.end)):
            return True
    return False


def _with_role(doc: _Doc, m: NameMention) -> Span:
    """A mention with the title written before it (`Rep. Adam Schiff`), as the outlet introduces it."""
    start = m.start
    if m.role and doc.idx.text[: m.start].endswith(m.role + " "):
        start = m.start - len(m.role) - 1
    return doc.idx.span(start, m.end)


def _namings(docs: Sequence[_Doc]) -> list[FramingAspect]:
    """Contested names for one group: the same modifier before a loaded and a neutral word across
    sources (`Iranian regime` / `Iranian government`), or terms that name their referent alone. A
    source that uses a loaded name anywhere shows its first; only sources that never do count as
    neutral."""
    loaded: dict[tuple[str, str], dict[str, Span]] = {}
    neutral: dict[tuple[str, str], dict[str, tuple[Span, str]]] = {}
    for doc in docs:
        for key, span, is_loaded, shown in _naming_terms(doc):
            if is_loaded:
                loaded.setdefault(key, {}).setdefault(doc.id, span)
            else:
                neutral.setdefault(key, {}).setdefault(doc.id, (span, shown))
    out = []
    for key, by_source in loaded.items():
        plain = {s: v for s, v in neutral.get(key, {}).items() if s not in by_source}
        if not plain:
            continue
        kind = key[0]
        shown = next(iter(plain.values()))[1]
        if kind in _FIXED_NAMING:
            aspect = _FIXED_NAMING[kind][2]
        elif kind == "government":
            aspect = f"How the {shown} is named"
        else:
            aspect = f"How {shown} are named"
        spans = {**{s: span for s, (span, _) in plain.items()}, **by_source}
        choices = [FramingWording(d.id, spans[d.id]) for d in docs if d.id in spans]
        out.append(FramingAspect(aspect, "label", 0.85, choices, NAMING.code))
    return out


def _naming_terms(doc: _Doc) -> Iterator[tuple[tuple[str, str], Span, bool, str]]:
    text = doc.idx.text
    for m in _NAMING_TERM.finditer(text):
        if doc.quoted(m.start()) or _sentence_start(text, m.start()):
            continue
        head = _fold_term(m.group(2))
        for kind, (loaded, neutral, neutral_word) in _NAMING.items():
            if head in loaded or head in neutral:
                key = (kind, _modifier(text, m.start(1), m.end(1)))
                shown = f"{text[m.start(1) : m.end(1)]} {neutral_word}"
                yield key, doc.idx.span(m.start(), m.end()), head in loaded, shown
    for m in _FIXED_TERM.finditer(text):
        if doc.quoted(m.start()):
            continue
        term = _fold_term(m.group(0))
        for kind, (loaded, neutral, _) in _FIXED_NAMING.items():
            if term in loaded or term in neutral:
                yield (kind, ""), doc.idx.span(m.start(), m.end()), term in loaded, kind


def _modifier(text: str, start: int, end: int) -> str:
    """The modifier that identifies the group, folded whole, with a capitalised word written before it
    (`North Korean`, not `South Korean`; `Austrian`, not `Australian`)."""
    modifier = _fold(text[start:end])
    before = text[max(0, start - 40) : start].split()
    if before and before[-1][:1].isupper() and before[-1][-1:].isalpha():
        word = _fold(before[-1])
        if word not in STOPWORDS_ANALYSIS:
            modifier = f"{word} {modifier}"
    return modifier


def _sentence_start(text: str, offset: int) -> bool:
    """A capital at the start of a sentence (`The regime …`) is no modifier."""
    before = text[max(0, offset - 3) : offset].rstrip()
    return not before or before[-1] in '.!?\n“"'
