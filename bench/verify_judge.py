"""`summarizer verify` with a model judge on single facts vs deterministic checks only, same SummEdits rows.

    python bench/verify_judge.py --base-url http://127.0.0.1:8765/v1 --model qwen2.5-coder-1.5b-instruct \\
        --out /tmp/judge_heldout.jsonl [--part heldout|tune] [--per-domain 20] [--domains samsum,qmsumm,news]
        [--seed 0] [--data DIR] [--timeout 900] [--report-only]

The sample is fixed and stratified: for each domain, the rows of one part (bench/splits.py: `heldout` is
the figure that counts, `tune` is for prompt changes) split by label, each label's rows ordered by the
sha256 of `seed/row id`, and the first `per-domain / 2` of each taken (balanced consistent/inconsistent).
Each row is verified twice on the same summary and document: deterministic checks only (no model), and
deterministic checks then the judge (the product path: `summarizer.Client(base_url=…, model=…)`, response
cache off, so every call reaches the server). The judge rules on each claim the checks pass, split into
single facts (`summarizer.grounding.facts`).

Resumable: each finished row is appended to `--out` (JSON lines: row id, label, both verdicts, judge
calls, facts, tokens, seconds; no text of the data), and rows already there are skipped, so a killed run
keeps its rows and a second run continues it. The report (per domain: balanced accuracy of both, the
precision of `inconsistent`, judge calls and seconds per row) is printed from the whole file.
`cannot_verify` counts as not flagged, as in bench/verify_summedits.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from splits import DEV, Part, require_dev, summedits_part, summedits_rows
from verify_summedits import balanced, interval, precision

from summarizer import Client
from summarizer.documents import document_from_text
from summarizer.pipeline import run_sync
from summarizer.verify import averify_documents

DOMAINS = ("samsum", "qmsumm", "news")


def sample(
    data: Path, domain: str, part: Part, per_domain: int, seed: int
) -> list[tuple[dict[str, Any], str]]:
    """`per_domain` rows of `domain`'s `part`, half of each label, in a seeded hash order."""
    by_label: dict[str, list[tuple[dict[str, Any], str]]] = defaultdict(list)
    for row, text in summedits_rows(domain, data):
        if summedits_part(domain, str(row["doc_id"])) == part:
            by_label[str(row["label"])].append((row, text))
    taken: list[tuple[dict[str, Any], str]] = []
    for label in ("consistent", "inconsistent"):
        rows = sorted(
            by_label[label], key=lambda r: hashlib.sha256(f"{seed}/{r[0]['id']}".encode()).hexdigest()
        )
        taken += rows[: per_domain // 2]
    return sorted(taken, key=lambda r: hashlib.sha256(f"{seed}/{r[0]['id']}".encode()).hexdigest())


def run_row(row: dict[str, Any], text: str, client: Client) -> dict[str, Any]:
    doc = document_from_text(text, outlet=str(row["doc_id"]))
    summary = str(row["summary"])
    started = time.perf_counter()
    deterministic = run_sync(averify_documents(summary, [doc]))
    det_seconds = time.perf_counter() - started
    started = time.perf_counter()
    judged = client.verify(summary, [doc])
    seconds = time.perf_counter() - started
    usage = judged.provenance.usage
    return {
        "id": row["id"],
        "doc_id": row["doc_id"],
        "label": row["label"],
        "deterministic": deterministic.verdict,
        "judge": judged.verdict,
        "calls": judged.provenance.attempts or 0,
        "reasks": judged.provenance.reasks or 0,
        "claims": len(judged.claims),
        "judged_claims": sum(c.decided_by == "judge" or c.judge_error is not None for c in judged.claims),
        "facts": [len(c.facts) for c in judged.claims],
        "fact_verdicts": [[f.verdict for f in c.facts] for c in judged.claims],
        "claim_verdicts": [c.verdict for c in judged.claims],
        "judge_errors": sum(c.judge_error is not None for c in judged.claims),
        "input_tokens": usage.input_tokens if usage else 0,
        "output_tokens": usage.output_tokens if usage else 0,
        "seconds": round(seconds, 2),
        "deterministic_ms": round(1000 * det_seconds, 1),
        "structured_output": judged.provenance.structured_output,
    }


def _done(out: Path) -> dict[str, dict[str, Any]]:
    if not out.is_file():
        return {}
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {str(line["id"]): line for line in lines}


def report(lines: list[dict[str, Any]], domains: list[str]) -> None:
    print(
        f"{'domain':<8} {'part':<8} {'rows':>4} {'BA det':>7} {'95% CI':>11} {'BA +judge':>9} {'95% CI':>11} "
        f"{'P(inc) det':>11} {'P(inc) +judge':>13} {'calls/row':>9} {'s/row':>6} {'s/call':>6}"
    )
    means: dict[str, list[float]] = defaultdict(list)
    for domain in domains:
        for part in ("tune", "heldout"):
            rows = [r for r in lines if r["domain"] == domain and r["part"] == part]
            if not rows:
                continue
            det = [(r["label"], r["deterministic"]) for r in rows]
            jud = [(r["label"], r["judge"]) for r in rows]
            (dl, dh), (jl, jh) = interval(det), interval(jud)
            dr, dn = precision(det)
            jr, jn = precision(jud)
            calls = sum(r["calls"] for r in rows)
            seconds = sum(r["seconds"] for r in rows)
            means[f"{part} det"].append(balanced(det))
            means[f"{part} judge"].append(balanced(jud))
            print(
                f"{domain:<8} {part:<8} {len(rows):>4} {balanced(det):>7.1f} {f'{dl:.0f}-{dh:.0f}':>11} "
                f"{balanced(jud):>9.1f} {f'{jl:.0f}-{jh:.0f}':>11} {f'{dr}/{dn}':>11} {f'{jr}/{jn}':>13} "
                f"{calls / len(rows):>9.1f} {seconds / len(rows):>6.0f} {seconds / max(1, calls):>6.0f}"
            )
    for key, values in means.items():
        print(f"mean over {len(values)} domains, {key}: {sum(values) / len(values):.1f}")
    flips = defaultdict(int)
    for r in lines:  # flagged (inconsistent) or not: cannot_verify -> consistent changes no score
        if (r["deterministic"] == "inconsistent") != (r["judge"] == "inconsistent"):
            right = (r["judge"] == "inconsistent") == (r["label"] == "inconsistent")
            flips["right" if right else "wrong"] += 1
    errors = sum(r["judge_errors"] for r in lines)
    split = sum(1 for r in lines for n in r["facts"] if n > 1)
    judged = sum(r["judged_claims"] for r in lines)
    print(
        f"the judge changed whether a row is flagged on {flips['right'] + flips['wrong']} of {len(lines)}: "
        f"{flips['right']} to the right label, {flips['wrong']} to the wrong one; claims judged {judged}, "
        f"of them split into facts {split}; claims with no valid judge answer {errors}"
    )


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base-url", required=True, help="the server's OpenAI-compatible URL, with /v1")
    p.add_argument("--model", required=True, help="the model name the server answers to")
    p.add_argument("--out", type=Path, required=True, help="JSON lines, one per finished row (resumed)")
    p.add_argument("--data", type=Path, default=DEV, help="the dev folder, or its summedits/ folder")
    p.add_argument("--part", choices=["tune", "heldout"], default="heldout")
    p.add_argument("--per-domain", type=int, default=20, help="rows per domain, half of each label")
    p.add_argument("--domains", default=",".join(DOMAINS))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--timeout", type=float, default=900.0, help="seconds per request")
    p.add_argument("--structured-output", default="auto")
    p.add_argument("--report-only", action="store_true", help="print the report of --out, ask nothing")
    args = p.parse_args(argv)
    data = require_dev(args.data.parent if (args.data / "news.jsonl").is_file() else args.data)
    domains = args.domains.split(",")
    done = _done(args.out)
    if not args.report_only:
        with tempfile.TemporaryDirectory() as state:
            client = Client(
                base_url=args.base_url,
                model=args.model,
                timeout=args.timeout,
                cache=False,
                log_dir=Path(state),
                structured_output=args.structured_output,
            )
            samples = [sample(data, d, args.part, args.per_domain, args.seed) for d in domains]
            longest = max(map(len, samples), default=0)
            turns = [
                (d, *rows[i]) for i in range(longest) for d, rows in zip(domains, samples) if i < len(rows)
            ]
            for domain, row, text in turns:  # domains in turn, so a run stopped early covers each alike
                if str(row["id"]) in done:
                    continue
                line = {"domain": domain, "part": args.part, **run_row(row, text, client)}
                with args.out.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(line) + "\n")
                done[str(row["id"])] = line
                print(
                    f"{domain} {row['id']}: {line['label']} det={line['deterministic']} "
                    f"judge={line['judge']} calls={line['calls']} {line['seconds']:.0f}s",
                    file=sys.stderr,
                    flush=True,
                )
    report(list(done.values()), domains)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
