"""How long the offline comparison reports of the dev stories are, and where their findings start.

    python bench/report_layout.py [DATA_DIR]     # default: ../shared/data/dev beside the repository

For each story, the sources are compared by the offline engine (outlets and dates from meta.json, as
`--outlet`/`--published` give them) and rendered as text at 100 columns, with default options. Per
part of the split (tune, heldout): report lines (median, max), the line of the "Conflicts" and
"Quote differences" headings (median, max), how many reports show both within their first 60 lines,
the widest line, and how many quote variants and conflicts went to "Minor differences".
The layout rule is the same for every story; no threshold here was tuned on any story.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from summarizer.offline import compare_offline
from summarizer.render import ReportOptions, to_text
from summarizer.render._view import minor_conflict, minor_variant

sys.path.insert(0, str(Path(__file__).resolve().parent))
from offline_all_stories import load
from splits import DEV, Part, stories


def heading_line(lines: list[str], prefix: str) -> int:
    return next((i + 1 for i, line in enumerate(lines) if line.startswith(prefix)), 0)


def measure(folder: Path) -> dict[str, int]:
    comparison = compare_offline(load(folder))
    lines = to_text(comparison, options=ReportOptions(width=100)).splitlines()
    conflicts, quotes = heading_line(lines, "Conflicts ("), heading_line(lines, "Quote differences (")
    return {
        "lines": len(lines),
        "conflicts_at": conflicts,
        "quotes_at": quotes,
        "both_in_60": int(0 < conflicts <= 60 and 0 < quotes <= 60),
        "width": max(len(line) for line in lines),
        "variants": len(comparison.quote_variants),
        "minor_variants": sum(minor_variant(q) for q in comparison.quote_variants),
        "conflicts": len(comparison.conflicts),
        "minor_conflicts": sum(minor_conflict(c) for c in comparison.conflicts),
    }


def summary(part: str, rows: list[dict[str, int]]) -> str:
    col = {key: [r[key] for r in rows] for key in rows[0]}
    median = {key: statistics.median(values) for key, values in col.items()}
    return (
        f"{part:<8} stories {len(rows):>3}  lines median {median['lines']:.0f} max {max(col['lines'])}  "
        f"conflicts heading at median {median['conflicts_at']:.0f} max {max(col['conflicts_at'])}  "
        f"quotes heading at median {median['quotes_at']:.0f} max {max(col['quotes_at'])}  "
        f"both within 60 lines {sum(col['both_in_60'])}/{len(rows)}  widest line {max(col['width'])}  "
        f"minor: {sum(col['minor_variants'])}/{sum(col['variants'])} quote variants, "
        f"{sum(col['minor_conflicts'])}/{sum(col['conflicts'])} conflicts"
    )


def main(argv: list[str]) -> int:
    data = Path(argv[0]) if argv else DEV
    if not data.is_dir():
        print(f"skipped: no dev data at {data} (pass the folder holding story-*/ as DATA_DIR)")
        return 0
    parts: tuple[Part, ...] = ("tune", "heldout")
    for part in parts:
        print(summary(part, [measure(folder) for folder in stories(data, part)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
