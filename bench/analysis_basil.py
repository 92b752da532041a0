"""Recall of the offline analysis on the BASIL stories of the dev set (read in place, never copied).

    python bench/analysis_basil.py [DATA_DIR]      # default: ../shared/data/dev from the repository

For each BASIL story: the gold spans inside quotations (`is_quote`) found among detected quotes, and
the gold informational-bias spans found among statements the comparison reports as present in only
some sources. A gold span counts as found when half of its characters lie in a detected quote (or in
a sentence reported as only-some for that source). Because flagging every sentence would find every
span, the share of sentences flagged only-some is printed beside the recall (each sentence counted
once, in whichever source it stands: a statement two of three outlets make flags both sentences).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from summarizer.analysis import analyse
from summarizer.documents import document_from_text
from summarizer.schemas import Document

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dev"


def load_story(folder: Path) -> tuple[list[Document], dict[str, list[dict[str, object]]]]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    docs = []
    for sid, info in sorted(meta["sources"].items()):
        text = (folder / info["file"]).read_text(encoding="utf-8")
        docs.append(
            document_from_text(text, source_id=sid, outlet=info["outlet"], published=info.get("date"))
        )
    return docs, meta["gold"]["bias_spans"]


def locate(doc: Document, span: dict[str, object]) -> tuple[int, int] | None:
    text, sentence = str(span["text"]), str(span["sentence"])
    base = doc.text.find(sentence)
    pos = doc.text.find(text, base if base >= 0 else 0)
    if pos < 0:
        pos = doc.text.find(text)
    return (pos, pos + len(text)) if pos >= 0 else None


def covered(region: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    lo, hi = region
    inside = sum(max(0, min(hi, e) - max(lo, s)) for s, e in spans)
    return inside >= 0.5 * (hi - lo)


def main(argv: list[str]) -> int:
    data = Path(argv[0]) if argv else DEFAULT
    if not data.is_dir():
        print(
            f"no dev data at {data}: pass the folder holding story-*/ as the first argument", file=sys.stderr
        )
        return 2
    totals = {"quote": [0, 0], "info": [0, 0], "sentences": [0, 0], "missing": 0}
    started = time.perf_counter()
    print(f"{'story':<10} {'quote recall':>14} {'info recall':>14} {'flagged only-some':>18}")
    for folder in sorted(data.glob("story-*")):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if "bias_spans" not in meta.get("gold", {}):
            continue
        docs, gold = load_story(folder)
        analysis = analyse(docs)
        quotes = {a.index.id: [(q.start, q.end) for q in a.quotes] for a in analysis.documents}
        only: dict[str, list[tuple[int, int]]] = {d.id: [] for d in docs}
        for f in analysis.of_type("only_some"):
            if f.kind == "statement":
                for v in f.values:
                    only[v.source] += [(s.start, s.end) for s in v.spans]
        row = {"quote": [0, 0], "info": [0, 0]}
        for d in docs:
            for span in gold.get(d.id, []):
                if span.get("in_title"):
                    continue
                region = locate(d, span)
                if region is None:
                    totals["missing"] += 1  # type: ignore[operator]
                    continue
                if span.get("is_quote"):
                    row["quote"][0] += covered(region, quotes[d.id])
                    row["quote"][1] += 1
                if span.get("bias_type") == "informational":
                    row["info"][0] += covered(region, only[d.id])
                    row["info"][1] += 1
        sentences = sum(len(d.sentences) for d in docs)
        flagged = sum(len(set(v)) for v in only.values())  # a sentence in two findings counts once
        for k in ("quote", "info"):
            totals[k][0] += row[k][0]  # type: ignore[index]
            totals[k][1] += row[k][1]  # type: ignore[index]
        totals["sentences"][0] += flagged  # type: ignore[index]
        totals["sentences"][1] += sentences  # type: ignore[index]
        print(
            f"{folder.name:<10} {_ratio(*row['quote']):>14} {_ratio(*row['info']):>14} "
            f"{_ratio(flagged, sentences):>18}"
        )
    q, i, s = totals["quote"], totals["info"], totals["sentences"]
    print(f"{'all':<10} {_ratio(*q):>14} {_ratio(*i):>14} {_ratio(*s):>18}")  # type: ignore[misc]
    print(f"gold spans not located in the text: {totals['missing']}; {time.perf_counter() - started:.2f} s")
    return 0


def _ratio(found: int, total: int) -> str:
    return f"{found}/{total} {100 * found / total:.0f}%" if total else "-"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
