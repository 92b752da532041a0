"""The one tune/held-out split of the dev data, shared by every quality bench.

    python bench/splits.py [DATA_DIR]      # prints the split's sizes

Rules and thresholds are chosen while reading the **tune** part only; every quality figure is reported
on the **held-out** part beside the tuned one. The split is by story (comparison data) and by document
(SummEdits), never by row, and it is a pure function of the ids, so it never changes between runs:

- Stories `story-01` … `story-10` were read by earlier sessions while rules were written, so they are
  always in the tune part. Every other story goes to the tune part when the first byte of the sha256 of
  its folder name is below `TUNE_SHARE` × 256, otherwise to the held-out part.
- SummEdits documents go by the sha256 of `domain/doc_id`, the same way. The four news documents were
  all read by earlier sessions (they are the documents of `verify.jsonl`), so news has no truly unseen
  document in the dev data: its held-out figure is still the better of the two, but it is not clean.

The dev data stays in `../shared`; this module only names items.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

Part = Literal["tune", "heldout"]

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dev"
TUNE_SHARE = 0.4
ALWAYS_TUNE = frozenset(f"story-{n:02d}" for n in range(1, 11))
DOMAINS = ("news", "ectsum", "podcast", "qmsumm", "sales_call", "sales_email", "samsum", "scitldr")


def _tune_by_hash(key: str) -> bool:
    return hashlib.sha256(key.encode("utf-8")).digest()[0] < int(TUNE_SHARE * 256)


def story_part(story: str) -> Part:
    """`tune` or `heldout` for a story folder name such as `story-42`."""
    name = Path(story).name
    return "tune" if name in ALWAYS_TUNE or _tune_by_hash(name) else "heldout"


def summedits_part(domain: str, doc_id: str) -> Part:
    """`tune` or `heldout` for a SummEdits document of a domain."""
    return "tune" if _tune_by_hash(f"{domain}/{doc_id}") else "heldout"


def require_dev(data: Path = DEV) -> Path:
    """The dev folder, or exit 2 with a message saying where it was looked for."""
    if not data.is_dir():
        print(
            f"bench: no dev data at {data}; it lives in ../shared/data/dev beside the repository "
            "(pass its path as DATA_DIR)",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return data


def stories(data: Path = DEV, part: Part | None = None) -> Iterator[Path]:
    """Story folders in name order, optionally only those of one part."""
    for folder in sorted(data.glob("story-*")):
        if folder.is_dir() and (part is None or story_part(folder.name) == part):
            yield folder


def summedits_rows(
    domain: str, data: Path = DEV, part: Part | None = None
) -> Iterator[tuple[dict[str, object], str]]:
    """(row, document text) of one SummEdits domain, optionally only one part's documents."""
    folder = data / "summedits"
    docs: dict[str, str] = {}
    for line in (folder / f"{domain}.docs.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc = json.loads(line)
            docs[str(doc["doc_id"])] = str(doc["document"])
    for line in (folder / f"{domain}.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        doc_id = str(row["doc_id"])
        if part is None or summedits_part(domain, doc_id) == part:
            yield row, docs[doc_id]


def main(argv: list[str]) -> int:
    data = require_dev(Path(argv[0]) if argv else DEV)
    for part in ("tune", "heldout"):
        names = [f.name for f in stories(data, part)]  # type: ignore[arg-type]
        print(f"stories {part}: {len(names)}")
    for domain in DOMAINS:
        counts = {p: 0 for p in ("tune", "heldout")}
        docs = {p: set() for p in ("tune", "heldout")}  # type: ignore[var-annotated]
        for row, _ in summedits_rows(domain, data):
            p = summedits_part(domain, str(row["doc_id"]))
            counts[p] += 1
            docs[p].add(row["doc_id"])
        print(
            f"summedits {domain:<12} tune {counts['tune']:>4} rows / {len(docs['tune']):>2} docs   "
            f"heldout {counts['heldout']:>4} rows / {len(docs['heldout']):>2} docs"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
