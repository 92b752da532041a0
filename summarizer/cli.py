"""Command line: parse arguments, call the pipeline, render, map errors to exit codes. Nothing else.

Exit codes: 0 success; 1 unexpected error (run with --debug for the traceback); 2 usage, configuration
or template error; 3 an input could not be loaded; 4 the model or its server failed (including replay
misses); 5 the model's answers still failed validation after every re-ask; 6 with --strict, an item of
the result is not grounded, or `verify` found the summary inconsistent; 7 `verify` could not verify a
claim (its evidence too weak to rule either way); 130 interrupted.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarizer._files import refuse_input_as_output, write_atomic
from summarizer._version import __version__
from summarizer.errors import AttemptsExhaustedError, ConfigError, InputError, SummarizerError
from summarizer.llm.redact import redact

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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with warnings.catch_warnings():  # the CLI says it in its own words (OFFLINE_NOTICE)
            warnings.filterwarnings("ignore", message="no model configured", category=UserWarning)
            code = _dispatch(args)
            sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
            return code
    except BrokenPipeError:  # `summarizer rules | head`: the reader has all it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail again
        return 141  # 128 + SIGPIPE, as a shell tool killed by the signal reports
    except KeyboardInterrupt:
        print("summarizer: interrupted", file=sys.stderr)
        return 130
    except SummarizerError as exc:
        return _fail(args, exc, exc.exit_code)
    except Exception as exc:  # the last line of defence: say what happened
        return _fail(args, exc, 1)


def _fail(args: argparse.Namespace, exc: BaseException, code: int) -> int:
    if getattr(args, "debug", False):  # the causes too: an SDK error's body may echo the key
        sys.stderr.write(redact("".join(traceback.format_exception(exc))))
    kind = "" if isinstance(exc, SummarizerError) else f"unexpected {type(exc).__name__}: "
    print(f"summarizer: error: {kind}{redact(str(exc))}", file=sys.stderr)
    if isinstance(exc, AttemptsExhaustedError) and exc.last_completion:
        print(f"summarizer: last answer (truncated): {redact(exc.last_completion[:500])}", file=sys.stderr)
    if code == 1 and not getattr(args, "debug", False):
        print("summarizer: run again with --debug for the traceback", file=sys.stderr)
    return code


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "schema":
        return _schema(args.which)
    if args.command == "completion":
        from summarizer._completion import script
        from summarizer.render._view import SECTIONS

        sys.stdout.write(script(build_parser(), args.shell, {"only": SECTIONS}))
        return 0
    if args.command == "verify":
        return _verify(args)
    if args.command == "prompts":
        return _prompts(args)
    if args.command == "rules":
        return _rules(args.format)
    if args.command == "batch":
        return _batch(args)
    if args.command == "logs":
        return _logs(args)
    return _run(args)


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


def _batch(args: argparse.Namespace) -> int:
    from summarizer.batch import Progress, read_items, run_batch
    from summarizer.pipeline import Client

    items = read_items(args.inputs, task=args.task, length=args.length)  # once: counted and run alike
    refuse_input_as_output(args.output, items.files())
    client = Client(**_settings(args))
    if args.via == "openai-batch":
        from summarizer.provider_batch import run_provider_batch

        job = run_provider_batch(
            client,
            lambda: iter(items),
            args.output,
            requests=args.requests,
            prepare_only=args.prepare_only,
            wait=not args.no_wait,
            poll_s=args.poll_interval,
            reask_direct=args.reask_direct,
            resume=args.resume or args.retry_failed,
            retry_failed=args.retry_failed,
            overwrite=args.overwrite,
            concurrency=args.concurrency,
            progress=None if args.no_progress else Progress(),
            say=lambda text: print(f"summarizer: batch: {text}", file=sys.stderr),
        )
        print(f"summarizer: batch: {job.line()} -> {args.output}", file=sys.stderr)
        return job.exit_code
    _engine_notice(client)
    report = run_batch(
        client,
        items,
        args.output,
        concurrency=args.concurrency,
        resume=args.resume or args.retry_failed,
        retry_failed=args.retry_failed,
        overwrite=args.overwrite,
        total=len(items),
        progress=None if args.no_progress else Progress(),
    )
    print(f"summarizer: batch: {report.line()} -> {args.output}", file=sys.stderr)
    return report.exit_code


def _logs(args: argparse.Namespace) -> int:
    from summarizer.llm.calllog import CallLog, format_rows, set_logging

    if args.action == "path":
        print(CallLog.location(args.log_dir))
        return 0
    if args.action in ("on", "off"):
        set_logging(args.action == "on", args.log_dir)
        print(f"summarizer: call logging is {args.action}", file=sys.stderr)
        return 0
    count = args.count if args.count is not None else (20 if args.format == "table" else 0)
    rows = CallLog.default(args.log_dir).query(
        since=args.since,
        until=args.until,
        model=args.model,
        status=args.status,
        task=args.task,
        limit=count or None,
    )
    _emit(format_rows(rows, args.format), args.output)
    return 0


def _rule_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("rules (see `summarizer rules`)")
    g.add_argument(
        "--select", metavar="CODE[,CODE]", help="run only these checks and detectors (codes or prefixes)"
    )
    g.add_argument("--ignore", metavar="CODE[,CODE]", help="do not run these checks and detectors, e.g. S104")


def _rules(fmt: str) -> int:
    import summarizer.pipeline  # noqa: F401  (imports every package that registers rules)
    from summarizer.rules import all_rules

    rules = all_rules()
    if fmt == "json":
        rows = [{"code": r.code, "name": r.name, "kind": r.kind, "description": r.description} for r in rules]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in rules:
        print(f"{r.code}\t{r.kind}\t{r.name}\t{r.description}")
    return 0


def _schema(which: str) -> int:
    from summarizer.schemas import Comparison, Summary

    model = Summary if which == "summary" else Comparison
    print(json.dumps(model.model_json_schema(mode="serialization"), indent=2, ensure_ascii=False))
    return 0


def _prompts(args: argparse.Namespace) -> int:
    from summarizer.prompts import PromptSet

    prompts = PromptSet(args.prompts)
    if args.action == "list":
        for info in prompts.list():
            print(f"{info.name}\t{'user: ' if info.overridden else ''}{info.path}")
        return 0
    if not args.name:
        raise ConfigError("prompts show needs a template name; see `summarizer prompts list`")
    sys.stdout.write(prompts.source(args.name))
    return 0


def _run(args: argparse.Namespace) -> int:
    from summarizer.documents import load_documents
    from summarizer.pipeline import Client
    from summarizer.render import render

    paths = _articles(args.paths)
    refuse_input_as_output(args.output, paths)
    if args.command == "compare":
        _refuse_repeats(paths)
    load = {"max_bytes": args.max_bytes, "fetch_timeout": args.fetch_timeout}
    docs = [
        doc
        for path, metadata in zip(paths, _metadata(args, paths))
        for doc in load_documents([path], metadata=metadata, **load)
    ]
    if args.command == "summarize" and args.format == "html" and len(docs) > 1:
        raise ConfigError(
            "--format html makes one page per article: summarise one article per run, "
            "or choose --format json, markdown or text for several"
        )
    client = Client(**_settings(args))
    _engine_notice(client)
    color = (
        args.format == "text" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    if args.command == "compare":
        if len(docs) < 2:
            raise ConfigError("compare needs at least two articles: summarizer compare A.txt B.txt")
        comparison = client.compare(docs)
        _emit(render(comparison, args.format, color=color, options=_report_options(args)), args.output)
        return _strict_code(args, [comparison])
    return _summarize_each(client, docs, args, color)


def _refuse_repeats(paths: Sequence[str]) -> None:
    """Comparing an article with itself finds that every source agrees: refuse a file given twice."""
    for i, first in enumerate(paths):
        for second in paths[i + 1 :]:
            try:
                same = first == second or os.path.samefile(first, second)
            except (OSError, ValueError):
                same = False
            if same:
                raise ConfigError(f"{second} is given twice (as {first} too): compare different articles")


_FILE_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".json")


def _names_a_missing_file(summary: str) -> bool:
    """A SUMMARY that reads as a file name (one word ending in .txt, .json, …, or with a folder) but
    names no file: a mistyped path, not a summary to verify."""
    if summary == "-" or any(c.isspace() for c in summary) or os.path.exists(summary):
        return False
    return summary.lower().endswith(_FILE_SUFFIXES) or os.sep in summary


def _report_options(args: argparse.Namespace) -> Any:
    """The focus options and the text width: as given, else the terminal's up to 100, else 100."""
    import shutil

    from summarizer.render import ReportOptions

    width = args.width
    if width is None:
        tty = args.output is None and sys.stdout.isatty()
        width = min(shutil.get_terminal_size((100, 24)).columns, 100) if tty else 100
    if width < 40:
        raise ConfigError(f"--width {width} is too narrow: give 40 columns or more")
    max_items, min_confidence = getattr(args, "max_items", None), getattr(args, "min_confidence", None)
    if max_items is not None and max_items < 1:
        raise ConfigError(f"--max-items must be 1 or more; got {max_items}")
    if min_confidence is not None and not 0 <= min_confidence <= 1:
        raise ConfigError(f"--min-confidence runs from 0 to 1; got {min_confidence}")
    return ReportOptions(
        min_confidence=min_confidence or 0.0,
        only=getattr(args, "only", None),
        max_items=max_items,
        width=width,
    )


