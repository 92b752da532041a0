"""Can an editor trust the offline comparison on stories nobody tuned on? (issue 11)

    python bench/compare_eval.py [DATA_DIR] [--list] [--sample] [--alignment lexical|semantic|both]
    # default: ../shared/data/dev beside the repository; lexical alignment

Every figure is printed for the `tune` and the `heldout` stories of `bench/splits.py` side by side
(rules are written while reading `tune` only). The dev data is read in place, never copied.
`--alignment semantic` runs the comparisons with sentence embeddings (`compare --alignment semantic`);
`both` prints the lexical and semantic columns side by side and says how many claims of the lexical
sample the semantic run still makes.

1. **Planted conflicts.** For each BASIL story, source A's article is copied in memory and changed:
   one quantity (a number `find_numbers` reads: not a year, a day of a date or a clock time) goes
   up, one weekday (else the month of a full date) moves on, one person's surname is misspelt
   throughout the copy (a letter doubled), another person's first name is misspelt by one letter
   throughout the copy (a vowel changed, else a consonant doubled: `Eric` / `Eroc`), one word of a
   direct quote is replaced, and two sentences are dropped. The original and the copy are compared
   offline. A plant is found when the comparison reports it: a conflict of its kind whose evidence
   lies in the changed sentence (number, date), a name conflict giving the misspelling (a first
   name: as a word), a quote variant on the changed quote, a statement only the original reports
   with the copy `omits` (each dropped sentence). The surname and the first name are words of the
   names the analysis types as people, never a title or party word (`Midwestern Democrat`).
   Targets: recall >= 0.9; at most 1 unplanted conflict or only-some claim per pair on average.
2. **Speakers** of BASIL's labelled quotes (`is_quote`, a named `quote_speaker`), among the quotes
   the analysis finds: right among those given a speaker (target >= 85%) and given (>= 80%).
3. **Only-some selectivity** on the real three-outlet stories: the share of sentences flagged as
   reported by only some sources (target <= 35%), and how much more often sentences holding a
   human-labelled informational-bias span are flagged than the others (target >= 1.5x).
4. **Conflicts for reading**: every conflict reported on the real stories of each part, with the
   verdict read from `bench/verdicts/conflicts_<part>.jsonl` (one JSON object a line: story, kind,
   `description_sha256`: the first 16 hex digits of the description's sha256, so that no names or
   values of the articles are copied into the repository; verdict `true`/`false`, note). Precision
   is printed for both parts, counting judged conflicts only and saying how many are unjudged;
   `--list` prints the conflicts so that new ones can be read and judged. Conflicts found below the
   offline report's cut (candidates a model reviews, e.g. D108) are counted and judged the same way.
5. **Consistency**: sentences that are evidence both of a statement every source reports and of a
   statement only some report (D107), planted pairs / real stories (must be 0).
6. **Only-some claims for reading**: a sample of `SAMPLE` only-some claims of the held-out stories,
   drawn by a seeded hash (`SAMPLE_SEED`, stable as claims come and go) from all of them, judged by
   reading and recorded in
   `bench/verdicts/only_some_heldout.jsonl` (story, `claim_sha256`: the first 16 hex digits of the
   claim's sha256, so that no article text is copied into the repository; verdict `true`/`false`,
   note); the bench
   prints their precision (target >= 85%). `--sample` prints the sample with the evidence and, for
   each omitting outlet, its three most similar sentences, for reading.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from summarizer.analysis import analyse
from summarizer.analysis.compare import analyse_document
from summarizer.analysis.names import NameMention
from summarizer.analysis.numbers import find_numbers
from summarizer.candidates import CONTRADICTING
from summarizer.documents import document_from_text
from summarizer.offline import compare_offline
from summarizer.schemas import Claim, Comparison, Conflict, Document, Span
from summarizer.text import Semantic, semantic, wordlist

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_basil import load_story, locate, speaker_verdict
from splits import DEV, Part, require_dev, stories

VERDICTS = Path(__file__).resolve().parent / "verdicts"
SAMPLE, SAMPLE_SEED = 100, "only-some-heldout"
OFFLINE_CUT = 0.5
"""The confidence from which `compare_offline` reports a conflict; below it a conflict is a candidate."""
PARTS: tuple[Part, ...] = ("tune", "heldout")
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


# ------------------------------------------------------------------------------------------------
# 1. Planted conflicts
# ------------------------------------------------------------------------------------------------


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


# ------------------------------------------------------------------------------------------------
# 2-4. Real stories: speakers, only-some selectivity, conflicts
# ------------------------------------------------------------------------------------------------


@dataclass
class RealScore:
    speakers: dict[str, int] = field(default_factory=lambda: {"right": 0, "wrong": 0, "abstained": 0})
    sentences: int = 0
    flagged: int = 0
    info: int = 0
    info_flagged: int = 0
    conflicts: list[dict[str, str]] = field(default_factory=list)
    only_some: list[dict[str, object]] = field(default_factory=list)
    cells: int = 0
    contradicts: int = 0
    statement_conflicts: int = 0
    shown: int = 0
    both: int = 0
    review: list[dict[str, str]] = field(default_factory=list)  # conflicts below the offline cut


def told_both_ways(comparison: Comparison) -> int:
    """How many sentences are evidence of a statement all sources report and of a statement only some
    report (D107): a sentence must not be both."""
    by_all: set[str] = set()
    by_some: set[str] = set()
    for c in comparison.claims:
        told = {i for s in c.sources if s.status == "reports" for e in s.evidence for i in e.sentence_ids}
        if all(s.status == "reports" for s in c.sources):
            by_all |= told
        elif c.rule == "D107":
            by_some |= told
    return len(by_all & by_some)


def real(
    folder: Path,
    docs: Sequence[Document],
    gold: dict[str, list[dict[str, object]]],
    score: RealScore,
    meaning: Semantic | None = None,
) -> None:
    analysis = analyse(docs, meaning=meaning)
    comparison = compare_offline(docs, meaning=meaning)
    for a in analysis.documents:
        for span in gold.get(a.index.id, []):
            region = None if span.get("in_title") else locate(a.doc, span)
            if region is not None and span.get("is_quote"):
                verdict = speaker_verdict(str(span.get("quote_speaker") or ""), region, a.quotes)
                if verdict:
                    score.speakers[verdict] += 1
    flagged: set[str] = set()
    for c in comparison.claims:
        if not any(s.status in ("omits", "unclear") for s in c.sources):
            continue
        for s in c.sources:
            if s.status == "reports":
                flagged |= {i for e in s.evidence for i in e.sentence_ids}
    info: set[str] = set()
    for d in docs:
        for span in gold.get(d.id, []):
            region = None if span.get("in_title") else locate(d, span)
            if region is not None and span.get("bias_type") == "informational":
                info |= {s.id for s in d.sentences if s.start < region[1] and region[0] < s.end}
    every = {s.id for d in docs for s in d.sentences}
    score.sentences += len(every)
    score.flagged += len(flagged & every)
    score.info += len(info)
    score.info_flagged += len(info & flagged)
    for c in comparison.conflicts:
        score.conflicts.append({"story": folder.name, "kind": c.kind, "description": c.description})
    for f in analysis.of_type("conflict"):
        if f.confidence < OFFLINE_CUT:
            score.review.append({"story": folder.name, "kind": f.kind, "description": f.description})
    score.cells += sum(len(c.sources) for c in comparison.claims)
    score.both += told_both_ways(comparison)
    score.contradicts += sum(s.status == "contradicts" for c in comparison.claims for s in c.sources)
    score.statement_conflicts += sum(c.kind in CONTRADICTING for c in comparison.conflicts)
    score.shown += sum(c.kind in CONTRADICTING and _shown(c, comparison.claims) for c in comparison.conflicts)
    texts = {d.id: [d.text[s.start : s.end] for s in d.sentences] for d in docs}
    for c in comparison.claims:
        if any(s.status == "omits" for s in c.sources):
            score.only_some.append(
                {"story": folder.name, "claim": c.claim, "rule": c.rule, **_reading(c, texts)}
            )


def _shown(conflict: Conflict, claims: Sequence[Claim]) -> bool:
    """Whether a claim reported by the conflict's first source at its evidence marks the other source
    `contradicts` at the other's evidence."""
    first, other = conflict.values[0], conflict.values[-1]

    def touch(a: Sequence[Span], b: Sequence[Span]) -> bool:
        return any(x.source == y.source and x.start < y.end and y.start < x.end for x in a for y in b)

    return any(
        any(
            s.source == first.source and s.status == "reports" and touch(s.evidence, first.evidence)
            for s in c.sources
        )
        and any(
            s.source == other.source and s.status == "contradicts" and touch(s.evidence, other.evidence)
            for s in c.sources
        )
        for c in claims
    )


