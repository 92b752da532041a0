"""How outlets frame the same story, found without a model: headlines, loaded words, labels.

Each detector reports only what it can show verbatim from at least two sources:

- **Headline**: each source's headline as it stands in its text (the document's title where the text
  holds it, else a first line that reads as a headline). A title known only from metadata has no
  place in the text to point to, so it is left out rather than shown without evidence.
- **Word choice in matching statements**: for sentences the alignment pairs across sources (each the
  other's best match), a term of `LEXICON` outside quotation marks in one source, and what stands in
  its place in the other: the words a word-level diff puts in the same slot between shared
  neighbours; for verbs of saying, the verb the other source gives the same named speaker; for other
  terms, the words around a content word both sentences share next to the term. An aspect is kept
  only when the terms differ in connotation (`slammed` / `criticised`, `claimed` / `said`, `the
  controversial plan` / `the plan`), never for two terms of one class (`slammed` / `blasted`).
- **Verbs for one person's words across the articles**: a source that introduces a person's
  statements with a strongly loaded verb (`claimed`, `admitted`, `slammed`) beside one that only
  ever uses neutral ones (`said`, `told`) for the same person. Ranked last: the statements may differ.
- **Labels**: an evaluative label attached to a person or body that other sources name without it
  (`hardline cleric X` / `X`), and contested names for the same group (`Iranian regime` /
  `Iranian government`, `illegal immigrants` / `undocumented immigrants`).

Words inside quotation marks (double or single) are the speaker's, not the outlet's, and are never
taken. Pronoun speakers are never resolved: a wrong resolution would put words in someone else's
mouth. Each wording is a few words, exactly `text[start:end]` of its span. Aspects are ranked by a
confidence that says how directly the wordings are tied (headline, label of one named entity >
same slot > same speaker > shared neighbour word > whole-article verbs), none may reuse another's
words, and at most `MAX_ASPECTS` are kept, so the section stays short.

The lexicon (281 word forms: 155 verbs of saying in ten connotation classes, 126 labels, hedges and
evaluative words; plus 36 contested names) was compiled for this module from general news-language
guidance, not from any evaluation data: the AP Stylebook's advice that *said* is the neutral verb of
attribution and that *claimed*, *admitted*, *insisted* and the like carry connotations; the classes
of biased language of Recasens, Danescu-Niculescu-Mizil and Jurafsky (ACL 2013): report verbs,
assertives, factives, hedges and subjective intensifiers; and commonly cited contested-term pairs.
It leaves out words that are often literal in news (`dangerous`, `massive`, `historic`, `brutal`).
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from summarizer.analysis._text import STOPWORDS, DocIndex, content_words, words_set
from summarizer.analysis.align import is_notice, title_case
from summarizer.analysis.compare import Analysis, DocumentAnalysis
from summarizer.analysis.names import NameGroup, NameMention
from summarizer.analysis.quotes import quoted_stretches
from summarizer.schemas import Span

FramingKind = Literal["headline", "word_choice", "label"]

MAX_ASPECTS = 8
"""At most this many aspects per comparison: a short section an editor reads in full."""
MATCH_SCORE = 0.3
"""Aligned sentences this similar (and each other's best match) are taken as the same statement."""


def _forms(classes: dict[str, str]) -> dict[str, str]:
    """`{"claim": "claimed claims"}` → `{"claimed": "claim", "claims": "claim"}`; `_` joins words."""
    return {w.replace("_", " "): cls for cls, forms in classes.items() for w in forms.split()}


SPEECH = _forms(
    {
        # Neutral verbs of attribution: the baseline others are measured against.
        "said": "said says say told tells stated states added adds noted notes explained explains wrote "
        "writes announced announces replied replies responded responds remarked commented comments "
        "declared declares observed argued argues stressed stresses emphasized emphasised warned warns "
        "asked asks recalled",
        # Assertives that distance the outlet from the statement.
        "claim": "claimed claims alleged alleges asserted asserts contended contends professed",
        # Factives of concession: the statement is presented as a reluctant truth.
        "admit": "admitted admits conceded concedes confessed confesses acknowledged acknowledges",
        "insist": "insisted insists maintained maintains",
        "boast": "boasted boasts bragged brags touted touts crowed gloated trumpeted",
        "attack": "slammed slams blasted blasts lashed_out lashes_out ripped rips bashed bashes savaged "
        "excoriated excoriates eviscerated torched skewered trashed tore_into tears_into railed rails "
        "ranted rants raged fumed lambasted lambastes castigated assailed pilloried berated hit_out "
        "hits_out hammered went_after took_aim takes_aim attacked",
        "criticise": "criticized criticised criticizes criticises faulted faults rebuked rebukes chided "
        "chides scolded scolds denounced denounces decried decries condemned condemns blamed blames",
        "accuse": "accused accuses",
        "mock": "mocked mocks ridiculed ridicules derided derides scoffed scoffs sneered sneers taunted "
        "jeered lampooned",
        "complain": "complained complains whined whines grumbled grumbles griped gripes moaned moans "
        "bemoaned bemoans lamented laments",
    }
)
"""Verbs of saying by connotation: counted only with a named (or pronoun) speaker next to them."""

LABELS = _forms(
    {
        # Hedges and distancing markers.
        "distance": "allegedly supposedly purportedly so-called self-proclaimed self-styled",
        # Labels for people, groups and governments.
        "label": "regime regimes hardline hard-line hardliner hardliners firebrand controversial "
        "embattled beleaguered disgraced notorious infamous scandal-plagued scandal-ridden scandal-hit "
        "radical radicals extremist extremists ultraconservative ultra-conservative ultraliberal "
        "ultra-liberal far-right far-left hard-right hard-left demagogue demagogues strongman dictator "
        "despot tyrant autocrat autocratic thug thugs crony cronies puppet mouthpiece henchmen lackey "
        "lackeys stooge apologist apologists zealot zealots fanatic fanatics fanatical agitator "
        "agitators warmonger warmongers divisive polarizing polarising vitriolic bigoted racist "
        "rogue unhinged",
        # Evaluations of events, claims and acts.
        "evaluative": "outrageous baseless bogus absurd ludicrous ridiculous preposterous bizarre "
        "shameful disgraceful scandalous egregious appalling deplorable despicable reckless draconian "
        "incendiary inflammatory scathing blistering fiery furious stunning shocking bombshell tirade "
        "rant diatribe screed sham hoax witch_hunt charade stunt ploy debacle fiasco meltdown gaffe "
        "blunder whopping staggering jaw-dropping humiliating damning lavish cushy handout handouts "
        "giveaway giveaways propaganda dubious slush_fund",
    }
)
"""Loaded labels and evaluations, whatever they stand next to."""

LEXICON = {**SPEECH, **LABELS}
_MILD = frozenset({"criticise", "accuse", "insist"})
"""Classes close enough to each other that a swap between two of them is not reported."""
_INVERTIBLE = frozenset({"said", "claim", "admit", "insist", "boast", "complain"})
"""Classes that follow their speaker after a quotation (`…,” said X`, `…,” claimed X`)."""

_NAMING: dict[str, tuple[frozenset[str], frozenset[str], str]] = {
    "government": (
        frozenset({"regime", "regimes"}),
        frozenset({"government", "administration"}),
        "government",
    ),
    "armed": (
        frozenset({"terrorist", "terrorists", "jihadists"}),
        frozenset({"militant", "militants", "fighters", "gunmen", "insurgents", "rebels"}),
        "fighters",
    ),
    "crowd": (
        frozenset({"rioters", "mob", "thugs"}),
        frozenset({"protesters", "protestors", "demonstrators", "marchers"}),
        "protesters",
    ),
}
"""Contested names for a group written after a shared modifier (`Assad regime` / `Assad government`):
loaded members, neutral members, and the neutral word used to name the aspect."""
_FIXED_NAMING: dict[str, tuple[frozenset[str], frozenset[str], str]] = {
    "immigrants": (
        frozenset({"illegal aliens", "illegal alien", "illegal immigrants", "illegal immigrant", "illegals"}),
        frozenset({"undocumented immigrants", "undocumented immigrant", "unauthorized immigrants"}),
        "How immigrants without legal status are named",
    ),
    "abortion opponents": (
        frozenset({"pro-life"}),
        frozenset({"anti-abortion"}),
        "How opponents of abortion are named",
    ),
    "abortion supporters": (
        frozenset({"pro-abortion", "pro-choice"}),
        frozenset({"abortion-rights", "abortion rights"}),
        "How supporters of abortion rights are named",
    ),
    "estate tax": (frozenset({"death tax"}), frozenset({"estate tax"}), "How the estate tax is named"),
}
"""Contested names that identify their referent by themselves."""


def _alternation(terms: Sequence[str]) -> str:
    return "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len, reverse=True))


_WORD = re.compile(r"[^\W\d_]+(?:[\-'’][^\W\d_]+)*")


def _phrases() -> dict[str, frozenset[str]]:
    """First word → second words of the two-word terms (`lashed` → {`out`})."""
    out: dict[str, frozenset[str]] = {}
    for term in LEXICON:
        if " " in term:
            head, tail = term.split(" ", 1)
            out[head] = out.get(head, frozenset()) | {tail}
    return out


_PHRASES = _phrases()

_HEADS = frozenset(w for w in LEXICON if " " not in w) | frozenset(_PHRASES)
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")


def find_terms(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded term) of every lexicon term in `text`, possessives included (`regime’s`).
    The words present are collected first (in C), so the pattern that locates them holds only the few
    lexicon words the text has: one pattern of every term would be several times slower."""
    lowered = text.lower().replace("’", "'")
    if len(lowered) != len(text):  # a character whose lower case is longer: offsets would drift
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text).replace("’", "'")
    present = {w[:-2] if w.endswith("'s") else w for w in _WORD.findall(lowered)} & _HEADS
    if not present:
        return
    pattern = re.compile(
        rf"(?<![\w\-'])({'|'.join(sorted(map(re.escape, present), key=len, reverse=True))})(?:'s)?(?![\w\-])"
    )
    for m in pattern.finditer(lowered):
        word, start, end = m.group(1), m.start(1), m.end(1)
        tails = _PHRASES.get(word)
        nxt = _NEXT_WORD.match(lowered, end) if tails else None
        if tails and nxt is not None and nxt.group(1) in tails:
            yield start, nxt.end(1), f"{word} {nxt.group(1)}"
        elif word in LEXICON:
            yield start, end, word


_NAMING_TERM = re.compile(
    r"(?<![\w\-])([A-Z][\w.\-]*?)(?:['’]s)?\s+("
    + _alternation([w for loaded, neutral, _ in _NAMING.values() for w in loaded | neutral])
    + r")(?![\w\-])"
)
_FIXED_TERM = re.compile(
    rf"(?<![\w\-])(?:{_alternation([w for a, b, _ in _FIXED_NAMING.values() for w in a | b])})(?![\w\-])",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\S+")
_PUNCT = "\"'“”‘’()[]«»"
_FILLERS = words_set(
    "also has had have then later again repeatedly publicly previously once even further quickly "
    "immediately sharply strongly angrily openly recently separately"
)
_PRONOUNS = frozenset({"he", "she", "they"})


@dataclass(frozen=True)
class FramingWording:
    """One source's wording for an aspect: `span.text` is the wording, verbatim."""

    source: str
    span: Span


@dataclass
class FramingAspect:
    aspect: str
    kind: FramingKind
    confidence: float
    """How directly the wordings are tied to one another, 0 to 1; used to rank and cap."""
    choices: list[FramingWording]


def find_framing(analysis: Analysis, limit: int = MAX_ASPECTS) -> list[FramingAspect]:
    """The framing aspects of a comparison, most confident first, at most `limit`, none overlapping."""
    docs = [_Doc(a) for a in analysis.documents]
    if len(docs) < 2:
        return []
    groups = {(m.source, m.start): g for g in analysis.names for m in g.mentions}
    found = [
        *_headlines(docs),
        *_labels(docs, analysis.names),  # before word choices: on a tie, the aspect named by the entity
        *_namings(docs),
        *_word_choices(docs, analysis, groups),
        *_speech_profiles(docs, analysis, groups),
    ]
    kept: list[FramingAspect] = []
    taken: list[Span] = []
    for aspect in sorted(found, key=lambda a: -a.confidence):
        spans = [c.span for c in aspect.choices]
        if any(_overlap(s, t) for s in spans for t in taken):
            continue
        kept.append(aspect)
        taken += spans
        if len(kept) == limit:
            break
    return kept


def _overlap(a: Span, b: Span) -> bool:
    return a.source == b.source and a.start < b.end and b.start < a.end


# ------------------------------------------------------------------------------------------------
# Per-document helpers
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    start: int
    end: int
    folded: str
    cls: str


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    folded: str


class _Doc:
    """A document's index with what the detectors look up repeatedly: quotes, terms, names."""

    def __init__(self, analysis: DocumentAnalysis) -> None:
        self.a = analysis
        self.idx: DocIndex = analysis.index
        quoted = _merged(quoted_stretches(self.idx.text) + single_quoted(self.idx.text))
        self._q_starts = [s for s, _ in quoted]
        self._q_ends = [e for _, e in quoted]
        self.terms = [
            _Term(start, end, term, LEXICON[term])
            for start, end, term in find_terms(self.idx.text)
            if not self.quoted(start)
        ]
        self._term_starts = [t.start for t in self.terms]
        self.name_end = {m.end: m for m in analysis.names}
        self.name_start = {m.start: m for m in analysis.names}
        self._tokens: dict[int, list[_Token]] = {}

    @property
    def id(self) -> str:
        return self.idx.id

    def quoted(self, offset: int) -> bool:
        """Whether `offset` lies between quotation marks: the words of a speaker, not the outlet's."""
        i = bisect.bisect_right(self._q_starts, offset) - 1
        return i >= 0 and offset < self._q_ends[i] + 1

    def terms_in(self, start: int, end: int) -> list[_Term]:
        lo = bisect.bisect_left(self._term_starts, start)
        hi = bisect.bisect_left(self._term_starts, end)
        return self.terms[lo:hi]

    def tokens(self, sentence: int) -> list[_Token]:
        if sentence in self._tokens:
            return self._tokens[sentence]
        s = self.idx.doc.sentences[sentence]
        self._tokens[sentence] = [
            _Token(m.start(), m.end(), _fold(m.group(0)))
            for m in _TOKEN.finditer(self.idx.text, s.start, s.end)
        ]
        return self._tokens[sentence]

    def whole_names(self, start: int, end: int) -> tuple[int, int]:
        """`start:end` widened so that it cuts no name in two (`hardline cleric Ahmad Khatami`)."""
        for m in self.a.names:
            if m.start < end and start < m.end:
                start, end = min(start, m.start), max(end, m.end)
        return start, end

    def has_name(self, start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in self.a.names)

    def uses(self, folded: str) -> bool:
        return any(t.folded == folded for t in self.terms)


_SINGLE = re.compile(r"(?<![\w’'])[‘'](?=[^\W\d_])([^\n‘’']{1,300}?[^\s])['’](?![\w’'])")


def single_quoted(text: str) -> list[tuple[int, int]]:
    """Stretches between single quotation marks (`‘…’`, `'…'`), as headlines and British outlets quote:
    the opening mark after a space, the closing one before a non-letter, so `don’t` is no quote."""
    return [(m.start(1), m.end(1)) for m in _SINGLE.finditer(text)]


def _merged(stretches: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(stretches):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _fold(word: str) -> str:
    word = word.strip(".,;:!?" + _PUNCT).lower().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


def _fold_term(term: str) -> str:
    return " ".join(term.lower().split())


def _trimmed(idx: DocIndex, start: int, end: int) -> Span:
    """The span of `start:end` without quotation marks, brackets or clause punctuation at its edges
    (a final full stop stays when it ends an abbreviation such as `U.S.`)."""
    text = idx.text
    while start < end and (text[start] in _PUNCT or text[start].isspace()):
        start += 1
    while end > start:
        ch = text[end - 1]
        word = text[start:end].split()[-1] if text[start:end].split() else ""
        if ch in _PUNCT or ch in ",;:!?" or ch.isspace() or (ch == "." and word.count(".") == 1):
            end -= 1
        else:
            break
    return idx.span(start, end)


def _window(doc: _Doc, tokens: Sequence[_Token], lo: int, hi: int) -> Span:
    """A few words around tokens `lo:hi` (or around the gap at `lo` when empty), within their clause:
    up to two words either side, not across a comma or other clause mark, no trailing function words."""
    text = doc.idx.text
    left = min(lo, len(tokens) - 1)
    while left > max(0, lo - 2) and not _ends_clause(text, tokens[left - 1]):
        left -= 1
    right = max(hi, left + 1)
    if not _ends_clause(text, tokens[right - 1]):
        limit = min(len(tokens), max(hi, lo) + 2)
        while right < limit:
            right += 1
            if _ends_clause(text, tokens[right - 1]) or tokens[right - 1].folded not in STOPWORDS:
                break
    while right > max(hi, left + 1) and tokens[right - 1].folded in STOPWORDS:
        right -= 1
    start, end = doc.whole_names(tokens[left].start, tokens[right - 1].end)
    return _trimmed(doc.idx, start, end)


def _ends_clause(text: str, token: _Token) -> bool:
    return text[token.start : token.end].rstrip(_PUNCT)[-1:] in (",", ";", ":", "—", "–")


# ------------------------------------------------------------------------------------------------
# Headlines
# ------------------------------------------------------------------------------------------------

_FIRST_LINE = re.compile(r"[ \t]*(?:#{1,6}[ \t]+)?([^\n]+?)[ \t]*\r?\n\s*\S")
_MAX_HEADLINE_WORDS = 25


def headline(idx: DocIndex) -> tuple[int, int] | None:
    """Where the document's headline stands in its text: the title when the text opens with it (within
    its first lines), else a first line that reads as a headline: three to 25 words, followed by more
    text, one phrase (no full stop inside or at its end unless written in title case), not a byline,
    date or dateline."""
    text = idx.text
    title = (idx.doc.title or "").strip()
    if title:
        pos = text.find(title)
        if pos >= 0 and text[:pos].count("\n") <= 4 and (pos == 0 or text[pos - 1] == "\n"):
            return pos, pos + len(title)
    m = _FIRST_LINE.match(text)
    if m is None:
        return None
    line = m.group(1)
    core = line.rstrip("”\"'’)")
    words = line.split()
    if not 3 <= len(words) <= _MAX_HEADLINE_WORDS or is_notice(line) or _NOT_HEADLINE.search(line):
        return None
    if (core.endswith((".", ":", ",", ";")) or _INNER_STOP.search(core)) and not title_case(line):
        return None
    return m.start(1), m.end(1)


_NOT_HEADLINE = re.compile(r"^(?:published|updated|posted|last updated|by)\b|^[\d\W]+$", re.IGNORECASE)
_INNER_STOP = re.compile(r"[a-z][.!?][”\"’]?\s+[A-Z“\"]")


def _headlines(docs: Sequence[_Doc]) -> list[FramingAspect]:
    choices = []
    for d in docs:
        where = headline(d.idx)
        if where is not None:
            choices.append(FramingWording(d.id, d.idx.span(*where)))
    distinct = {" ".join(c.span.text.casefold().split()) for c in choices}
    if len(choices) < 2 or len(distinct) < 2:
        return []
    return [FramingAspect("Headline", "headline", 0.95, choices)]


# ------------------------------------------------------------------------------------------------
# Word choice in matching statements
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Said:
    """A verb of saying with its speaker: `group` identifies the person across sources."""

    term: _Term
    span: Span
    group: int | None
    speaker: str


def _differs(a: str | None, b: str | None) -> bool:
    """Whether two term classes (None: no loaded term) word a statement with different connotations."""
    if a == b:
        return False
    neutral = {None, "said"}
    if a in neutral and b in neutral:
        return False
    return not (a in _MILD and b in _MILD)


def _word_choices(
    docs: Sequence[_Doc], analysis: Analysis, groups: dict[tuple[str, int], NameGroup]
) -> list[FramingAspect]:
    alignment = analysis.alignment
    group_ids = {id(g): n for n, g in enumerate(analysis.names)}
    out = []
    for d, doc in enumerate(docs):
        for s in range(len(doc.idx.doc.sentences)):
            sent = doc.idx.doc.sentences[s]
            terms = [t for t in doc.terms_in(sent.start, sent.end) if t.cls != "said"]
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
                found = _choice_for(docs, d, s, tokens, term, partners, groups, group_ids)
                if found is not None:
                    out.append(found)
    return out


def _choice_for(
    docs: Sequence[_Doc],
    d: int,
    s: int,
    tokens: list[_Token],
    term: _Term,
    partners: Sequence[tuple[int, int, float]],
    groups: dict[tuple[str, int], NameGroup],
    group_ids: dict[int, int],
) -> FramingAspect | None:
    doc = docs[d]
    speech = term.cls in SPEECH.values()
    said = _speaker(doc, s, tokens, term, groups, group_ids) if speech else None
    if speech and said is None:
        return None  # `slammed the door`, `charged with`: not a verb of saying here
    lo, hi = _token_range(tokens, term)
    choices = [FramingWording(doc.id, said.span if said else _window(doc, tokens, lo, hi))]
    classes: list[str | None] = [term.cls]
    weakest = 1.0
    for o, t, score in partners:
        found = _counterpart(docs, d, tokens, lo, hi, term, said, docs[o], t, groups, group_ids)
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
    return FramingAspect(aspect, "word_choice", round(weakest, 2), choices)


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
    groups: dict[tuple[str, int], NameGroup],
    group_ids: dict[int, int],
) -> tuple[Span, str | None, float] | None:
    """What the other source's matching sentence has where the term stands, with its class and how
    directly it is tied to the term: the same slot of a word diff (0.6), the verb the other gives the
    same speaker (0.5), or the words around a shared neighbour word (0.35)."""
    doc = docs[d]
    o_tokens = other.tokens(t)
    slot = _same_slot(doc, tokens, lo, hi, other, o_tokens)
    if slot is not None:
        a, b = slot
        cls = _class_in(other, o_tokens, a, b)
        if said is None:
            return _window(other, o_tokens, a, b), cls, 0.6
        if cls is None or cls not in SPEECH.values():
            return (_window(other, o_tokens, a, b), cls, 0.6) if b - a <= 2 else None
        verb = other.terms_in(o_tokens[a].start, o_tokens[b - 1].end)[0]
        theirs = _speaker(other, t, o_tokens, verb, groups, group_ids)
        if theirs is None or theirs.group != said.group:
            return None  # another speaker's verb in the same place
        return theirs.span, cls, 0.6
    if said is not None:
        if said.group is None:
            return None
        found = _same_speaker(other, t, o_tokens, said.group, groups, group_ids)
        return (*found, 0.5) if found is not None else None
    if other.uses(term.folded):
        return None  # the other source uses the same word elsewhere: no contrast to show
    found = _shared_neighbour(doc, tokens, lo, hi, other, o_tokens)
    return (*found, 0.35) if found is not None else None


def _token_range(tokens: Sequence[_Token], term: _Term) -> tuple[int, int]:
    inside = [n for n, tok in enumerate(tokens) if tok.start < term.end and term.start < tok.end]
    return inside[0], inside[-1] + 1


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
        if len(shared) < 2 or all(w.folded in STOPWORDS for w in shared):
            return None
        if i2 - i1 > hi - lo + 1 or j2 - j1 > 3 or doc.has_name(tokens[i1].start, tokens[i2 - 1].end):
            return None
        if j2 > j1 and (
            other.quoted(o_tokens[j1].start) or other.has_name(o_tokens[j1].start, o_tokens[j2 - 1].end)
        ):
            return None
        return j1, j2
    return None


def _class_in(doc: _Doc, tokens: Sequence[_Token], lo: int, hi: int) -> str | None:
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
        if word in STOPWORDS or len(word) < 3 or not word.replace("-", "").isalpha() or word in LEXICON:
            continue
        if sum(t.folded == word for t in tokens) != 1:
            continue
        hits = [n for n, t in enumerate(o_tokens) if t.folded == word]
        if len(hits) != 1 or other.quoted(o_tokens[hits[0]].start):
            continue
        n = hits[0]
        return _window(other, o_tokens, n, n + 1), _class_in(other, o_tokens, max(0, n - 2), n + 3)
    return None


def _speaker(
    doc: _Doc,
    s: int,
    tokens: list[_Token],
    term: _Term,
    groups: dict[tuple[str, int], NameGroup],
    group_ids: dict[int, int],
) -> _Said | None:
    """The speaker of a verb of saying: a person named (or a pronoun) just before it, with at most two
    adverbs between (`Bloomberg also charged`), or named just after it following a quotation or comma
    (`…,” claimed Bloomberg`); the accusation verbs must not be passive (`accused of`). A pronoun is
    left unresolved (no group): a wrong resolution would put words in someone else's mouth."""
    lo, hi = _token_range(tokens, term)
    if term.cls == "accuse" and hi < len(tokens) and tokens[hi].folded in ("of", "in", "by"):
        return None
    k = lo - 1
    while k >= 0 and tokens[k].folded in _FILLERS and lo - k <= 2:
        k -= 1
    if k >= 0:
        text = doc.idx.text
        raw = text[tokens[k].start : tokens[k].end]
        mention = doc.name_end.get(tokens[k].end)
        if mention is not None and raw == raw.rstrip(",;:" + _PUNCT):
            found = _person(doc, mention, groups, group_ids)
            if found is not None:
                return _Said(term, doc.idx.span(mention.start, term.end), *found)
        if tokens[k].folded in _PRONOUNS and raw.isalpha():
            return _Said(term, doc.idx.span(tokens[k].start, term.end), None, "")  # left unresolved
    if term.cls in _INVERTIBLE and lo > 0 and doc.idx.text[tokens[lo - 1].end - 1] in ',”"':
        for j in (hi, hi + 1):
            mention = doc.name_start.get(tokens[j].start) if j < len(tokens) else None
            if mention is not None:
                found = _person(doc, mention, groups, group_ids)
                if found is not None:
                    return _Said(term, doc.idx.span(term.start, mention.end), *found)
    return None


def _person(
    doc: _Doc, mention: NameMention, groups: dict[tuple[str, int], NameGroup], group_ids: dict[int, int]
) -> tuple[int | None, str] | None:
    group = groups.get((doc.id, mention.start))
    if mention.type != "person" and (group is None or group.type != "person"):
        return None
    return (group_ids[id(group)] if group is not None else None), _surname(
        group.canonical if group else mention.canonical
    )


def _surname(name: str) -> str:
    words = name.split()
    return words[-1] if words else name


def _same_speaker(
    other: _Doc,
    t: int,
    o_tokens: list[_Token],
    group: int,
    groups: dict[tuple[str, int], NameGroup],
    group_ids: dict[int, int],
) -> tuple[Span, str | None] | None:
    """The verb of saying the other sentence gives the same person, if any."""
    sent = other.idx.doc.sentences[t]
    for term in other.terms_in(sent.start, sent.end):
        if term.cls not in SPEECH.values():
            continue
        said = _speaker(other, t, o_tokens, term, groups, group_ids)
        if said is not None and said.group == group:
            return said.span, term.cls
    return None


_STRONG = frozenset({"claim", "admit", "boast", "attack", "mock", "complain"})
"""Verb classes whose use for a speaker is reported even across different statements."""


def _speech_profiles(
    docs: Sequence[_Doc], analysis: Analysis, groups: dict[tuple[str, int], NameGroup]
) -> list[FramingAspect]:
    """The verbs each source uses to introduce one person's words across the whole article: reported
    when some source uses a strongly loaded verb for them (`claimed`, `admitted`, `slammed`) and
    another source introduces them only with neutral verbs (`said`, `told`). The statements may
    differ, so this ranks below the statement-level word choices and is named for the person."""
    group_ids = {id(g): n for n, g in enumerate(analysis.names)}
    uses: dict[int, dict[str, list[_Said]]] = {}
    for doc in docs:
        for term in doc.terms:
            if term.cls not in SPEECH.values():
                continue
            s = doc.idx.sentence_at(term.start)
            if s is None:
                continue
            tokens = doc.tokens(s)
            said = _speaker(doc, s, tokens, term, groups, group_ids)
            if said is not None and said.group is not None and _introduces_speech(doc, tokens, term):
                uses.setdefault(said.group, {}).setdefault(doc.id, []).append(said)
    out = []
    for by_source in uses.values():
        loaded = {src: [u for u in said if u.term.cls in _STRONG] for src, said in by_source.items()}
        loaded = {src: found for src, found in loaded.items() if found}
        plain = {
            src: said
            for src, said in by_source.items()
            if src not in loaded and all(u.term.cls == "said" for u in said)
        }
        if not loaded or not plain:
            continue
        picked = {**{src: said[0] for src, said in plain.items()}, **{src: f[0] for src, f in loaded.items()}}
        choices = [FramingWording(d.id, picked[d.id].span) for d in docs if d.id in picked]
        speaker = next(iter(loaded.values()))[0].speaker
        out.append(
            FramingAspect(
                f"Verbs introducing {speaker}’s statements across the articles", "word_choice", 0.45, choices
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


def _topic(docs: Sequence[_Doc], choices: Sequence[FramingWording]) -> str:
    """Up to three content words every choice's sentence shares, names first, in the first one's order."""
    by_id = {d.id: d for d in docs}
    sentences = []
    for c in choices:
        idx = by_id[c.source].idx
        found = idx.sentence_at(c.span.start)
        sentences.append(idx.sentence_text(found) if found is not None else c.span.text)
    shared = set.intersection(*(set(content_words(s)) for s in sentences))
    words: list[str] = []
    for m in re.finditer(r"[^\W\d_][\w'’\-]*", sentences[0]):
        w = re.sub(r"['’]s$", "", m.group(0))
        stems = content_words(w)
        if stems and stems[0] in shared and w.lower() not in LEXICON and w not in words:
            words.append(w)
    named = [w for w in words if w[0].isupper()] + [w for w in words if not w[0].isupper()]
    top = [w for w in words if w in named[:3]]
    return ", ".join(top) if top else "a matching statement"


# ------------------------------------------------------------------------------------------------
# Labels for the same person or body, and contested names
# ------------------------------------------------------------------------------------------------

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
        out.append(FramingAspect(f"How {g.canonical} is described", "label", 0.85, choices))
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
    before = list(_TOKEN.finditer(text, lo, end))
    if before and lo > floor and not text[lo - 1].isspace():
        before = before[1:]  # a word cut by the look-back limit
    start: int | None = None
    label = ""
    for n, tok in enumerate(reversed(before[-4:])):
        word = _fold(tok.group(0))
        if tok.group(0)[-1] in ',;:.!?”"' or word in STOPWORDS or not word:
            break
        cls = LABELS.get(word)
        if cls == "label" or (cls == "distance" and n == 0):
            start, label = tok.start(), word
    if (
        start is not None
        and (_ends_phrase(text, m.end) or LABELS[label] == "distance")
        and not doc.quoted(start)
    ):
        return _trimmed(doc.idx, start, m.end), label
    app = _APPOSITIVE.match(text, m.end)
    if app is not None and not doc.quoted(app.start(1)):
        for tok in _TOKEN.finditer(app.group(1)):
            word = _fold(tok.group(0))
            if LABELS.get(word) == "label":
                return _trimmed(doc.idx, m.start, app.end(1)), word
    return None


def _ends_phrase(text: str, end: int) -> bool:
    """Whether a name ends its noun phrase: punctuation follows (not a possessive), or a function word
    or a verb in the past tense (`… Khatami said`, `… Khatami led`), not a noun (`… Trump policy`)."""
    nxt = text[end : end + 1]
    if nxt in ("’", "'"):
        return False
    if not nxt or not nxt.isspace():
        return True
    found = _TOKEN.search(text, end)
    word = _fold(found.group(0)) if found else ""
    return word in STOPWORDS or word in SPEECH or (word.isalpha() and word.endswith("ed")) or word in _PAST


_PAST = words_set(
    "led met won lost made took gave went came left sent spoke ran held kept became began brought thought "
    "sought got put set cut read heard saw felt stood fought"
)
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
        out.append(FramingAspect(aspect, "label", 0.85, choices))
    return out


def _naming_terms(doc: _Doc) -> Iterator[tuple[tuple[str, str], Span, bool, str]]:
    text = doc.idx.text
    for m in _NAMING_TERM.finditer(text):
        if doc.quoted(m.start()) or _sentence_start(text, m.start()):
            continue
        head = _fold_term(m.group(2))
        for kind, (loaded, neutral, neutral_word) in _NAMING.items():
            if head in loaded or head in neutral:
                modifier = _fold(m.group(1))
                key = (kind, modifier[:4])
                shown = f"{text[m.start(1) : m.end(1)]} {neutral_word}"
                yield key, doc.idx.span(m.start(), m.end()), head in loaded, shown
    for m in _FIXED_TERM.finditer(text):
        if doc.quoted(m.start()):
            continue
        term = _fold_term(m.group(0))
        for kind, (loaded, neutral, _) in _FIXED_NAMING.items():
            if term in loaded or term in neutral:
                yield (kind, ""), doc.idx.span(m.start(), m.end()), term in loaded, kind


def _sentence_start(text: str, offset: int) -> bool:
    """A capital at the start of a sentence (`The regime …`) is no modifier."""
    before = text[max(0, offset - 3) : offset].rstrip()
    return not before or before[-1] in '.!?\n“"'
