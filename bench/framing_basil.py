"""Framing detection of the offline engine on the BASIL stories of the dev set (read in place, never copied).

    python bench/framing_basil.py [DATA_DIR] [--show]   # default: ../shared/data/dev from the repository

BASIL's `meta.json → gold → bias_spans` mark loaded wording (`lexical`) and selective content
(`informational`). For each story the offline framing aspects are computed and compared with them:

- recall of lexical spans: a gold span counts as found when half of its characters lie in a framing
  choice's evidence (the wording is exactly its evidence span). Body spans and headline spans
  (`in_title`) are counted apart, because the "Headline" aspect covers whole headlines and so finds
  every headline span without choosing anything;
- choices produced, split into headline choices and the others;
- precision proxy: the share of non-headline choices that overlap any gold bias span, lexical or
  informational, by at least one character. The gold marks only some of the loaded wording of each
  article, and quotations hold much of it, so a choice that misses the gold is not necessarily wrong;
  `--show` prints every aspect so they can be read.

Nothing here tunes the detector: the lexicon in `summarizer/analysis/framing/_lexicon.py` is general.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from summarizer.analysis import analyse
from summarizer.analysis.framing import FramingAspect, find_framing

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the gold is read as analysis_basil reads it
from analysis_basil import DEFAULT, covered, load_story, locate

Region = tuple[int, int]


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


def main(argv: list[str]) -> int:
    show = "--show" in argv
    args = [a for a in argv if a != "--show"]
    data = Path(args[0]) if args else DEFAULT
    if not data.is_dir():
        print(
            f"no dev data at {data}: pass the folder holding story-*/ as the first argument", file=sys.stderr
        )
        return 2
    body, title, on_gold = Tally(), Tally(), Tally()
    headline_choices = aspects_total = missing = 0
    started = time.perf_counter()
    header = ("story", "lexical body", "lexical title", "aspects", "choices", "on gold")
    print(f"{header[0]:<10} {header[1]:>14} {header[2]:>14} {header[3]:>8} {header[4]:>8} {header[5]:>9}")
    for folder in sorted(data.glob("story-*")):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if "bias_spans" not in meta.get("gold", {}):
            continue
        docs, gold = load_story(folder)
        aspects = find_framing(analyse(docs))
        chosen: dict[str, list[Region]] = {d.id: [] for d in docs}
        for a in aspects:
            for c in a.choices:
                chosen[c.source].append((c.span.start, c.span.end))
        row_body, row_title, row_gold = Tally(), Tally(), Tally()
        all_gold: dict[str, list[Region]] = {d.id: [] for d in docs}
        for d in docs:
            for span in gold.get(d.id, []):
                region = locate(d, span)
                if region is None:
                    missing += 1
                    continue
                all_gold[d.id].append(region)
                if span.get("bias_type") == "lexical":
                    (row_title if span.get("in_title") else row_body).add(covered(region, chosen[d.id]))
        in_headlines = sum(len(a.choices) for a in aspects if a.kind == "headline")
        for a in aspects:
            if a.kind != "headline":
                for c in a.choices:
                    row_gold.add(touches((c.span.start, c.span.end), all_gold[c.source]))
        for total, row in ((body, row_body), (title, row_title), (on_gold, row_gold)):
            total.found += row.found
            total.total += row.total
        headline_choices += in_headlines
        aspects_total += len(aspects)
        print(
            f"{folder.name:<10} {row_body!s:>14} {row_title!s:>14} {len(aspects):>8} "
            f"{in_headlines + row_gold.total:>8} {row_gold!s:>9}"
        )
        if show:
            _show(aspects)
    print(
        f"{'all':<10} {body!s:>14} {title!s:>14} {aspects_total:>8} "
        f"{headline_choices + on_gold.total:>8} {on_gold!s:>9}"
    )
    print(
        f"choices: {headline_choices} in headline aspects, {on_gold.total} in word-choice and label aspects "
        f"(precision proxy: {on_gold} of these overlap a gold bias span)"
    )
    print(f"gold spans not located in the text: {missing}; {time.perf_counter() - started:.2f} s")
    return 0


def _show(aspects: list[FramingAspect]) -> None:
    for a in aspects:
        print(f"    [{a.kind} {a.confidence:.2f}] {a.aspect}")
        for c in a.choices:
            print(f"        {c.source}: {c.span.text!r} {c.span.sentence_ids}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
