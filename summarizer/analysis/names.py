"""Names of people, organisations and places, found with patterns, and their spelling variants.

A name is a run of capitalised words (with `of`, `al-`, `bin`… inside). Titles in front of it
(`Russian Foreign Minister Sergie Lavrov`) are split off as the role and mark a person; organisation
words (`Agency`, `Council`…) mark an organisation; a small gazetteer marks places. A bare surname
(`Vaezi`) resolves to the fullest name in the document that ends with it (`Mahmoud Vaezi`).
Across sources, names whose tokens are near-identical (rapidfuzz) form one group, so `Sergie Lavrov`
and `Sergei Lavrov`, or `Rouhani` and `Rohani`, are one person spelled two ways; common short forms of
first names (`Mike` / `Michael`) match too, and a bare surname joins the one person it names.

A number after a word such as `Resolution`, `Article` or `Flight` belongs to the name
(`Resolution 2231`, `Article 5`, `Flight 370`). When the sources spell a person differently,
`neutral_name` names them without taking one outlet's side (`Sergei/Sergie Lavrov`).

Weekdays, and months written as dates, end a name (`Hillary Clinton Wednesday`). On title-case lines
(headlines, subheads), where every word is capitalised, only names that also occur in the running
text of the document are taken (`Trump` and `Bloomberg` in `Clinton Is 'Sane' And 'Competent,'
Unlike Trump, Bloomberg Tells U.S.`, not `Unlike Trump`).
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from summarizer.analysis._text import DocIndex, index_of, words_set
from summarizer.analysis.align import is_notice, title_case
from summarizer.schemas import Document
from summarizer.text import NAME_TOKEN, STOPWORDS_ANALYSIS, groups, wordlist

NameType = Literal["person", "organization", "place", "other"]

_CONNECTORS = wordlist("name_connectors")
_TITLES = wordlist("name_titles")
_ADJECTIVES = wordlist("nationality_adjectives")
_ORG_WORDS = wordlist("organisation_words")
_PLACE_WORDS = wordlist("place_words")
PLACES = wordlist("places")
_ABBREVIATIONS = wordlist("name_abbreviations")
_WEEKDAYS = frozenset(line[0][0].capitalize() for line in groups("weekdays"))
_MONTHS_DAYS = frozenset(w.capitalize() for line in groups("months") for w in line[0]) | _WEEKDAYS
_NUMBERED = wordlist("numbered_nouns")
"""Words that name something together with the number after them (`Resolution 2231`, `Flight 370`)."""
_NUMBER_AFTER = re.compile(r"[ \u00a0](\d+(?:[/.\-]\d+)*[A-Za-z]?)\b")
_NAME_MONTHS = words_set("April May June August")
"""Months that are also first or last names (`Theresa May`): a break only when a day number follows."""
_NICKNAMES = [frozenset(family) for (family,) in groups("nicknames")]
_INITIAL = re.compile(r"[A-Z]\.")
_PLACE_PREFIXES = wordlist("place_prefixes")
"""Words that open a place's name, never a person's."""
_ABBREVIATED = {"ft": "fort", "mt": "mount"}
"""Abbreviations two spellings of one name use (`Ft. Myers` / `Fort Myers`)."""
_NEVER_FIRST_NAMES = words_set("The New")
"""Words that never open a person's name: `The Apprentice`, `New York City`, `New Yorkers`."""
_NOT_NAMES = wordlist("not_names_analysis")
_GROUP_NOUNS = wordlist("group_nouns")
"""Common nouns for the people and parts of a place (`residents`, `parts`): no name before `of` + a place."""
_COMPASS = words_set("North South East West Northern Southern Eastern Western")
"""Words before a place that make another place (`South Dakota`, `West Bank` is a place word already)."""


@dataclass(frozen=True)
class NameMention:
    """One mention of a name: `start:end` covers the name itself, without any title before it."""

    source: str
    start: int
    end: int
    text: str
    type: NameType
    role: str | None = None
    """Title words written right before the name, e.g. `Russian Foreign Minister`."""
    canonical: str = ""
    """The fullest form of the name in the same document (`Mahmoud Vaezi` for `Vaezi`)."""


