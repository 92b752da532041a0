"""Balanced accuracy of `summarizer verify` (deterministic mode) on SummEdits news rows.

    python bench/verify_summedits.py [PATH]     # default: ../shared/data/dev/verify.jsonl

Each row holds a document, a summary and a label (consistent | inconsistent). The summary is verified
as plain text against the document, with no model. Prints balanced accuracy, the confusion counts and
a per-edit-type breakdown (recall of inconsistent rows by edit type). The data stays outside the repo.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from summarizer.documents import document_from_text
from summarizer.pipeline import run_sync
from summarizer.verify import averify_documents

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dev" / "verify.jsonl"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    if not path.is_file():
        print(f"bench: no data at {path}; pass the path of a SummEdits-style verify.jsonl", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    hits: dict[str, list[bool]] = {"consistent": [], "inconsistent": []}
    by_edit: dict[str, list[bool]] = defaultdict(list)
    decided: dict[str, int] = defaultdict(int)
    for row in rows:
        doc = document_from_text(row["document"], outlet=row.get("doc_id", "document"))
        result = run_sync(averify_documents(row["summary"], [doc]))
        correct = result.verdict == row["label"]
        hits[row["label"]].append(correct)
        for edit in row.get("edit_types") or ([] if row["label"] == "consistent" else ["unknown"]):
            by_edit[edit].append(correct)
        for claim in result.claims:
            if claim.verdict == "unsupported":
                decided[claim.decided_by] += 1
    recall = {label: sum(v) / len(v) for label, v in hits.items() if v}
    balanced = 100 * sum(recall.values()) / len(recall)
    print(f"rows: {len(rows)} ({', '.join(f'{k}: {len(v)}' for k, v in hits.items())})")
    print(f"balanced accuracy (deterministic mode): {balanced:.1f}")
    for label, r in recall.items():
        print(f"  recall {label}: {100 * r:.1f} ({sum(hits[label])}/{len(hits[label])})")
    print("inconsistent rows caught, by edit type:")
    for edit, v in sorted(by_edit.items()):
        print(f"  {edit}: {sum(v)}/{len(v)}")
    print(
        "unsupported claims by deciding check: " + ", ".join(f"{k} {v}" for k, v in sorted(decided.items()))
    )
    print(f"time: {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
