"""Robustness leftovers found in review: secrets in --debug tracebacks, copyright signs in stories,
outputs that are not regular files, batch inputs read once, pacing across threads, damaged SQLite
files opened by two processes at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.cli import main
from tests.fakeserver import FakeOpenAIServer

SECRET = "local-proxy-token-7Hq2xVb9"
"""A key that is not `sk-` shaped (a proxy's or a local server's): only the configured value finds it."""


def test_debug_traceback_redacts_a_key_the_server_echoed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: --debug printed the SDK error this one was raised from, its body holding the key."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    src = tmp_path / "a.txt"
    src.write_text("The mayor spoke on Monday. The vote passed.\n", encoding="utf-8")
    with FakeOpenAIServer() as server:
        for _ in range(3):
            server.reply(
                401,
                {"error": {"message": f"Incorrect API key provided: Bearer {SECRET}", "code": "bad_key"}},
            )
        code = main(["summarize", str(src), "--base-url", server.url, "--model", "m", "--debug"])
    err = capsys.readouterr().err
    assert code == 4
    assert "Traceback" in err and "AuthenticationError" in err  # the cause is still shown
    assert SECRET not in err and SECRET[:12] not in err
    assert "[redacted" in err