@dataclass
class NameGroup:
    """One person, organisation or place across sources, with each source's spellings."""

    canonical: str
    type: NameType
    mentions: list[NameMention] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({m.source for m in self.mentions})

    def spellings(self, source: str) -> list[str]:
        return sorted({m.canonical for m in self.mentions if m.source == source})


def find_names(doc: Document, index: DocIndex | None = None) -> list[NameMention]:
    """Every name mention in the document, typed, with the fullest form of each name."""
    idx = index or index_of(doc)
    raw: list[NameMention] = []
    headings: list[tuple[int, int]] = []
    lines = _TitleLines(idx.text)
    for i, s in enumerate(doc.sentences):
        if idx.boilerplate[i] or is_notice(idx.sentence_texts[i]):
            continue
        if lines.holds(s.start, s.end):
            headings.append((s.start, s.end))
        else:
            raw.extend(_names_in(idx, s.start, s.end))
    if headings:
        raw = sorted(raw + _names_in_headings(idx, headings, raw), key=lambda m: m.start)
    return _canonicalise(raw, headings)


class _TitleLines:
    """Which lines of a text are title-case lines (all words capitalised, so capitals say nothing).
    Each line is read once, however many sentences it holds: a text without line breaks stays linear."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.known: dict[tuple[int, int], bool] = {}

    def holds(self, start: int, end: int) -> bool:
        """Whether the line(s) holding `start:end` form a title-case line."""
        first, last = bisect.bisect_left(self.breaks, start), bisect.bisect_left(self.breaks, end)
        if (first, last) not in self.known:
            lo = self.breaks[first - 1] + 1 if first else 0
            hi = self.breaks[last] if last < len(self.breaks) else len(self.text)
            self.known[first, last] = title_case(self.text[lo:hi])
        return self.known[first, last]


def _names_in_headings(
    idx: DocIndex, headings: list[tuple[int, int]], running: list[NameMention]
) -> list[NameMention]:
    """Names on title-case lines: only those the running text also names, as it writes them. At each
    word start the longest known name written there is taken (names are looked up by their first
    word, not tried one by one), and the search goes on after it."""
    known: dict[str, NameMention] = {}
    for m in running:
        known.setdefault(m.text, m)
    by_first: dict[str, list[str]] = {}
    for name in sorted(known, key=len, reverse=True):
        by_first.setdefault(name.split(None, 1)[0], []).append(name)
    text = idx.text
    out = []
    for start, end in headings:
        pos = start
        while pos < end:
            opens = pos == 0 or (text[pos - 1] not in _NOT_BEFORE and not text[pos - 1].isalnum())
            found = _known_at(text, pos, end, by_first) if opens else None
            if found is None:
                pos += 1
                continue
            m = known[found]
            out.append(NameMention(idx.id, pos, pos + len(found), found, m.type, None))
            pos += len(found)
    return out


_NOT_BEFORE = "_'’.-"
"""Besides letters and digits, what may not stand right before a name (or `_NOT_AFTER` after it)."""
_NOT_AFTER = "_'’-"


def _known_at(text: str, pos: int, end: int, by_first: dict[str, list[str]]) -> str | None:
    """The longest known name written at `pos` and ending at a word boundary before `end`."""
    stop = pos
    while stop < end and not text[stop].isspace():
        stop += 1
    candidates = [n for k in range(pos + 1, stop + 1) for n in by_first.get(text[pos:k], ())]
    for name in sorted(candidates, key=len, reverse=True):
        after = pos + len(name)
        if after > end or not text.startswith(name, pos):
            continue
        if after == end or (text[after] not in _NOT_AFTER and not text[after].isalnum()):
            return name
    return None


def _names_in(idx: DocIndex, start: int, end: int) -> list[NameMention]:
    text = idx.text
    tokens = [(m.start(), m.end(), m.group(0)) for m in NAME_TOKEN.finditer(text, start, end)]
    first = tokens[0][0] if tokens else -1
    found: list[NameMention] = []
    run: list[tuple[int, int, str]] = []

    def flush() -> None:
        nonlocal run
        found.extend(_from_run(idx, run, at_start=bool(run) and run[0][0] == first))
        run = []

    for n, tok in enumerate(tokens):
        joined = not run or not _gap_breaks(text, run[-1][1], tok[0])
        if _date_word(text, tok):
            flush()
        elif _capitalised(tok[2]):
            if not joined:
                flush()
            if tok[2].endswith(("’s", "'s")):
                run.append((tok[0], tok[1] - 2, tok[2][:-2]))
                flush()
            else:
                run.append(tok)
        elif run and joined and tok[2].lower() in _CONNECTORS and _continues(tokens, n):
            run.append(tok)
        else:
            flush()
    flush()
    return found


_DAY_NUMBER = re.compile(r"[ \u00a0]+\d{1,2}(?:st|nd|rd|th)?\b")


def _date_word(text: str, tok: tuple[int, int, str]) -> bool:
    """A weekday, or a month written as part of a date: never a word of a name."""
    word = tok[2].rstrip(".")
    if word in _WEEKDAYS:
        return True
    if word not in _MONTHS_DAYS:
        return False
    return word not in _NAME_MONTHS or _DAY_NUMBER.match(text, tok[1]) is not None


def _continues(tokens: list[tuple[int, int, str]], n: int) -> bool:
    nxt = tokens[n + 1][2] if n + 1 < len(tokens) else ""
    return _capitalised(nxt) and not nxt.endswith(("’s", "'s"))


def _capitalised(token: str) -> bool:
    return token[:1].isupper()


def _gap_breaks(text: str, end: int, start: int) -> bool:
    """Words of one name are separated by a single space (or a hyphen), nothing else."""
    gap = text[end:start]
    return gap not in (" ", "-", "\u00a0")


def _from_run(idx: DocIndex, run: list[tuple[int, int, str]], *, at_start: bool) -> list[NameMention]:
    while run and run[-1][2].lower() in _CONNECTORS:
        run = run[:-1]
    if not run:
        return []
    if at_start and _opens_no_name(idx, run):
        run = run[1:]
    words = [_word(t[2]) for t in run]
    cut = _title_cut(words)
    role = " ".join(t[2] for t in run[:cut]) or None
    run = run[cut:]
    words = words[cut:]
    while words and words[0] in _CONNECTORS:  # `Republican of South Carolina` → the place (not `Del Rio`)
        run, words, role = run[1:], words[1:], None
    home = _home_place(words)
    if home:  # `Nancy Pelosi of California`: the person, without the place she represents
        run, words = run[:home], words[:home]
    if not run or all(w in _MONTHS_DAYS or w in _NOT_NAMES for w in words):
        return []
    if len(words) == 1 and (
        words[0] in _NOT_NAMES
        or words[0] in _MONTHS_DAYS
        or words[0] in _ADJECTIVES - PLACES
        or len(words[0]) < 2
    ):
        return []
    start, end = run[0][0], run[-1][1]
    if idx.text[end - 1] == "." and not _is_abbreviation(idx.text[start:end]):
        end -= 1
    number = _NUMBER_AFTER.match(idx.text, end) if words[-1] in _NUMBERED else None
    if number:  # `Resolution 2231`, `Article 5`, `Flight 370`: the number is part of the name
        end = number.end()
    text = idx.text[start:end]
    kind = _classify(words, role)
    if number and kind == "person":
        kind = "other"  # `Malaysia Airlines Flight 370` names no one
    return [NameMention(idx.id, start, end, text, kind, role)]


def _home_place(words: list[str]) -> int:
    """Where `of <place>` starts after a person's name (`Richard M. Burr of North Carolina`), else 0."""
    if "of" not in words:
        return 0
    k = words.index("of")
    head, tail = words[:k], words[k + 1 :]
    if len(head) < 2 or any(w in _ORG_WORDS or w in _PLACE_WORDS or w in PLACES for w in head):
        return 0
    places = all(w in PLACES or w in _ADJECTIVES or w in ("New", "Rhode", "West") for w in tail)
    return k if tail and places and tail[-1] in PLACES else 0


