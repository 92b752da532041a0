"""The command line's argument parser: its subcommands, option groups and argparse types."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from summarizer._version import __version__

EPILOG = """exit codes: 0 ok, 1 unexpected (use --debug), 2 usage/config/template, 3 input, 4 model or server,
5 answers failed validation after every re-ask, 6 not grounded (--strict) or verify found
the summary inconsistent, 7 verify could not verify a claim (too little evidence), 130 interrupted.
environment: SUMMARIZER_MODEL, OPENAI_API_KEY, OPENAI_BASE_URL, NO_COLOR."""


def _model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model")
    g.add_argument(
        "--engine",
        choices=["offline", "llm"],
        help="offline: extractive results from the deterministic analysis, no model; llm: ask a model "
        "(default: llm when a key, base URL, model or replay is configured, else offline)",
    )
    g.add_argument(
        "--model",
        help="model name (default: $SUMMARIZER_MODEL; gpt-4o-mini on OpenAI; for another --base-url, "
        "the one model the server lists at /v1/models)",
    )
    g.add_argument(
        "--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (or $OPENAI_BASE_URL)"
    )
    g.add_argument(
        "--structured-output",
        choices=["auto", "json_schema", "json_object_schema", "json_object", "tools"],
        help="how to ask for JSON (default auto: json_schema, falling back to json_object_schema "
        "(json_object with the schema, which llama.cpp turns into a grammar), json_object, then tools, "
        "when the server refuses it; what worked is remembered per endpoint)",
    )
    g.add_argument("--reasks", type=int, default=2, help="re-asks after an invalid answer (default 2)")
    g.add_argument("--temperature", type=float, default=0.0, help="sampling temperature (default 0)")
    g.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="seconds per request (default 120; 900 for a server on this machine or network, "
        "whose timeouts are not retried)",
    )
    g.add_argument(
        "--max-retries",
        type=int,
        metavar="N",
        help="retries of a failed request: rate limits, server errors (default 4)",
    )
    g.add_argument(
        "--max-tokens",
        type=int,
        metavar="TOKENS",
        help="the answer's token limit (default: none for OpenAI; for other servers, an allowance "
        "from the task's schema and length, within the context budget)",
    )
    g.add_argument("--prompts", type=Path, help="folder of .j2 templates overlaying the packaged ones")
    fx = g.add_mutually_exclusive_group()
    fx.add_argument("--record", type=Path, metavar="DIR", help="record every HTTP exchange into DIR")
    fx.add_argument(
        "--replay", type=Path, metavar="DIR", help="answer from exchanges recorded in DIR (offline)"
    )
    g.add_argument(
        "--no-cache", dest="cache", action="store_false", default=None, help="bypass the response cache"
    )
    g.add_argument("--cache-dir", type=Path, help="response cache folder (or $SUMMARIZER_CACHE_DIR)")
    g.add_argument("--log-dir", type=Path, help="call log folder (or $SUMMARIZER_STATE_DIR)")
    g.add_argument(
        "--context-budget",
        type=int,
        metavar="TOKENS",
        help="the model's context window; longer articles are summarised in parts "
        "(default: known for OpenAI models; else what the server says at /props or /v1/models "
        "(llama.cpp, vLLM); else none)",
    )


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        "-f",
        choices=["json", "markdown", "text", "html"],
        default="text",
        help="output format; html is one self-contained page (findings beside the sources' texts)",
    )
    p.add_argument("-o", "--output", type=Path, help="write to FILE (atomically) instead of standard output")
    p.add_argument(
        "--language",
        metavar="CODE",
        help="language of the report's prose, e.g. fr (default: the sources' language)",
    )
    p.add_argument(
        "--max-bytes", type=_positive_int, default=5_000_000, help="largest input accepted (default 5 MB)"
    )
    p.add_argument(
        "--fetch-timeout",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="time limit for fetching each http(s) URL input (default 20)",
    )
    p.add_argument(
        "--width",
        type=int,
        metavar="COLUMNS",
        help="text reports: wrap at this many columns (default: the terminal's width up to 100; 100 when "
        "piped or written to a file); tables too wide become lists",
    )
    p.add_argument("--debug", action="store_true", help="show the traceback of errors")


def _focus_options(p: argparse.ArgumentParser) -> None:
    from summarizer.render._view import SECTIONS

    g = p.add_argument_group("focus (text, markdown and html reports; json always holds everything)")
    g.add_argument(
        "--only",
        type=_sections,
        metavar="SECTIONS",
        help="show only these sections, comma-separated: " + ", ".join(SECTIONS),
    )
    g.add_argument(
        "--max-items", type=int, metavar="N", help="at most N items per section, most important first"
    )
    g.add_argument(
        "--min-confidence",
        type=float,
        metavar="X",
        help="hide findings of the analysis below this confidence, 0 to 1 (a model's findings have none)",
    )


def _sections(value: str) -> frozenset[str]:
    from summarizer.render._view import parse_sections

    try:
        return parse_sections(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


METADATA = ("outlet", "title", "url", "published", "author")


def _metadata_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "metadata (give each flag once per article, in the order of the articles; or use "
        "NAME.meta.json sidecars beside the files)"
    )
    for flag in METADATA:
        g.add_argument(
            f"--{flag}",
            action="append",
            help=f"the article's {flag}" + (" (YYYY-MM-DD)" if flag == "published" else ""),
        )
    g.add_argument(
        "--source-language",
        action="append",
        metavar="CODE",
        help="the article's language, ISO 639-1 (default: detected from the text)",
    )


COMPARE_EPILOG = """naming the outlets: give --outlet once per article, in the order of the articles (and
--published YYYY-MM-DD, --title, --url, --author likewise), e.g.
  summarizer compare anadolu.txt mehr.txt --outlet "Anadolu Agency" --outlet "Mehr News Agency" \\
      --published 2020-09-07 --published 2020-09-04
