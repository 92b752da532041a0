"""Command line: parse arguments, call the pipeline, render, map errors to exit codes. Nothing else.

Exit codes: 0 success; 1 unexpected error (run with --debug for the traceback); 2 usage, configuration
or template error; 3 an input could not be loaded; 4 the model or its server failed (including replay
misses); 5 the model's answers still failed validation after every re-ask; 6 with --strict, an item of
the result is not grounded, or `verify` found the summary inconsistent; 7 `verify` could not verify a
claim (its evidence too weak to rule either way); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings
from collections.abc import Sequence

from summarizer._cli_args import build_parser
from summarizer._cli_commands import _batch, _logs, _prompts, _rules, _run, _schema, _verify
from summarizer.errors import AttemptsExhaustedError, SummarizerError
from summarizer.llm.redact import redact

__all__ = ["build_parser", "main"]


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