def _word(token: str) -> str:
    """A token as the name rules read it: a final full stop dropped, except after a short abbreviation
    (`Ft.`, `Jr.`)."""
    return token.rstrip(".") if not token.endswith(".") or len(token) > 4 else token


def _opens_no_name(idx: DocIndex, run: list[tuple[int, int, str]]) -> bool:
    """Whether the first word of a run that opens a sentence is an ordinary word, not part of the name.

    Before `of`, a word that makes names with it stays (`Bank of America`, `University of Florida`,
    `Gulf of Mexico`, `Port of Miami`), even when the text also writes it in lower case; a common noun
    goes (`Residents of Ft. Myers`, `Parts of Florida`, `Supporters of Donald Trump`): what follows `of`
    is the name, typed on its own (a place stays a place). No person's name opens with a common noun
    and `of`, whether or not the gazetteer knows the place (`Residents of Naples`)."""
    first = run[0][2]
    before_of = len(run) > 2 and run[1][2] == "of"
    if before_of and (first in _ORG_WORDS or first in _PLACE_WORDS or first in _PLACE_PREFIXES):
        return False
    if _common_word(idx, first):
        return True
    return before_of and _common_noun(idx, first)


def _common_noun(idx: DocIndex, word: str) -> bool:
    """A capitalised common noun: the word or, for a plural, its singular is written in lower case in
    the text or is a common noun of `group_nouns` (`Residents`, `Voters`, `Parts`)."""
    lower = word.lower()
    forms = {lower}
    if lower.endswith("s") and not lower.endswith("ss"):
        forms.add(lower[:-1])  # voters → voter
        if lower.endswith("es"):
            forms.add(lower[:-2])  # churches → church
        if lower.endswith("ies"):
            forms.add(lower[:-3] + "y")  # parties → party
    return any(f in _GROUP_NOUNS or f in idx.lowercase_words for f in forms)


