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
import json
import sys
import time
from pathlib import Path

from summarizer.text import Semantic, semantic

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compare_plants import PairScore, planted
from _compare_real import RealScore, real
from _compare_report import _pct, _print_judged, claim_key, only_some_verdicts, sample, verdicts
from analysis_basil import load_story
from splits import DEV, Part, require_dev, stories

PARTS: tuple[Part, ...] = ("tune", "heldout")


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
