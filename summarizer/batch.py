"""Batches: many summaries or comparisons in one run, one JSONL line per item, resumable.

    items = read_items(["archive/"], task="summarize")  # each input read once; len(items) to count
    report = run_batch(Client(model="gpt-4o-mini", rpm=500), items, Path("out.jsonl"), concurrency=16)

Inputs are files, directories (their .txt/.md files; for compare, each subfolder is one group),
glob patterns, or JSONL manifests (`.jsonl`): one item per line, `{"id": …, "path": …}` or
`{"text": …, "outlet": …}` for a summary, `{"id": …, "sources": [path or {"text": …}, …]}` for a
comparison. Every item ends as exactly one line of the output: `{"id", "task", "status": "ok",
"cache", "result"}` or `{"id", "task", "status": "error", "error": {"type", "message", "exit_code"}}`,
appended in one write and fsync'd, so a crash loses at most the items in flight. `resume=True` skips
the ids already in the output (and, with `retry_failed=True`, re-runs the failed ones: the last line
for an id wins). One item's failure never stops the batch.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import glob
import hashlib
import json
import logging
import os
import stat
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO

from pydantic import BaseModel

from summarizer._files import open_output, output_lock
from summarizer.documents import document_from_text, load_document
from summarizer.errors import AttemptsExhaustedError, ConfigError, QuotaError, SummarizerError
from summarizer.llm.calllog import item_context
from summarizer.llm.redact import redact, scrub_chain
from summarizer.pipeline import Client, run_sync
from summarizer.schemas import Comparison, Document, Length, Summary, Usage

log = logging.getLogger("summarizer.batch")

Task = Literal["summarize", "compare"]
TASKS: tuple[Task, ...] = ("summarize", "compare")
ARTICLE_SUFFIXES = (".txt", ".md")
SIDECAR = ".meta.json"
Source = str | Document


@dataclass(frozen=True)
class BatchItem:
    """One unit of work: a summary of one source, or a comparison of several."""

    id: str
    task: Task
    sources: tuple[Source, ...]
    length: Length = "medium"
    error: SummarizerError | None = None
    """Why its articles could not be made documents (a manifest's empty text): the item's error line."""


# --------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------


def iter_items(
    inputs: Sequence[str | os.PathLike[str]], *, task: Task = "summarize", length: Length = "medium"
) -> Iterator[BatchItem]:
    """The items of every input, in order (`read_items`, iterated); raises ConfigError for an input
    that names nothing, and for two items with one id, before the first item."""
    yield from read_items(inputs, task=task, length=length)


def read_items(
    inputs: Sequence[str | os.PathLike[str]], *, task: Task = "summarize", length: Length = "medium"
) -> BatchItems:
    """The items of every input, each input read once, now: a folder listed, a manifest parsed (so a
    folder filling up or a manifest replaced during a run changes nothing, and an item's id is that
    of the line its text came from). A manifest's texts are not kept: each is read again from the
    manifest as opened then when its item comes up, and a line changed in place fails its item.
    Raises ConfigError for an input that names nothing, and for two items with one id (a resumed run
    would skip the second forever).

    An item's id is its path as given, or inside a folder input its path in that folder; when two
    folder inputs hold the same path, those items are named by the folder as given too
    (`dupA/story.txt`, `dupB/story.txt`), so ids stay those of earlier runs wherever they were unique."""
    if task not in TASKS:
        raise ConfigError(f"task must be one of {', '.join(TASKS)}; got {task!r}")
    return BatchItems(list(_raw_items(inputs, task, length)), inputs)


class BatchItems:
    """Items read once (`read_items`): `len()` without making documents, and iterated as often as
    needed; an article given as text in a manifest becomes a document when its item comes up."""

    def __init__(self, read: list[_Read], inputs: Sequence[str | os.PathLike[str]] = ()) -> None:
        self._read = read
        self._inputs = inputs
        self._ids = unique_ids((r.folder, r.item) for r in read)

    def __len__(self) -> int:
        return len(self._read)

    def files(self) -> Iterator[str]:
        """The inputs as given and every article path of the items (a manifest text's place too,
        which names no file), without reading the articles."""
        yield from (os.fspath(name) for name in self._inputs)
        for read in self._read:
            yield from (s for s in read.item.sources if isinstance(s, str))

    def __iter__(self) -> Iterator[BatchItem]:
        for read, item_id in zip(self._read, self._ids):
            yield read.ready(item_id)


@dataclass(frozen=True)
class _Read:
    """One item as read: a manifest's article text stands as its place (`items.jsonl:3`) in `item`,
    the sources given as text (by index, `texts`) read again from `line` when the item is run, so a
    long manifest's texts are not all held in memory at once."""

    folder: str | None
    item: BatchItem
    texts: tuple[int, ...] = ()
    line: _Line | None = None

    def ready(self, item_id: str) -> BatchItem:
        item = self.item
        if self.texts and self.line is not None:
            sources = list(item.sources)
            try:
                specs = self.line.specs(item.task)
                for index in self.texts:
                    sources[index] = _text_document(specs[index], str(sources[index]))
            except SummarizerError as exc:  # this item fails, not the batch
                item = dataclasses.replace(item, error=exc)
            else:
                item = dataclasses.replace(item, sources=tuple(sources))
        return item if item.id == item_id else dataclasses.replace(item, id=item_id)


class _Manifest:
    """A manifest kept open as it was first read, so its lines can be read again as their items come
    up: a manifest replaced meanwhile (written anew and renamed, or deleted) is still read as it was,
    and a line changed in place is refused by its digest. Closed when no item needs it any more."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self._lock = threading.Lock()
        weakref.finalize(self, fh.close)

    def read(self, offset: int, size: int) -> bytes:
        with self._lock:
            self._fh.seek(offset)
            return self._fh.read(size)


@dataclass(frozen=True)
class _Line:
    """Where a manifest line is, and a digest of its bytes as first read."""

    manifest: _Manifest
    offset: int
    size: int
    digest: bytes
    where: str

    def specs(self, task: Task) -> Any:
        """The line's articles as first read (`_specs`); a line changed since is a ConfigError."""
        try:
            raw = self.manifest.read(self.offset, self.size)
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"{self.where}: cannot read the manifest again ({exc}); keep it readable until the run "
                "ends, then run the failed items again with --retry-failed"
            ) from None
        if _digest(raw) != self.digest:
            raise ConfigError(
                f"{self.where}: this line of the manifest was changed during the run, so its item was not "
                "run; when the manifest is final, run the failed items again with --retry-failed"
            )
        return _specs(json.loads(raw.decode("utf-8-sig" if self.offset == 0 else "utf-8")), task)


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def _specs(entry: dict[str, Any], task: Task) -> Any:
    """The articles of a manifest line: its "sources" for a comparison (checked by the caller), the
    line itself for a summary."""
    return entry.get("sources") if task == "compare" else [entry]


