"""`--structured-output auto` and a server that accepts a mode's schema but does not enforce it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.cli import main
from summarizer.errors import AttemptsExhaustedError
from summarizer.llm.base import StructuredMode, schema_ignored
from summarizer.llm.cache import CachingBackend, ResponseCache
from summarizer.llm.calllog import CallLog, LoggingBackend
from summarizer.llm.endpoints import MEMORY_FILE, ModeMemory
from summarizer.llm.openai_backend import OpenAIBackend
from summarizer.llm.structured import structured_call
from summarizer.testing import FakeBackend
from tests.llamafake import LlamaCppServer
from tests.test_local_server import ANADOLU, ANADOLU_ANSWER, MESSAGES, VERDICT, Verdict, state_dir


def _schema_ignored(body: dict[str, Any]) -> str:
    """A server that accepts `{"type": "json_object", "schema": …}` and ignores the schema: with no
    example in the instructions, the model writes an entity type outside the schema's enum (as the
    unconstrained 1.5B model did, issue 14); shown the example (plain json_object), it keeps to it."""
    answer = json.loads(ANADOLU_ANSWER)
    if "schema" in body.get("response_format", {}):
        answer["entities"] = [{"name": "Iran", "type": "country", "role": "x", "sentence_ids": ["A1"]}]
    return json.dumps(answer)


def test_a_remembered_mode_whose_schema_the_server_ignores_is_left_for_the_next(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The endpoint memory says json_object_schema (the server accepted it once), but the server does
    not enforce the schema, so its answers fail the schema itself. Was: every re-ask went out in
    json_object_schema again and the run ended with exit 5, and so did every later run, since the
    remembered mode was never given up. Now the re-ask goes out in json_object, with the example in the
    instructions, and the memory moves on to it."""
    with LlamaCppServer(answer=_schema_ignored) as llama:
        endpoint = llama.url + "/"
        ModeMemory(state_dir()).remember(endpoint, "json_object_schema")
        argv = ["summarize", ANADOLU, "--base-url", llama.url, "--model", "qwen", "-f", "json", "--no-cache"]
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 0, err
        assert llama.modes() == ["json_object_schema", "json_object"]
        assert json.loads(out)["provenance"]["structured_output"] == "json_object"
        assert ModeMemory(state_dir()).get(endpoint) == "json_object"

        assert main(argv) == 0, capsys.readouterr().err
        assert llama.modes()[2:] == ["json_object"], "the next run starts with the mode that worked"


async def test_answers_that_fail_only_our_checks_keep_the_mode(tmp_path: Path) -> None:
    """A grammar-constrained answer that has the schema's shape but fails validation (an id the
    article lacks, a quote not in it) is the model's mistake, not the mode's: the mode stays."""
    memory = ModeMemory(tmp_path)
    with LlamaCppServer(answer=lambda body: VERDICT) as server:
        async with OpenAIBackend("qwen", base_url=server.url, mode_memory=memory) as backend:
            with pytest.raises(AttemptsExhaustedError):
                await structured_call(
                    backend, MESSAGES, Verdict, mode="auto", reasks=1, validate=lambda v: ["A9 is not shown"]
                )
        assert server.modes() == ["json_schema", "json_object_schema", "json_object_schema"]
    assert memory.get(server.url + "/") == "json_object_schema"


async def test_a_mode_chosen_by_name_is_kept_whatever_the_answers(tmp_path: Path) -> None:
    memory = ModeMemory(tmp_path)
    with LlamaCppServer(answer=lambda body: '{"verdict": 1}') as server:
        async with OpenAIBackend("qwen", base_url=server.url, mode_memory=memory) as backend:
            with pytest.raises(AttemptsExhaustedError):
                await structured_call(backend, MESSAGES, Verdict, mode="json_object_schema", reasks=1)
        assert server.modes() == ["json_object_schema", "json_object_schema"]
    assert not (tmp_path / MEMORY_FILE).exists()


def test_the_cache_and_the_call_log_pass_the_news_to_the_backend_they_wrap(tmp_path: Path) -> None:
    told: list[str] = []

    class Told(FakeBackend):
        def schema_ignored(self, mode: StructuredMode) -> None:
            told.append(mode)

    wrapped = LoggingBackend(
        CachingBackend(Told(), ResponseCache(tmp_path / "c.sqlite3")), CallLog(tmp_path / "l.sqlite3")
    )
    schema_ignored(wrapped, "json_object_schema")
    schema_ignored(FakeBackend(), "json_schema")  # a backend that does not listen is no error
    assert told == ["json_object_schema"]
