"""Robustness leftovers found in review: secrets in --debug tracebacks, copyright signs in stories,
outputs that are not regular files, batch inputs read once, pacing across threads, damaged SQLite
files opened by two processes at once."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarizer import _files
from summarizer.cli import main
from tests.fakeserver import FakeOpenAIServer

SECRET = "local-proxy-token-7Hq2xVb9"
"""A key that is not `sk-` shaped (a proxy's or a local server's): only the configured value finds it."""


def _refuse_echoing_the_key(server: FakeOpenAIServer, key: str) -> None:
    """Queue three 401 answers, each message echoing `key` (the server's reply to a wrong key)."""
    for _ in range(3):
        server.reply(401, {"error": {"message": f"Incorrect API key provided: {key}", "code": "bad_key"}})


def test_debug_traceback_redacts_a_key_the_server_echoed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: --debug printed the SDK error this one was raised from, its body holding the key."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    src = tmp_path / "a.txt"
    src.write_text("The mayor spoke on Monday. The vote passed.\n", encoding="utf-8")
    with FakeOpenAIServer() as server:
        _refuse_echoing_the_key(server, f"Bearer {SECRET}")
        code = main(["summarize", str(src), "--base-url", server.url, "--model", "m", "--debug"])
    err = capsys.readouterr().err
    assert code == 4
    assert "Traceback" in err and "AuthenticationError" in err  # the cause is still shown
    assert SECRET not in err and SECRET[:12] not in err
    assert "[redacted" in err


STORY_WITH_NOTICES = """Officials met on Monday to discuss the ruling.

The court ruled that the prints, each stamped © 1962 by the artist, belong to the estate.

Photo: © AFP / Getty Images

The museum said it would appeal, and that all rights reserved to the artist would pass to the city.

© 2024 Example Wire. All rights reserved.

Lawyers said the case could take years.

Copyright 2024 The Example Press. All rights reserved.

The estate welcomed the verdict."""


def test_a_story_sentence_with_a_copyright_sign_is_shown_to_the_model() -> None:
    """Was: any sentence holding "©" or "all rights reserved" was left out of the prompt, so a
    sentence of the story that mentions one was hidden; rights lines and credits still are."""
    from summarizer.documents import document_from_text
    from summarizer.prompts import article_view

    doc = document_from_text(STORY_WITH_NOTICES)
    shown = {s["id"] for s in article_view(doc)["sentences"]}
    hidden = [doc.text[s.start : s.end] for s in doc.sentences if s.id not in shown]
    assert hidden == [
        "Photo: © AFP / Getty Images",
        "© 2024 Example Wire.",
        "All rights reserved.",
        "Copyright 2024 The Example Press.",
        "All rights reserved.",
    ]


ARTICLE = "The council met on Monday. The council approved the budget after a long debate.\n"


def _in_thread(run: Callable[[], int], unblock: Path) -> int:
    """`run()`'s exit code; the test fails (and the writer is let go) when it is still blocked after 10 s."""
    codes: list[int] = []
    t = threading.Thread(target=lambda: codes.append(run()), daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():
        with open(unblock, "rb") as fh:  # a reader lets the blocked writer go, so the test ends
            fh.read()
        t.join(5)
        pytest.fail("writing to a FIFO nobody reads hung")
    return codes[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", ["summarize", "batch"])
def test_output_to_a_fifo_nobody_reads_fails_with_the_fix_named(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: `-o FIFO` with no reader waited for ever (summarize: with the answer already paid for)."""
    monkeypatch.setattr(_files, "FIFO_READER_WAIT_S", 0.3)
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    extra = ["--no-progress"] if command == "batch" else []
    code = _in_thread(lambda: main([command, str(src), "-o", str(fifo), "--engine", "offline", *extra]), fifo)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "nobody reads" in err and f"cat {fifo}" in err and "--output" in err and "unexpected" not in err
    assert fifo.exists() and not fifo.is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_output_to_a_fifo_whose_reader_comes_late_is_written(tmp_path: Path) -> None:
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Timer(0.3, lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    _files.write_atomic(fifo, "the report\n")
    reader.join(5)
    assert got == ["the report\n"] and not fifo.is_file()


def test_one_limiter_paces_the_requests_of_several_threads() -> None:
    """One `RateLimiter` paces every event loop of a Client (`Backends` shares it), so threads share
    it. Was: two threads read the same free slot while one counted its prompt's tokens, and all went
    at once."""
    import asyncio
    import itertools
    import time

    from summarizer.llm.pacing import RateLimiter

    class SlowCount(RateLimiter):
        def estimate(self, request: dict[str, Any]) -> int:
            time.sleep(0.05)  # a long prompt takes a while to count; other threads run meanwhile
            return super().estimate(request)

    limiter = SlowCount(tpm=30_000)  # 500 tokens a second: a request of 100 tokens every 0.2 s
    start = threading.Barrier(4)
    released: list[float] = []

    def one() -> None:
        start.wait()
        asyncio.run(limiter.acquire({"messages": [], "max_tokens": 100}))
        released.append(time.monotonic())

    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    gaps = [b - a for a, b in itertools.pairwise(sorted(released))]
    assert len(gaps) == 3 and min(gaps) >= 0.15, gaps  # 0.2 s apart; was about 1 ms


def test_batch_items_keep_the_id_of_the_line_their_text_came_from(tmp_path: Path) -> None:
    """Was: ids came from a first read of the inputs and the articles from a second one, made as the
    run went on: a manifest rewritten meanwhile gave one line's text under another line's id (the
    output's provenance of another article). Each input is now read once; a manifest's texts are read
    again from the file as it was opened then (a manifest written anew and renamed over it is not the
    one read), see test_a_manifest_line_changed_in_place_fails_its_item_not_with_another_text."""
    import json

    from summarizer.batch import iter_items

    def line(name: str) -> str:
        text = f"{name} is the subject of this article. " + "It goes on at length. " * 300
        return json.dumps({"id": name, "text": text, "outlet": name})

    manifest = tmp_path / "items.jsonl"
    manifest.write_text("\n".join(line(n) for n in ("alpha", "beta", "gamma")) + "\n", encoding="utf-8")
    items = iter_items([manifest])
    first = next(items)
    rewritten = tmp_path / "items.jsonl.new"
    rewritten.write_text("\n".join(line(n) for n in ("gamma", "alpha", "beta")) + "\n", encoding="utf-8")
    rewritten.replace(manifest)
    got = [first, *items]
    pairs = [(i.id, s.text.split()[0]) for i in got for s in i.sources if not isinstance(s, str)]
    assert pairs == [("alpha", "alpha"), ("beta", "beta"), ("gamma", "gamma")]


def test_batch_counts_and_runs_one_read_of_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: the CLI counted the items (two reads of every input) and then read them twice more to run
    them; a folder filling up meanwhile (a crawler) gave a total and ids of other reads."""
    import json

    from summarizer import batch

    for name in ("a", "c"):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    listed: list[Path] = []
    real_rglob = Path.rglob

    def rglob(self: Path, pattern: str) -> Any:
        listed.append(self)
        if len(listed) == 2:  # a new article lands between two reads
            (tmp_path / "in" / "b.txt").write_text(ARTICLE, encoding="utf-8")
        return real_rglob(self, pattern)

    monkeypatch.setattr(Path, "rglob", rglob)
    out = tmp_path / "out.jsonl"
    code = main(["batch", str(tmp_path / "in"), "-o", str(out), "--engine", "offline", "--no-progress"])
    assert code == 0, capsys.readouterr().err
    assert len(listed) == 1
    ids = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert ids == ["a.txt", "c.txt"]
    assert batch.count_items([tmp_path / "in"]) == 3


OPENER = """
import os, sys, time
import summarizer.llm._sqlite as store
from summarizer.llm.cache import ResponseCache
from summarizer.llm.base import Completion
from summarizer.schemas import Usage

path, gate, name = sys.argv[1:]
salvage = store._salvage
def slow_salvage(*args):  # both processes are past their check before either sets the file aside
    time.sleep(0.5)
    return salvage(*args)
store._salvage = slow_salvage
open(gate + "-" + name, "w").close()  # imported: ready
while not os.path.exists(gate):
    time.sleep(0.002)
cache = ResponseCache(path)
cache.put("from-" + name, "m", Completion(content=name, finish_reason="stop", refusal=None, usage=Usage()))
cache.close()
"""


def test_two_processes_opening_one_damaged_file_set_it_aside_once(tmp_path: Path) -> None:
    """Was: both moved 'the damaged file' aside, the second one moving the first's fresh file (and
    its salvaged rows); the first then wrote into a file set aside, and its answers were lost."""
    import subprocess
    import sys

    from summarizer.llm.cache import ResponseCache
    from tests.test_hardening_stores import damage, filled_cache

    path = tmp_path / "responses.sqlite3"
    filled_cache(path)
    damage(path)
    gate = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(path), str(gate), name], env=env, stderr=subprocess.PIPE
        )
        for name in ("one", "two")
    ]
    deadline = time.monotonic() + 60
    while not all(Path(f"{gate}-{n}").exists() for n in ("one", "two")) and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.touch()  # both have imported: they open the file at once
    errors = [p.communicate(timeout=60)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1, sorted(p.name for p in tmp_path.iterdir())
    assert sum("is damaged" in e for e in errors) == 1, errors
    cache = ResponseCache(path)
    assert cache.get("from-one") is not None and cache.get("from-two") is not None
    assert cache.get("key0000") is not None  # the rows salvaged from the damaged file


def test_a_store_follows_the_file_another_process_put_in_place(tmp_path: Path) -> None:
    """Was: a process that had the file open went on writing into it after another one set it aside
    (found damaged) and started a new one: its answers landed in the set-aside file."""
    from summarizer.llm.cache import ResponseCache
    from tests.test_hardening_stores import completion

    path = tmp_path / "responses.sqlite3"
    mine = ResponseCache(path)
    mine.put("before", "m", completion("kept"))
    for suffix in ("", "-wal", "-shm"):  # what another process's set-aside does
        if Path(f"{path}{suffix}").exists():
            Path(f"{path}{suffix}").replace(f"{path}.damaged-x{suffix}")
    ResponseCache(path).close()  # its new file
    mine.put("after", "m", completion("new"))
    assert mine.get("after") is not None
    mine.close()
    assert ResponseCache(path).get("after") is not None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_batch_to_a_pipe_whose_reader_stops_says_so(tmp_path: Path) -> None:
    """Was: 'free some space … and run again with --resume', which is refused for a pipe."""
    from summarizer.batch import JsonlWriter, OutputWriteError

    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    with JsonlWriter(fifo) as writer:
        writer.write({"id": "a", "status": "ok"})
        os.close(reader)  # the reader goes away
        with pytest.raises(OutputWriteError) as caught:
            writer.write({"id": "b", "status": "ok"})
    message = str(caught.value)
    assert "--resume" not in message and "reader" in message and "-o FILE" in message


@pytest.mark.parametrize("command", ["summarize", "compare", "verify"])
def test_output_that_is_an_input_is_refused_and_the_input_kept(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: `summarize a.txt -o a.txt` replaced the article with its summary, exit 0."""
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text(ARTICLE.replace("Monday", "Tuesday"), encoding="utf-8")
    link = tmp_path / "out.txt"
    link.symlink_to(src)  # the same file under another name
    argv = {
        "summarize": ["summarize", str(src)],
        "compare": ["compare", str(other), str(src)],
        "verify": ["verify", str(other), "--source", str(src)],
    }[command]
    code = main([*argv, "-o", str(link), "--engine", "offline"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"-o {link} is also an input ({src})" in err and "--output" in err
    assert src.read_text(encoding="utf-8") == ARTICLE


def test_batch_output_that_is_its_manifest_is_refused_and_the_manifest_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: `batch m.jsonl -o m.jsonl --overwrite` deleted the manifest and wrote results over it."""
    import json

    manifest = tmp_path / "m.jsonl"
    text = json.dumps({"id": "x", "text": ARTICLE}) + "\n"
    manifest.write_text(text, encoding="utf-8")
    article = tmp_path / "a.jsonl"  # an article listed by a manifest, named like an output
    article.write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    listing = tmp_path / "list.jsonl"
    listing.write_text(json.dumps({"id": "y", "path": "a.jsonl"}) + "\n", encoding="utf-8")
    for inputs, output in (([manifest], manifest), ([listing], article)):
        argv = ["batch", *map(str, inputs), "-o", str(output), "--engine", "offline", "--no-progress"]
        code = main([*argv, "--overwrite"])
        err = capsys.readouterr().err
        assert code == 2 and f"-o {output} is also an input" in err, err
    assert manifest.read_text(encoding="utf-8") == text
    assert json.loads(article.read_text(encoding="utf-8")) == {"text": ARTICLE}


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_stdout_that_cannot_encode_the_report_gets_escapes_not_an_error(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: 'unexpected UnicodeEncodeError', exit 1, nothing written (the answer paid for, lost) when
    standard output's encoding (a Windows code page, latin-1) lacks a character of the report."""
    import io
    import json
    import sys

    src = tmp_path / "q.txt"
    src.write_text(
        "The council met on Monday. “We approved it 😀,” the mayor said after a debate.\n", "utf-8"
    )
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="latin-1"))
    code = main(["summarize", str(src), "--engine", "offline", "--format", fmt])
    sys.stdout.flush()
    err = capsys.readouterr().err
    assert code == 0, err
    assert "PYTHONIOENCODING=utf-8" in err
    shown = raw.getvalue().decode("latin-1")
    if fmt == "json":
        assert "“We approved it 😀,”" in json.dumps(json.loads(shown), ensure_ascii=False)
    elif fmt == "html":
        assert "&#8220;We approved it &#128512;,&#8221;" in shown
    else:
        assert "\\u201cWe approved it \\ud83d\\ude00,\\u201d" in shown


@pytest.mark.parametrize("where", ["under_a_file", "in_proc"])
def test_batch_output_that_cannot_be_written_is_a_clear_error(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: 'unexpected NotADirectoryError' (or FileNotFoundError, PermissionError), exit 1."""
    src = tmp_path / "in" / "a.txt"
    src.parent.mkdir()
    src.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "file.txt" / "out.jsonl" if where == "under_a_file" else Path("/proc/version")
    if where == "in_proc" and not out.exists():
        pytest.skip("needs /proc")
    code = main(["batch", str(src.parent), "-o", str(out), "--engine", "offline", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"cannot write {out}" in err and "--output" in err and "unexpected" not in err


def test_batch_folder_without_articles_but_with_other_files_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: a folder of .html pages gave 0 items, exit 0, as if there were nothing to do."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("a.html", "b.html", "notes.pdf"):
        (pages / name).write_text("<p>x</p>", encoding="utf-8")
    code = main(
        ["batch", str(pages), "-o", str(tmp_path / "o.jsonl"), "--engine", "offline", "--no-progress"]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert "no .txt or .md article" in err and "2 .html" in err and ".jsonl manifest" in err
    (tmp_path / "empty").mkdir()  # an empty folder is nothing to do, not a mistake
    code = main(["batch", str(tmp_path / "empty"), "-o", str(tmp_path / "e.jsonl"), "--engine", "offline"])
    assert code == 0


def test_batch_manifest_that_is_not_utf8_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: 'unexpected UnicodeDecodeError', exit 1."""
    manifest = tmp_path / "m.jsonl"
    manifest.write_bytes(b'{"id": "a", "text": "Fine."}\n{"id": "b", "text": "caf\xe9"}\n')
    code = main(["batch", str(manifest), "-o", str(tmp_path / "o.jsonl"), "--engine", "offline"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"{manifest}:2: not UTF-8" in err and "unexpected" not in err


def test_batch_manifest_text_that_cannot_be_an_article_is_one_failed_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: an empty text (or an unreadable date) on one manifest line stopped the whole batch there
    (exit 3, the items after it never run), though one item's failure never stops a batch."""
    import json

    manifest = tmp_path / "m.jsonl"
    lines = [
        {"id": "a", "text": ARTICLE},
        {"id": "b", "text": "   "},
        {"id": "c", "text": ARTICLE, "published": "last Tuesday"},
        {"id": "d", "text": ARTICLE},
    ]
    manifest.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    code = main(["batch", str(manifest), "-o", str(out), "--engine", "offline", "--no-progress"])
    assert code == 4, capsys.readouterr().err
    got = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert [got[i]["status"] for i in "abcd"] == ["ok", "error", "error", "ok"]
    assert got["b"]["error"]["message"].startswith(f"{manifest}:2: ") and got["b"]["error"]["exit_code"] == 3
    assert "last Tuesday" in got["c"]["error"]["message"]


def test_verify_of_a_summary_file_that_does_not_exist_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: a mistyped SUMMARY file name was verified as the summary's text ("summry.json"), exit 0."""
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    missing = tmp_path / "summry.json"
    code = main(["verify", str(missing), "--source", str(src), "--engine", "offline"])
    err = capsys.readouterr().err
    assert code == 3, err
    assert f"{missing}: no such file" in err
    code = main(["verify", "The council approved the budget.", "--source", str(src), "--engine", "offline"])
    assert code == 0, capsys.readouterr().err  # a text is still a text


def test_compare_of_one_file_given_twice_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: `compare a.txt a.txt` compared an article with itself, exit 0: every source 'agrees'."""
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    code = main(["compare", str(src), str(src), "--engine", "offline"])
    err = capsys.readouterr().err
    assert code == 2 and f"{src} is given twice" in err, err


def test_max_bytes_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Was: '--max-bytes -1' read every article as 'over the limit of -1 bytes' (exit 3)."""
    with pytest.raises(SystemExit) as caught:
        main(["summarize", "a.txt", "--max-bytes", "-1"])
    assert caught.value.code == 2 and "--max-bytes" in capsys.readouterr().err


def test_standard_output_on_a_full_disk_is_a_clear_error(tmp_path: Path) -> None:
    """Was: 'unexpected OSError: [Errno 28] No space left on device', exit 1 (`summarize a.txt > out`)."""
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "summarizer", "summarize", str(src), "--engine", "offline"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
    assert done.returncode == 2, done.stderr
    assert "cannot write standard output" in done.stderr and "-o FILE" in done.stderr
    assert "unexpected" not in done.stderr and "Exception ignored" not in done.stderr


def test_the_python_api_error_chain_holds_no_key_the_server_echoed(tmp_path: Path) -> None:
    """Was: `to_model_error` redacted our error but it is raised from the SDK's, whose message and
    body held the server's answer, so a script's `traceback.print_exc()` printed the echoed key."""
    import traceback

    import summarizer
    from summarizer.errors import SummarizerError

    src = tmp_path / "a.txt"
    src.write_text("The mayor spoke on Monday. The vote passed.\n", encoding="utf-8")
    with FakeOpenAIServer() as server:
        _refuse_echoing_the_key(server, SECRET)
        with pytest.raises(SummarizerError) as caught:
            summarizer.summarize(src, base_url=server.url, model="m", api_key=SECRET)
    printed = "".join(traceback.format_exception(caught.value))
    assert "AuthenticationError" in printed  # the SDK's error is still in the chain
    assert SECRET not in printed and SECRET[:12] not in printed
    cause = caught.value.__cause__
    assert cause is not None and SECRET not in repr(getattr(cause, "body", None))
