"""Would a general sentiment lexicon tell loaded wording in matching statements? A probe, not a detector.

    pip install vaderSentiment    # MIT; ships vader_lexicon.txt (7,500 entries with a valence)
    python bench/framing_lexicon_probe.py [DATA_DIR] [--part tune|heldout] [--min 1.5]

For every pair of sentences the word-choice detector compares (each the other's best match, similarity
at least `MATCH_SCORE`), the word diff's changed stretches (up to three words a side, outside quotation
marks) are listed when a word in them has a VADER valence of at least `--min` in absolute value (the
word or its form without -s/-d/-ed). Each line shows the story, the two stretches and the flagged words,
so they can be read: the question is how many are loaded wording rather than different facts or names.
"""

from __future__ import annotations

import difflib
import importlib.resources
import re
import sys
from pathlib import Path

from summarizer.analysis import analyse
from summarizer.analysis.framing._doc import _Doc
from summarizer.analysis.framing._word_choice import MATCH_SCORE
from summarizer.text import STOPWORDS_ANALYSIS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from framing_basil import load
from splits import DEV, Part, require_dev, stories


def vader_lexicon() -> dict[str, float] | None:
    try:
        text = (importlib.resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        return None
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and re.fullmatch(r"[a-z]+", parts[0]):
            out[parts[0]] = float(parts[1])
    return out


def valence(lexicon: dict[str, float], word: str) -> float | None:
    for form in (word, word[:-1], word[:-2], word[:-1] if word.endswith("ed") else ""):
        if form in lexicon:
            return lexicon[form]
    return None


def main(argv: list[str]) -> int:
    lexicon = vader_lexicon()
    if lexicon is None:
        print("the probe needs VADER's lexicon: pip install vaderSentiment", file=sys.stderr)
        return 2
    args = list(argv)
    part: Part = "tune"
    floor = 1.5
    for flag in ("--part", "--min"):
        if flag in args:
            k = args.index(flag)
            value = args[k + 1] if k + 1 < len(args) else ""
            del args[k : k + 2]
            if flag == "--part":
                if value not in ("tune", "heldout"):
                    print("--part takes tune or heldout", file=sys.stderr)
                    return 2
                part = value  # type: ignore[assignment]
            else:
                floor = float(value)
    data = require_dev(Path(args[0]) if args else DEV)
    flagged = 0
    for folder in stories(data, part):
        docs, _ = load(folder)
        analysis = analyse(docs)
        views = [_Doc(a) for a in analysis.documents]
        for (d, s), best in sorted(analysis.alignment.best.items()):
            for o, (t, score) in best.items():
                back = analysis.alignment.match(o, t, d)
                if o <= d or score < MATCH_SCORE or back is None or back[0] != s:
                    continue
                a, b = views[d], views[o]
                ta, tb = a.tokens(s), b.tokens(t)
                ops = difflib.SequenceMatcher(
                    a=[x.folded for x in ta], b=[x.folded for x in tb], autojunk=False
                ).get_opcodes()
                for tag, i1, i2, j1, j2 in ops:
                    if tag == "equal" or i2 - i1 > 3 or j2 - j1 > 3:
                        continue
                    words = [
                        (x.folded, v)
                        for view, toks in ((a, ta[i1:i2]), (b, tb[j1:j2]))
                        for x in toks
                        if not view.quoted(x.start) and x.folded not in STOPWORDS_ANALYSIS
                        for v in [valence(lexicon, x.folded)]
                        if v is not None and abs(v) >= floor
                    ]
                    if words:
                        flagged += 1
                        left = " ".join(x.folded for x in ta[i1:i2])
                        right = " ".join(x.folded for x in tb[j1:j2])
                        print(f"{folder.name} {a.id}/{b.id}: {left!r} | {right!r}  {words}")
    print(f"{part}: {flagged} changed stretches with a word of |valence| >= {floor}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