def unique_ids(raw: Iterable[tuple[str | None, BatchItem]]) -> list[str]:
    """The final id of each (folder input or None, item): folder-relative ids that two folder inputs
    share get the folder's name in front; any id still used twice is a ConfigError naming both."""
    pairs = [(folder, item.id, item.sources) for folder, item in raw]
    folders: dict[str, set[str]] = {}
    for folder, item_id, _ in pairs:
        if folder is not None:
            folders.setdefault(item_id, set()).add(folder)
    ids = [
        f"{Path(folder).as_posix()}/{item_id}"
        if folder is not None and len(folders[item_id]) > 1
        else item_id
        for folder, item_id, _ in pairs
    ]
    first: dict[str, int] = {}
    clashes = []
    for index, item_id in enumerate(ids):
        if item_id in first:
            clashes.append((item_id, first[item_id], index))
        first.setdefault(item_id, index)
    if clashes:
        shown = "; ".join(
            f"{item_id!r} ({_origin(pairs[i][2])} and {_origin(pairs[j][2])})"
            for item_id, i, j in clashes[:3]
        )
        more = f" and {len(clashes) - 3} more" if len(clashes) > 3 else ""
        raise ConfigError(
            f"{len(clashes)} item id(s) used twice: {shown}{more}. Ids must be unique: give each manifest "
            'line its own "id", and do not pass the same article twice'
        )
    return ids


def _origin(sources: tuple[Source, ...]) -> str:
    if not sources:
        return "an item with no source"
    first = sources[0]
    return first.origin or first.id if isinstance(first, Document) else str(first)


