"""Issue 13, item 6 and the input "Also" items: a slow-drip server, non-text served as text, UTF-16
without a byte-order mark, a FIFO with no writer."""

from __future__ import annotations

import contextlib
import gzip
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from summarizer.cli import main
from summarizer.documents import load_document
from summarizer.documents.web import fetch, page_from_url
from summarizer.errors import InputError
from tests.fakeserver import LocalServer, QuietHandler

ARTICLE = "The council met on Monday. It approved the budget after a long debate.\n"


class Server(LocalServer):
    """Routes: /drip (headers, then a byte every 0.1 s for ever), /slow-headers (a header byte every
    0.1 s), /gzip and /binary (served as text/plain), /text (a plain article)."""

    def __init__(self) -> None:
        self._listen(self._handler())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        class Handler(QuietHandler):
            def do_GET(self) -> None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.route()

            def route(self) -> None:
                if self.path == "/slow-headers":
                    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" * 100:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.1)
                    return
                bodies = {
                    "/gzip": gzip.compress(ARTICLE.encode() * 20),
                    "/binary": bytes(range(256)) * 8,
                    "/text": ARTICLE.encode(),
                    "/drip": b"",
                }
                body = bodies[self.path]
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body) or 10_000))
                self.end_headers()
                if self.path != "/drip":
                    self.wfile.write(body)
                    return
                for _ in range(10_000):  # 17 bytes/s in the issue; 10 here
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.1)

        return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as s:
        yield s


def base(server: Server) -> str:
    return server.url.removesuffix("/v1")


@pytest.mark.parametrize("route", ["/drip", "/slow-headers"])
def test_fetch_timeout_is_a_total_deadline(server: Server, route: str) -> None:
    """Was: the deadline was checked every 64 KiB, so a 17-byte/s server ran far past it."""
    started = time.monotonic()
    with pytest.raises(InputError, match=r"within 1 s"):
        fetch(base(server) + route, timeout=1.0)
    assert time.monotonic() - started < 2.5


def test_gzip_served_as_text_is_refused(server: Server) -> None:
    with pytest.raises(InputError, match="gzip-compressed data served as text/plain"):
        page_from_url(base(server) + "/gzip")


def test_binary_served_as_text_is_refused(server: Server) -> None:
    with pytest.raises(InputError, match="looks binary"):
        page_from_url(base(server) + "/binary")


def test_plain_text_url_still_loads(server: Server) -> None:
    assert page_from_url(base(server) + "/text").text == ARTICLE


def test_cli_names_the_url_and_never_says_unexpected(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["summarize", base(server) + "/gzip", "--engine", "offline"])
    err = capsys.readouterr().err
    assert code == 3 and "/gzip" in err and "unexpected" not in err


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path: Path, encoding: str) -> None:
    """Was: 'looks binary'."""
    text = "Le conseil s'est réuni lundi. Il a approuvé le budget: 12 voix contre 3.\n"
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    assert load_document(path).text == text


def test_binary_with_zero_bytes_is_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="looks binary"):
        load_document(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_with_no_writer_fails_at_once(tmp_path: Path) -> None:
    """Was: summarizer waited for ever for a writer."""
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            load_document(fifo)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    t = threading.Thread(target=load, daemon=True)
    t.start()
    t.join(5)
    if t.is_alive():  # unblock the reader so the test ends
        with open(fifo, "wb"):
            pass
        pytest.fail("loading a FIFO with no writer hung")
    assert isinstance(outcome[0], InputError) and "no writer" in str(outcome[0])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_with_a_writer_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so the writer can open without blocking
    wfd = os.open(fifo, os.O_WRONLY)
    os.write(wfd, ARTICLE.encode())
    os.close(wfd)
    try:
        assert load_document(fifo).text == ARTICLE
    finally:
        os.close(rfd)