def _reading(claim: Claim, texts: dict[str, list[str]]) -> dict[str, object]:
    """What a reader needs to judge an only-some claim: each reporting outlet's evidence and, for each
    omitting outlet, its three sentences most similar to the first evidence."""
    reports = {s.source: [e.text for e in s.evidence] for s in claim.sources if s.status == "reports"}
    first = next(iter(reports.values()))[0] if reports else claim.claim
    omitted = {}
    for s in claim.sources:
        if s.status == "omits":
            near = process.extract(first, texts[s.source], scorer=fuzz.token_set_ratio, limit=3)
            omitted[s.source] = [t for t, _, _ in near]
    return {"reports": reports, "nearest_in_omitting": omitted}


def sample(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The `SAMPLE` claims to read: those whose sha256 of `SAMPLE_SEED`, story and claim is lowest, so a
    change that adds or drops a few claims leaves the rest of the sample (and its verdicts) in place."""

    def key(row: dict[str, object]) -> str:
        return hashlib.sha256(f"{SAMPLE_SEED}|{row['story']}|{row['claim']}".encode()).hexdigest()

    return sorted(rows, key=key)[:SAMPLE]


def only_some_verdicts() -> dict[tuple[str, str], dict[str, str]]:
    path = VERDICTS / "only_some_heldout.jsonl"
    if not path.is_file():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(r["story"], r["claim_sha256"]): r for r in rows}


def claim_key(row: dict[str, object]) -> tuple[str, str]:
    """How a verdict names its claim: the story and the first 16 hex digits of the claim's sha256."""
    return str(row["story"]), hashlib.sha256(str(row["claim"]).encode()).hexdigest()[:16]


def verdicts(part: Part) -> dict[tuple[str, str], dict[str, str]]:
    """The conflict verdicts of a part, by `conflict_key`."""
    path = VERDICTS / f"conflicts_{part}.jsonl"
    if not path.is_file():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(r["story"], r["description_sha256"]): r for r in rows}


