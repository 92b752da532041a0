"""Names (`compare`): names spelt differently, and people and bodies only some outlets name."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from summarizer.analysis._findings import (
    BODY,
    NAME_SPELLING,
    NAME_SPELLING_CONFIDENCE,
    ONLY_SOME_NAME,
    PERSON,
    PERSON_NAMED_TWICE,
    DocumentAnalysis,
    Finding,
    SourceValue,
    _who,
)
from summarizer.analysis._only_some import _quoted_sentences, _untold_sentence
from summarizer.analysis._quote_findings import _place
from summarizer.analysis._text import DocIndex
from summarizer.analysis.align import Alignment
from summarizer.analysis.names import _TITLES, NameGroup, NameMention, spelling_variant
from summarizer.text import WORD_RUN, wordlist


def _name_conflicts(per_doc: Sequence[DocumentAnalysis], groups: Sequence[NameGroup]) -> list[Finding]:
    """People and bodies whose name one outlet spells in a way another never does (`Sergie` where the
    other writes `Sergei`), whatever shorter forms each also uses (`Lavrov`, a middle initial): a word
    of one source's forms that the other never writes and that is a spelling variant of one it does."""
    index = {a.index.id: a.index for a in per_doc}
    findings = []
    for g in groups:
        if g.type not in ("person", "organization") or len(g.sources) < 2:
            continue
        forms = {s: g.spellings(s) for s in g.sources}
        words = {s: {w for f in fs for w in _name_words(f)} for s, fs in forms.items()}
        odd: dict[str, set[str]] = {}  # source → its words that another source spells otherwise
        for s in g.sources:
            for t in g.sources:
                if s != t:
                    odd.setdefault(s, set()).update(
                        w for w in words[s] - words[t] if any(_misspelt(w, v) for v in words[t] - {w})
                    )
        if not any(odd.values()):
            continue  # fuller or shorter forms of one name (a middle initial, a bare surname)
        values = []
        for source in g.sources:
            spelling = _telling(forms[source], odd[source])
            first = next(m for m in g.mentions if m.source == source and m.canonical == spelling)
            full = _full_mention(index[source], first)
            values.append(SourceValue(source, spelling, [index[source].span(*full)]))
        listed = " / ".join(f"{v.value} ({v.source})" for v in values)
        findings.append(
            Finding(
                "",
                "conflict",
                "name",
                f"The sources spell a name differently: {listed}.",
                NAME_SPELLING_CONFIDENCE,
                values,
                rule=NAME_SPELLING.code,
            )
        )
    return findings


def _name_words(form: str) -> list[str]:
    """The words of a name as spelt, lower case, without full stops or quotation marks around them."""
    words = (w.strip("'\"‘“”,").lower() for w in form.replace("’", "'").replace(".", " ").split())
    return [w for w in words if w]


def _misspelt(a: str, b: str) -> bool:
    """Two words of one name spelt differently; not one cut from the other (`O'Rourke` / `Rourke`)."""
    return not (a.endswith(b) or b.endswith(a)) and spelling_variant(a, b)


def _telling(forms: Sequence[str], odd: set[str]) -> str:
    """The form that shows a source's spelling: the fullest holding one of its odd words, else its
    fullest form."""
    holding = [f for f in forms if odd & set(_name_words(f))]
    return max(holding or forms, key=lambda f: (len(f.split()), len(f)))


def _full_mention(idx: DocIndex, m: NameMention) -> tuple[int, int]:
    """The span of the fullest form near the first mention: the mention itself when it is the full name."""
    pos = idx.text.find(m.canonical)
    return (pos, pos + len(m.canonical)) if pos >= 0 else (m.start, m.end)


def _names_only_some(
    per_doc: Sequence[DocumentAnalysis], groups: Sequence[NameGroup], alignment: Alignment
) -> list[Finding]:
    """People and bodies only some outlets name, when they are actors of the story (named twice, or
    quoted) and the others do not tell what they did in other words: a mention stands in a sentence
    that no omitting outlet matches (else the name alone is missing, `the governor` for `Ann Lee`)."""
    every = [a.index.id for a in per_doc]
    number = {a.index.id: n for n, a in enumerate(per_doc)}
    index = {a.index.id: a.index for a in per_doc}
    words: dict[str, _Words] = {}
    speakers = {q.speaker for a in per_doc for q in a.quotes if q.speaker}
    quoted = [_quoted_sentences(a) for a in per_doc]
    findings = []
    for g in groups:
        if g.type not in ("person", "organization") or len(g.sources) == len(every):
            continue
        if g.type == "organization" and g.canonical.lower() in {a.doc.outlet.lower() for a in per_doc}:
            continue
        if g.type == "organization" and g.canonical.strip(".").lower() in _GENERIC_BODIES:
            continue  # "the Committee", "the Company": a body named in full elsewhere, or not at all
        present = set(g.sources)  # a property that sorts the mentions' sources: read once
        omits = [s for s in every if s not in present]
        if g.type == "person" and any(_words_of(words, index[s]).may_name(g.canonical) for s in omits):
            continue  # "Only B mentions Donald Trump" while A says "President Trump": not reported
        if g.type == "person" and any(_words_of(words, index[s]).first_name(g.canonical) for s in omits):
            continue  # "Only A and B mention Hillary Clinton" while C says "Hillary"
        if g.type == "organization" and any(
            _words_of(words, index[s]).may_abbreviate(g.canonical) for s in omits
        ):
            continue  # "Only B mentions DNC" while the others write "Democratic National Convention"
        values = []
        for source in g.sources:
            ms = [m for m in g.mentions if m.source == source]
            spans = [index[source].span(m.start, m.end) for m in ms[:3]]
            values.append(SourceValue(source, g.canonical, spans))
        told = [m for m in g.mentions if _untold(alignment, number, index, quoted, m, omits)]
        clear = bool(told) and _actor(g, speakers)
        mentions = len(g.mentions)
        confidence = (
            PERSON_NAMED_TWICE
            if g.type == "person" and mentions > 1
            else PERSON
            if g.type == "person"
            else BODY
        )
        kind = "person" if g.type == "person" else "organization"
        verb = "mentions" if len(g.sources) == 1 else "mention"
        findings.append(
            Finding(
                "",
                "only_some",
                kind,
                f"Only {_who(per_doc, g.sources)} {verb} {g.canonical.rstrip('.')}.",  # "N.Y.", not "N.Y.."
                confidence,
                values,
                omits=omits,
                rule=ONLY_SOME_NAME.code,
                clear=clear,
                lead={m.source: index[m.source].span(m.start, m.end) for m in reversed(told)},
            )
        )
    return findings


