"""Framing aspects of the offline engine on every dev story, per split (read in place, never copied).

    python bench/framing_basil.py [DATA_DIR] [--part tune|heldout] [--show] [--why] [--semantic]

For each part of `bench/splits.py` (tune, held-out) it reports:

- aspects by kind (headline, word choice, label, emphasis) and by rule code, and the stories with at
  least one aspect that is not the headlines side by side;
- a precision proxy, on BASIL stories: the share of word-choice and label wordings that overlap a human
  *lexical* bias span (loaded wording) by at least one character, and the share that overlap any gold
  span (lexical or informational); for emphasis (whole lead sentences) the share holding any gold span.
  The gold marks only some of each article's loaded wording, so a
  wording off the gold is not necessarily wrong: `--show` prints every aspect so they can be read;
- recall of lexical spans: the lexical gold spans outside quotations in the body whose sentence the
  alignment pairs with a sentence of another source (each the other's best match, at the word-choice
  threshold), and how many of them half lie in an aspect's wording. Spans in sentences no other source
  matches cannot be a word choice "for the same statement", so they are counted apart.

Verdicts: the non-headline aspects read by a person are in `bench/verdicts/framing_<part>.jsonl`, one
row each (`story`, `rule`, `wordings_sha256`: see `aspect_key`, `verdict` right/wrong, `note`); the
report counts the aspects of this run by verdict, `unread` for those nobody has read (a changed aspect
has a new key, so it must be read again).

`--semantic` aligns statements by meaning too (`pip install -e '.[semantic]'`, the `--alignment
semantic` of the CLI); it costs several CPU seconds a story.

`--why` adds, for those lexical spans, where they are lost: not a term of the lexicon, the sentence
without an aligned partner, or dropped by the detector's filters. AllSides stories (previews, no span
gold) count in the aspect figures only.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.analysis import analyse
from summarizer.analysis.framing import FramingAspect, find_framing
from summarizer.analysis.framing._doc import _Doc
from summarizer.analysis.framing._word_choice import MATCH_SCORE
from summarizer.documents import document_from_text
from summarizer.schemas import Document
from summarizer.text import Semantic, semantic

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_basil import covered, locate
from splits import DEV, Part, require_dev, stories

Region = tuple[int, int]
VERDICTS = Path(__file__).resolve().parent / "verdicts"


def touches(region: Region, gold: list[Region]) -> bool:
    lo, hi = region
    return any(min(hi, e) > max(lo, s) for s, e in gold)


@dataclass
class Tally:
    """Found / total for one measure."""

    found: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.found += hit
        self.total += 1

    def __str__(self) -> str:
        return f"{self.found}/{self.total} {100 * self.found / self.total:.0f}%" if self.total else "-"


@dataclass
class PartFigures:
    stories: int = 0
    basil: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    beyond: int = 0
    """Stories with at least one aspect that is not the headlines."""
    on_lexical: Tally = field(default_factory=Tally)
    on_any: Tally = field(default_factory=Tally)
    """Word-level wordings (word choice, label) on a lexical / any gold span."""
    lead_on_gold: Tally = field(default_factory=Tally)
    """Emphasis wordings (whole sentences) holding any gold span."""
    recall: Tally = field(default_factory=Tally)
    """Lexical spans outside quotes in aligned sentences found in a wording."""
    unaligned: int = 0
    why: Counter[str] = field(default_factory=Counter)
    read: Counter[str] = field(default_factory=Counter)
    """Non-headline aspects by verdict of `bench/verdicts/framing_<part>.jsonl` (`unread` when none)."""


def load(folder: Path) -> tuple[list[Document], dict[str, list[dict[str, object]]]]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    docs = [
        document_from_text(
            (folder / info["file"]).read_text(encoding="utf-8"),
            source_id=sid,
            outlet=info["outlet"],
            published=info.get("date"),
        )
        for sid, info in sorted(meta["sources"].items())
    ]
    return docs, meta["gold"].get("bias_spans", {})


def paired(analysis: object, d: int, s: int) -> bool:
    """Whether sentence `s` of document `d` has a mutual best match at the word-choice threshold."""
    alignment = analysis.alignment  # type: ignore[attr-defined]
    for o, (t, score) in alignment.best.get((d, s), {}).items():
        back = alignment.match(o, t, d)
        if score >= MATCH_SCORE and back is not None and back[0] == s:
            return True
    return False


def aspect_key(aspect: FramingAspect) -> str:
    """The first 16 hex digits of the sha256 of an aspect's wordings, so verdicts copy no article text."""
    wordings = "\n".join(f"{c.source}:{c.span.start}:{c.span.text}" for c in aspect.choices)
    return hashlib.sha256(f"{aspect.rule}\n{wordings}".encode()).hexdigest()[:16]


def load_verdicts(part: str) -> dict[tuple[str, str], str]:
    path = VERDICTS / f"framing_{part}.jsonl"
    if not path.is_file():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(r["story"], r["wordings_sha256"]): r["verdict"] for r in rows}


