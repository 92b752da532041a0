"""Verbs of saying and their speakers, and the verbs each source uses for one person's words across
the articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.analysis._text import words_set
from summarizer.analysis.compare import Analysis
from summarizer.analysis.dates import WEEKDAYS
from summarizer.analysis.framing._aspects import SPEECH_VERBS, FramingAspect, FramingWording
from summarizer.analysis.framing._doc import _PUNCT, _Doc, _Term, _Token, _token_range
from summarizer.analysis.framing._lexicon import _INVERTIBLE, SPEECH
from summarizer.analysis.names import NameGroup, NameMention
from summarizer.schemas import Span
from summarizer.text import NEXT_WORD, wordlist

_FILLERS = wordlist("speech_fillers")
_PRONOUNS = frozenset({"he", "she", "they"})


@dataclass(frozen=True)
class _People:
    """The comparison's name groups, to tell one person across sources: each mention's group (by source
    and start) and each group's number."""

    groups: dict[tuple[str, int], NameGroup]
    group_ids: dict[int, int]

    @classmethod
    def of(cls, analysis: Analysis) -> _People:
        return cls(
            {(m.source, m.start): g for g in analysis.names for m in g.mentions},
            {id(g): n for n, g in enumerate(analysis.names)},
        )


@dataclass(frozen=True)
class _Said:
    """A verb of saying with its speaker: `group` identifies the person across sources."""

    term: _Term
    span: Span
    group: int | None
    speaker: str


def _speaker(doc: _Doc, s: int, tokens: list[_Token], term: _Term, people: _People) -> _Said | None:
    """The speaker of a verb of saying: a person named (or a pronoun) just before it, with at most two
    adverbs between (`Bloomberg also charged`), or named just after it following a quotation or comma
    (`…,” claimed Bloomberg`); the accusation verbs must not be passive (`accused of`). The name must be
    the clause's subject: not governed by a preposition, a relative or a verb (`a lawyer for Clinton
    claimed`, `reporters who met Smith claimed`), and not a possessor (`…,” claimed Smith's
    spokesman`). A pronoun is left unresolved (no group): a wrong resolution would put words in
    someone else's mouth."""
    lo, hi = _token_range(tokens, term)
    if term.cls == "accuse" and hi < len(tokens) and tokens[hi].folded in ("of", "in", "by"):
        return None
    k = _before_verb(tokens, lo)
    if k >= 0:
        text = doc.idx.text
        raw = text[tokens[k].start : tokens[k].end]
        mention = doc.name_end.get(tokens[k].end)
        if mention is not None and raw == raw.rstrip(",;:" + _PUNCT):
            found = _person(doc, mention, people)
            if found is not None:
                if not _is_subject(doc, tokens, mention):
                    return None  # `a lawyer for Clinton claimed`: someone else speaks
                return _Said(term, doc.idx.span(mention.start, term.end), *found)
        if tokens[k].folded in _PRONOUNS and raw.isalpha():
            return _Said(term, doc.idx.span(tokens[k].start, term.end), None, "")  # left unresolved
    if term.cls in _INVERTIBLE and lo > 0 and doc.idx.text[tokens[lo - 1].end - 1] in ',”"':
        for j in (hi, hi + 1):
            mention = doc.name_start.get(tokens[j].start) if j < len(tokens) else None
            if mention is not None:
                found = _person(doc, mention, people)
                if found is not None:
                    if not _ends_name_phrase(doc.idx.text, mention.end):
                        return None  # `claimed Smith's spokesman`: someone else speaks
                    return _Said(term, doc.idx.span(term.start, mention.end), *found)
    return None


def _before_verb(tokens: list[_Token], lo: int) -> int:
    """The token before a verb at `lo` and what may stand between it and its subject: up to two
    adverbs (`also`, `repeatedly`) and a day (`Thursday`, `on Thursday`: `Mr. Obama on Thursday said`)."""
    k = lo - 1
    adverbs = days = 0
    while k >= 0:
        if tokens[k].folded in _FILLERS and adverbs < 2:
            adverbs += 1
            k -= 1
        elif tokens[k].folded in WEEKDAYS and len(tokens[k].folded) > 4 and not days:
            days += 1
            k -= 2 if k > 0 and tokens[k - 1].folded == "on" else 1
        else:
            break
    return k


_TITLE_WORDS = wordlist("speech_titles")
"""Lower-case title words that may stand between a subject's start and its name (`former mayor X`)."""
_LEADS = wordlist("clause_leads")
"""Words after which a name may open its clause as the subject (`but Clinton said`)."""


def _is_subject(doc: _Doc, tokens: list[_Token], mention: NameMention) -> bool:
    """Whether the name just before a verb is its clause's subject: before the name and its titles
    (capitalised words, lower-case title words), the sentence starts, a clause mark stands, or a word
    that opens a clause (`and`, `but`, `when`); not a preposition, relative or verb (`a lawyer for X`,
    `who met X`)."""
    first = next((n for n, tok in enumerate(tokens) if tok.end > mention.start), 0)
    return _opens_clause(doc, tokens, first)


