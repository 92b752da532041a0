"""The verdicts bench/compare_eval.py reads (bench/verdicts) and the lines it prints from them: the
only-some sample, the keys that name a claim or a conflict without copying article text, precision."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from splits import Part

VERDICTS = Path(__file__).resolve().parent / "verdicts"
SAMPLE, SAMPLE_SEED = 100, "only-some-heldout"


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