def _common_word(idx: DocIndex, word: str) -> bool:
    """A capitalised first word of a sentence that is an ordinary word, not a name."""
    lower = word.lower()
    if lower in STOPWORDS_ANALYSIS or word in _NOT_NAMES or lower.endswith(("ing", "ed", "ly")):
        return True
    return lower in idx.lowercase_words


def _title_cut(words: list[str]) -> int:
    """How many leading words are titles and adjectives (`US Secretary of State`), when a name follows."""
    last = -1
    for n, w in enumerate(words):
        if w in _TITLES or (w in _ADJECTIVES and n + 1 < len(words) and words[n + 1] in _TITLES):
            last = n
        elif w.lower() in _CONNECTORS and last == n - 1:
            continue
        elif last >= 0 or w not in _ADJECTIVES:
            break
    if last < 0:
        last = _title_after_place(words)
    if last < 0 or last + 1 >= len(words) or any(w in _ORG_WORDS for w in words[last + 1 :]):
        return 0
    return last + 1


def _title_after_place(words: list[str]) -> int:
    """The last title word when a title follows a place of one to three words and a full name follows it
    (`Del Rio Mayor Bruno Lozano`: the role is `Del Rio Mayor`), else -1."""
    for k in range(1, min(4, len(words))):
        if words[k] in _TITLES and words[k - 1] not in _TITLES:
            end = k
            while end + 1 < len(words) and words[end + 1] in _TITLES:
                end += 1
            return end if len(words) - end - 1 >= 2 else -1
    return -1


def _is_abbreviation(text: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.){2,}", text)) or text.split()[-1] in _ABBREVIATIONS


