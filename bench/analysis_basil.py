"""Recall of the offline analysis on the BASIL stories of the dev set (read in place, never copied).

    python bench/analysis_basil.py [DATA_DIR]      # default: ../shared/data/dev from the repository

For each BASIL story: the gold spans inside quotations (`is_quote`) found among detected quotes, and
the gold informational-bias spans found among statements the comparison reports as present in only
some sources. A gold span counts as found when half of its characters lie in a detected quote (or in
a sentence reported as only-some for that source). Because flagging every sentence would find every
span, the share of sentences flagged only-some is printed beside the recall (each sentence counted
once, in whichever source it stands: a statement two of three outlets make flags both sentences).

Speakers: for each found gold quote whose gold speaker is a named person (`Adam_Schiff`), whether the
detected quote names the same person (right), another one (wrong: the worst outcome), or nobody
(abstained). Gold speakers that are groups (`GOP_committee_members`) are left out.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from summarizer.analysis import analyse
from summarizer.analysis.quotes import QuoteMention
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
    speakers = {"right": 0, "wrong": 0, "abstained": 0}
    started = time.perf_counter()
    print(f"{'story':<10} {'quote recall':>14} {'info recall':>14} {'flagged only-some':>18}")
    for folder in sorted(data.glob("story-*")):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if "bias_spans" not in meta.get("gold", {}):
            continue
        docs, gold = load_story(folder)
        analysis = analyse(docs)
        quotes = {a.index.id: [(q.start, q.end) for q in a.quotes] for a in analysis.documents}
        detected = {a.index.id: a.quotes for a in analysis.documents}
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
                    verdict = speaker_verdict(str(span.get("quote_speaker") or ""), region, detected[d.id])
                    if verdict:
                        speakers[verdict] += 1
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
    print(
        f"speakers of found quotes with a named gold speaker: {speakers['right']} right, "
        f"{speakers['wrong']} wrong, {speakers['abstained']} abstained"
    )
    print(f"gold spans not located in the text: {totals['missing']}; {time.perf_counter() - started:.2f} s")
    return 0


_GROUP_WORDS = {"members", "officials", "gop", "republicans", "democrats", "committee", "aides", "critics"}


def speaker_verdict(gold: str, region: tuple[int, int], found: Sequence[QuoteMention]) -> str | None:
    """right / wrong / abstained for a gold quote with a named person as speaker; None otherwise (a group
    as gold speaker, or the quote not detected)."""
    parts = [p for p in gold.split("_") if p]
    if len(parts) < 2 or any(p.lower() in _GROUP_WORDS or not p[:1].isupper() for p in parts):
        return None
    lo, hi = region
    hits = [q for q in found if min(hi, q.end) - max(lo, q.start) >= 0.5 * (hi - lo)]
    if not hits:
        return None
    speaker = hits[0].speaker
    if speaker is None:
        return "abstained"
    return "right" if parts[-1].lower() in speaker.lower() else "wrong"


def _ratio(found: int, total: int) -> str:
    return f"{found}/{total} {100 * found / total:.0f}%" if total else "-"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
