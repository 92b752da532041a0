"""Who speaks a direct quote: the attribution rules of `summarizer.analysis.quotes`.

The speaker comes from the quote's sentence (a name, pronoun or description next to a verb of saying,
the subject of a participle of saying, or of the clause a colon ends), else the previous quote's
speaker continues; the module docstring of `summarizer.analysis.quotes` states the rules in full. A
private part of that module, which re-exports its public names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from summarizer.analysis._quote_marks import _OPEN, quoted_stretches
from summarizer.analysis._text import DocIndex
from summarizer.analysis.names import PLACES, NameIndex, NameMention, fullest_name
from summarizer.text import groups, ordered, table, wordlist

Resolution = Literal["named", "pronoun", "description", "context", "continued", "unknown"]

SPEECH_VERBS = "|".join(w.replace("_", " ") for w in ordered("speech_verbs"))
"""The verbs of attribution as a regex alternation, in `speech_verbs.txt` order."""
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
# `X …, saying “…”`: a participle of saying takes the subject of its sentence as speaker.
_PARTICIPLE = re.compile(rf"\b(?:{'|'.join(ordered('speech_participles'))})\b")
_ADDRESSED = re.compile(r"told|tells|asked|asks")
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|they|He|She|They)\b")
_DESCRIPTION = re.compile(
    r"\b(?:the|a|an|The|A|An)\s+((?:[\w’'\-]+\s+){0,4}"
    r"(?:diplomat|minister|official|spokesman|spokeswoman|spokesperson|president|leader|source|"
    r"officials|sources|aide|adviser|advisor|envoy|ambassador|analyst|expert|"
    r"secretary|senator|lawmaker|chief|head|director|mayor|governor|candidate|nominee|billionaire|"
    r"businessman|official’s|agency|ministry|government|white house|campaign|spokesmen|"
    r"congressman|congresswoman|representative|speaker|judge|prosecutor|attorney|lawyer))\b",
    re.IGNORECASE,
)


@dataclass
class _State:
    last_speaker: tuple[str, str | None, Resolution] | None = None
    last_end: int = -1


def _continued(
    idx: DocIndex, names: NameIndex, state: _State, start: int, end: int
) -> tuple[str | None, str | None, Resolution]:
    """An unattributed quote right after another one continues the previous speaker, unless its own
    sentence names someone else before it (`Mr. Trump intervened, accusing him of “…”`) or has a verb of
    saying it could not resolve: then nobody is named rather than the wrong person."""
    if state.last_speaker is None or not _recent(idx, state, start, 1):
        return None, None, "unknown"
    sentence = idx.sentence_at(start)
    if sentence is not None:
        lo = idx.doc.sentences[sentence].start
        for m in names.between(lo, start):  # the sentence names someone else before the quote
            named = m.type in ("person", "organization")
            if named and m.canonical != state.last_speaker[0] and not _inside_quote(idx, sentence, m.start):
                return None, None, "unknown"
    if sentence is not None and any(
        _VERB.search(idx.text[a:b]) for a, b in _clip(_outside(idx, sentence), start - 1, end + 1)
    ):
        return None, None, "unknown"  # its own attribution, unresolved (`“…,” Smith's lawyer said`)
    return state.last_speaker[0], state.last_speaker[1], "continued"


def _clip(parts: Sequence[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """`parts` without what lies in `lo:hi` (a quote that runs on past its sentence is not outside it)."""
    out = []
    for a, b in parts:
        out += [(x, y) for x, y in ((a, min(b, lo)), (max(a, hi), b)) if y > x]
    return out


def _recent(idx: DocIndex, state: _State, at: int, sentences: int) -> bool:
    """Whether the last quote ended at most `sentences` sentences before the one holding `at`."""
    if state.last_end < 0:
        return False
    prev = idx.sentence_at(state.last_end - 1)
    here = idx.sentence_at(at)
    return prev is not None and here is not None and here - prev <= sentences


def _outside(idx: DocIndex, sentence: int) -> list[tuple[int, int]]:
    """Parts of the sentence outside quotation marks, as (start, end)."""
    key = ("outside", sentence)
    if key not in idx.memo:
        idx.memo[key] = _outside_parts(idx, sentence)
    return idx.memo[key]


def _outside_parts(idx: DocIndex, sentence: int) -> list[tuple[int, int]]:
    s = idx.doc.sentences[sentence]
    return _outside_span(idx, s.start, s.end)


def _attribute(
    idx: DocIndex, names: NameIndex, start: int, end: int, sentence: int, state: _State
) -> tuple[str | None, str | None, Resolution] | None:
    """The speaker attributed in the quote's sentence, nearest the quote; None when none is. A quote
    that runs over several sentences is attributed before its opening, in its first sentence, or after
    its close, in its last (`“… . … ,” X said`); the words inside it never attribute it."""
    last = idx.sentence_at(max(start, end - 1))
    if last is None or last == sentence:
        parts = _outside(idx, sentence)
    else:
        first_s, last_s = idx.doc.sentences[sentence], idx.doc.sentences[last]
        parts = [
            *_outside_span(idx, first_s.start, max(first_s.start, start - 1)),
            *_outside_span(idx, min(end + 1, last_s.end), last_s.end),
        ]
    Who = tuple[str | None, str | None, Resolution]
    best: tuple[tuple[bool, int], Who] | None = None
    for lo, hi in parts:
        part = idx.text[lo:hi]
        for verb in [*_VERB.finditer(part), *_ACCORDING.finditer(part), *_PARTICIPLE.finditer(part)]:
            vstart, vend = lo + verb.start(), lo + verb.end()
            if _PARTICIPLE.fullmatch(verb.group(0)):
                if vend > start or not _complement(idx.text[vend:start]):
                    continue  # "saying the Americans took a “wrong path”": the quote is not what is said
                subject = _sentence_subject(idx, names, idx.sentence_at(vstart), vstart)
                who: Who | None = (subject.canonical, subject.text, "named") if subject else None
                if subject is not None:  # `X is shown while a narrator is heard saying “…”`
                    who = _speaker_of(_own_subject(idx, names, subject.end, vstart)) or who
            else:
                who = _speaker_near(idx, names, vstart, vend, lo, hi, state)
            if who is None:
                continue
            # the nearest attribution, a description only when no name or pronoun attributes the quote
            rank = (who[2] == "description", min(abs(vstart - end), abs(start - vend)))
            if best is None or rank < best[0]:
                best = (rank, who)
    if best is None:
        return _introduced(idx, names, start, sentence)
    return best[1]


def _introduced(
    idx: DocIndex, names: NameIndex, start: int, sentence: int
) -> tuple[str | None, str | None, Resolution] | None:
    """The speaker of a quote a colon introduces (`Biden was quick to retort: “…”`, `Fox tweeted in
    response:` closing the paragraph before): the subject of the clause the colon ends, when that is
    a person named outside quotation marks; else None."""
    before = idx.text[:start].rstrip().rstrip(_OPEN + '"').rstrip()
    if not before.endswith(":"):
        return None
    colon = len(before) - 1
    at = idx.sentence_at(colon)
    subject = _sentence_subject(idx, names, at, colon) if at is not None else None
    if subject is None:
        return None
    clause = idx.text[subject.end : colon]
    verbs = [*_VERB.finditer(clause), *_PARTICIPLE.finditer(clause)]
    verb = max(verbs, key=lambda m: m.start(), default=None)
    tail = clause[verb.end() :] if verb is not None else ""
    if verb is not None and len(tail.split()) <= MAX_COLON_TAIL_WORDS and not _OWN_CLAUSE.search(tail):
        own = _speaker_of(_own_subject(idx, names, subject.end, subject.end + verb.start()))
        if own is not None:  # `Ann Lee is shown while a narrator says:`: the verb's subject speaks
            return own
    if subject.type == "person":
        return subject.canonical, subject.text, "named"
    full = fullest_name(names.mentions, subject.text)  # `Biden` opening the sentence, `Joe Biden` before
    if full != subject.text:
        return full, subject.text, "named"
    if _recurring_surname(names, subject):
        return subject.canonical, subject.text, "named"  # a surname the story keeps using as a subject
    return None


_DETERMINERS = frozenset(w for w, kind in table("fact_clauses").items() if kind == "det")
_OWN_CLAUSE = re.compile(r"[,;]|\b(?:while|whereas|but|and|as|when|after|before|although|though)\b")
MAX_SUBJECT_WORDS = 4
"""The longest noun phrase (`a narrator`, `the voice of an announcer`) read as a verb's own subject."""
MAX_COLON_TAIL_WORDS = 4
"""The most words between a verb of saying and the colon it stands next to (`says in response:`)."""
_AUXILIARIES = frozenset(w for w, kind in table("fact_clauses").items() if kind in ("aux", "modal")) | {
    "then",
    "also",
    "heard",  # `a narrator is heard saying`
    "seen",
}
"""Words between a verb's own subject and the verb (`a voice can be heard saying`, `X then said`)."""


