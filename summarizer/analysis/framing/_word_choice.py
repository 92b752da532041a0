"""Word choice in matching statements: a loaded term in one source and what stands in its place in the
sentence another source's alignment pairs with it: the same slot of a word diff, the verb given the same
speaker, or the words around a shared neighbour."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from summarizer.analysis.compare import Analysis
from summarizer.analysis.framing._aspects import WORD_CHOICE, FramingAspect, FramingWording
from summarizer.analysis.framing._doc import _PUNCT, _Doc, _Term, _Token, _token_range, _window
from summarizer.analysis.framing._lexicon import _INVERTIBLE, _MILD, _NOUN_LABELS, LEXICON, SPEECH
from summarizer.analysis.framing._speech import _introduces_speech, _People, _Said, _speaker
from summarizer.schemas import Span
from summarizer.text import (
    CAPITALISED_WORD,
    LETTER_WORD,
    SPACED_LOWER_WORD,
    STOPWORDS_ANALYSIS,
    content_stems,
)

MATCH_SCORE = 0.3
"""Aligned sentences this similar (and each other's best match) are taken as the same statement."""


def _differs(a: str | None, b: str | None) -> bool:
    """Whether two term classes (None: no loaded term) word a statement with different connotations."""
    if a == b:
        return False
    neutral = {None, "said"}
    if a in neutral and b in neutral:
        return False
    return not (a in _MILD and b in _MILD)


def _word_choices(docs: Sequence[_Doc], analysis: Analysis, people: _People) -> list[FramingAspect]:
    alignment = analysis.alignment
    out = []
    for d, doc in enumerate(docs):
        for s in range(len(doc.idx.doc.sentences)):
            sent = doc.idx.doc.sentences[s]
            here = doc.terms_in(sent.start, sent.end)
            terms = [t for t in here if t.cls != "said" and not _names_a_topic(doc, t)]
            if not terms:
                continue
            partners = []
            for o, (t, score) in alignment.best.get((d, s), {}).items():
                back = alignment.match(o, t, d)
                if score >= MATCH_SCORE and back is not None and back[0] == s:
                    partners.append((o, t, score))
            if not partners:
                continue
            tokens = doc.tokens(s)
            for term in terms:
                found = _choice_for(docs, d, s, tokens, term, partners, people)
                if found is not None:
                    out.append(found)
    return out


def _names_a_topic(doc: _Doc, term: _Term) -> bool:
    """Whether a noun label only says what a person's role is about (`regime critic Alexei Navalny`,
    `extremist researcher Mary Jones`): it labels neither the person nor anyone in the statement."""
    if term.folded not in _NOUN_LABELS:
        return False
    text = doc.idx.text
    m = SPACED_LOWER_WORD.match(text, term.end)
    while m is not None and m.end() not in doc.name_start:
        m = CAPITALISED_WORD.match(text, m.end())  # titles before the name: `regime critic Dr. X`
    return m is not None


def _choice_for(
    docs: Sequence[_Doc],
    d: int,
    s: int,
    tokens: list[_Token],
    term: _Term,
    partners: Sequence[tuple[int, int, float]],
    people: _People,
) -> FramingAspect | None:
    doc = docs[d]
    speech = term.cls in SPEECH.values()
    said = _speaker(doc, s, tokens, term, people) if speech else None
    if speech and said is None:
        return None  # `slammed the door`, `charged with`: not a verb of saying here
    if speech and term.cls in _INVERTIBLE and not _introduces_speech(doc, tokens, term):
        return None  # `claimed the title`: a verb that reports words, here without any
    lo, hi = _token_range(tokens, term)
    choices = [FramingWording(doc.id, said.span if said else _window(doc, tokens, lo, hi))]
    classes: list[str | None] = [term.cls]
    weakest = 1.0
    for o, t, score in partners:
        found = _counterpart(docs, d, tokens, lo, hi, term, said, docs[o], t, people)
        if found is None:
            continue
        span, cls, strength = found
        choices.append(FramingWording(docs[o].id, span))
        classes.append(cls)
        weakest = min(weakest, strength + 0.25 * min(score, 1.0))
    if len(choices) < 2 or not any(_differs(term.cls, c) for c in classes[1:]):
        return None
    aspect = (
        f"How {said.speaker}’s remarks are described"
        if said is not None and said.speaker
        else f"Word choice in the statement on {_topic(docs, choices)}"
    )
    return FramingAspect(aspect, "word_choice", round(weakest, 2), choices, WORD_CHOICE.code)


def _counterpart(
    docs: Sequence[_Doc],
    d: int,
    tokens: list[_Token],
    lo: int,
    hi: int,
    term: _Term,
    said: _Said | None,
    other: _Doc,
    t: int,
    people: _People,
) -> tuple[Span, str | None, float] | None:
    """What the other source's matching sentence has where the term stands, with its class and how
    directly it is tied to the term: the same slot of a word diff (0.6), the verb the other gives the
    same speaker (0.5), or the words around a shared neighbour word (0.35)."""
    doc = docs[d]
    o_tokens = other.tokens(t)
    if said is not None and said.group is None:
        return None  # a pronoun: two of them need not stand for one person
    slot = _same_slot(doc, tokens, lo, hi, other, o_tokens)
    if slot is not None:
        a, b = slot
        cls = _class_in(other, o_tokens, a, b)
        if said is None:
            return _window(other, o_tokens, a, b), cls, 0.6
        if cls is None or cls not in SPEECH.values():
            return None  # `attacked the base` / `struck the base`: no verb of saying on the other side
        verb = other.terms_in(o_tokens[a].start, o_tokens[b - 1].end)[0]
        theirs = _speaker(other, t, o_tokens, verb, people)
        if theirs is None or theirs.group != said.group or not _speaks(other, o_tokens, verb, term):
            return None  # another speaker's verb in the same place, or not a verb of saying here
        return theirs.span, cls, 0.6
    if said is not None and said.group is not None:
        found = _same_speaker(other, t, o_tokens, said.group, people, term)
        return (*found, 0.5) if found is not None else None
    if other.uses(term.folded):
        return None  # the other source uses the same word elsewhere: no contrast to show
    found = _shared_neighbour(doc, tokens, lo, hi, other, o_tokens)
    return (*found, 0.35) if found is not None else None


def _same_slot(
    doc: _Doc, tokens: list[_Token], lo: int, hi: int, other: _Doc, o_tokens: list[_Token]
) -> tuple[int, int] | None:
    """The tokens of the other sentence in the term's slot: the same word, the stretch a word diff
    replaces it with, or the gap where the other has nothing (`a == b`). A changed slot must lie
    between shared neighbours (two words at least, one of them a content word), change at most one
    word beside the term into at most three, and hold no name on either side: swapping a person for
    another is no word choice."""
    if not o_tokens:
        return None
    matcher = difflib.SequenceMatcher(
        a=[t.folded for t in tokens], b=[t.folded for t in o_tokens], autojunk=False
    )
    ops = matcher.get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if not (i1 <= lo and hi <= i2):
            if i1 < hi and lo < i2:
                return None  # the term straddles two stretches: no clean slot
            continue
        if tag == "equal":
            a, b = j1 + lo - i1, j1 + hi - i1
            return None if other.quoted(o_tokens[a].start) else (a, b)
        # get_opcodes never puts two changes side by side: the neighbours are equal stretches.
        shared = [w for op in ops[max(0, k - 1) : k + 2] if op[0] == "equal" for w in tokens[op[1] : op[2]]]
        if len(shared) < 2 or all(w.folded in STOPWORDS_ANALYSIS for w in shared):
            return None
        if i2 - i1 > hi - lo + 1 or j2 - j1 > 3 or doc.has_name(tokens[i1].start, tokens[i2 - 1].end):
            return None
        if j2 > j1 and (
            other.quoted(o_tokens[j1].start) or other.has_name(o_tokens[j1].start, o_tokens[j2 - 1].end)
        ):
            return None
        if _capitals(doc, tokens, i1 - 3, i2 + 3) != _capitals(other, o_tokens, j1 - 3, j2 + 3):
            return None  # `Cuban regime` / `Chinese government`: another country, not another word
        return j1, j2
    return None


def _class_in(doc: _Doc, tokens: Sequence[_Token], lo: int, hi: int) -> str | None:
    lo, hi = max(0, lo), min(hi, len(tokens))  # a window may run past the sentence's last word
    if hi <= lo:
        return None
    found = doc.terms_in(tokens[lo].start, tokens[hi - 1].end)
    return found[0].cls if found else None


def _shared_neighbour(
    doc: _Doc, tokens: list[_Token], lo: int, hi: int, other: _Doc, o_tokens: list[_Token]
) -> tuple[Span, str | None] | None:
    """The words around a content word next to the term (the noun it qualifies, usually) in the other
    sentence, when that word occurs once in each sentence, outside quotation marks."""
    for k in (hi, lo - 1, hi + 1, lo - 2):
        if not 0 <= k < len(tokens):
            continue
        word = tokens[k].folded
        if (
            word in STOPWORDS_ANALYSIS
            or len(word) < 3
            or not word.replace("-", "").isalpha()
            or word in LEXICON
        ):
            continue
        if sum(t.folded == word for t in tokens) != 1:
            continue
        hits = [n for n, t in enumerate(o_tokens) if t.folded == word]
        if len(hits) != 1 or other.quoted(o_tokens[hits[0]].start):
            continue
        n = hits[0]
        left, right = min(lo, k) - 3, max(hi, k + 1) + 3
        if _capitals(doc, tokens, left, right) != _capitals(other, o_tokens, n - (k - left), n + (right - k)):
            return None  # `Maduro regime met` / `Madrid government met`: other names about the word
        return _window(other, o_tokens, n, n + 1), _class_in(other, o_tokens, max(0, n - 2), n + 3)
    return None


def _capitals(doc: _Doc, tokens: Sequence[_Token], lo: int, hi: int) -> set[str]:
    """The capitalised words among tokens `lo:hi` (clipped): names, demonyms, titles; a sentence's
    first word only when it is neither a function word nor a lexicon term (`Blistering`)."""
    text = doc.idx.text
    out = set()
    for n in range(max(0, lo), min(len(tokens), hi)):
        tok = tokens[n]
        word = text[tok.start : tok.end].lstrip(_PUNCT)
        if not word[:1].isupper() or not tok.folded:
            continue
        if n == 0 and (tok.folded in STOPWORDS_ANALYSIS or tok.folded in LEXICON):
            continue
        out.add(tok.folded)
    return out


def _same_speaker(
    other: _Doc, t: int, o_tokens: list[_Token], group: int, people: _People, mine: _Term
) -> tuple[Span, str | None] | None:
    """The verb of saying the other sentence gives the same person, if any."""
    sent = other.idx.doc.sentences[t]
    for term in other.terms_in(sent.start, sent.end):
        if term.cls not in SPEECH.values():
            continue
        said = _speaker(other, t, o_tokens, term, people)
        if said is not None and said.group == group and _speaks(other, o_tokens, term, mine):
            return said.span, term.cls
    return None


_TARGETED = frozenset({"attack", "criticise", "accuse", "mock"})
"""Classes that take their target as object (`slammed the plan`), in words as in deeds (`attacked the
base`): one is taken as a verb of saying only beside a verb of saying on the other side."""


def _speaks(doc: _Doc, tokens: list[_Token], verb: _Term, mine: _Term) -> bool:
    """Whether the other side's verb is a verb of saying in this sense: it reports words (`said that`,
    `…,” Smith said`), or, beside a verb with a target (`slammed the plan`), takes a target too
    (`criticised the plan`). `struck the base` or `said on Monday` beside `attacked the base` is no
    other wording of one statement."""
    if verb.cls in _TARGETED and mine.cls in _TARGETED:
        return True
    if verb.cls == "said" and mine.cls not in _TARGETED:
        return True  # the neutral verb, beside a verb that reports words checked already
    return _introduces_speech(doc, tokens, verb)


def _topic(docs: Sequence[_Doc], choices: Sequence[FramingWording]) -> str:
    """Up to three content words every choice's sentence shares, names first, in the first one's order."""
    by_id = {d.id: d for d in docs}
    sentences = []
    for c in choices:
        idx = by_id[c.source].idx
        found = idx.sentence_at(c.span.start)
        sentences.append(idx.sentence_text(found) if found is not None else c.span.text)
    shared = set.intersection(*(set(content_stems(s)) for s in sentences))
    words: list[str] = []
    last = -2  # where the last capitalised word taken ended: a name's words are joined (`Adam Schiff`)
    for m in LETTER_WORD.finditer(sentences[0]):
        w = re.sub(r"['’]s$", "", m.group(0))
        stems = content_stems(w)
        if not (stems and stems[0] in shared and w.lower() not in LEXICON):
            continue
        capital = w[0].isupper()
        if capital and words and words[-1][0].isupper() and sentences[0][last : m.start()] == " ":
            words[-1] = f"{words[-1]} {w}"
        elif w not in words:
            words.append(w)
        last = m.start() + len(w) if capital and w == m.group(0) else -2
    named = [w for w in words if w[0].isupper()] + [w for w in words if not w[0].isupper()]
    top = [w for w in words if w in named[:3]]
    return ", ".join(top) if top else "a matching statement"
