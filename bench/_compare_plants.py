"""Planted conflicts for bench/compare_eval.py (part 1 of its docstring): a changed copy of an article
and which of its plants the offline comparison finds."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from _compare_real import _shown, told_both_ways

from summarizer.analysis.compare import analyse_document
from summarizer.analysis.names import NameMention
from summarizer.analysis.numbers import find_numbers
from summarizer.candidates import CONTRADICTING
from summarizer.documents import document_from_text
from summarizer.offline import compare_offline
from summarizer.schemas import Comparison, Document, Span
from summarizer.text import Semantic, wordlist

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SUBSTITUTES = ["decision", "country", "problem", "moment", "future", "question", "process", "system"]
_NUMBER = re.compile(r"(?<![\w.,:])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\w:])")
TITLES = wordlist("name_titles")
_DAY_DATE = re.compile(rf"\b({'|'.join(MONTHS)}) \d{{1,2}}\b")


@dataclass
class Plant:
    kind: str  # number | date | name | first name | quote | drop
    start: int  # where in the original (the changed sentence, quote or dropped sentence)
    end: int
    new: str = ""  # the copy's misspelling, for names


@dataclass
class Edit:
    start: int
    end: int
    replacement: str


@dataclass
class PairScore:
    planted: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    unplanted: int = 0
    pairs: int = 0
    statement_conflicts: int = 0  # conflicts of a statement (date, number, attribution)
    shown: int = 0  # of those, marked `contradicts` in the claim of their first sentence
    both: int = 0  # sentences both in a reported-by-all claim and in an only-some statement


def plant(doc: Document, rng: random.Random, seed: str = "") -> tuple[str, list[Plant]]:
    """The copy's text and what was planted in it."""
    text = doc.text
    a = analyse_document(doc)
    body = [s for s in doc.sentences[1:] if len(text[s.start : s.end].split()) >= 8]
    quoted = [(q.start, q.end) for q in a.quotes if q.kind == "direct"]
    taken: list[tuple[int, int]] = []
    edits: list[Edit] = []
    plants: list[Plant] = []

    def free(s: int, e: int) -> bool:
        return all(e <= x or s >= y for x, y in taken)

    def outside_quotes(s: int, e: int) -> bool:
        return all(e <= x or s >= y for x, y in quoted)

    quantities = [(n.start, n.end) for n in find_numbers(text) if n.unit != "clock"]
    order = rng.sample(body, len(body))
    for s in order:  # a quantity (not a year, a day of a date or a time), outside quotation marks
        hits = [
            m for m in _NUMBER.finditer(text, s.start, s.end) if not re.fullmatch(r"(19|20)\d\d", m.group())
        ]
        hits = [
            m
            for m in hits
            if outside_quotes(m.start(), m.end()) and any(a <= m.start() < b for a, b in quantities)
        ]
        if hits:
            m = hits[0]
            value = float(m.group().replace(",", ""))
            new = value + 1 if value < 10 else round(value * 1.5)
            edits.append(Edit(m.start(), m.end(), f"{new:,.0f}" if new == int(new) else f"{new}"))
            plants.append(Plant("number", s.start, s.end))
            taken.append((s.start, s.end))
            break
    for s in order:  # a weekday, else the month of a full date
        if not free(s.start, s.end):
            continue
        sentence = text[s.start : s.end]
        day = next((w for w in WEEKDAYS if re.search(rf"\b{w}\b", sentence)), None)
        if day is not None:
            at = s.start + re.search(rf"\b{day}\b", sentence).start()  # type: ignore[union-attr]
            edits.append(Edit(at, at + len(day), WEEKDAYS[(WEEKDAYS.index(day) + 2) % 7]))
        else:
            m = _DAY_DATE.search(text, s.start, s.end)
            if m is None:
                continue
            month = m.group(1)
            edits.append(Edit(m.start(1), m.end(1), MONTHS[(MONTHS.index(month) + 1) % 12]))
        plants.append(Plant("date", s.start, s.end))
        taken.append((s.start, s.end))
        break
    people = [m for m in a.names if m.type == "person" and len(m.canonical.split()) >= 2]
    surnames = sorted({m.canonical.split()[-1] for m in people if m.canonical.split()[-1].isalpha()})
    surnames = [n for n in surnames if len(n) >= 5 and n not in TITLES]  # not `Midwestern Democrat`
    planted_surname = ""
    if surnames:
        surname = planted_surname = rng.choice(surnames)
        k = len(surname) // 2
        misspelt = surname[:k] + surname[k] + surname[k:]
        first = None
        for m in re.finditer(rf"(?<![\w-]){surname}(?![\w-])", text):
            if free(m.start(), m.end()):
                edits.append(Edit(m.start(), m.end(), misspelt))
                first = first if first is not None else m
        if first is not None:
            plants.append(Plant("name", first.start(), first.end(), misspelt))
    for q in a.quotes:  # one word of a direct quote
        if q.kind != "direct" or len(q.text.split()) < 8 or not free(q.start, q.end):
            continue
        words = [m for m in re.finditer(r"\b[a-z]{5,}\b", text[q.start : q.end])]
        if not words:
            continue
        w = rng.choice(words)
        substitute = next(x for x in SUBSTITUTES if x != w.group())
        overlaps = [e for e in edits if not (e.end <= q.start + w.start() or e.start >= q.start + w.end())]
        if overlaps:
            continue
        edits.append(Edit(q.start + w.start(), q.start + w.end(), substitute))
        plants.append(Plant("quote", q.start, q.end))
        taken.append((q.start, q.end))
        break
    dropped = 0
    for s in order:  # two sentences dropped
        if dropped == 2:
            break
        if not free(s.start, s.end) or any(not (e.end <= s.start or e.start >= s.end) for e in edits):
            continue
        edits.append(Edit(s.start, s.end, ""))
        plants.append(Plant("drop", s.start, s.end))
        taken.append((s.start, s.end))
        dropped += 1
    slip = _first_name_slip(text, people, planted_surname, free, random.Random(f"first name {seed}"))
    if slip is not None:
        edits.extend(slip[0])
        plants.append(slip[1])
    copy = text
    for e in sorted(edits, key=lambda e: -e.start):
        copy = copy[: e.start] + e.replacement + copy[e.end :]
    return copy, plants