def _own_subject(idx: DocIndex, names: NameIndex, lo: int, verb: int) -> NameMention | str | None:
    """The subject of the verb of saying at `verb` when it is not that of the clause from `lo` (the
    sentence subject's end): a clause of its own opens before the verb (after `while`, `as`, `and`, a
    comma) with a noun phrase led by a determiner, or a name, then at most auxiliaries (`a narrator is
    heard saying`). The name as a mention, a noun phrase as written (it names nobody); None when the verb
    has no subject of its own (`X said:`, `X smiled and then said:`, `X spoke, saying`)."""
    head = idx.text[lo:verb]
    opens = [m.end() for m in _OWN_CLAUSE.finditer(head)]
    if not opens:
        return None
    words = head[opens[-1] :].split()
    while words and words[-1].lower() in _AUXILIARIES:
        words.pop()
    phrase = " ".join(words)
    if not words or len(words) > MAX_SUBJECT_WORDS or re.search(r"[^\w\s’'\-.]", phrase):
        return None
    start = lo + opens[-1] + len(head[opens[-1] :]) - len(head[opens[-1] :].lstrip())
    named = [m for m in names.between(start, verb) if m.type in ("person", "organization")]
    if named and named[0].start == start:
        return named[0]
    if words[0].lower() in _DETERMINERS:
        return phrase
    return None