or put {"outlet": "Anadolu Agency", "published": "2020-09-07"} in anadolu.meta.json beside anadolu.txt
(a glob such as dir/* never takes those sidecar files for articles). Without either, the outlet is
the file name and the date is unknown.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarizer",
        description="Grounded summaries of news articles and cross-source comparison reports.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"summarizer {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("summarize", help="summarise articles", epilog=EPILOG)
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="article: .txt, .md, .html, .json/.jsonl, an http(s) URL, or - for standard input",
    )
    p.add_argument("--length", choices=["short", "medium", "long"], default="medium", help="summary length")
    _strict_option(p)
    _metadata_options(p)
    _rule_options(p)
    _model_options(p)
    _output_options(p)

    p = sub.add_parser(
        "compare",
        help="compare reports of the same story from different outlets",
        epilog=COMPARE_EPILOG + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="two or more articles (.txt, .md, .html, .jsonl, http(s) URLs, or - once); name their "
        "outlets with --outlet, once per article in this order",
    )
    _strict_option(p)
    _rule_options(p)
    p.add_argument(
        "--alignment",
        choices=["lexical", "semantic"],
        help="how statements are matched across sources: lexical (default, fast: shared words) or "
        "semantic (sentence embeddings too; pip install -e '.[semantic]')",
    )
    _metadata_options(p)
    _model_options(p)
    _output_options(p)
    _focus_options(p)

    p = sub.add_parser(
        "verify",
        help="check a summary (ours or anyone's) against its sources, claim by claim",
        epilog="Without a model setting (--model, --base-url, --replay, $SUMMARIZER_MODEL) only the "
        "deterministic checks run. Exit code 6 when the summary is inconsistent, 7 when a claim "
        "cannot be verified.\n" + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("summary", metavar="SUMMARY", help="plain text or JSON result file, or - for stdin")
    p.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="ARTICLE",
        help="a source article (repeat for several); optional for a JSON result, which embeds its sources",
    )
    _rule_options(p)
    p.add_argument(
        "--evidence",
        choices=["lexical", "semantic"],
        help="how each claim's evidence is chosen: lexical (default, fast) or semantic (sentence "
        "embeddings too; pip install -e '.[semantic]')",
    )
    p.add_argument(
        "--decide",
        choices=["rules", "learned"],
        help="how the checks give a claim's verdict: rules (default: any failed check) or learned (a "
        "logistic regression over what they measured, shown as each claim's confidence)",
    )
    _model_options(p)
    _output_options(p)

    _batch_parser(sub)
    _logs_parser(sub)

    p = sub.add_parser("rules", help="list the support checks and detectors, with the codes that switch them")
    p.add_argument("--format", "-f", choices=["text", "json"], default="text")

    p = sub.add_parser(
        "completion",
        help='print a shell completion script: eval "$(summarizer completion bash)" in ~/.bashrc',
        epilog='bash: add  eval "$(summarizer completion bash)"  to ~/.bashrc; zsh: add  '
        'eval "$(summarizer completion zsh)"  to ~/.zshrc. Open a new shell, then press Tab.',
    )
    p.add_argument("shell", choices=["bash", "zsh"])

    p = sub.add_parser("schema", help="print the JSON Schema of a result")
    p.add_argument("which", choices=["summary", "comparison"])

    p = sub.add_parser("prompts", help="list or show the prompt templates")
    p.add_argument("action", choices=["list", "show"])
    p.add_argument("name", nargs="?", help="template name for show, e.g. summary/system.j2")
    p.add_argument("--prompts", type=Path, help="folder of .j2 templates overlaying the packaged ones")
    return parser


def _batch_parser(sub: Any) -> None:
    p = sub.add_parser(
        "batch",
        help="summarise or compare many inputs into JSONL, resumably, at the provider's rate limit",
        epilog="exit codes: 0 every item succeeded, 4 some failed (see their error lines), 2 usage, "
        "75 a provider batch job is not finished (run the same command again).",
    )
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="files, folders, glob patterns or .jsonl manifests"
    )
    p.add_argument("--task", choices=["summarize", "compare"], default="summarize")
    p.add_argument("--length", choices=["short", "medium", "long"], default="medium", help="summary length")
    p.add_argument("-o", "--output", type=Path, required=True, help="JSONL file, one line per item")
    p.add_argument("--resume", action="store_true", help="skip the items already in --output")
    p.add_argument("--retry-failed", action="store_true", help="with --resume, run failed items again")
    p.add_argument("--overwrite", action="store_true", help="start --output afresh")
    p.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    p.add_argument("--rpm", type=float, help="pace to this many requests per minute")
    p.add_argument("--tpm", type=float, help="pace to this many tokens per minute")
    p.add_argument("--no-progress", action="store_true", help="no progress bar or lines")
    p.add_argument("--debug", action="store_true", help="show the traceback of errors")
    j = p.add_argument_group("provider batch jobs (see summarizer.provider_batch)")
    j.add_argument(
        "--via",
        choices=["direct", "openai-batch"],
        default="direct",
        help="direct: one call per item now; openai-batch: one Batch API job (half price, within 24 h), "
        "resumable: run the same command again to pick it up",
    )
    j.add_argument("--prepare-only", action="store_true", help="only write the Batch API requests file")
    j.add_argument("--requests", type=Path, help="requests file (default: OUTPUT.requests.jsonl)")
    j.add_argument("--no-wait", action="store_true", help="submit or check once, then leave (exit 75)")
    j.add_argument("--poll-interval", type=float, default=30.0, help="seconds between checks (default 30)")
    j.add_argument(
        "--reask-direct",
        action="store_true",
        help="re-ask invalid batch answers, and run long articles, with direct calls",
    )
    _model_options(p)


def _logs_parser(sub: Any) -> None:
    p = sub.add_parser(
        "logs",
        help="list, filter and export the call log (tokens, cost, latency); logs path|on|off",
        epilog="Newest calls first. `summarizer logs path` prints the log file; `logs off` stops logging "
        "model calls (and `logs on` resumes); SUMMARIZER_LOGS=off does the same for one environment.",
    )
    p.add_argument(
        "action",
        nargs="?",
        choices=["list", "path", "on", "off"],
        default="list",
        help="list (default) the calls; print the log's path; turn logging on or off",
    )
    p.add_argument(
        "--since", type=_log_time, help="from this time on: ISO 8601 (UTC unless it says), or 30m, 2h, 7d ago"
    )
    p.add_argument("--until", type=_log_time, help="before this time (same forms as --since)")
    p.add_argument("--model", help="only calls to this model")
    p.add_argument("--status", choices=["ok", "error", "interrupted"], help="only calls with this status")
    p.add_argument("--task", choices=["summarize", "compare", "verify"], help="only calls for this task")
    p.add_argument(
        "-n",
        "--count",
        "--limit",
        dest="count",
        type=int,
        metavar="N",
        help="the newest N calls (default: 20 for the table, all for json/jsonl/csv; 0 for all)",
    )
    p.add_argument("--format", "-f", choices=["table", "json", "jsonl", "csv"], default="table")
    p.add_argument("-o", "--output", type=Path, help="write to FILE instead of standard output")
    p.add_argument("--log-dir", type=Path, help="call log folder (or $SUMMARIZER_STATE_DIR)")
    p.add_argument("--debug", action="store_true", help="show the traceback of errors")


_AGO = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


def _log_time(value: str) -> str:
    """An argparse type: ISO 8601 (naive means UTC) or `30m`/`2h`/`7d` ago, as the log's UTC form."""
    import datetime as dt
    import re

    now = dt.datetime.now(dt.timezone.utc)
    ago = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", value)
    try:
        if ago:
            when = now - dt.timedelta(**{_AGO[ago.group(2)]: int(ago.group(1))})
        else:
            when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a time: use ISO 8601 (2025-06-01, 2025-06-01T14:30, 2025-06-01T14:30+02:00) "
            "or an age (30m, 2h, 7d, 2w)"
        ) from None
    when = when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)
    return when.isoformat(timespec="milliseconds")


def _rule_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("rules (see `summarizer rules`)")
    g.add_argument(
        "--select", metavar="CODE[,CODE]", help="run only these checks and detectors (codes or prefixes)"
    )
    g.add_argument("--ignore", metavar="CODE[,CODE]", help="do not run these checks and detectors, e.g. S104")


def _strict_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit with code 6 when any item of the result is not grounded, or none was checked",
    )