def _raw_items(inputs: Sequence[str | os.PathLike[str]], task: Task, length: Length) -> Iterator[_Read]:
    for raw in inputs:
        name = os.fspath(raw)
        path = Path(name)
        if path.suffix == ".jsonl" and path.is_file():
            yield from _manifest_items(path, task, length)
        elif path.is_dir():
            yield from (_Read(name, i) for i in _dir_items(path, task, length))
        elif path.is_file():
            if not name.endswith(SIDECAR):  # `batch dir/*`: a sidecar is metadata, not an article
                yield _Read(None, _item(name, task, (name,), length))
        elif glob.has_magic(name):
            matches = sorted(m for m in glob.glob(name, recursive=True) if not m.endswith(SIDECAR))
            if not matches:
                raise ConfigError(f"{name}: the pattern matches no file")
            if task == "compare":
                yield _Read(None, _item(name, task, tuple(matches), length))
            else:
                yield from (_Read(None, _item(m, task, (m,), length)) for m in matches if Path(m).is_file())
        else:
            raise ConfigError(f"{name}: no such file, folder or pattern")


def count_items(inputs: Sequence[str | os.PathLike[str]], *, task: Task = "summarize") -> int:
    return len(read_items(inputs, task=task))


def _articles(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in ARTICLE_SUFFIXES)


def _dir_items(folder: Path, task: Task, length: Length) -> Iterator[BatchItem]:
    if task == "summarize":
        files = [q for q in folder.rglob("*") if q.is_file() and not q.name.startswith(".")]
        articles = sorted(q for q in files if q.suffix in ARTICLE_SUFFIXES)
        if files and not articles:
            raise ConfigError(_no_articles(folder, files))
        for p in articles:
            yield _item(p.relative_to(folder).as_posix(), task, (str(p),), length)
        return
    groups = sorted(d for d in folder.iterdir() if d.is_dir())
    if not groups:
        raise ConfigError(f"{folder}: for compare, a folder holds one subfolder of articles per group")
    for group in groups:
        yield _item(group.name, task, tuple(str(p) for p in _articles(group)), length)


def _no_articles(folder: Path, files: list[Path]) -> str:
    kinds = collections.Counter(q.suffix.lower() or "suffix-less" for q in files)
    held = ", ".join(f"{n} {suffix}" for suffix, n in kinds.most_common(3))
    return (
        f"{folder}: no .txt or .md article in it (it holds {held} file(s)); a folder gives its .txt and "
        '.md files: list others (.html, .json) in a .jsonl manifest, one {"path": …} per line'
    )


def _manifest_items(path: Path, task: Task, length: Length) -> Iterator[_Read]:
    offset = 0
    fh = path.open("rb")
    manifest = _Manifest(fh)  # closes `fh` once no item holds it: at once when no line gives a text
    try:
        for number, raw in enumerate(fh, 1):
            start, offset = offset, offset + len(raw)
            where = f"{path}:{number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ConfigError(
                    f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start}); save the manifest as UTF-8"
                ) from None
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError as exc:
                raise ConfigError(f"{where}: not a JSON object ({exc})") from None
            if not isinstance(entry, dict):
                raise ConfigError(f"{where}: each line must be a JSON object")
            item_id = str(entry.get("id") or f"{path.name}:{number}")
            item_length = entry.get("length", length)
            specs = _specs(entry, task)
            if task == "compare" and (not isinstance(specs, list) or len(specs) < 2):
                raise ConfigError(f'{where}: a compare line needs "sources": [two or more paths or texts]')
            sources = tuple(_source(s, path.parent, where) for s in specs)
            texts = tuple(  # _source checked them: a dict without a path string holds a text
                i for i, s in enumerate(specs) if isinstance(s, dict) and not isinstance(s.get("path"), str)
            )
            again = _Line(manifest, start, len(raw), _digest(raw), where) if texts else None
            yield _Read(None, _item(item_id, task, sources, item_length), texts, again)
    except BaseException:
        fh.close()
        raise


def _source(spec: Any, base: Path, where: str) -> str:
    """An article of a manifest line, its shape checked (a bad line is an error before the first call,
    not in the middle of the run): its path, or for a text its place (`items.jsonl:3`)."""
    if isinstance(spec, str):
        return str(base / spec)
    if isinstance(spec, dict) and isinstance(spec.get("path"), str):
        return str(base / spec["path"])
    if isinstance(spec, dict) and isinstance(spec.get("text"), str):
        return where
    raise ConfigError(f'{where}: give "path" or "text" for each article')


def _text_document(spec: dict[str, Any], where: str) -> Document:
    meta = {k: spec[k] for k in ("outlet", "title", "url", "published", "language") if spec.get(k)}
    return document_from_text(spec["text"], origin=where, **meta)


def _item(item_id: str, task: Task, sources: tuple[Source, ...], length: Length) -> BatchItem:
    return BatchItem(id=item_id, task=task, sources=sources, length=length)


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------------


