"""Every dev story through the offline engine: no story may raise (issue 16).

    python bench/offline_all_stories.py [DATA_DIR]     # default: ../shared/data/dev beside the repository

For each story folder, each source is summarised (`summarize_offline`) and the sources are compared
(`compare_offline`), as `summarizer compare --engine offline` does. Any exception is printed with its
story and the last frame, and the exit status is 1. Without the dev data the run is skipped with a
message (exit 0), so it can sit in any checklist. The fuzzed inputs are in
`tests/test_analysis_robustness.py`.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

from summarizer.documents import document_from_text
from summarizer.offline import compare_offline, summarize_offline
from summarizer.schemas import Document

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splits import DEV, stories


def load(folder: Path) -> list[Document]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return [
        document_from_text(
            (folder / info["file"]).read_text(encoding="utf-8"),
            source_id=sid,
            outlet=info["outlet"],
            published=info.get("date"),
            origin=str(folder / info["file"]),
        )
        for sid, info in sorted(meta["sources"].items())
    ]


def run(folder: Path) -> str | None:
    """None when the story ran cleanly, else a one-line account of the exception."""
    try:
        docs = load(folder)
        for doc in docs:
            summarize_offline(doc)
        compare_offline(docs)
    except Exception as exc:  # the point of the bench: report any exception at all
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{type(exc).__name__}: {exc} ({frame.filename}:{frame.lineno})"
    return None


def main(argv: list[str]) -> int:
    data = Path(argv[0]) if argv else DEV
    if not data.is_dir():
        print(f"skipped: no dev data at {data} (pass the folder holding story-*/ as DATA_DIR)")
        return 0
    started = time.perf_counter()
    failed = 0
    folders = list(stories(data))
    for folder in folders:
        problem = run(folder)
        if problem is not None:
            failed += 1
            print(f"{folder.name}: {problem}")
    elapsed = time.perf_counter() - started
    print(f"{len(folders) - failed}/{len(folders)} stories ran without an exception ({elapsed:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
