"""Writing files so that a crash never leaves a half-written file that looks complete, and locking
an output so that two runs never write it at once.

`write_atomic` replaces a regular file by renaming a finished temporary file over it. What is not a
regular file (a FIFO, a device, `/dev/stdout`) is written in place: renaming over it would replace the
pipe or device with a plain file. A symbolic link is followed, so its target gets the text and the
link stays. A folder is refused with a `ConfigError`. A FIFO is opened by `open_output`, which waits
`FIFO_READER_WAIT_S` for a reader and then fails with a `ConfigError`, rather than for ever.

`output_lock` holds an exclusive lock on `PATH.lock` beside an output for as long as a run writes it;
a second run fails at once with `OutputLockedError`, naming the process that holds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import errno
import os
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from summarizer.errors import ConfigError


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` to `path`: atomically for a regular file (temporary file beside it, fsync, rename),
    in place for anything else that exists there (FIFO, device), through symbolic links.

    A new file gets the permissions a plain `open(path, "w")` would give (an existing file keeps its
    own), not the private mode of a temporary file.
    """
    name = os.fspath(path)
    try:
        mode = os.stat(name).st_mode  # follows links: what the text will land in
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise ConfigError(f"{name} is a folder: name a file to write (e.g. {Path(name) / 'out.txt'})")
    if mode is not None and not stat.S_ISREG(mode):
        with os.fdopen(open_output(name, os.O_WRONLY), "w", encoding="utf-8") as fh:  # a pipe or a device
            fh.write(text)
        return
    _replace(Path(os.path.realpath(name)), text)


def refuse_input_as_output(
    output: str | os.PathLike[str] | None, inputs: Iterable[str | os.PathLike[str]]
) -> None:
    """`ConfigError` when the file `output` names is one of `inputs` (through links too): writing it
    would replace that article. Only an existing regular file can be both; URLs, `-` and the like are
    not files and are passed over."""
    if output is None:
        return
    try:
        if not stat.S_ISREG(os.stat(output).st_mode):
            return
    except OSError:
        return
    for name in inputs:
        try:
            same = os.path.samefile(output, name)
        except (OSError, ValueError):
            continue
        if same:
            raise ConfigError(
                f"-o {os.fspath(output)} is also an input ({os.fspath(name)}): writing it would replace "
                "that article; name another file with -o/--output"
            )


FIFO_READER_WAIT_S = 10.0
"""How long an output that is a FIFO waits for its reader to open it (`mkfifo p; summarizer … -o p &
cat p` starts the reader a moment later) before the run fails, instead of waiting for ever."""


def open_output(name: str | os.PathLike[str], flags: int, mode: int = 0o644) -> int:
    """`os.open(name, flags, mode)` for writing; a FIFO nobody opens for reading within
    `FIFO_READER_WAIT_S` is a `ConfigError` naming the fix (opening it would block until one does)."""
    try:
        fifo = stat.S_ISFIFO(os.stat(name).st_mode)
    except FileNotFoundError:
        fifo = False
    if not fifo:
        return os.open(name, flags, mode)
    deadline = time.monotonic() + FIFO_READER_WAIT_S
    while True:
        try:
            fd = os.open(name, flags | os.O_NONBLOCK)  # ENXIO at once while no reader has it open
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                raise
            if time.monotonic() >= deadline:
                shown = os.fspath(name)
                raise ConfigError(
                    f"{shown} is a pipe (FIFO) that nobody reads (waited {FIFO_READER_WAIT_S:g} s): start "
                    f"its reader first (e.g. `cat {shown} &`), or name a regular file with -o/--output"
                ) from None
            time.sleep(0.05)
            continue
        os.set_blocking(fd, True)  # from here on, writes wait for a slow reader as usual
        return fd


def _replace(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_umask() -> int:
    umask = os.umask(0)  # the only portable way to read it; done once, at import
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


# --------------------------------------------------------------------------------------------------
# Locks
# --------------------------------------------------------------------------------------------------


class OutputLockedError(ConfigError):
    """Another process is writing the same output."""


def lock_path(output: str | os.PathLike[str]) -> Path:
    target = Path(os.path.realpath(os.fspath(output)))
    return target.with_name(target.name + ".lock")


_held: dict[tuple[object, Path], int] = {}
_held_guard = threading.Lock()


def _owner() -> object:
    """Who holds a lock: the asyncio task when one runs (two batches gathered in one thread are two
    holders), else the thread."""
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no running event loop
        task = None
    return task if task is not None else threading.get_ident()


@contextlib.contextmanager
def output_lock(output: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on `output` (and the files beside it) for the block.

    Fails at once with `OutputLockedError` naming the holder's pid when another process, or another
    thread or asyncio task of this one, holds it. Nested uses in the same task (or thread, outside
    asyncio) share the lock (a provider batch job runs the batch writer under its own lock). The lock
    file is removed on release. An output that is a pipe or device is not locked: nothing is read
    back from it.
    """
    try:
        special = not stat.S_ISREG(os.stat(output).st_mode)
    except OSError:  # not there yet (or not reachable: the lock says why)
        special = False
    if special:  # a pipe or device (`-o /dev/stdout`): nothing beside it to lock, nothing to resume
        yield
        return
    path = lock_path(output)
    key = (_owner(), path)
    with _held_guard:
        if key in _held:
            _held[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    with _held_guard:
        others = [k for k in _held if k[1] == path]
    if others:
        raise OutputLockedError(_locked_message(output, None, who="another run in this process"))
    try:
        fd = _acquire(path, output)
    except OutputLockedError:
        raise
    except OSError as exc:  # a folder that cannot be made or written
        folder = next((p for p in path.parents if p.exists()), path.parent)
        why = f"{folder} is not a folder" if not folder.is_dir() else exc.strerror or str(exc)
        raise ConfigError(
            f"cannot write {os.fspath(output)} (nor its lock file {path}): {why}; choose another --output"
        ) from exc
    with _held_guard:
        _held[key] = 1
    try:
        yield
    finally:
        with _held_guard:
            del _held[key]
        with contextlib.suppress(OSError):
            path.unlink()  # while still locked: a waiting opener then sees a new file
        os.close(fd)


def _acquire(path: Path, output: str | os.PathLike[str]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_lock(fd):
                holder = os.read(fd, 64).decode("ascii", "replace").split()
                raise OutputLockedError(_locked_message(output, holder[0] if holder else None))
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the holder removed it between our open and our lock: take the new one
                os.close(fd)
                continue
            started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {started}\n".encode("ascii"))
            return fd
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise


@contextlib.contextmanager
def waiting_lock(path: Path, *, timeout: float = 120.0) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` for the block, waiting while another process (or
    another opener in this one) holds it; `TimeoutError` after `timeout` seconds. The file is
    created, and removed on release."""
    deadline = time.monotonic() + timeout
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if _try_lock(fd) and os.fstat(fd).st_ino == os.stat(path).st_ino:
                break  # (a holder removes the file on release: a lock on a removed file is no lock)
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{path} was held by another process for more than {timeout:g} s")
        time.sleep(0.02)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still locked: a waiting opener then sees a new file
        os.close(fd)


def _locked_message(output: str | os.PathLike[str], pid: object, who: str | None = None) -> str:
    who = who or (f"process {pid}" if pid else "another process")
    return (
        f"{os.fspath(output)} is being written by {who} (lock: {lock_path(output)}); wait for that run "
        "to finish (or stop it), or choose another --output"
    )


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
