"""Issue 13, item 7: one `Client` used from several event loops and many threads."""

from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from summarizer import Client
from tests.fakeserver import FakeOpenAIServer


class KeepAliveServer(FakeOpenAIServer):
    """Keeps connections open between requests (HTTP/1.1), as real servers do: a pooled connection
    then outlives the event loop that opened it."""

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        handler = super()._handler_class()
        return type("KeepAlive", (handler,), {"protocol_version": "HTTP/1.1"})


ANSWER = {
    "headline": "Budget approved",
    "summary": "The council approved the budget.",
    "key_points": [{"text": "The council approved the budget.", "sentence_ids": ["A2"]}],
    "quotes": [],
    "entities": [],
    "dates": [],
    "caveats": [],
    "language": "en",
}


def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("The council met on Monday. The council approved the budget.\n", encoding="utf-8")
    return path


def test_one_client_across_several_asyncio_runs(tmp_path: Path) -> None:
    """Was: the second `asyncio.run` failed with 'Event loop is closed' (a pool bound to the first)."""
    src = article(tmp_path)
    with KeepAliveServer() as server:
        for _ in range(3):
            server.reply_completion(json.dumps(ANSWER))
        client = Client(base_url=server.url, api_key="sk-test", cache=False, structured_output="json_schema")
        headlines = [asyncio.run(client.asummarize(src)).headline for _ in range(3)]
        asyncio.run(client.aclose())
    assert headlines == ["Budget approved"] * 3
    assert len(server.requests) == 3


def test_one_client_shared_by_sixteen_threads(tmp_path: Path) -> None:
    """Was: 15 of 64 calls failed and one waited 121 s; here 2 calls each."""
    src = article(tmp_path)
    calls = 32
    with KeepAliveServer() as server:
        for _ in range(calls):
            server.reply_completion(json.dumps(ANSWER))
        client = Client(base_url=server.url, api_key="sk-test", cache=False, structured_output="json_schema")
        results: list[str] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def work() -> None:
            for _ in range(calls // 16):
                try:
                    headline = client.summarize(src).headline
                except BaseException as exc:  # collected, asserted below
                    with lock:
                        errors.append(exc)
                else:
                    with lock:
                        results.append(headline)

        threads = [threading.Thread(target=work) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert not errors, errors[:3]
    assert results == ["Budget approved"] * calls
    assert len(server.requests) == calls


def test_a_client_in_a_running_loop_and_from_a_thread_at_once(tmp_path: Path) -> None:
    src = article(tmp_path)
    with KeepAliveServer() as server:
        for _ in range(2):
            server.reply_completion(json.dumps(ANSWER))
        client = Client(base_url=server.url, api_key="sk-test", cache=False, structured_output="json_schema")

        async def both() -> list[str]:
            in_thread = asyncio.to_thread(lambda: client.summarize(src).headline)
            here = client.asummarize(src)
            a, b = await asyncio.gather(in_thread, here)
            await client.aclose()
            return [a, b.headline]

        assert asyncio.run(both()) == ["Budget approved"] * 2
