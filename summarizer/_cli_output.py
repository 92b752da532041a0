"""The command line's output: report options, and writing to standard output or a file."""

from __future__ import annotations

import argparse
import codecs
import os
import sys
from pathlib import Path
from typing import Any

from summarizer._files import write_atomic
from summarizer.errors import ConfigError


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
