"""Re-record every fixture in fixtures/recorded/ against a live local model server.

    scripts/local_server.sh start
    python scripts/record_fixtures.py --base-url http://127.0.0.1:8765/v1 \
        --model qwen2.5-coder-1.5b-instruct --venv ~/.cache/summarizer-llm/venv \
        --model-file ~/.cache/summarizer-llm/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
    python scripts/record_fixtures.py ... --only summary   # one task (summary, verify-facts, ...)

Each task runs the real CLI with `--record` into a fresh folder, one request at a time; every exchange
written is then given its origin in full (kind `recorded`, endpoint, model alias, model file and its
sha256, server and version, date, task), and replaces that task's earlier recordings in
fixtures/recorded/. A small model takes minutes per call (a comparison 10-30 minutes on 1 CPU thread).

The recordings are made, and replayed, with the templates in fixtures/recorded/prompts/ (`--prompts`),
a copy of prompts/ as it was when they were recorded, so a later change to the packaged templates does
not make them stale. `--refresh-prompts` first copies the current prompts/ there: then re-record every
task. Exchanges are keyed by the request body: a schema or request change makes them stale too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDED = ROOT / "fixtures" / "recorded"
PROMPTS = RECORDED / "prompts"
ARTICLES = ROOT / "fixtures" / "articles"
VERIFY_SUMMARY = (
    "Iran turned down an offer from Russia to mediate between Tehran and Washington. "
    "Saeed Khatibzadeh said Iran doubts the intention of Russia."
)
"""The summary the recorded verify checks: a true sentence, and one that inverts the article's point
(Khatibzadeh said Iran has no doubt about Russia's intention), for the judge to rule on."""

VERIFY_FACTS_SUMMARY = (
    "Mahmoud Vaezi dismissed direct negotiations with Washington and said on Monday that many countries "
    "had offered mediation."
)
"""The summary the recorded `verify-facts` checks: one claim the judge gets as two single facts, the first
true, the second giving Vaezi's Friday statement Khatibzadeh's Monday (a day the article does name, so no
deterministic check objects)."""

TASKS: dict[str, list[str]] = {
    # The seed summarize as a user runs it, with no --structured-output: `auto` finds json_schema refused
    # (HTTP 500) and asks in json_object_schema, which llama-cpp-python turns into a grammar.
    "summary": ["summarize", str(ARTICLES / "anadolu.txt")],
    "comparison": ["compare", str(ARTICLES / "anadolu.txt"), str(ARTICLES / "mehr.txt"), "--reasks", "0"],
    "verify": ["verify", "--source", str(ARTICLES / "anadolu.txt"), VERIFY_SUMMARY],
    "verify-facts": ["verify", "--source", str(ARTICLES / "anadolu.txt"), VERIFY_FACTS_SUMMARY],
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record(task: str, args: argparse.Namespace, origin: dict[str, object]) -> list[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "exchanges"
        command = [
            sys.executable,
            "-m",
            "summarizer",
            *TASKS[task],
            "--base-url",
            args.base_url,
            "--model",
            args.model,
            "--record",
            str(folder),
            "--prompts",
            str(PROMPTS),
            "--timeout",
            str(args.timeout),
            "--log-dir",
            str(Path(tmp) / "state"),
            "--format",
            "json",
            "-o",
            str(Path(tmp) / "result.json"),
            *args.extra,
        ]
        started = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, check=False)
        print(f"{task}: exit {done.returncode} after {time.monotonic() - started:.0f} s", file=sys.stderr)
        if done.returncode not in (0, 5, 6):  # 5: invalid after every re-ask; 6: verify found it inconsistent
            raise SystemExit(f"{task}: the command failed (exit {done.returncode}); nothing replaced")
        if args.results is not None and (Path(tmp) / "result.json").is_file():
            args.results.mkdir(parents=True, exist_ok=True)
            shutil.copy(Path(tmp) / "result.json", args.results / f"{task}.json")
        written = sorted(folder.glob("*.json"))
        if not written:
            raise SystemExit(f"{task}: no exchange was recorded; nothing replaced")
        for old in RECORDED.glob("*.json"):
            if json.loads(old.read_text("utf-8")).get("origin", {}).get("task") == task:
                old.unlink()
        RECORDED.mkdir(parents=True, exist_ok=True)
        kept = []
        for path in written:
            exchange = json.loads(path.read_text("utf-8"))
            exchange["origin"] = {**exchange["origin"], **origin, "task": task}
            target = RECORDED / path.name
            target.write_text(json.dumps(exchange, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            kept.append(target)
        return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", required=True, help="the server's OpenAI-compatible URL, with /v1")
    parser.add_argument("--model", required=True, help="the model name the server answers to")
    parser.add_argument("--model-file", type=Path, required=True, help="the .gguf file the server runs")
    parser.add_argument("--server", default="llama-cpp-python", help="server software (default: %(default)s)")
    parser.add_argument("--server-version", default=None, help="its version (default: read from LLM_VENV)")
    parser.add_argument("--venv", type=Path, default=None, help="the server's venv, to read its version")
    parser.add_argument("--threads", type=int, default=1, help="n_threads the server runs with (recorded)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per request")
    parser.add_argument("--results", type=Path, default=None, help="copy each task's JSON output here")
    parser.add_argument("--only", choices=sorted(TASKS), action="append", help="record only these tasks")
    parser.add_argument(
        "--refresh-prompts", action="store_true", help="copy prompts/ to fixtures/recorded/prompts/ first"
    )
    parser.add_argument("extra", nargs="*", help="more summarizer flags, after --")
    args = parser.parse_args(argv)
    if args.refresh_prompts or not PROMPTS.is_dir():
        shutil.rmtree(PROMPTS, ignore_errors=True)
        shutil.copytree(ROOT / "prompts", PROMPTS)
    if not args.model_file.is_file():
        parser.error(f"--model-file {args.model_file}: no such file")
    version = args.server_version
    if version is None and args.venv is not None:
        version = subprocess.run(
            [str(args.venv / "bin" / "python"), "-c", "import llama_cpp; print(llama_cpp.__version__)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    origin: dict[str, object] = {
        "kind": "recorded",
        "model_file": args.model_file.name,
        "model_sha256": sha256_of(args.model_file),
        "server": f"{args.server} {version}" if version else args.server,
        "server_threads": args.threads,
        "date": dt.date.today().isoformat(),
        "recorded_by": "scripts/record_fixtures.py",
    }
    for task in args.only or list(TASKS):
        for path in record(task, args, origin):
            print(f"{task}: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