def _first_name_slip(
    text: str,
    people: Sequence[NameMention],
    surname: str,
    free: Callable[[int, int], bool],
    rng: random.Random,
) -> tuple[list[Edit], Plant] | None:
    """One letter of one person's first name changed everywhere in the copy (a vowel for the next
    vowel, else a consonant doubled): a person other than the one whose surname is misspelt, whose
    first name no other person has and stands nowhere else already changed or dropped."""
    firsts: dict[str, set[str]] = {}
    for m in people:
        words = m.canonical.split()
        if len(words) == 2:  # a first name and a surname, no title or place read into the name
            firsts.setdefault(words[0], set()).add(words[-1])
        else:
            firsts.setdefault(words[-2], set()).add("")  # taken by a longer name: never changed
    choices = sorted(
        first
        for first, last in firsts.items()
        if len(last) == 1
        and surname not in last
        and len(first) >= 3
        and first.isalpha()
        and first[0].isupper()
        and first not in TITLES
    )
    rng.shuffle(choices)
    for first in choices:
        found = list(re.finditer(rf"(?<![\w-]){first}(?![\w-])", text))
        if not found or not all(free(m.start(), m.end()) for m in found):
            continue
        k = len(first) // 2
        letter = first[k]
        vowels = "aeiou"
        changed = vowels[(vowels.index(letter) + 1) % 5] if letter in vowels else letter * 2
        misspelt = first[:k] + changed + first[k + 1 :]
        if re.search(rf"(?<![\w-]){misspelt}(?![\w-])", text):
            continue
        edits = [Edit(m.start(), m.end(), misspelt) for m in found]
        return edits, Plant("first name", found[0].start(), found[0].end(), misspelt)
    return None


def _names(p: Plant, value: str) -> bool:
    """Whether a name conflict's value gives the plant's misspelling (a first name: as a whole word)."""
    if p.kind == "first name":
        return re.search(rf"(?<![\w-]){re.escape(p.new)}(?![\w-])", value) is not None
    return p.new in value


def _hits(spans: Sequence[Span], source: str, start: int, end: int) -> bool:
    return any(s.source == source and s.start < end and start < s.end for s in spans)


def score_pair(comparison: Comparison, plants: Sequence[Plant]) -> tuple[dict[str, int], int]:
    """Plants found by kind, and the number of conflicts and only-some claims about nothing planted."""
    found: dict[str, int] = {}
    used: set[int] = set()
    for p in plants:
        hit = None
        if p.kind in ("number", "date"):
            hit = next(
                (
                    n
                    for n, c in enumerate(comparison.conflicts)
                    if c.kind == p.kind and any(_hits(v.evidence, "A", p.start, p.end) for v in c.values)
                ),
                None,
            )
        elif p.kind in ("name", "first name"):
            hit = next(
                (
                    n
                    for n, c in enumerate(comparison.conflicts)
                    if c.kind == "name" and any(_names(p, v.value) for v in c.values)
                ),
                None,
            )
        if hit is not None:
            used.add(hit)
        elif p.kind == "quote":
            hit = next(
                (
                    1
                    for v in comparison.quote_variants
                    if any(_hits(w.evidence, "A", p.start, p.end) for w in v.wordings)
                ),
                None,
            )
        elif p.kind == "drop":
            hit = next(
                (
                    1
                    for c in comparison.claims
                    if any(
                        s.source == "A" and s.status == "reports" and _hits(s.evidence, "A", p.start, p.end)
                        for s in c.sources
                    )
                    and any(s.source == "B" and s.status == "omits" for s in c.sources)
                ),
                None,
            )
        found[p.kind] = found.get(p.kind, 0) + (hit is not None)
    unplanted = sum(1 for n, _ in enumerate(comparison.conflicts) if n not in used)
    for c in comparison.claims:
        if not any(s.status in ("omits", "unclear") for s in c.sources):
            continue
        spans = [e for s in c.sources for e in s.evidence if s.source == "A"]
        if not any(_hits(spans, "A", p.start, p.end) for p in plants):
            unplanted += 1
    return found, unplanted


def planted(
    folder: Path, docs: Sequence[Document], score: PairScore, meaning: Semantic | None = None
) -> None:
    original = docs[0]
    rng = random.Random(folder.name)
    text, plants = plant(original, rng, folder.name)
    a = document_from_text(original.text, source_id="A", outlet="Original", published=original.published)
    b = document_from_text(text, source_id="B", outlet="Copy", published=original.published)
    comparison = compare_offline([a, b], meaning=meaning)
    found, unplanted = score_pair(comparison, plants)
    score.pairs += 1
    score.statement_conflicts += sum(c.kind in CONTRADICTING for c in comparison.conflicts)
    score.shown += sum(c.kind in CONTRADICTING and _shown(c, comparison.claims) for c in comparison.conflicts)
    score.unplanted += unplanted
    score.both += told_both_ways(comparison)
    for p in plants:
        score.planted[p.kind] = score.planted.get(p.kind, 0) + 1
    for kind, n in found.items():
        score.found[kind] = score.found.get(kind, 0) + n