def _actor(g: NameGroup, speakers: set[str]) -> bool:
    """Whether a person or body acts in the story rather than passing through it: named in full (two
    words or more: `Obama`, `Senate`, `CNN` alone the others name as "the president", "senators", or
    not at all) and not a place or description (`Los Angeles`, `California Republican`), named more
    than once or quoted."""
    if len(g.canonical.split()) < 2 or _place(g.canonical):
        return False
    return len(g.mentions) > 1 or g.canonical in speakers


def _untold(
    alignment: Alignment,
    number: dict[str, int],
    index: dict[str, DocIndex],
    quoted: Sequence[Sequence[bool]],
    m: NameMention,
    omits: list[str],
) -> bool:
    """Whether the sentence of mention `m` is clearly unmatched by the omitting sources (`_unmatched`)."""
    s = index[m.source].sentence_at(m.start)
    if s is None:
        return False
    d = number[m.source]
    best, coverage = alignment.best.get((d, s), {}), alignment.coverage.get((d, s), {})
    top = max((best[number[o]][1] for o in omits if number[o] in best), default=0.0)
    cover = max((coverage.get(number[o], 0.0) for o in omits), default=0.0)
    return _untold_sentence(alignment, d, s, [number[o] for o in omits], top, cover, quoted[d][s])


def _words_of(known: dict[str, _Words], idx: DocIndex) -> _Words:
    if idx.id not in known:
        known[idx.id] = _Words(idx.text)
    return known[idx.id]


_GENERIC_BODIES = wordlist("generic_bodies")
"""Words that, alone, name a kind of body rather than one body: not a finding of "only some"."""


class _Words:
    """Where each word (a maximal run of letters, digits, `_` and `-`) of a text starts, so that a
    surname is looked up, not searched for, in every document for every name."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[str, list[int]] = {}
        for m in WORD_RUN.finditer(text):
            self.at.setdefault(m.group(0), []).append(m.start())

    def may_name(self, canonical: str) -> bool:
        """Whether the text may name the person `canonical` without the analysis having grouped it:
        their surname as a word that no other given name precedes (`President Trump`, `Trump said`,
        `Mr. Trump`), where names were told apart by given names only (`Melania Trump` is not
        `Donald Trump`)."""
        *given, surname = canonical.split()
        pattern = _surname_pattern(surname)
        first = WORD_RUN.match(surname)
        hits = (
            (m for pos in self.at.get(first.group(0), ()) if (m := pattern.match(self.text, pos)))
            if first is not None
            else pattern.finditer(self.text)
        )
        for m in hits:
            previous = _word_before(self.text, m.start())
            other_given = previous[:1].isupper() and previous not in _TITLES and previous not in given
            if not other_given:
                return True
        return False

    def first_name(self, canonical: str) -> bool:
        """Whether the text names the person by their first name alone (`Hillary`), not followed by
        another capitalised word (then it would be someone else's full name)."""
        words = canonical.split()
        given = words[0]
        if len(words) < 2 or len(given) < 3 or not given.isalpha() or given in _TITLES:
            return False
        for pos in self.at.get(given, ()):
            after = self.text[pos + len(given) : pos + len(given) + 2]
            if not (after[:1] == " " and after[1:2].isupper()):
                return True
        return False

    def may_abbreviate(self, canonical: str) -> bool:
        """Whether the text names the body by its initials or in full: `DNC` for `Democratic National
        Convention` and the other way round."""
        words = [w for w in canonical.split() if w[:1].isupper()]
        initials = "".join(w[0] for w in words)
        if len(words) >= 2 and len(initials) >= 2 and initials in self.at:
            return True
        if re.fullmatch(r"[A-Z]{2,6}", canonical):
            return canonical in self.initials
        return False

    @functools.cached_property
    def initials(self) -> set[str]:
        """The initials of every run of two to six capitalised words (`of`, `and`, `the` skipped)."""
        out = set()
        for m in _CAPITAL_RUN.finditer(self.text):
            caps = [w[0] for w in m.group(0).split() if w[:1].isupper()]
            if 2 <= len(caps) <= 6:
                out.add("".join(caps))
        return out


_CAPITAL_RUN = re.compile(r"[A-Z][\w'’\-]*(?:\s+(?:(?:of|and|for|the)\s+)?[A-Z][\w'’\-]*)+")


@functools.lru_cache(maxsize=4096)
def _surname_pattern(surname: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(surname)}(?![\w-])")


def _word_before(text: str, at: int) -> str:
    """The whitespace-separated word before offset `at` (what `text[:at].split()[-1]` is), or ''."""
    end = at
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]