def _speaker_of(own: NameMention | str | None) -> tuple[str | None, str | None, Resolution] | None:
    """A verb's own subject as an attribution: a name speaks; a noun phrase (`a narrator`) names
    nobody, so the quote is given to nobody rather than to the sentence's subject."""
    if isinstance(own, NameMention):
        return own.canonical, own.text, "named"
    if own is not None:
        return None, own, "unknown"
    return None


def _outside_span(idx: DocIndex, lo: int, hi: int) -> list[tuple[int, int]]:
    """Parts of `lo:hi` outside quotation marks that open and close within it."""
    parts: list[tuple[int, int]] = []
    pos = lo
    for qs, qe in quoted_stretches(idx.text[lo:hi]):
        parts.append((pos, lo + qs - 1))
        pos = lo + qe + 1
    parts.append((pos, hi))
    return [(a, b) for a, b in parts if b > a]


def _complement(between: str) -> bool:
    """Whether a quote is what a participle says: it follows within four words (`saying “…`, `saying
    that “…`, `accusing Mr. Schiff of “…`), in the same clause (a full stop there is an abbreviation's:
    the sentence goes on)."""
    between = between.rstrip(_OPEN + '"')
    return len(between.split()) <= 4 and not re.search(r"[;!?”\"]", between)


_CLAUSE = re.compile(r"[;:]|\b(?:while|whereas|but|and|as|when|after|before|although|though)\b")