def _articles(paths: Sequence[str]) -> list[str]:
    """The inputs without `NAME.meta.json` sidecars, which a glob such as `dir/*` brings along: they
    hold the metadata of `NAME.txt`, not an article."""
    articles = [p for p in paths if not p.endswith(".meta.json")]
    for sidecar in sorted(set(paths) - set(articles)):
        stem = Path(sidecar).name[: -len(".meta.json")]
        if not any(Path(a).stem == stem for a in articles):
            print(
                f"summarizer: skipped {sidecar}: a NAME.meta.json file is metadata for NAME.txt",
                file=sys.stderr,
            )
    return articles


def _metadata(args: argparse.Namespace, paths: Sequence[str]) -> list[dict[str, Any] | None]:
    """Each input's metadata flags: every flag given once per input, in input order (or, for one
    input, once)."""
    dests = {k: k for k in METADATA} | {"language": "source_language"}
    given = {k: getattr(args, dest, None) or [] for k, dest in dests.items()}
    per_path: list[dict[str, Any] | None] = [None] * len(paths)
    for key, values in given.items():
        if not values:
            continue
        flag = "--" + dests[key].replace("_", "-")
        if len(values) != len(paths):
            raise ConfigError(
                f"{flag} was given {len(values)} time(s) for {len(paths)} article(s): give it once per "
                f"article, in the order of the articles (or use NAME.meta.json sidecars beside the files)"
            )
        for i, value in enumerate(values):
            per_path[i] = {**(per_path[i] or {}), key: value}
    return per_path