def _opens_clause(doc: _Doc, tokens: list[_Token], first: int) -> bool:
    text = doc.idx.text
    k = first - 1
    while k >= 0:
        raw = text[tokens[k].start : tokens[k].end]
        if raw.rstrip(_PUNCT)[-1:] in (",", ";", ":", "—", "–") or raw[-1:] in '“"(':
            return True
        word = raw.strip(_PUNCT + ".")
        if word[:1].isupper() and tokens[k].folded not in _GOVERNORS:
            k -= 1
            continue
        if tokens[k].folded in _TITLE_WORDS:
            k -= 1
            continue
        return tokens[k].folded in _LEADS
    return True


_GOVERNORS = wordlist("governors")


def _ends_name_phrase(text: str, end: int) -> bool:
    """Whether a name after an inverted verb of saying ends its phrase: not a possessor (`Smith's
    spokesman`) nor a modifier of a noun after it (`Clinton aide Huma Abedin`)."""
    rest = text[end : end + 2]
    if rest[:1] in ("'", "’") or rest in ("'s", "’s"):
        return False
    nxt = text[end : end + 1]
    if not nxt.isspace():
        return True
    m = NEXT_WORD.match(text, end)
    return m is None or m.group(1).lower() in _AFTER_SPEAKER


_AFTER_SPEAKER = wordlist("after_speaker")
"""Words that may follow an inverted speaker's name (`…,” said Smith on Monday`, `… Smith, who`)."""


def _person(doc: _Doc, mention: NameMention, people: _People) -> tuple[int | None, str] | None:
    group = people.groups.get((doc.id, mention.start))
    if mention.type != "person" and (group is None or group.type != "person"):
        return None
    return (people.group_ids[id(group)] if group is not None else None), _surname(
        group.canonical if group else mention.canonical
    )


def _surname(name: str) -> str:
    words = name.split()
    return words[-1] if words else name


_STRONG = frozenset({"claim", "admit", "boast", "attack", "mock", "complain"})
"""Verb classes whose use for a speaker is reported even across different statements."""


def _speech_profiles(docs: Sequence[_Doc], people: _People) -> list[FramingAspect]:
    """The verbs each source uses to introduce one person's words across the whole article: reported
    when some source uses a strongly loaded verb for them (`claimed`, `admitted`, `slammed`) and
    another source introduces them only with neutral verbs (`said`, `told`). The statements may
    differ, so this ranks below the statement-level word choices and is named for the person. A source
    that gives a loaded verb to a pronoun (`She admitted …`) is never the plain one: the pronoun may
    stand for the same person."""
    uses: dict[int, dict[str, list[_Said]]] = {}
    unresolved: set[str] = set()  # sources with a loaded verb after a pronoun: maybe for the same person
    for doc in docs:
        for term in doc.terms:
            if term.cls not in SPEECH.values():
                continue
            s = doc.idx.sentence_at(term.start)
            if s is None:
                continue
            tokens = doc.tokens(s)
            said = _speaker(doc, s, tokens, term, people)
            if said is None:
                continue
            if said.group is None:
                if term.cls != "said" and not said.speaker:
                    unresolved.add(doc.id)
            elif _introduces_speech(doc, tokens, term):
                uses.setdefault(said.group, {}).setdefault(doc.id, []).append(said)
    out = []
    for by_source in uses.values():
        loaded = {src: [u for u in said if u.term.cls in _STRONG] for src, said in by_source.items()}
        loaded = {src: found for src, found in loaded.items() if found}
        plain = {
            src: said
            for src, said in by_source.items()
            if src not in loaded and src not in unresolved and all(u.term.cls == "said" for u in said)
        }
        if not loaded or not plain:
            continue
        picked = {**{src: said[0] for src, said in plain.items()}, **{src: f[0] for src, f in loaded.items()}}
        choices = [FramingWording(d.id, picked[d.id].span) for d in docs if d.id in picked]
        speaker = next(iter(loaded.values()))[0].speaker
        out.append(
            FramingAspect(
                f"Verbs introducing {speaker}’s statements across the articles",
                "word_choice",
                0.45,
                choices,
                SPEECH_VERBS.code,
            )
        )
    return out


def _introduces_speech(doc: _Doc, tokens: list[_Token], term: _Term) -> bool:
    """Whether a verb reports what someone said: `that`, a quotation, a colon or a new clause's subject
    follows it within three words (`admitted Tuesday she …`), or it closes a quotation (`…,” X said`);
    not `declared his candidacy`."""
    lo, hi = _token_range(tokens, term)
    text = doc.idx.text
    if text[term.end : term.end + 1] == ":":
        return True
    for tok in tokens[hi : hi + 3]:
        raw = text[tok.start : tok.end]
        if tok.folded in _CLAUSE_OPENERS or raw[0] in "“\"'‘":
            return True
    before = text[tokens[max(0, lo - 4)].start : term.start]
    return any(mark in before for mark in ("”", ',"', '."', '?"', '!"'))


_CLAUSE_OPENERS = words_set("that he she they it i we there")