def conflict_key(row: dict[str, str]) -> tuple[str, str]:
    """How a verdict names its conflict: the story and the first 16 hex digits of the sha256 of the
    conflict's description (which quotes names and values from the articles)."""
    return row["story"], hashlib.sha256(row["description"].encode()).hexdigest()[:16]


# ------------------------------------------------------------------------------------------------


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} {100 * n / d:.0f}%" if d else "-"


def _print_judged(
    title: str, rows: list[dict[str, str]], judged: dict[tuple[str, str], dict[str, str]], listing: bool
) -> None:
    """One line of counts and precision for `rows` against their read verdicts; with `listing`, each row."""
    known = [judged[conflict_key(c)] for c in rows if conflict_key(c) in judged]
    true = sum(1 for v in known if v.get("verdict") == "true")
    print(
        f"{title}: {len(rows)} reported, {len(known)} judged, precision {_pct(true, len(known))}; "
        f"unjudged {len(rows) - len(known)}"
    )
    if listing:
        for c in rows:
            v = judged.get(conflict_key(c), {})
            print(f"  [{v.get('verdict', '?'):5s}] {c['story']} {c['kind']}: {c['description']}")


def evaluate(data: Path, meaning: Semantic | None) -> tuple[dict[Part, PairScore], dict[Part, RealScore]]:
    pairs = {p: PairScore() for p in PARTS}
    reals = {p: RealScore() for p in PARTS}
    for part in PARTS:
        for folder in stories(data, part):
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if "bias_spans" not in meta.get("gold", {}):
                continue
            docs, gold = load_story(folder)
            planted(folder, docs, pairs[part], meaning)
            real(folder, docs, gold, reals[part], meaning)
    return pairs, reals


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEV)
    parser.add_argument("--list", action="store_true", help="print every conflict with its verdict")
    parser.add_argument("--sample", action="store_true", help="print the only-some sample for reading")
    parser.add_argument(
        "--alignment",
        choices=["lexical", "semantic", "both"],
        default="lexical",
        help="how statements are matched (summarizer compare --alignment); both: side by side",
    )
    args = parser.parse_args(argv)
    data = require_dev(args.data)
    methods = ["lexical", "semantic"] if args.alignment == "both" else [args.alignment]
    results = {}
    for method in methods:
        started = time.perf_counter()
        meaning = semantic("minilm") if method == "semantic" else None
        results[method] = evaluate(data, meaning)
        print(f"({method}: {time.perf_counter() - started:.1f} s)")
    columns = [(m, p) for m in methods for p in PARTS]
    print(f"{'':44s}" + "".join(f" {f'{p} {m[:3]}':>16s}" for m, p in columns))

    def row(label: str, values: list[str]) -> None:
        print(f"{label:44s}" + "".join(f" {v:>16s}" for v in values))

    pairs = {(m, p): results[m][0][p] for m, p in columns}
    reals = {(m, p): results[m][1][p] for m, p in columns}
    row("stories (BASIL, full articles)", [str(pairs[c].pairs) for c in columns])
    kinds = ("number", "date", "name", "first name", "quote", "drop")
    for k in kinds:
        row(
            f"planted {k} found",
            [_pct(pairs[c].found.get(k, 0), pairs[c].planted.get(k, 0)) for c in columns],
        )
    row(
        "planted recall (target >= 0.9)",
        [_pct(sum(pairs[c].found.values()), sum(pairs[c].planted.values())) for c in columns],
    )
    row(
        "unplanted findings per pair (target <= 1)",
        [f"{pairs[c].unplanted / max(pairs[c].pairs, 1):.2f}" for c in columns],
    )
    sp = {c: reals[c].speakers for c in columns}
    row(
        "speaker right among given (target >= 85%)",
        [_pct(sp[c]["right"], sp[c]["right"] + sp[c]["wrong"]) for c in columns],
    )
    row(
        "speaker given (target >= 80%)",
        [_pct(sp[c]["right"] + sp[c]["wrong"], sum(sp[c].values())) for c in columns],
    )
    row(
        "sentences flagged only-some (target <= 35%)",
        [_pct(reals[c].flagged, reals[c].sentences) for c in columns],
    )
    row("informational sentences flagged", [_pct(reals[c].info_flagged, reals[c].info) for c in columns])
    ratios = []
    for c in columns:
        r = reals[c]
        other = (r.flagged - r.info_flagged) / max(r.sentences - r.info, 1)
        ratios.append(f"{(r.info_flagged / max(r.info, 1)) / other:.2f}x" if other else "-")
    row("informational vs other flag rate (>= 1.5x)", ratios)
    row("only-some claims", [str(len(reals[c].only_some)) for c in columns])
    row(
        "sentences told by all and by only some",
        [f"{pairs[c].both} / {reals[c].both}" for c in columns],
    )
    row(
        "planted pairs: conflicts shown `contradicts`",
        [_pct(pairs[c].shown, pairs[c].statement_conflicts) for c in columns],
    )
    row(
        "matrix cells `contradicts` (real stories)",
        [f"{reals[c].contradicts}/{reals[c].cells}" for c in columns],
    )
    row(
        "statement conflicts shown as `contradicts`",
        [_pct(reals[c].shown, reals[c].statement_conflicts) for c in columns],
    )
    for m, p in columns:
        _print_judged(f"conflicts on real stories, {p}, {m}", reals[m, p].conflicts, verdicts(p), args.list)
    for m, p in columns:
        _print_judged(
            f"conflict candidates below the offline cut (a model reviews them), {p}, {m}",
            reals[m, p].review,
            verdicts(p),
            args.list,
        )
    judged_claims = only_some_verdicts()
    for m in methods:
        claims = reals[m, "heldout"].only_some
        drawn = sample(claims)
        known = [judged_claims[claim_key(c)] for c in drawn if claim_key(c) in judged_claims]
        true = sum(1 for v in known if v.get("verdict") == "true")
        print(
            f"only-some claims, heldout, {m}: {len(claims)}; sample of {len(drawn)} read: "
            f"{len(known)} judged, precision {_pct(true, len(known))} (target >= 85%); "
            f"unjudged {len(drawn) - len(known)}"
        )
        if m != "lexical" and "lexical" in methods:
            before = sample(reals["lexical", "heldout"].only_some)
            still = {claim_key(c) for c in claims}
            kept = [c for c in before if claim_key(c) in still]
            kept_true = sum(1 for c in kept if judged_claims.get(claim_key(c), {}).get("verdict") == "true")
            gone_false = sum(
                1
                for c in before
                if claim_key(c) not in still and judged_claims.get(claim_key(c), {}).get("verdict") == "false"
            )
            print(
                f"  of the lexical sample's {len(before)} claims, {len(kept)} are still claimed ({kept_true} "
                f"judged true); {len(before) - len(kept)} dropped, {gone_false} of them judged false"
            )
        if args.sample:
            for n, c in enumerate(drawn, 1):
                v = judged_claims.get(claim_key(c), {})
                print(
                    json.dumps(
                        {"n": n, "method": m, "verdict": v.get("verdict", "?"), **c}, ensure_ascii=False
                    )
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