def _strict_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit with code 6 when any item of the result is not grounded, or none was checked",
    )


def _strict_code(args: argparse.Namespace, results: Sequence[Any]) -> int:
    ungrounded = sum(r.grounding.ungrounded for r in results)
    unverified = sum(r.grounding.status == "unverified" for r in results)
    if not getattr(args, "strict", False) or not (ungrounded or unverified):
        return 0
    if ungrounded:
        print(f"summarizer: --strict: {ungrounded} item(s) not grounded; see Grounding", file=sys.stderr)
    if unverified:
        print(
            f"summarizer: --strict: {unverified} result(s) unverified: nothing was checked",
            file=sys.stderr,
        )
    return 6


def _verify(args: argparse.Namespace) -> int:
    from summarizer.documents import load_documents
    from summarizer.pipeline import Client
    from summarizer.render import render

    refuse_input_as_output(args.output, [args.summary, *args.source])
    if _names_a_missing_file(args.summary):
        raise InputError(args.summary, "no such file; check the path, or give the summary's own text")
    docs = (
        load_documents(args.source, max_bytes=args.max_bytes, fetch_timeout=args.fetch_timeout)
        if args.source
        else []
    )
    verification = Client(**_settings(args)).verify(args.summary, docs)
    color = (
        args.format == "text" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    _emit(render(verification, args.format, color=color, options=_report_options(args)), args.output)
    return {"consistent": 0, "inconsistent": 6}.get(verification.verdict, 7)


def _summarize_each(client: Any, docs: list[Any], args: argparse.Namespace, color: bool) -> int:
    from summarizer.render import render

    outputs: list[str] = []
    results: list[Any] = []
    failed = 0
    for doc in docs:
        try:
            summary = client.summarize(
                doc.model_copy(update={"id": "A", "sentences": []}), length=args.length
            )
        except SummarizerError as exc:
            if len(docs) == 1:
                raise
            failed += 1
            print(f"summarizer: error: {doc.origin}: {exc}", file=sys.stderr)
            continue
        results.append(summary)
        outputs.append(render(summary, args.format, color=color, options=_report_options(args)))
    if args.format == "json" and len(docs) > 1:
        text = "[\n" + ",\n".join(o.rstrip("\n") for o in outputs) + "\n]\n"
    else:
        text = "\n".join(outputs)
    _emit(text, args.output)
    if failed:
        print(
            f"summarizer: {len(results)} of {len(docs)} articles summarised, {failed} failed", file=sys.stderr
        )
    return 4 if failed else _strict_code(args, results)


OFFLINE_NOTICE = (
    "summarizer: no model configured, so the offline engine was used (extractive, no model); to use a "
    "model set OPENAI_API_KEY, pass --base-url URL for a local server, or --replay DIR for recorded "
    "answers (--engine offline hides this notice)"
)


def _engine_notice(client: Any) -> None:
    if client.settings.engine is None and client.engine == "offline":
        print(OFFLINE_NOTICE, file=sys.stderr)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    keys = (
        "engine",
        "model",
        "base_url",
        "structured_output",
        "reasks",
        "temperature",
        "timeout",
        "max_tokens",
        "max_retries",
        "prompts",
        "record",
        "replay",
        "cache",
        "cache_dir",
        "log_dir",
        "context_budget",
        "rpm",
        "tpm",
        "language",
        "select",
        "ignore",
        "evidence",
        "alignment",
    )
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        _write_stdout(text)
        return
    if output.is_dir():
        raise ConfigError(f"-o {output} is a folder: name a file in it, e.g. -o {output / 'result.txt'}")
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise ConfigError(f"-o {output}: cannot write it: {exc.strerror or exc}") from exc


def _write_stdout(text: str) -> None:
    """Standard output whose encoding lacks some characters (a Windows code page, latin-1) gets them
    as escapes that lose nothing: `&#8220;` in HTML, `\\u201c` (JSON's own) elsewhere, with a notice."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        html = text[:15].lower() == "<!doctype html>"
        text = text.encode(encoding, "xmlcharrefreplace" if html else _JSON_ESCAPES).decode(encoding)
        print(
            f"summarizer: warning: standard output's encoding ({encoding}) cannot show some characters of "
            "the report; they are written as escapes. Set PYTHONIOENCODING=utf-8, or write a file with -o "
            "FILE (always UTF-8)",
            file=sys.stderr,
        )
    except LookupError:
        pass
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk under `> out.txt`, /dev/full
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail again
        raise ConfigError(
            f"cannot write standard output: {exc.strerror or exc}; free some space, or write a file "
            "with -o FILE"
        ) from exc


def _json_escapes(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each character as JSON writes it (`\\ud83d\\ude00` for one outside the BMP)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    units = chunk.encode("utf-16-be")
    escaped = "".join(f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2))
    return escaped, error.end


_JSON_ESCAPES = "summarizer.json_escapes"
codecs.register_error(_JSON_ESCAPES, _json_escapes)