def _classify(words: list[str], role: str | None) -> NameType:
    joined = " ".join(words)
    if any(w in _ORG_WORDS for w in words):
        return "organization"
    if role is not None:
        return "person"
    if (
        joined in PLACES
        or all(w in PLACES or w.title() in PLACES for w in words)
        or words[-1] in _PLACE_WORDS
        or (len(words) > 2 and words[0] in _PLACE_WORDS and words[1] == "of")  # `Gulf of Mexico`
        or (len(words) > 1 and words[0] in _COMPASS and all(w in PLACES for w in words[1:]))
    ):
        return "place"
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}|(?:[A-Z]\.){2,4}", words[0]):
        return "organization"
    if words[0] in _PLACE_PREFIXES and len(words) > 1:
        return "place"  # `Fort Myers`, `Ft. Myers`, `Mount Vernon`
    if words[0] in _NEVER_FIRST_NAMES:
        return "place" if words[0] == "New" and len(words) > 1 and words[1] in PLACES else "other"
    if 2 <= len(words) <= 4 and not any(w.isupper() and not _INITIAL.fullmatch(w) for w in words):
        return "person"
    return "other"


def _canonicalise(raw: list[NameMention], headings: Sequence[tuple[int, int]] = ()) -> list[NameMention]:
    """Resolve each mention to the fullest name of the document; a bare surname of a person is a person.

    A surname written bare in the body before any fuller name ending with it (`President Trump …`,
    then `Melania Trump` later) belongs to someone the document never names in full: its bare mentions
    are then left unresolved rather than given to the fuller name. Headlines (`headings`) commonly use
    surnames alone and do not count."""
    counts = Counter(m.text for m in raw if m.type == "person")
    first_at: dict[str, int] = {}
    for m in raw:
        first_at.setdefault(m.text, m.start)
    fullest: dict[str, str] = {}  # surname → the longest person name ending with it
    for p in sorted(counts, key=lambda p: (-len(p), -counts[p], first_at[p])):  # ties: most named, first
        fullest.setdefault(p.split()[-1], p)
    first_full: dict[str, int] = {}
    for m in raw:
        if m.type == "person" and len(m.text.split()) > 1:
            first_full.setdefault(m.text.split()[-1], m.start)
    heading_starts = [a for a, _ in headings]
    ambiguous = {
        m.text
        for m in raw
        if len(m.text.split()) == 1
        and not _inside(m.start, headings, heading_starts)
        and m.start < first_full.get(m.text, -1)
    }
    out = []
    for m in raw:
        full, kind = m.text, m.type
        words = m.text.split()
        fuller = fullest.get(words[-1]) if words else None
        if (
            fuller is not None
            and len(fuller) > len(m.text)
            and (m.type == "person" or (m.type == "other" and len(words) == 1))
        ):
            # a person all the same; named in full only when the surname is not ambiguous
            full, kind = (m.text if m.text in ambiguous else fuller), "person"
        out.append(NameMention(m.source, m.start, m.end, m.text, kind, m.role, full))
    return out