@dataclass
class BatchReport:
    """Counts for the final summary line; `cost_usd` covers calls of known price only."""

    total: int | None = None
    succeeded: int = 0
    failed: int = 0
    cached: int = 0
    skipped: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    unpriced: int = 0
    """Items whose model has no known price (their cost is not in `cost_usd`)."""
    started: float = field(default_factory=time.monotonic)
    elapsed_s: float = 0.0

    @property
    def done(self) -> int:
        return self.succeeded + self.failed

    @property
    def exit_code(self) -> int:
        return 4 if self.failed else 0

    def line(self) -> str:
        cost = f"${self.cost_usd:.4f}" + (f" (+{self.unpriced} of unknown price)" if self.unpriced else "")
        skipped = f", {self.skipped} skipped (done before)" if self.skipped else ""
        return (
            f"{self.succeeded} succeeded, {self.failed} failed, {self.cached} cached{skipped}; "
            f"{self.tokens} tokens, {cost}, {self.elapsed_s:.1f}s"
        )


class Progress:
    """A one-line bar on a terminal (items, rate, ETA, tokens, cost), plain lines otherwise."""

    def __init__(
        self, stream: TextIO | None = None, *, tty: bool | None = None, every_s: float = 10.0
    ) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.every_s = every_s if not self.tty else 0.1
        self._last = 0.0

    def update(self, report: BatchReport, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self._last < self.every_s:
            return
        self._last = now
        text = self.describe(report, now)
        if self.tty:
            self.stream.write("\r\x1b[2K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    @staticmethod
    def describe(report: BatchReport, now: float) -> str:
        elapsed = max(now - report.started, 1e-9)
        rate = report.done / elapsed
        total = report.total
        if total:
            left = max(total - report.skipped - report.done, 0)
            eta = f"ETA {_duration(left / rate)}" if rate > 0 else "ETA ?"
            width = 24
            filled = int(width * (report.done + report.skipped) / total)
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {report.done + report.skipped}/{total} "
        else:
            bar, eta = f"{report.done} ", ""
        return (
            f"{bar}{rate:.1f}/s {eta} | {report.tokens} tok ${report.cost_usd:.4f} | "
            f"ok {report.succeeded} failed {report.failed} cached {report.cached}"
        )


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return (
        f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
        if seconds >= 3600
        else f"{seconds // 60}m{seconds % 60:02d}s"
    )


async def arun_batch(
    client: Client,
    items: Iterable[BatchItem],
    output: str | os.PathLike[str],
    *,
    concurrency: int = 8,
    resume: bool = False,
    retry_failed: bool = False,
    overwrite: bool = False,
    total: int | None = None,
    progress: Progress | None = None,
    fsync: bool = True,
    append: bool = False,
    run: Runner | None = None,
) -> BatchReport:
    """Run every item with at most `concurrency` in flight; see the module docstring.

    `append` adds to an existing output without skipping anything (the caller chose the items);
    `run` replaces `run_item` (a provider batch job answers items from its downloaded results).
    """
    if concurrency < 1:
        raise ConfigError(f"--concurrency must be 1 or more, not {concurrency}")
    run = run or run_item
    out = Path(output)
    if isinstance(items, Sequence):  # iter_items checks its own; a caller's list is checked here
        unique_ids((None, item) for item in items)
    if out.is_dir():
        raise ConfigError(f"-o {out} is a folder: name a .jsonl file, e.g. -o {out / 'results.jsonl'}")
    stream = out.exists() and not out.is_file()  # a pipe or device (-o /dev/stdout): written, never read
    if stream and (resume or retry_failed):
        raise ConfigError(f"--resume reads what -o holds, but {out} is a pipe or device: give a file")
    with output_lock(out):  # a second run on this output fails here, naming this one
        exists = not stream and out.exists() and out.stat().st_size
        if exists and not (resume or retry_failed or overwrite or append):
            raise ConfigError(f"{out} exists: add --resume to continue it, or --overwrite to start again")
        real = Path(os.path.realpath(out))  # -o LINK: the link stays, its target is the output
        if overwrite and not (resume or retry_failed) and not stream:
            real.unlink(missing_ok=True)
        done = finished_ids(real, retry_failed=retry_failed) if (resume or retry_failed) else set()
        if client.engine == "llm":
            await client.ready()  # a missing or dead endpoint is the run's error, not every item's
        report = BatchReport(total=total)
        queue = iter(items)
        try:
            with JsonlWriter(out, fsync=fsync) as writer:
                stopped: list[Exception] = []

                async def work() -> None:
                    for item in queue:  # a caller's own iterator may raise here: the batch stops
                        if stopped:  # no later item would pass (quota spent, disk full): start none
                            return
                        if item.id in done:
                            report.skipped += 1
                            continue
                        record = await run(client, item)  # QuotaError: not written, --resume reruns it
                        writer.write(record)
                        _count(report, record)
                        if progress is not None:
                            progress.update(report)

                async def worker() -> None:
                    try:
                        await work()
                    except Exception as exc:  # stop the others at their next item: what they have in
                        stopped.append(exc)  # hand is paid for, and is written before the error leaves

                await asyncio.gather(*(worker() for _ in range(concurrency)))
                first = stopped[0] if stopped else None
                if isinstance(first, QuotaError):
                    raise QuotaError(
                        f"batch stopped after {report.done} items: {first}",
                        status=first.status,
                        body=first.body,
                    ) from first
                if first is not None:
                    raise first
        finally:
            report.elapsed_s = time.monotonic() - report.started
            await client.aclose()
        if progress is not None:
            progress.update(report, final=True)
        return report


Runner = Callable[[Client, BatchItem], Awaitable[dict[str, Any]]]
"""Makes one item's output line (`run_item`, or a provider batch job's collector)."""


def run_batch(
    client: Client, items: Iterable[BatchItem], output: str | os.PathLike[str], **options: Any
) -> BatchReport:
    return run_sync(arun_batch(client, items, output, **options))


async def run_item(client: Client, item: BatchItem) -> dict[str, Any]:
    """One item's output line; every error becomes an error line, never an exception."""
    head: dict[str, Any] = {"id": item.id, "task": item.task}
    try:
        with item_context(item.id):
            if item.error is not None:
                raise item.error
            if item.task == "compare":
                result: Any = await client.acompare(
                    [_load(s, sid) for s, sid in zip(item.sources, _ids(item))]
                )
            else:
                result = await client.asummarize(_load(item.sources[0], "A"), length=item.length)
    except QuotaError:  # no later item would pass either: the batch stops
        raise
    except Exception as exc:  # one item's failure, whatever it is, must not stop the batch
        return error_record(item, exc, [client.settings.api_key])
    prov = result.provenance
    return {**head, "status": "ok", "cache": prov.cache, "result": result}  # serialised by `json_line`


def error_record(item: BatchItem, exc: Exception, secrets: Iterable[str | None] = ()) -> dict[str, Any]:
    """An item's error line. A server may echo the key, a wrapped error may quote a request's headers:
    the message holds none of `secrets` (the configured key) nor any key-shaped token, and neither do
    `exc` and the exceptions behind it, which a caller may still log."""
    scrub_chain(exc, secrets)
    code = exc.exit_code if isinstance(exc, SummarizerError) else 1
    error: dict[str, Any] = {
        "type": type(exc).__name__,
        "message": redact(str(exc), secrets),
        "exit_code": code,
    }
    if isinstance(exc, AttemptsExhaustedError) and exc.errors:
        error["problems"] = list(exc.errors)
    usage = getattr(exc, "usage", None)
    if isinstance(usage, Usage) and (usage.input_tokens or usage.output_tokens):
        error["usage"] = {"input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens}
    return {"id": item.id, "task": item.task, "status": "error", "error": error}


def _ids(item: BatchItem) -> list[str]:
    from summarizer.documents import source_ids

    return source_ids(len(item.sources))


def _load(source: Source, source_id: str) -> Document:
    if isinstance(source, Document):
        return source
    return load_document(source, source_id=source_id)


def _count(report: BatchReport, record: dict[str, Any]) -> None:
    if record["status"] != "ok":
        report.failed += 1
        usage = record.get("error", {}).get("usage") or {}
        report.tokens += int(usage.get("input_tokens", 0)) + int(usage.get("output_tokens", 0))
        return
    report.succeeded += 1
    result: Summary | Comparison = record["result"]  # as `run_item` made it: the model, not yet JSON
    prov = result.provenance
    report.cached += record["cache"] == "hit"
    report.tokens += prov.usage.input_tokens + prov.usage.output_tokens
    if prov.cost_usd is not None:
        report.cost_usd += prov.cost_usd
    elif prov.engine != "offline":  # the offline engine calls no model: it costs nothing
        report.unpriced += 1
