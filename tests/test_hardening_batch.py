"""Issue 13, item 8 and the batch "Also" items: duplicate ids, damaged output lines, a full disk."""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from summarizer import Client
from summarizer._files import OutputLockedError
from summarizer.batch import BatchItem, arun_batch, iter_items, run_batch
from summarizer.cli import main
from summarizer.errors import ConfigError
from summarizer.testing import FakeBackend
from tests.samples import SUMMARY_ANSWER as ANSWER

ROOT = Path(__file__).resolve().parent.parent


def story(path: Path, text: str = "Something happened. It was news.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- item 8 ------------------------------------------------------------------------------------


def test_same_name_in_two_folder_inputs_gets_two_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Was: both 'story.txt'; after a crash --resume skipped the second forever."""
    monkeypatch.chdir(tmp_path)
    story(tmp_path / "dupA" / "story.txt")
    story(tmp_path / "dupB" / "story.txt")
    story(tmp_path / "dupB" / "other.txt")
    ids = [i.id for i in iter_items(["dupA", "dupB/"])]
    assert ids == ["dupA/story.txt", "other.txt", "dupB/story.txt"]  # only the shared name changes
    assert [i.id for i in iter_items(["dupB"])] == ["other.txt", "story.txt"]  # one folder: as before


def test_resume_runs_both_same_named_stories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    story(tmp_path / "dupA" / "story.txt")
    story(tmp_path / "dupB" / "story.txt")
    out = tmp_path / "out.jsonl"
    run_batch(Client(backend=FakeBackend([ANSWER])), list(iter_items(["dupA", "dupB"]))[:1], out)
    backend = FakeBackend([ANSWER])
    report = run_batch(Client(backend=backend), iter_items(["dupA", "dupB"]), out, resume=True)
    assert report.skipped == 1 and report.succeeded == 1
    assert sorted(r["id"] for r in lines(out)) == ["dupA/story.txt", "dupB/story.txt"]


def test_a_remaining_collision_is_an_error_before_any_call(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "items.jsonl"
    story(tmp_path / "a.txt")
    manifest.write_text(
        json.dumps({"id": "x", "path": "a.txt"}) + "\n" + json.dumps({"id": "x", "text": "B. C."}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"1 item id\(s\) used twice: 'x'.*items\.jsonl:2"):
        list(iter_items([manifest]))
    backend = FakeBackend([ANSWER, ANSWER])
    out = tmp_path / "out.jsonl"
    code = main(["batch", str(manifest), "-o", str(out), "--engine", "offline", "--no-progress"])
    assert code == 2 and "used twice" in capsys.readouterr().err
    assert not out.exists() and not backend.requests


def test_a_list_of_items_with_one_id_twice_is_refused(tmp_path: Path) -> None:
    items = [BatchItem("same", "summarize", (str(story(tmp_path / f"{n}.txt")),)) for n in "ab"]
    backend = FakeBackend([ANSWER, ANSWER])
    with pytest.raises(ConfigError, match="used twice"):
        run_batch(Client(backend=backend), items, tmp_path / "out.jsonl")
    assert not backend.requests


# -- damaged output lines, a full disk -----------------------------------------------------------


def test_invalid_utf8_line_in_the_output_is_set_aside_and_resume_works(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Was: 'unexpected UnicodeDecodeError' on every --resume: the output could never be resumed."""
    inputs = tmp_path / "in"
    for i in range(3):
        story(inputs / f"a{i}.txt")
    out = tmp_path / "out.jsonl"
    run_batch(Client(backend=FakeBackend([ANSWER] * 3)), iter_items([inputs]), out)
    good = out.read_bytes().splitlines(keepends=True)
    broken = good[1].replace(b'"a1.txt"', b'"a1\xff\xfe.txt"')
    out.write_bytes(good[0] + broken + b"\x00\x00garbage\n" + good[2])
    with caplog.at_level(logging.WARNING):
        report = run_batch(Client(backend=FakeBackend([ANSWER])), iter_items([inputs]), out, resume=True)
    assert report.skipped == 2 and report.succeeded == 1
    assert sorted(r["id"] for r in lines(out)) == ["a0.txt", "a1.txt", "a2.txt"]
    aside = tmp_path / "out.jsonl.damaged"
    assert aside.read_bytes() == broken + b"\x00\x00garbage\n"
    said = "\n".join(r.getMessage() for r in caplog.records)
    assert "2 damaged line(s)" in said and str(aside) in said


def test_disk_full_mid_batch_is_a_clear_error_and_keeps_finished_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: 'unexpected OSError'."""
    inputs = tmp_path / "in"
    for i in range(5):
        story(inputs / f"a{i}.txt")
    out = tmp_path / "out.jsonl"
    real_write = os.write
    lines_written = 0

    def write(fd: int, data: Any) -> int:
        nonlocal lines_written
        if bytes(data[:6]) == b'{"id":':
            if lines_written == 2:
                real_write(fd, bytes(data[:10]))  # part of the line reached the disk
                raise OSError(errno.ENOSPC, "No space left on device")
            lines_written += 1
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    code = main(
        ["batch", str(inputs), "-o", str(out), "--engine", "offline", "--no-progress", "--concurrency", "1"]
    )
    err = capsys.readouterr().err
    assert code == 2 and "No space left on device" in err and "--resume" in err
    assert "unexpected" not in err
    assert [r["id"] for r in lines(out)] == ["a0.txt", "a1.txt"]  # whole lines only
    monkeypatch.setattr(os, "write", real_write)
    code = main(["batch", str(inputs), "-o", str(out), "--engine", "offline", "--no-progress", "--resume"])
    assert code == 0 and sorted(r["id"] for r in lines(out)) == [f"a{i}.txt" for i in range(5)]


def test_batch_output_to_a_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story(tmp_path / "in" / "a.txt")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x").write_text("x", encoding="utf-8")
    for extra in ([], ["--resume"]):
        code = main(
            ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--engine", "offline", *extra]
        )
        err = capsys.readouterr().err
        assert code == 2 and "is a folder" in err and "unexpected" not in err


def test_batch_to_a_pipe_writes_lines_and_never_replaces_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-o /dev/stdout` is a link to a pipe: was 'unexpected FileNotFoundError' (a lock beside it)."""
    story(tmp_path / "in" / "a.txt")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "stdout"
    link.symlink_to(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    args = ["batch", str(tmp_path / "in"), "-o", str(link), "--engine", "offline", "--no-progress"]
    code = main([*args, "--overwrite"])
    reader.join(10)
    assert code == 0, capsys.readouterr().err
    assert [json.loads(line)["id"] for line in got[0].splitlines()] == ["a.txt"]
    assert link.is_symlink() and fifo.exists() and not fifo.is_file()
    code = main([*args, "--resume"])
    assert code == 2 and "pipe or device" in capsys.readouterr().err


def test_overwrite_and_resume_through_a_symlink_keep_the_link(tmp_path: Path) -> None:
    """-o LINK writes the link's target (issue 13.1); --overwrite and the set-aside of a damaged line
    on --resume replaced the link by a regular file, leaving the target's old lines behind."""
    target = tmp_path / "results" / "real.jsonl"
    target.parent.mkdir()
    link = tmp_path / "out.jsonl"
    link.symlink_to(target)
    args = [
        "batch",
        str(ROOT / "fixtures/articles"),
        "-o",
        str(link),
        "--replay",
        str(ROOT / "fixtures/exchanges"),
    ]
    assert main([*args, "--no-progress"]) == 0
    assert main([*args, "--no-progress", "--overwrite"]) == 0
    assert link.is_symlink() and len(target.read_text(encoding="utf-8").splitlines()) == 2
    with target.open("ab") as fh:
        fh.write(b"\xff\xfe not a line\n")
    assert main([*args, "--no-progress", "--resume"]) == 0
    assert link.is_symlink() and len(target.read_text(encoding="utf-8").splitlines()) == 2
    assert (tmp_path / "results" / "real.jsonl.damaged").read_bytes() == b"\xff\xfe not a line\n"


class SlowBackend(FakeBackend):
    async def complete(self, messages: Any, output: Any, *, temperature: float) -> Any:
        await asyncio.sleep(0.3)
        return await super().complete(messages, output, temperature=temperature)


def test_an_error_mid_batch_keeps_the_answers_in_flight(tmp_path: Path) -> None:
    """A caller's items that fail part-way while other items are with the model: those answers are
    paid for, so they are written before the error leaves (gather left them running past the writer's
    close and the lock's release, their lines lost)."""
    story(tmp_path / "a.txt")

    def items() -> Any:
        yield BatchItem(id="a", task="summarize", sources=(str(tmp_path / "a.txt"),), length="medium")
        raise ConfigError("items.jsonl:2: the caller's next item is bad")

    out = tmp_path / "out.jsonl"
    with pytest.raises(ConfigError, match="next item is bad"):
        run_batch(Client(backend=SlowBackend([ANSWER])), items(), out, concurrency=2)
    assert [(r["id"], r["status"]) for r in lines(out)] == [("a", "ok")]


def test_a_bad_manifest_line_is_an_error_before_any_call(tmp_path: Path) -> None:
    manifest = tmp_path / "items.jsonl"
    good = {"text": "Something happened. It was news."}
    manifest.write_text(
        "\n".join(json.dumps(x) for x in ({"id": "a", **good}, {"id": "bad"}, {"id": "c", **good})) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    backend = FakeBackend([ANSWER, ANSWER])
    with pytest.raises(ConfigError, match=r'items.jsonl:2: give "path" or "text"'):
        run_batch(Client(backend=backend), iter_items([manifest]), out, concurrency=2)
    assert not backend.requests and (not out.exists() or out.read_text(encoding="utf-8") == "")


def test_two_batches_gathered_in_one_loop_do_not_share_the_output(tmp_path: Path) -> None:
    """The lock was held per thread, so a second batch on the same output in the same event loop
    counted as nested: it wrote every item again (paid twice), then failed with a KeyError."""
    story(tmp_path / "in" / "a.txt")
    story(tmp_path / "in" / "b.txt")
    out = tmp_path / "out.jsonl"

    async def both() -> list[Any]:
        runs = (
            arun_batch(Client(backend=SlowBackend([ANSWER] * 2)), iter_items([tmp_path / "in"]), out)
            for _ in range(2)
        )
        return await asyncio.gather(*runs, return_exceptions=True)

    first, second = asyncio.run(both())
    assert not isinstance(first, BaseException) and first.succeeded == 2
    assert isinstance(second, OutputLockedError) and "written by another run in this process" in str(second)
    assert sorted(r["id"] for r in lines(out)) == ["a.txt", "b.txt"]