def _sentence_subject(
    idx: DocIndex, names: NameIndex, sentence: int | None, before: int
) -> NameMention | None:
    """The subject of a sentence such as `X …, saying “…”`: the first name outside quotation marks (in
    the first 70 characters, before `before`) that opens the sentence or its main clause, after an
    introductory phrase and its comma (`Last week, Russian Foreign Minister X proposed …`): nothing but
    capitalised words, "the" or "former" may stand before it. It must be a person or an organisation
    (a name of unknown type only as the very first word), not a possessive (`X's chief of staff called
    …`), and no other clause with its own named subject may come between it and `before` (`Mary Jones
    criticised the plan, while John Smith defended it, saying …`). Else None: in `Asked about X, …`,
    `After meeting X, …` or `… that confounded X`, X is not the subject."""
    if sentence is None:
        return None
    s = idx.doc.sentences[sentence]
    mentions = [m for m in names.between(s.start, before) if not _inside_quote(idx, sentence, m.start)]
    first = next((m for m in mentions if _opens_clause(idx.text[s.start : m.start])), None)
    if first is None or first.start - s.start > 70:
        return None
    if first.type not in ("person", "organization") and not (
        first.type == "other" and first.start == s.start
    ):
        return None
    if idx.text.startswith(("'s", "’s"), first.end):
        return None
    for m in mentions[mentions.index(first) + 1 :]:  # another clause's subject in between
        other = m.type in ("person", "organization") and m.canonical != first.canonical
        if other and _CLAUSE.search(idx.text[first.end : m.start]):
            return None
    return first


_LEAD_WORDS = frozenset({"the", "former"})


def _opens_clause(before: str) -> bool:
    """Whether a name after `before` (the sentence up to it) opens the sentence or the clause after an
    introductory phrase: only capitalised words, "the" or "former" since the last comma."""
    lead = before.rsplit(",", 1)[-1]
    return all(w[:1].isupper() or w.lower() in _LEAD_WORDS for w in lead.split())


def _speaker_near(
    idx: DocIndex,
    names: NameIndex,
    vstart: int,
    vend: int,
    lo: int,
    hi: int,
    state: _State,
) -> tuple[str | None, str | None, Resolution] | None:
    """A name, pronoun or description right before the verb (`X said`) or right after it (`said X`)."""
    before = idx.text[lo:vstart]
    after = idx.text[vend:hi]
    window_before = before[-70:]
    for m in names.between(lo, hi):
        known = m.type == "person" or m.type == "organization"
        if not known and not (m.end <= vstart and _recurring_surname(names, m)):
            continue  # an unknown one-word name speaks only before the verb (`Biden said`, not `say Obama …`)
        if lo <= m.start and m.end <= vstart and vstart - m.end <= len(window_before):
            gap = idx.text[m.end : vstart]
            if _short_gap(gap):
                return m.canonical, m.text, "named"
        if vend <= m.start < hi and m.start - vend <= 25 and _short_gap(idx.text[vend : m.start]):
            if _ADDRESSED.fullmatch(idx.text[vstart:vend]):
                continue  # `she told MSNBC`: the one spoken to, not the speaker
            return m.canonical, m.text, "named"
    pron = _PRONOUN.search(_last_chars(before, 12)) or _PRONOUN.match(after.lstrip())
    if pron is not None:
        subject = _recent_subject(idx, names, vstart)
        if subject is not None:
            return subject.canonical, pron.group(1), "pronoun"
        if state.last_speaker is None or not _recent(idx, state, vstart, 2):
            return None, pron.group(1), "unknown"  # nobody recent to refer to: say so, guess nobody
        return state.last_speaker[0], pron.group(1), "pronoun"
    desc = _last_match(_DESCRIPTION, window_before) or _DESCRIPTION.match(after.lstrip())
    if desc is not None:
        return _resolve_description(idx, names, desc.group(0), vstart)
    return None


