"""Issue 13, items 1 and 2: `-o` never replaces what is at the path; two runs never share an output."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer._files import OutputLockedError, output_lock, write_atomic
from summarizer.cli import main

ROOT = Path(__file__).resolve().parent.parent


def article(path: Path) -> Path:
    path.write_text("The council met on Monday. It approved the budget.\n", encoding="utf-8")
    return path


# -- item 1 ------------------------------------------------------------------------------------


def test_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == "new"


def test_write_through_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "later.txt")
    write_atomic(link, "text")
    assert link.is_symlink() and (tmp_path / "later.txt").read_text(encoding="utf-8") == "text"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_write_into_a_fifo_keeps_the_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    write_atomic(fifo, "through the pipe")
    reader.join(10)
    assert got == ["through the pipe"]
    assert fifo.exists() and not fifo.is_file()  # still a FIFO, not a regular file


def test_write_to_a_device_writes_into_it() -> None:
    write_atomic(os.devnull, "discarded")  # was: a temporary file in /dev, then a rename over it
    assert not Path(os.devnull).is_file()


def test_cli_output_to_a_folder_is_a_usage_error_naming_o(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = article(tmp_path / "a.txt")
    code = main(["summarize", str(src), "--engine", "offline", "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"-o {tmp_path} is a folder" in err and "unexpected" not in err


def test_cli_output_through_dev_stdout_style_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`-o /dev/stdout` is a link to a pipe or terminal: the text goes there, the link stays."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "stdout"
    link.symlink_to(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    code = main(["summarize", str(article(tmp_path / "a.txt")), "--engine", "offline", "-o", str(link)])
    reader.join(10)
    assert code == 0, capsys.readouterr().err
    assert got and "council" in got[0].lower()
    assert link.is_symlink() and not fifo.is_file()


# -- item 2 ------------------------------------------------------------------------------------


@pytest.fixture
def other_run(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """Another process holding the lock on tmp_path/out.jsonl, as a running batch does."""
    out = tmp_path / "out.jsonl"
    code = (
        "import sys, time\n"
        "from summarizer._files import output_lock\n"
        f"with output_lock({str(out)!r}):\n"
        "    print('ready', flush=True)\n"
        "    sys.stdin.read()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    try:
        yield out, proc.pid
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)
        proc.stdout.close()


def test_second_batch_on_one_output_fails_naming_the_other(
    tmp_path: Path, other_run: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    out, pid = other_run
    out.write_text('{"id": "x", "task": "summarize", "status": "ok"}\n', encoding="utf-8")
    src = article(tmp_path / "a.txt")
    for extra in ([], ["--resume"], ["--overwrite"]):
        code = main(["batch", str(src), "-o", str(out), "--engine", "offline", "--no-progress", *extra])
        err = capsys.readouterr().err
        assert code == 2, (extra, err)
        assert f"process {pid}" in err and "unexpected" not in err
    assert out.read_text(encoding="utf-8").count("\n") == 1  # --overwrite did not touch it


def test_provider_batch_takes_the_same_lock(tmp_path: Path, other_run: tuple[Path, int]) -> None:
    from summarizer import Client
    from summarizer.provider_batch import run_provider_batch

    out, pid = other_run
    client = Client(base_url="http://127.0.0.1:9/v1", api_key="sk-x", engine="llm")
    with pytest.raises(OutputLockedError, match=f"process {pid}"):
        run_provider_batch(client, lambda: [], out, prepare_only=True)


def test_lock_is_released_and_shared_by_nested_uses(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with output_lock(out), output_lock(out):
        assert (tmp_path / "out.jsonl.lock").exists()
        errors: list[BaseException] = []

        def other_thread() -> None:
            try:
                with output_lock(out):
                    pass
            except OutputLockedError as exc:
                errors.append(exc)

        t = threading.Thread(target=other_thread)
        t.start()
        t.join()
        assert len(errors) == 1
    assert not (tmp_path / "out.jsonl.lock").exists()
    with output_lock(out):
        pass
