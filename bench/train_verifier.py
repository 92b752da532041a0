"""Fit the learned verdict of `summarizer verify` on the tune part of SummEdits; report held-out beside it.

    python bench/train_verifier.py [--data DIR] [--features FILE] [--refresh] [--write]

1. Features: every claim of every row (both parts) is checked as `verify` does, and its feature vector
   (`summarizer.grounding.FEATURES`: which checks fired, evidence similarity, the share of its words,
   names and numbers the source never uses, pairs of its words that never stand together in the source,
   negation, a few document statistics; nothing names the domain) is written to `--features` (numbers
   only, no text; reused unless `--refresh` or the feature list changed).
2. Model: logistic regression per claim; a row (summary) is inconsistent when any claim is unsupported,
   so the claims of a row are pooled by noisy-OR (P(row) = 1 - Π(1 - p_claim)) in the loss, and a row is
   flagged when its highest claim probability reaches the threshold, as `verify` decides. L2 penalty,
   full-batch Adam, features standardised on the tune claims, each weight kept to the direction
   `SIGNS` allows (a failed check or an unsaid word never counts for support). Pure numpy.
3. Choice, on tune only: 6 folds by document (each domain's documents dealt round-robin in sha256 order);
   the penalty and the row weighting (plain, or each domain × label weighted equally) with the best
   out-of-fold mean balanced accuracy over domains at its best threshold, among thresholds whose
   out-of-fold `inconsistent` precision is at least `MIN_PRECISION`. Below the threshold, a band of
   scores where out-of-fold rows are still mostly inconsistent gives `cannot_verify` (`abstain_threshold`).
   Then one fit on all tune rows, frozen.
4. Report: per domain, tune (in-sample) and held-out, balanced accuracy, `inconsistent` precision; the
   rules' own verdict on the same rows beside it.

`--write` stores the model in `summarizer/grounding/verifier.json` with its provenance (this command,
the split, the date, the tune CV figure, held-out figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

try:
    import numpy as np
except ImportError:  # numpy is no core dependency; the [semantic] extra brings it
    sys.exit("bench/train_verifier.py needs numpy: pip install numpy (or pip install -e '.[semantic]')")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from splits import DEV, DOMAINS, TUNE_SHARE, require_dev, summedits_part, summedits_rows

from summarizer.documents import document_from_text
from summarizer.grounding import FEATURES, SIGNS, VERIFIER_FILE
from summarizer.verify import claim_features_of

FOLDS = 6
PENALTIES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
WEIGHTINGS = ("rows", "domains")
MIN_PRECISION = 0.85
ABSTAIN_SHARE = 0.7
STEPS = 1500
SEED = 0
SIGN = np.array([SIGNS.get(name, 0) for name in FEATURES])
"""The direction each weight may take (`summarizer.grounding._learned.SIGNS`), enforced by projection."""
FEATURES_FILE = Path("/tmp/summarizer_verifier_features.jsonl")


# -- features --------------------------------------------------------------------------------------


def compute_features(data: Path, out: Path) -> None:
    started = time.process_time()
    with out.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"features": list(FEATURES)}) + "\n")
        for domain in DOMAINS:
            for row, text in summedits_rows(domain, data):
                doc = document_from_text(text, outlet=str(row["doc_id"]))
                claims = claim_features_of(str(row["summary"]), [doc])
                line = {
                    "id": row["id"],
                    "domain": domain,
                    "doc": row["doc_id"],
                    "part": summedits_part(domain, str(row["doc_id"])),
                    "label": int(row["label"] == "inconsistent"),
                    "claims": [[round(c[name], 5) for name in FEATURES] for c in claims],
                }
                f.write(json.dumps(line) + "\n")
    print(f"features: {out} ({time.process_time() - started:.1f} s CPU)", file=sys.stderr)


def read_features(path: Path) -> list[dict[str, Any]] | None:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or json.loads(lines[0]).get("features") != list(FEATURES):
        return None
    return [json.loads(line) for line in lines[1:] if line.strip()]


# -- the model -------------------------------------------------------------------------------------


class Data:
    """Rows as claim matrices: `x` (claims × features), `row` (each claim's row), row labels, domains."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        kept = [r for r in rows if r["claims"]]
        self.x = np.array([c for r in kept for c in r["claims"]], dtype=float)
        self.row = np.array([i for i, r in enumerate(kept) for _ in r["claims"]])
        self.y = np.array([r["label"] for r in kept], dtype=float)
        self.domain = [r["domain"] for r in kept]
        self.doc = [f"{r['domain']}/{r['doc']}" for r in kept]
        self.kept = kept

    def subset(self, keep: list[int]) -> Data:
        return Data([self.kept[i] for i in keep])


def row_weights(data: Data, weighting: str) -> np.ndarray:
    if weighting == "rows":
        return np.ones(len(data.y)) / len(data.y)
    groups: dict[tuple[str, float], int] = defaultdict(int)
    for d, y in zip(data.domain, data.y):
        groups[d, y] += 1
    w = np.array([1.0 / groups[d, y] for d, y in zip(data.domain, data.y)])
    return w / w.sum()


def fit(data: Data, penalty: float, weighting: str) -> dict[str, Any]:
    """Noisy-OR pooled logistic regression, L2 penalty, full-batch Adam."""
    mean = data.x.mean(axis=0)
    scale = data.x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    x = (data.x - mean) / scale
    n_rows = len(data.y)
    w_row = row_weights(data, weighting)
    theta = np.zeros(x.shape[1] + 1)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    lr, b1, b2 = 0.05, 0.9, 0.999
    for step in range(1, STEPS + 1):
        z = x @ theta[1:] + theta[0]
        p = 1 / (1 + np.exp(-z))
        log_q = np.minimum(np.bincount(data.row, weights=-np.logaddexp(0, z), minlength=n_rows), -1e-9)
        # d loss / d z per claim: p for a consistent row; -p Q/(1-Q) for an inconsistent one
        factor = np.where(data.y == 1, -1 / np.expm1(-log_q), 1.0) * w_row
        gz = p * factor[data.row]
        grad = np.concatenate([[gz.sum()], x.T @ gz + penalty * theta[1:]])
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad**2
        theta -= lr * (m / (1 - b1**step)) / (np.sqrt(v / (1 - b2**step)) + 1e-8)
        theta[1:] = np.where(SIGN > 0, np.maximum(theta[1:], 0.0), theta[1:])
        theta[1:] = np.where(SIGN < 0, np.minimum(theta[1:], 0.0), theta[1:])
    return {"bias": float(theta[0]), "weights": theta[1:], "mean": mean, "scale": scale}


def row_scores(model: dict[str, Any], data: Data) -> np.ndarray:
    z = ((data.x - model["mean"]) / model["scale"]) @ model["weights"] + model["bias"]
    p = 1 / (1 + np.exp(-z))
    out = np.zeros(len(data.y))
    np.maximum.at(out, data.row, p)
    return out


def figures(
    scores: np.ndarray, data: Data, threshold: float
) -> tuple[float, dict[str, float], tuple[int, int]]:
    """Mean balanced accuracy over domains (0-100), per domain, and (right, flagged)."""
    flagged = scores >= threshold
    per: dict[str, float] = {}
    for domain in dict.fromkeys(data.domain):
        idx = np.array([d == domain for d in data.domain])
        recalls = []
        for label in (0, 1):
            sel = idx & (data.y == label)
            if sel.any():
                recalls.append(float((flagged[sel] == bool(label)).mean()))
        per[domain] = 100 * sum(recalls) / len(recalls)
    right = int((flagged & (data.y == 1)).sum())
    return sum(per.values()) / len(per), per, (right, int(flagged.sum()))


def best_threshold(scores: np.ndarray, data: Data) -> tuple[float, float]:
    """The threshold with the best mean balanced accuracy among those at `MIN_PRECISION` or better."""
    best = (0.5, -1.0)
    for t in np.unique(np.round(scores, 3)):
        if t <= 0.02 or t >= 0.99:
            continue
        mean, _, (right, flagged) = figures(scores, data, float(t))
        if flagged and right / flagged >= MIN_PRECISION and mean > best[1]:
            best = (float(t), mean)
    return best


def folds(data: Data) -> list[int]:
    """Each row's fold: each domain's documents dealt round-robin in sha256 order."""
    docs_by_domain: dict[str, list[str]] = defaultdict(list)
    for doc in dict.fromkeys(data.doc):
        docs_by_domain[doc.split("/")[0]].append(doc)
    fold_of: dict[str, int] = {}
    offset = 0
    for domain in sorted(docs_by_domain):
        docs = sorted(docs_by_domain[domain], key=lambda d: hashlib.sha256(d.encode()).hexdigest())
        for i, doc in enumerate(docs):
            fold_of[doc] = (i + offset) % FOLDS
        offset += len(docs)
    return [fold_of[d] for d in data.doc]


def out_of_fold(data: Data, penalty: float, weighting: str) -> np.ndarray:
    fold = np.array(folds(data))
    scores = np.zeros(len(data.y))
    for k in range(FOLDS):
        train = [i for i in range(len(data.y)) if fold[i] != k]
        test = [i for i in range(len(data.y)) if fold[i] == k]
        model = fit(data.subset(train), penalty, weighting)
        scores[test] = row_scores(model, data.subset(test))
    return scores


def abstain_threshold(scores: np.ndarray, data: Data, threshold: float) -> float:
    """The lowest score (below `threshold`) from which up to the threshold out-of-fold rows are
    inconsistent at least `ABSTAIN_SHARE` of the time: there a claim is neither backed nor flagged
    (`cannot_verify`). The threshold itself when no such band exists."""
    best = threshold
    for t in sorted(np.unique(np.round(scores[scores < threshold], 3)), reverse=True):
        band = (scores >= t) & (scores < threshold)
        if band.any() and data.y[band].mean() >= ABSTAIN_SHARE:
            best = float(t)
    return max(min(best, threshold), 0.001)


# -- main ------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=DEV, help="the dev folder, or its summedits/ folder")
    p.add_argument("--features", type=Path, default=FEATURES_FILE, help="feature cache (numbers only)")
    p.add_argument("--refresh", action="store_true", help="recompute the features")
    p.add_argument("--write", action="store_true", help=f"store the model in {VERIFIER_FILE}")
    args = p.parse_args(argv)
    data_dir = require_dev(args.data.parent if (args.data / "news.jsonl").is_file() else args.data)
    rows = None if args.refresh or not args.features.is_file() else read_features(args.features)
    if rows is None:
        compute_features(data_dir, args.features)
        rows = read_features(args.features)
    assert rows is not None
    tune = Data([r for r in rows if r["part"] == "tune"])
    heldout = Data([r for r in rows if r["part"] == "heldout"])
    started = time.process_time()
    grid = []
    for weighting in WEIGHTINGS:
        for penalty in PENALTIES:
            oof = out_of_fold(tune, penalty, weighting)
            t, mean = best_threshold(oof, tune)
            grid.append((mean, penalty, weighting, t, oof))
            print(f"cv: {weighting:<8} penalty {penalty:<7} threshold {t:.3f} tune CV mean BA {mean:.1f}")
    cv_mean, penalty, weighting, threshold, oof = max(grid, key=lambda g: g[0])
    _, cv_per, (cv_right, cv_flagged) = figures(oof, tune, threshold)
    abstain = abstain_threshold(oof, tune, threshold)
    model = fit(tune, penalty, weighting)
    print(
        f"chosen: {weighting}, penalty {penalty}, threshold {threshold:.3f}, abstain {abstain:.3f} "
        f"({time.process_time() - started:.0f} s CPU)"
    )
    report: dict[str, Any] = {
        "tune_cv": {
            "mean": round(cv_mean, 1),
            "per_domain": _round(cv_per),
            "inconsistent_right": f"{cv_right}/{cv_flagged}",
        },
    }
    print(f"{'domain':<12} {'tune CV':>8} {'tune fit':>8} {'heldout':>8}")
    for name, part in (("tune_fit", tune), ("heldout", heldout)):
        mean, per, (right, flagged) = figures(row_scores(model, part), part, threshold)
        report[name] = {
            "mean": round(mean, 1),
            "per_domain": _round(per),
            "inconsistent_right": f"{right}/{flagged}",
        }
    for domain in DOMAINS:
        cells = [
            report[k]["per_domain"].get(domain, float("nan")) for k in ("tune_cv", "tune_fit", "heldout")
        ]
        print(f"{domain:<12} " + " ".join(f"{c:>8.1f}" for c in cells))
    for k in ("tune_cv", "tune_fit", "heldout"):
        r = report[k]
        right, flagged = (int(v) for v in r["inconsistent_right"].split("/"))
        print(
            f"{k}: mean BA {r['mean']:.1f}, lowest {min(r['per_domain'].values()):.1f}; "
            f"inconsistent right {100 * right / max(1, flagged):.1f}% ({r['inconsistent_right']})"
        )
    weights = sorted(zip(FEATURES, model["weights"]), key=lambda fw: -abs(fw[1]))
    print("weights: " + ", ".join(f"{n} {w:+.2f}" for n, w in weights))
    if args.write:
        _write(model, threshold, abstain, penalty, weighting, report, argv)
    return 0


def _round(per: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 1) for k, v in per.items()}


def _write(
    model: dict[str, Any],
    threshold: float,
    abstain: float,
    penalty: float,
    weighting: str,
    report: dict[str, Any],
    argv: list[str],
) -> None:
    data = {
        "format": 1,
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model["weights"]],
        "bias": round(model["bias"], 6),
        "mean": [round(float(m), 6) for m in model["mean"]],
        "scale": [round(float(s), 6) for s in model["scale"]],
        "threshold": round(threshold, 4),
        "abstain": round(abstain, 4),
        "provenance": {
            "command": "python bench/train_verifier.py " + " ".join(argv),
            "data": "SummEdits dev rows (shared/data/dev/summedits), 8 domains",
            "split": f"bench/splits.py by document (tune share {TUNE_SHARE}); fitted on tune rows only",
            "model": f"logistic regression per claim, noisy-OR over a summary's claims, L2 {penalty}, "
            f"row weighting {weighting}, {STEPS} Adam steps, weights signed as SIGNS says; chosen by "
            f"{FOLDS}-fold CV by document on tune",
            "date": dt.date.today().isoformat(),
            **report,
        },
    }
    VERIFIER_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {VERIFIER_FILE}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
