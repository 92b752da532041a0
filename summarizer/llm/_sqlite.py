"""SQLite files the tool keeps (response cache, call log): one open connection per file and process."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import ClassVar, Literal, TypeVar

from summarizer.errors import ConfigError
from summarizer.llm._paths import user_dir

StoreT = TypeVar("StoreT", bound="SqliteStore")


def open_db(path: Path) -> sqlite3.Connection:
    """A connection shared by threads (guarded by the caller's lock), in WAL mode for concurrent runs."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False, timeout=30.0, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    except (OSError, sqlite3.Error) as exc:
        raise ConfigError(
            f"cannot open {path}: {exc}; choose another folder with --cache-dir or SUMMARIZER_CACHE_DIR "
            "(SUMMARIZER_STATE_DIR for the call log)"
        ) from exc
    return conn


class SqliteStore:
    """One SQLite file with one table; subclasses name the file, its folder kind and the schema."""

    FILE: ClassVar[str]
    KIND: ClassVar[Literal["cache", "state"]]
    SCHEMA: ClassVar[str]
    _shared: ClassVar[dict[tuple[type[SqliteStore], Path], SqliteStore]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = open_db(self.path)
        with self._lock:
            self._conn.execute(self.SCHEMA)

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