def measure(
    folder: Path,
    fig: PartFigures,
    show: bool,
    why: bool,
    verdicts: dict[tuple[str, str], str],
    meaning: Semantic | None = None,
) -> None:
    docs, gold = load(folder)
    analysis = analyse(docs, meaning=meaning)
    aspects = find_framing(analysis)
    for a in aspects:
        if a.kind != "headline":
            fig.read[verdicts.get((folder.name, aspect_key(a)), "unread")] += 1
    fig.stories += 1
    fig.kinds.update(a.kind for a in aspects)
    fig.rules.update(a.rule for a in aspects)
    fig.beyond += any(a.kind != "headline" for a in aspects)
    if show:
        print(f"  {folder.name}")
        _show(aspects)
    if not gold:
        return
    fig.basil += 1
    chosen: dict[str, list[Region]] = {d.id: [] for d in docs}
    for a in aspects:
        for c in a.choices:
            chosen[c.source].append((c.span.start, c.span.end))
    lexical: dict[str, list[Region]] = {d.id: [] for d in docs}
    every: dict[str, list[Region]] = {d.id: [] for d in docs}
    views = [_Doc(a) for a in analysis.documents] if why else []
    for n, d in enumerate(docs):
        for span in gold.get(d.id, []):
            region = locate(d, span)
            if region is None:
                continue
            every[d.id].append(region)
            if span.get("bias_type") != "lexical":
                continue
            lexical[d.id].append(region)
            if span.get("is_quote") or span.get("in_title"):
                continue
            s = analysis.documents[n].index.sentence_at(region[0])
            if s is None or not paired(analysis, n, s):
                fig.unaligned += 1
                continue
            hit = covered(region, chosen[d.id])
            fig.recall.add(hit)
            if why:
                in_lexicon = any(t.start < region[1] and region[0] < t.end for t in views[n].terms)
                fig.why["found" if hit else "dropped by filters" if in_lexicon else "not in lexicon"] += 1
    for a in aspects:
        for c in a.choices:
            region = (c.span.start, c.span.end)
            if a.kind == "emphasis":
                fig.lead_on_gold.add(touches(region, every[c.source]))
            elif a.kind != "headline":
                fig.on_lexical.add(touches(region, lexical[c.source]))
                fig.on_any.add(touches(region, every[c.source]))


def report(part: str, fig: PartFigures, why: bool) -> None:
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(fig.kinds.items())) or "none"
    rules = ", ".join(f"{k} {v}" for k, v in sorted(fig.rules.items())) or "none"
    print(f"== {part}: {fig.stories} stories ({fig.basil} BASIL)")
    print(f"aspects {sum(fig.kinds.values())}: {kinds}  (rules: {rules})")
    print(f"stories with a non-headline aspect: {fig.beyond}/{fig.stories}")
    print(
        f"word-choice and label wordings on a lexical span: {fig.on_lexical}; "
        f"on any gold span: {fig.on_any}; emphasis sentences holding a gold span: {fig.lead_on_gold} "
        "(BASIL only)"
    )
    print(
        f"recall of lexical spans outside quotes, in aligned sentences: {fig.recall} "
        f"({fig.unaligned} more in sentences no other source matches)"
    )
    read = ", ".join(f"{k} {v}" for k, v in sorted(fig.read.items())) or "none"
    print(f"non-headline aspects read (bench/verdicts/framing_{part}.jsonl): {read}")
    if why:
        print(
            "  where the aligned lexical spans go: " + ", ".join(f"{k} {v}" for k, v in fig.why.most_common())
        )


def main(argv: list[str]) -> int:
    show, why = "--show" in argv, "--why" in argv
    meaning = semantic("minilm") if "--semantic" in argv else None
    args = [a for a in argv if a not in ("--show", "--why", "--semantic")]
    parts: list[Part] = ["tune", "heldout"]
    if "--part" in args:
        k = args.index("--part")
        if k + 1 >= len(args) or args[k + 1] not in parts:
            print("--part takes tune or heldout", file=sys.stderr)
            return 2
        parts = [args[k + 1]]  # type: ignore[list-item]
        del args[k : k + 2]
    data = require_dev(Path(args[0]) if args else DEV)
    started = time.process_time()
    for part in parts:
        fig = PartFigures()
        verdicts = load_verdicts(part)
        for folder in stories(data, part):
            measure(folder, fig, show, why, verdicts, meaning)
        report(part, fig, why)
    print(f"CPU {time.process_time() - started:.1f} s")
    return 0


def _show(aspects: list[FramingAspect]) -> None:
    for a in aspects:
        print(f"    [{a.rule} {a.kind} {a.confidence:.2f} {aspect_key(a)}] {a.aspect}")
        for c in a.choices:
            print(f"        {c.source}: {c.span.text!r} {c.span.sentence_ids}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