def _recurring_surname(names: NameIndex, m: NameMention) -> bool:
    """A one-word name of unknown type the story keeps using (`Biden`, `Trump` never named in full),
    not a place, a day or a month: a speaker when it stands by a verb of saying."""
    if " " in m.text or not m.text[:1].isupper() or m.text in PLACES or m.text.lower() in _CALENDAR:
        return False
    return sum(x.canonical == m.canonical for x in names.mentions) >= 2


_CALENDAR = wordlist("weekdays") | wordlist("months")


def _last_chars(text: str, n: int) -> str:
    """The last `n` characters of `text` without a word cut in two (`the governor` → `governor`, never
    `he governor`)."""
    tail = text[-n:]
    if len(text) > n and text[-n - 1].isalnum() and tail[:1].isalnum():
        tail = tail.split(maxsplit=1)[1] if len(tail.split(maxsplit=1)) > 1 else ""
    return tail


def _recent_subject(idx: DocIndex, names: NameIndex, at: int) -> NameMention | None:
    """The person who is the subject of the nearest sentence before `at` that names a person (within
    two sentences); None when that sentence's first person is not its subject."""
    here = idx.sentence_at(at)
    if here is None:
        return None
    for n in range(here, max(here - 3, -1), -1):
        s = idx.doc.sentences[n]
        limit = min(at, s.start + 70)
        subjects = [m for m in names.between(s.start, limit) if m.type == "person"]
        subjects = [m for m in subjects if not _inside_quote(idx, n, m.start)]
        if subjects:  # the sentence's subject, or nobody: not `Mrs. Clinton's email …`, not `… confounded X`
            subject = _sentence_subject(idx, names, n, limit)
            return subject if subject is not None and subject.type == "person" else None
    return None


def _inside_quote(idx: DocIndex, sentence: int, offset: int) -> bool:
    return not any(lo <= offset < hi for lo, hi in _outside(idx, sentence))


def _short_gap(gap: str) -> bool:
    """Between a name and its verb: nothing, an auxiliary, an apposition in commas, or `has`."""
    gap = gap.strip()
    if not gap:
        return True
    if re.fullmatch(
        r"(?:has|had|also|then|later|once|again|himself|herself|,|has also|,?\s*who(?:\s+also)?)\s*", gap
    ):
        return True  # "Bloomberg, who added that …"
    return bool(re.fullmatch(r",[^,;“”\"]{0,80},\s*(?:has\s+|also\s+)?", gap))


def _last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for m in pattern.finditer(text):
        last = m
    if last is not None and len(text) - last.end() <= 3:
        return last
    return None


def _resolve_description(
    idx: DocIndex, names: NameIndex, description: str, at: int
) -> tuple[str | None, str | None, Resolution]:
    """`the chief Russian diplomat` → a person named in the three sentences before who shares a word."""
    words = {w.lower() for w in re.findall(r"[A-Z][\w’'\-]+", description)}
    here = idx.sentence_at(at) or 0
    window_start = idx.doc.sentences[max(here - 3, 0)].start
    candidates = [m for m in names.between(window_start, at) if m.type == "person"]
    for m in reversed(candidates):
        role_words = {w.lower() for w in (m.role or "").split()}
        if words and words & role_words:
            return m.canonical, description, "context"
    head = _ROLE_WORDS.get(description.split()[-1].lower())
    if head is not None and len(description.split()) <= 3:  # `the governor`, not `a senior official`
        holders = {m.canonical for m in names.mentions if m.type == "person" and _holds(m.role, head)}
        if len(holders) == 1:  # the one person the document gives that title: `Gov. Mike Pence`
            return holders.pop(), description, "context"
    return description, description, "description"


_ROLE_WORDS = {head: titles for (head,), titles in groups("role_titles")}
"""A description's head noun → the title words (lower case, no full stop) that give someone that role."""


def _holds(role: str | None, titles: tuple[str, ...]) -> bool:
    words = {w.lower().strip(".,") for w in (role or "").split()}
    return bool(words & set(titles)) and not words & {"vice", "former", "deputy", "lt", "lieutenant"}
