"""`summarizer verify` (deterministic mode) on every SummEdits domain, tune and held-out parts side by side.

    python bench/verify_summedits.py [--data DIR] [--domains news,samsum] [--part tune|heldout]
                                     [--rows OUT.jsonl] [--ignore CODES] [--select CODES]
                                     [--evidence lexical|semantic] [--by-edit]
                                     [--decide rules|learned]

Each row holds a document, a summary and a label (consistent | inconsistent). The summary is verified as
plain text against its document, with no model. The split is bench/splits.py's (by document): rules are
tuned on `tune`; `heldout` is the figure that counts.

Per domain and part it prints balanced accuracy with a 95% bootstrap interval (1,000 resamples of the
rows, fixed seed), the precision of the `inconsistent` verdict, how often the verifier abstained
(`cannot_verify`) and the mean time per row in-process. **Abstentions count as "not flagged"**: a
`cannot_verify` summary is scored as predicted consistent (it is not reported as contradicting its
source), so abstaining never raises the `inconsistent` recall; the abstention rate is shown beside it.
`--rows` writes one line per row (id, verdict, each claim's verdict and deciding check, the row's edit
types) so that two runs can be diffed. `--by-edit` also prints, per part, the share of inconsistent rows
flagged for each SummEdits edit type (a row with two edit types counts for both), over all the domains
run and for each domain: where recall is missing. The data stays outside the repo.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from splits import DEV, DOMAINS, Part, require_dev, summedits_part, summedits_rows

from summarizer.documents import document_from_text
from summarizer.pipeline import run_sync
from summarizer.verify import averify_documents

PARTS: tuple[Part, ...] = ("tune", "heldout")
RESAMPLES = 1000


def balanced(pairs: list[tuple[str, str]]) -> float:
    """Balanced accuracy (0-100) of (label, verdict) pairs; `cannot_verify` counts as consistent."""
    recalls = []
    for label in ("consistent", "inconsistent"):
        got = [_flagged(v) == (label == "inconsistent") for lab, v in pairs if lab == label]
        if got:
            recalls.append(sum(got) / len(got))
    return 100 * sum(recalls) / len(recalls) if recalls else float("nan")


def _flagged(verdict: str) -> bool:
    return verdict == "inconsistent"


def interval(pairs: list[tuple[str, str]], seed: int = 0) -> tuple[float, float]:
    rng = random.Random(seed)
    scores = sorted(balanced(rng.choices(pairs, k=len(pairs))) for _ in range(RESAMPLES))
    return scores[int(0.025 * RESAMPLES)], scores[int(0.975 * RESAMPLES) - 1]


def precision(pairs: list[tuple[str, str]]) -> tuple[int, int]:
    flagged = [lab for lab, v in pairs if _flagged(v)]
    return sum(lab == "inconsistent" for lab in flagged), len(flagged)


def verify_row(row: dict[str, Any], text: str, options: dict[str, Any]) -> tuple[dict[str, Any], float]:
    doc = document_from_text(text, outlet=str(row["doc_id"]))
    started = time.perf_counter()
    result = run_sync(averify_documents(str(row["summary"]), [doc], **options))
    elapsed = time.perf_counter() - started
    claims = [
        {
            "verdict": c.verdict,
            "decided_by": c.decided_by,
            "checks": [i.check for i in c.checks],
            "cover": c.similarity,
        }
        for c in result.claims
    ]
    line = {"id": row["id"], "label": row["label"], "verdict": result.verdict, "claims": claims}
    return {**line, "edits": list(row.get("edit_types") or [])}, elapsed


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=DEV, help="the dev folder, or its summedits/ folder")
    p.add_argument("--domains", default=",".join(DOMAINS))
    p.add_argument("--part", choices=PARTS)
    p.add_argument("--rows", type=Path, help="write per-row verdicts (JSON lines) here")
    p.add_argument("--select", default=None)
    p.add_argument("--ignore", default=None)
    p.add_argument("--evidence", choices=["lexical", "semantic"], default="lexical")
    p.add_argument("--by-edit", action="store_true", help="recall of inconsistent rows per edit type")
    p.add_argument("--decide", choices=["rules", "learned"], default="rules", help="how verdicts are given")
    args = p.parse_args(argv)
    data = require_dev(args.data.parent if (args.data / "news.jsonl").is_file() else args.data)
    options: dict[str, Any] = {"evidence": args.evidence, "decide": args.decide}
    if args.select or args.ignore:
        options["rules"] = _rules(args.select, args.ignore)
    parts = (args.part,) if args.part else PARTS
    out = args.rows.open("w", encoding="utf-8") if args.rows else None
    results: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    edits: dict[tuple[str, str, str], list[bool]] = defaultdict(list)
    timing: list[float] = []
    for domain in args.domains.split(","):
        for row, text in summedits_rows(domain, data):
            part = summedits_part(domain, str(row["doc_id"]))
            if part not in parts:
                continue
            line, elapsed = verify_row(row, text, options)
            timing.append(elapsed)
            results[domain, part].append((str(row["label"]), line["verdict"]))
            if row["label"] == "inconsistent":
                for edit in line["edits"]:
                    edits[domain, part, edit].append(_flagged(line["verdict"]))
            if out:
                out.write(json.dumps({"domain": domain, "part": part, **line}) + "\n")
    if out:
        out.close()
    _report(results, parts, args.domains.split(","))
    if args.by_edit:
        _report_edits(edits, parts, args.domains.split(","))
    print(f"time: {1000 * sum(timing) / max(1, len(timing)):.1f} ms per row in-process ({len(timing)} rows)")
    return 0


def _rules(select: str | None, ignore: str | None) -> Any:
    from summarizer.rules import selection

    return selection(select=select, ignore=ignore)


def _report(
    results: dict[tuple[str, str], list[tuple[str, str]]], parts: tuple[str, ...], domains: list[str]
) -> None:
    print(f"{'domain':<12} {'part':<8} {'rows':>5} {'BA':>5} {'95% CI':>13} {'P(inc)':>13} {'abstain':>7}")
    means: dict[str, list[float]] = defaultdict(list)
    flagged: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for domain in domains:
        for part in parts:
            pairs = results.get((domain, part), [])
            if not pairs:
                continue
            ba = balanced(pairs)
            lo, hi = interval(pairs)
            right, total = precision(pairs)
            abstain = sum(v == "cannot_verify" for _, v in pairs) / len(pairs)
            means[part].append(ba)
            flagged[part][0] += right
            flagged[part][1] += total
            prec = f"{100 * right / total:.1f} ({total})" if total else "-"
            print(
                f"{domain:<12} {part:<8} {len(pairs):>5} {ba:>5.1f} {f'{lo:.1f}-{hi:.1f}':>13} {prec:>13} "
                f"{100 * abstain:>6.1f}%"
            )
    for part in parts:
        scores = means[part]
        if scores:
            right, total = flagged[part]
            print(
                f"{part}: mean BA over {len(scores)} domains {sum(scores) / len(scores):.1f}, "
                f"lowest {min(scores):.1f}; inconsistent verdict right {100 * right / max(1, total):.1f}% "
                f"({right}/{total})"
            )


def _report_edits(
    edits: dict[tuple[str, str, str], list[bool]], parts: tuple[str, ...], domains: list[str]
) -> None:
    """Recall of the inconsistent rows per edit type: all domains run together, then each domain."""
    kinds = sorted({edit for _, _, edit in edits})
    print(f"{'recall by edit type':<20} {'part':<8} " + " ".join(f"{k[:22]:>24}" for k in kinds))
    for part in parts:
        for domain in ["all", *domains]:
            cells = []
            for kind in kinds:
                got = [
                    f
                    for (d, p, e), flags in edits.items()
                    if p == part and e == kind and domain in ("all", d)
                    for f in flags
                ]
                cells.append(f"{100 * sum(got) / len(got):5.1f}% of {len(got):>4}" if got else "-")
            print(f"{domain:<20} {part:<8} " + " ".join(f"{c:>24}" for c in cells))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