def _inside(offset: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """Whether `offset` lies in one of `spans` (sorted, not overlapping; `starts` their starts)."""
    n = bisect.bisect_right(starts, offset) - 1
    return n >= 0 and spans[n][0] <= offset < spans[n][1]


class NameIndex:
    """Name mentions in text order, with those that start in a range found by bisection, so that
    looking up the names near each quote or sentence does not read every name of the document."""

    def __init__(self, mentions: Sequence[NameMention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]

    def between(self, lo: int, hi: int) -> list[NameMention]:
        """The mentions starting at `lo` or later and before `hi`, in text order."""
        return self.mentions[bisect.bisect_left(self.starts, lo) : bisect.bisect_left(self.starts, hi)]


def fullest_name(mentions: Sequence[NameMention], surface: str) -> str:
    """The fullest person name in `mentions` that `surface` (e.g. `Vaezi`) is a form of."""
    last = surface.split()[-1] if surface.split() else surface
    best = surface
    for m in mentions:
        if m.type == "person" and m.canonical.split()[-1] == last and len(m.canonical) > len(best):
            best = m.canonical
    return best


# ------------------------------------------------------------------------------------------------
# Across sources
# ------------------------------------------------------------------------------------------------


def _key(name: str) -> str:
    """The form two spellings of one name share: no full stops, hyphens as spaces, one apostrophe,
    lower case, accents dropped (`Raúl` is `Raul`, `Trans-Pacific` is `Trans Pacific`)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(_ABBREVIATED.get(w, w) for w in _spelling(folded).split())


def _spelling(name: str) -> str:
    """The form that keeps accents, for telling spellings apart (`Raúl` / `Raul` differ in spelling)."""
    return re.sub(r"[.\s]+", " ", name.replace(".", "").replace("-", " ").replace("’", "'")).strip().lower()


def same_name(a: str, b: str, kind: NameType) -> bool:
    """True when `a` and `b` are one name spelled alike or as a transliteration variant."""
    ka, kb = _key(a), _key(b)
    if ka == kb:
        return True
    ta, tb = ka.split(), kb.split()
    if kind == "person":
        if not _close(ta[-1], tb[-1]):
            return False
        if len(ta) == 1 or len(tb) == 1:
            return True
        short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
        return all(any(_close(x, y, 70.0) for y in long[:-1]) for x in short[:-1])
    if len(ta) != len(tb):
        return False
    return all(_close(x, y) for x, y in zip(ta, tb))


def spelling_variant(a: str, b: str) -> bool:
    """True when two forms of one name spell a word differently (`Sergie` / `Sergei`, `Rouhani` /
    `Rohani`); a fuller or shorter form (`Michael R. Bloomberg`, `Bloomberg`) or a short first name
    (`Mike`) is not a spelling difference."""
    ta, tb = _spelling(a).split(), _spelling(b).split()
    only_a = [x for x in ta if x not in tb and len(x) > 1 and x not in _GENERIC]
    only_b = [y for y in tb if y not in ta and len(y) > 1 and y not in _GENERIC]
    return any(
        (_fuzzy(x, y, 70.0) or one_letter_apart(x, y)) and not _nickname(x, y) and not _inflected(x, y)
        for x in only_a
        for y in only_b
    )


def one_letter_apart(a: str, b: str) -> bool:
    """Two words of letters, three or more, with the same first letter, one slip apart: a letter
    changed, added or dropped, or two neighbours swapped (`Eric` / `Erik`, `Jodi` / `Jody`). Too short
    for `_fuzzy`, and true of some different first names (`Jon` / `Joe`): callers add the guards."""
    return (
        a != b
        and min(len(a), len(b)) >= 3
        and a[0] == b[0]
        and a.isalpha()
        and b.isalpha()
        and OSA.distance(a, b) == 1
    )


_GENERIC = frozenset(w.lower().rstrip(".") for w in _TITLES | _ADJECTIVES | _ORG_WORDS)
"""Titles, party words, demonyms and organisation words: `President` / `Presidents`, `Democrat` /
`Democratic` are words around names, not names spelt two ways."""


def _inflected(a: str, b: str) -> bool:
    """One word in another form: a plural or possessive (`Republican` / `Republicans`, `Obama's`)."""
    return a.removesuffix("'s").rstrip("s") == b.removesuffix("'s").rstrip("s")


def neutral_name(name: str, groups: Sequence[NameGroup]) -> str:
    """A person's name as no single outlet spells it, when the sources spell it differently: the
    spelling most sources use, saying so, or else the spellings side by side (`Sergei/Sergie Lavrov`).
    Any other name comes back unchanged."""
    group = next(
        (g for g in groups if g.type == "person" and any(m.canonical == name for m in g.mentions)), None
    )
    if group is None:
        return name
    by_source = [set(group.spellings(s)) for s in group.sources]
    forms = sorted(set().union(*by_source))
    variants = [f for f in forms if any(spelling_variant(f, o) for o in forms if o != f)]
    if len(variants) < 2:
        return name
    counts = {f: sum(f in spelled for spelled in by_source) for f in variants}
    leaders = [f for f in variants if counts[f] == max(counts.values())]
    if len(leaders) == 1:
        others = " / ".join(f for f in variants if f != leaders[0])
        return f"{leaders[0]} (as most sources spell it; also {others})"
    tokens = [f.split() for f in variants]
    if len({len(t) for t in tokens}) > 1:
        return " / ".join(variants)
    return " ".join("/".join(dict.fromkeys(column)) for column in zip(*tokens))


_NICKNAME_GROUPS: dict[str, frozenset[int]] = {
    name: frozenset(n for n, g in enumerate(_NICKNAMES) if name in g) for g in _NICKNAMES for name in g
}
"""Each first name or short form → the nickname groups holding it."""


def _nickname(a: str, b: str) -> bool:
    return not _NICKNAME_GROUPS.get(a, frozenset()).isdisjoint(_NICKNAME_GROUPS.get(b, frozenset()))


def _close(a: str, b: str, threshold: float = 84.0) -> bool:
    return a == b or _nickname(a, b) or _fuzzy(a, b, threshold)


def _fuzzy(a: str, b: str, threshold: float = 84.0) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    return fuzz.ratio(a, b) >= threshold


def group_names(mentions: Sequence[NameMention]) -> list[NameGroup]:
    """Group mentions from all sources into people, organisations and places, variants together.

    A mention joins the first group (in order of creation) whose name is the same name; only groups
    whose last word is close to the mention's (`_CloseWords`) can be, so only those are compared."""
    groups: list[NameGroup] = []
    by_canonical: dict[tuple[str, str], NameGroup] = {}
    ordered = sorted(mentions, key=lambda m: -len(m.canonical))
    close = _CloseWords(_last_word(m.canonical) for m in ordered)
    by_last: dict[tuple[str, str], list[int]] = {}  # (type, last word) → numbers of its groups
    for m in ordered:
        key = (m.type, m.canonical)
        group = by_canonical.get(key)
        if group is None:
            last = _last_word(m.canonical)
            numbers = sorted(n for w in close.of(last) for n in by_last.get((m.type, w), ()))
            group = next(
                (groups[n] for n in numbers if same_name(groups[n].canonical, m.canonical, m.type)), None
            )
            if group is None:
                group = NameGroup(m.canonical, m.type)
                by_last.setdefault((m.type, last), []).append(len(groups))
                groups.append(group)
        by_canonical[key] = group
        group.mentions.append(m)
    groups = _join_surnames(groups, close)
    for g in groups:
        g.mentions.sort(key=lambda m: (m.source, m.start))
    return groups


def _last_word(name: str) -> str:
    words = _key(name).split()
    return words[-1] if words else ""


class _CloseWords:
    """For a set of words, which of them each one is `_close` to (the same, a nickname, or a spelling
    variant). Spelling variants are looked up in C (rapidfuzz) among words of a length that can reach
    the threshold only: a ratio of 84 needs the longer word at most 1.38 times the shorter."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(set(words))
        self.close: dict[str, set[str]] = {w: {w} for w in self.words}
        for w in self.words:
            for group in _NICKNAME_GROUPS.get(w, ()):
                self.close[w] |= _NICKNAMES[group] & self.close.keys()
        by_length: dict[int, list[str]] = {}
        for w in self.words:
            if len(w) >= 5:
                by_length.setdefault(len(w), []).append(w)
        for size, words in by_length.items():
            others = [w for n in range(size, math.floor(size * 1.39) + 1) for w in by_length.get(n, ())]
            for w in words:
                for other, _, _ in process.extract(
                    w, others, scorer=fuzz.ratio, score_cutoff=84.0, limit=None
                ):
                    self.close[w].add(other)
                    self.close[other].add(w)

    def of(self, word: str) -> set[str]:
        return self.close.get(word, {word})


def _join_surnames(groups: list[NameGroup], close: _CloseWords) -> list[NameGroup]:
    """A bare surname left untyped (`Bloomberg` in an outlet that never gives the first name) joins
    the one person group whose surname it is; with no such person, or several, it stays apart."""
    people: dict[str, list[NameGroup]] = {}
    for g in groups:
        if g.type == "person":
            people.setdefault(_last_word(g.canonical), []).append(g)
    out = []
    for g in groups:
        if g.type == "other" and len(g.canonical.split()) == 1:
            key = _last_word(g.canonical)
            owners = [p for w in close.of(key) for p in people.get(w, ()) if _close(w, key)]
            if len(owners) == 1:
                owners[0].mentions.extend(g.mentions)
                continue
        out.append(g)
    return out
