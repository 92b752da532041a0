"""The command line's subcommand handlers: load the inputs, call the pipeline, emit, choose the exit code."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarizer._cli_args import METADATA
from summarizer._cli_output import _emit, _report_options
from summarizer._files import refuse_input_as_output
from summarizer.errors import ConfigError, InputError, SummarizerError


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
        "decide",
        "alignment",
    )
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}
