"""SQLite files the tool keeps (response cache, call log): one open connection per file and process.

Each file carries a schema version (`PRAGMA user_version`); `MIGRATIONS[i]` takes a file from version
`i` to `i + 1` (version 0 is a file from before versions, or a new one), so a column added later never
breaks an existing install. A file from a newer summarizer is refused with a message naming it.

A damaged file (checked on open with `PRAGMA quick_check`, or found damaged later) is moved aside as
`NAME.damaged-TIMESTAMP`, with a warning naming both files and how to recover more by hand; the rows
still readable are copied into a new file, and the run goes on. Processes that find it damaged at
once take turns (a lock on `NAME.lock`): the first sets it aside, the others open its new file.
Writing a row never raises: an answer already paid for must reach the caller even when its cache or
log line cannot be kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

from summarizer._files import waiting_lock
from summarizer.errors import ConfigError
from summarizer.llm._paths import user_dir

StoreT = TypeVar("StoreT", bound="SqliteStore")
T = TypeVar("T")

log = logging.getLogger("summarizer.llm")

DAMAGE_CODES = frozenset({11, 26})
"""SQLITE_CORRUPT, SQLITE_NOTADB: the file itself is damaged (not merely locked or full)."""


class DamagedStoreError(Exception):
    """`PRAGMA quick_check` found damage, or SQLite reported a damaged file."""


def is_damage(exc: BaseException) -> bool:
    if isinstance(exc, DamagedStoreError):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in DAMAGE_CODES
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def _where_flag(kind: str) -> str:
    return "--cache-dir or SUMMARIZER_CACHE_DIR" if kind == "cache" else "--log-dir or SUMMARIZER_STATE_DIR"


def _cannot_open(path: Path, exc: BaseException, kind: str) -> str:
    return f"cannot open {path}: {exc}; choose another folder with {_where_flag(kind)}"


def connect(path: Path, kind: str = "cache") -> sqlite3.Connection:
    """A connection shared by threads (guarded by the caller's lock), in WAL mode for concurrent runs."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False, timeout=30.0, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise ConfigError(_cannot_open(path, exc, kind)) from exc
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error as exc:
        conn.close()
        if is_damage(exc):
            raise
        raise ConfigError(_cannot_open(path, exc, kind)) from exc
    return conn


def check(conn: sqlite3.Connection) -> None:
    """Raise `DamagedStoreError` when SQLite's quick check finds damage."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        raise DamagedStoreError("; ".join(str(r[0]) for r in rows[:3]))


def migrate(conn: sqlite3.Connection, migrations: Sequence[Sequence[str]], path: Path, kind: str) -> int:
    """Bring the file to the newest schema version, in one transaction; returns that version."""
    newest = len(migrations)
    conn.execute("BEGIN IMMEDIATE")  # another process migrating the same file waits here
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > newest:
            raise ConfigError(
                f"{path} has schema version {version}, written by a newer summarizer (this one knows "
                f"{newest}): upgrade summarizer, or choose another folder with {_where_flag(kind)}"
            )
        for statements in migrations[version:]:
            for statement in statements:
                conn.execute(statement)
        if version != newest:
            conn.execute(f"PRAGMA user_version = {newest}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return newest


class SqliteStore:
    """One SQLite file with one table; subclasses name the file, its folder kind, the table (whose rows
    are saved from a damaged file) and the migrations that build it."""

    FILE: ClassVar[str]
    KIND: ClassVar[Literal["cache", "state"]]
    TABLE: ClassVar[str]
    LABEL: ClassVar[str] = "store"
    MIGRATIONS: ClassVar[Sequence[Sequence[str]]]
    _shared: ClassVar[dict[tuple[type[SqliteStore], Path], SqliteStore]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._warned: set[str] = set()
        self._seen: tuple[int, int] | None = None
        """The file the connection was opened on (device, inode), to tell it from a replacement."""
        self._conn = self._open()

    @property
    def version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _open(self) -> sqlite3.Connection:
        seen = _identity(self.path)
        try:
            conn = self._open_checked()
        except (sqlite3.DatabaseError, DamagedStoreError) as exc:
            return self._start_afresh(str(exc), seen)
        self._seen = _identity(self.path)
        return conn

    def _open_checked(self) -> sqlite3.Connection:
        """Connect, check and migrate; raises the damage found, or ConfigError for anything else."""
        conn: sqlite3.Connection | None = None
        try:
            conn = connect(self.path, self.KIND)
            check(conn)
            migrate(conn, self.MIGRATIONS, self.path, self.KIND)
            return conn
        except (sqlite3.DatabaseError, DamagedStoreError) as exc:
            if conn is not None:
                conn.close()
            if not is_damage(exc):
                raise ConfigError(
                    f"cannot use {self.path}: {exc}; choose another folder with {_where_flag(self.KIND)}"
                ) from exc
            raise

    def _start_afresh(self, reason: str, seen: tuple[int, int] | None) -> sqlite3.Connection:
        """Move the damaged file (the one `seen`) aside, start a new one holding every row still
        readable from it; when another process did so meanwhile, open its new file instead."""
        lock = self.path.with_name(f"{self.path.name}.lock")
        try:
            with waiting_lock(lock):
                if _identity(self.path) not in (seen, None):  # set aside by another process meanwhile
                    with contextlib.suppress(sqlite3.DatabaseError, DamagedStoreError):
                        conn = self._open_checked()
                        self._seen = _identity(self.path)
                        return conn
                conn = self._set_aside(reason)
                self._seen = _identity(self.path)
                return conn
        except TimeoutError as exc:
            raise ConfigError(
                f"cannot use {self.path}, found damaged: {exc} (setting it aside); try again, or choose "
                f"another folder with {_where_flag(self.KIND)}"
            ) from exc

    def _set_aside(self, reason: str) -> sqlite3.Connection:
        """Move the damaged file aside, start a new one holding every row still readable from it."""
        rows, columns = _salvage(self.path, self.TABLE)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{self.path}{suffix}").replace(f"{aside}{suffix}")
        conn = connect(self.path, self.KIND)
        migrate(conn, self.MIGRATIONS, self.path, self.KIND)
        kept = _restore(conn, self.TABLE, columns, rows)
        log.warning(
            "summarizer: warning: the %s %s is damaged (%s); moved it to %s and started a new one with "
            "the %d rows still readable. Nothing else to do; to try to recover more: "
            "sqlite3 %s .recover | sqlite3 %s",
            self.LABEL,
            self.path,
            reason,
            aside,
            kept,
            aside,
            self.path,
        )
        return conn

    def _use(self, action: Callable[[sqlite3.Connection], T]) -> T:
        """Run `action` on the connection; a file found damaged is set aside and the action run again.
        A file another process has set aside meanwhile is left for the new one in its place."""
        with self._lock:
            if _identity(self.path) != self._seen:
                self._conn.close()
                self._conn = self._open()
            try:
                return action(self._conn)
            except sqlite3.DatabaseError as exc:
                if not is_damage(exc):
                    raise
                self._conn.close()
                self._conn = self._start_afresh(str(exc), self._seen)
                return action(self._conn)

    def _write(self, what: str, action: Callable[[sqlite3.Connection], Any]) -> bool:
        """`_use` for a write that must never fail the run: on any error, warn (once per kind) and go on."""
        try:
            self._use(action)
        except (sqlite3.Error, OSError, ConfigError) as exc:
            key = type(exc).__name__ + str(exc)
            if key not in self._warned:
                self._warned.add(key)
                log.warning(
                    "summarizer: warning: could not write %s to %s (%s); the run goes on without it. "
                    "Free disk space, or choose another folder with %s",
                    what,
                    self.path,
                    exc,
                    _where_flag(self.KIND),
                )
            return False
        return True

    @classmethod
    def location(cls, directory: str | Path | None = None) -> Path:
        return (Path(directory) if directory is not None else user_dir(cls.KIND)) / cls.FILE

    @classmethod
    def default(cls: type[StoreT], directory: str | Path | None = None) -> StoreT:
        return cls(cls.location(directory))

    @classmethod
    def shared(cls: type[StoreT], directory: str | Path | None = None) -> StoreT:
        """One open instance per file for the whole process (clients come and go; connections stay)."""
        path = cls.location(directory)
        with SqliteStore._shared_lock:
            store = SqliteStore._shared.get((cls, path))
            if store is None:
                store = SqliteStore._shared[(cls, path)] = cls(path)
            assert isinstance(store, cls)
            return store

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def _salvage(path: Path, table: str) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The rows of `table` that can still be read from a damaged file, in order, until the damage."""
    rows: list[tuple[Any, ...]] = []
    columns: list[str] = []
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return rows, columns
    try:
        cursor = conn.execute(f"SELECT * FROM {table}")
        columns = [d[0] for d in cursor.description]
        with contextlib.suppress(sqlite3.Error):
            for row in cursor:
                rows.append(row)
    except sqlite3.Error:
        pass
    finally:
        conn.close()
    return rows, columns


def _restore(conn: sqlite3.Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> int:
    if not rows:
        return 0
    have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    keep = [i for i, c in enumerate(columns) if c in have]
    names = ", ".join(columns[i] for i in keep)
    marks = ", ".join("?" for _ in keep)
    conn.execute("BEGIN")
    kept = 0
    for row in rows:
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})", [row[i] for i in keep])
            kept += 1
    conn.execute("COMMIT")
    return kept
