"""A batch's inputs (see `summarizer.batch`): items from files, folders, glob patterns and JSONL
manifests, each input read once, their ids made unique."""

from __future__ import annotations

import collections
import dataclasses
import glob
import hashlib
import json
import os
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from summarizer.documents import document_from_text
from summarizer.errors import ConfigError, SummarizerError
from summarizer.schemas import Document, Length

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
