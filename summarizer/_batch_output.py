"""A batch's output file (see `summarizer.batch`): whole JSON lines appended and synced, the ids it
already holds for a resumed run, a torn last line cut and damaged lines set aside."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from summarizer._files import open_output
from summarizer.errors import ConfigError

log = logging.getLogger("summarizer.batch")


def finished_ids(output: Path, *, retry_failed: bool = False) -> set[str]:
    """Ids with a line in `output` (only succeeded ones with `retry_failed`); a torn last line is cut,
    and damaged lines (not UTF-8, not a JSON item line) are moved to `OUTPUT.damaged`, loudly."""
    if not output.exists():
        return set()
    cut_torn_tail(output)
    status: dict[str, str] = {}
    damaged: list[int] = []
    with output.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            record = _item_line(line)
            if record is None:
                damaged.append(number)
            else:
                status[record[0]] = record[1]
    if damaged:
        _quarantine(output, damaged)
    return {i for i, s in status.items() if s == "ok" or not retry_failed}


def _item_line(line: bytes) -> tuple[str, str] | None:
    """(id, status) of an output line, or None when the line is damaged."""
    try:
        record = json.loads(line.decode("utf-8"))
        return str(record["id"]), str(record["status"])
    except (ValueError, KeyError, TypeError):
        return None


def damaged_path(output: Path) -> Path:
    return output.with_name(output.name + ".damaged")


def _quarantine(output: Path, numbers: list[int]) -> None:
    """Rewrite `output` without the lines `numbers` (1-based), appending them to `OUTPUT.damaged`."""
    bad = set(numbers)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as good, damaged_path(output).open("ab") as aside, output.open("rb") as fh:
            for number, line in enumerate(fh, 1):
                (aside if number in bad else good).write(line)
            good.flush()
            os.fsync(good.fileno())
            aside.flush()
            os.fsync(aside.fileno())
        os.chmod(tmp, output.stat().st_mode & 0o777)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    shown = ", ".join(str(n) for n in numbers[:5]) + (", …" if len(numbers) > 5 else "")
    log.warning(
        "summarizer: warning: %s had %d damaged line(s) (not UTF-8 or not an item's JSON; line %s); "
        "moved them to %s. Their items run again; look there for anything to keep.",
        output,
        len(numbers),
        shown,
        damaged_path(output),
    )


def cut_torn_tail(output: Path) -> None:
    """A crash mid-write leaves a last line without its newline: drop it, it will be redone."""
    with output.open("rb+") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size == 0:
            return
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return
        block = 1 << 16
        pos = size
        while pos > 0:
            start = max(0, pos - block)
            fh.seek(start)
            chunk = fh.read(pos - start)
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                fh.truncate(start + cut + 1)
                return
            pos = start
        fh.truncate(0)


def json_line(record: dict[str, Any]) -> str:
    """One compact JSON object; a pydantic model among the values (an item's result) is serialised by
    pydantic itself, several times faster than dumping it to a dict and that dict to JSON."""
    plain = {k: v for k, v in record.items() if not isinstance(v, BaseModel)}
    text = json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
    models = [(k, v) for k, v in record.items() if isinstance(v, BaseModel)]
    if not models:
        return text
    parts = [f"{json.dumps(k, ensure_ascii=False)}:{v.model_dump_json()}" for k, v in models]
    return text[:-1] + ("," if plain else "") + ",".join(parts) + "}"


class OutputWriteError(ConfigError):
    """The output could not be written (disk full, quota, permissions)."""


class JsonlWriter:
    """Appends whole lines with one `write` each, flushed to disk (fsync) before the next."""

    def __init__(self, path: Path, *, fsync: bool = True) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = open_output(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)  # a FIFO: waits for a reader
        except OSError as exc:
            raise OutputWriteError(
                f"cannot write {path}: {exc.strerror or exc}; choose another --output"
            ) from exc
        self.regular = stat.S_ISREG(os.fstat(self._fd).st_mode)
        self.fsync = fsync and self.regular  # a pipe cannot be synced (nor cut back)

    def write(self, record: dict[str, Any]) -> None:
        """Append one line; a failed write (disk full, quota) is cut back off the file and raised as
        `OutputWriteError`, so the file holds whole lines only."""
        data = (json_line(record) + "\n").encode("utf-8")
        view = memoryview(data)
        start = os.fstat(self._fd).st_size if self.regular else -1
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            if self.fsync:
                os.fsync(self._fd)
        except OSError as exc:
            if start >= 0:
                with contextlib.suppress(OSError):
                    os.ftruncate(self._fd, start)
            if not self.regular:  # a pipe or device: nothing to resume from
                raise OutputWriteError(
                    f"cannot write to {self.path}: {exc.strerror or exc} (its reader has stopped, or the "
                    "device refused); the items before went to it: run again with -o FILE to keep them all"
                ) from exc
            raise OutputWriteError(
                f"cannot write to {self.path}: {exc.strerror or exc}; the items written before are kept: "
                "free some space (or choose another --output) and run again with --resume"
            ) from exc

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
