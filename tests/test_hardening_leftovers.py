"""Robustness leftovers: secrets in a provider batch job's error lines and in credential headers,
the response cache's key and the answers it keeps, a batch manifest's texts read as their items come
up."""

from __future__ import annotations

import gc
import json
import traceback
from pathlib import Path

import pytest
from pydantic import BaseModel

from summarizer import Client
from summarizer.batch import BatchItem, error_record, read_items
from summarizer.errors import AttemptsExhaustedError, ConfigError, TruncatedError
from summarizer.llm.base import Completion, OutputSpec
from summarizer.llm.cache import CachingBackend, ResponseCache, request_key
from summarizer.llm.redact import redact
from summarizer.llm.structured import structured_call
from summarizer.testing import FakeBackend

SECRET = "local-proxy-token-7Hq2xVb9"
"""A key that is not `sk-` shaped (a proxy's or a local server's): only the configured value finds it."""
BEARER = "Bearer abcdefghijklmnopqrstuvwxyz0123"


def test_a_provider_batch_error_line_holds_no_key_from_the_exception_or_its_chain() -> None:
    """Was: a provider batch job made its own error lines (`_items._error`, the id used twice) and
    wrote `str(exc)` as it was, where a direct run's (`run_item`) redacted it: a configured key or an
    Authorization header in the message reached the output file, and the exceptions behind it kept
    them for a script's traceback. Now both make their lines with `error_record`."""
    item = BatchItem(id="a", task="summarize", sources=("a.txt",))
    try:
        try:
            raise RuntimeError(f"headers: Authorization: {BEARER}; key {SECRET}")
        except RuntimeError as cause:
            raise ConfigError(f"the request failed with key {SECRET} ({cause})") from cause
    except ConfigError as exc:
        record = error_record(item, exc, [SECRET])
        printed = "".join(traceback.format_exception(exc))
    message = record["error"]["message"]
    assert SECRET not in message and BEARER not in message
    assert "[redacted" in message
    assert record["error"]["type"] == "ConfigError" and record["status"] == "error"
    assert SECRET not in printed and BEARER not in printed  # the chain, as a traceback prints it
    assert "RuntimeError" in printed


# -- the response cache ------------------------------------------------------------------------

MESSAGES = [{"role": "user", "content": "A1: One. A2: Two."}]
SCHEMA = {"type": "object", "properties": {"sentence_ids": {"type": "array", "items": {"type": "string"}}}}


class LimitedBackend(FakeBackend):
    """A backend with a configured answer limit, as `OpenAIBackend` has (`--max-tokens`)."""

    def __init__(self, replies: list[str], max_tokens: int | None) -> None:
        super().__init__(replies, endpoint_host="localhost:8080")
        self.max_tokens = max_tokens


async def test_requests_with_other_answer_limits_do_not_share_an_entry(tmp_path: Path) -> None:
    """Was: the key left out `max_tokens`, so an answer written under a large limit was served to a
    request whose limit would have cut it (and would be refused as truncated), as if it fitted."""
    cache = ResponseCache(tmp_path / "c.sqlite3")
    large = LimitedBackend(['{"sentence_ids": ["A1", "A2"]}'], max_tokens=4000)
    small = LimitedBackend(['{"sentence_ids": ["A1"]}'], max_tokens=50)
    spec = OutputSpec("Ids", SCHEMA, "json_schema")
    assert (await CachingBackend(large, cache).complete(MESSAGES, spec, temperature=0.0)).cache == "miss"
    answer = await CachingBackend(small, cache).complete(MESSAGES, spec, temperature=0.0)
    assert answer.cache == "miss" and len(small.requests) == 1
    assert answer.content == '{"sentence_ids": ["A1"]}'
    again = await CachingBackend(LimitedBackend([], max_tokens=4000), cache).complete(
        MESSAGES, spec, temperature=0.0
    )
    assert again.cache == "hit" and again.content == '{"sentence_ids": ["A1", "A2"]}'


async def test_the_task_allowance_keys_an_entry_where_it_is_sent(tmp_path: Path) -> None:
    """Without `--max-tokens`, a local server is sent the task's allowance (`OutputSpec.max_tokens`):
    that is the request's limit, so it keys the entry; OpenAI's endpoint is sent none, so its key is the
    one it had before limits were keyed (its entries stay reachable)."""
    local = [
        request_key("localhost:8080", "m", MESSAGES, OutputSpec("Ids", SCHEMA, max_tokens=n), 0.0, n)
        for n in (100, 200)
    ]
    assert local[0] != local[1]
    before = request_key("api.openai.com", "m", MESSAGES, OutputSpec("Ids", SCHEMA), 0.0)
    cache = ResponseCache(tmp_path / "c.sqlite3")
    inner = FakeBackend(["{}"], model="m", endpoint_host="api.openai.com")
    await CachingBackend(inner, cache).complete(
        MESSAGES, OutputSpec("Ids", SCHEMA, max_tokens=100), temperature=0.0
    )
    assert cache.get(before) is not None


class Ids(BaseModel):
    sentence_ids: list[str]


def only_a1(value: Ids) -> list[str]:
    return [] if value.sentence_ids == ["A1"] else [f"cite A1, not {value.sentence_ids}"]


async def test_an_answer_that_failed_validation_is_asked_again_next_run(tmp_path: Path) -> None:
    """Was: every answer was cached as it came, the ones our validation refused too, so a re-run was
    answered from the cache with the same refused answers (and the same re-asks), paying nothing and
    asking nothing: an item that ran out of re-asks failed again the same way, forever."""
    cache = ResponseCache(tmp_path / "c.sqlite3")
    bad, good = '{"sentence_ids": ["A2"]}', '{"sentence_ids": ["A1"]}'
    first = FakeBackend([bad, bad])
    with pytest.raises(AttemptsExhaustedError):
        await structured_call(CachingBackend(first, cache), MESSAGES, Ids, validate=only_a1, reasks=1)
    assert len(first.requests) == 2 and len(cache) == 0
    again = FakeBackend([good])
    result = await structured_call(CachingBackend(again, cache), MESSAGES, Ids, validate=only_a1, reasks=1)
    assert len(again.requests) == 1 and result.value.sentence_ids == ["A1"] and result.cache == "miss"
    third = FakeBackend([])
    result = await structured_call(CachingBackend(third, cache), MESSAGES, Ids, validate=only_a1, reasks=1)
    assert result.cache == "hit" and not third.requests  # an accepted answer is still served


async def test_an_answer_that_is_not_the_schema_is_not_kept_but_the_re_asks_answer_is(tmp_path: Path) -> None:
    """An answer that does not parse is refused like an invalid one; the re-ask's accepted answer is an
    answer to the re-ask (which quotes the refused answer), so it stays."""
    cache = ResponseCache(tmp_path / "c.sqlite3")
    first = FakeBackend(['{"sentence_ids": "A1"}', '{"sentence_ids": ["A1"]}'])
    await structured_call(CachingBackend(first, cache), MESSAGES, Ids, validate=only_a1, reasks=1)
    assert len(cache) == 1
    second = FakeBackend(['{"sentence_ids": "A1"}'])
    result = await structured_call(CachingBackend(second, cache), MESSAGES, Ids, validate=only_a1, reasks=1)
    assert len(second.requests) == 1 and result.value.sentence_ids == ["A1"] and result.cache == "miss"


# -- manifest texts read as their items come up ------------------------------------------------


def manifest_line(name: str) -> str:
    return json.dumps(
        {"id": name, "text": f"{name} is the subject of this article. It goes on.", "outlet": name}
    )


def test_a_manifest_keeps_no_text_in_memory_until_its_item_comes_up(tmp_path: Path) -> None:
    """Was: `read_items` kept every manifest line's fields, texts included, for the whole run (a batch
    of 10,000 texts of 3,000 characters: 37 MB as read, 8 MB now; bench/batch_memory.py
    --manifest). Now an item keeps where its line is and a digest, and reads the text when it comes up."""
    manifest = tmp_path / "items.jsonl"
    manifest.write_text("\n".join(manifest_line(n) for n in ("alpha", "beta")) + "\n", encoding="utf-8")
    items = read_items([manifest])
    held = [read for read in items._read]
    assert all("alpha is the subject" not in repr(read) for read in held)
    got = [(item.id, source.text.split()[0]) for item in items for source in item.sources]  # type: ignore[union-attr]
    assert got == [("alpha", "alpha"), ("beta", "beta")]
    assert [item.id for item in items] == ["alpha", "beta"]  # iterated again: read again


def test_a_manifest_line_changed_in_place_fails_its_item_not_with_another_text(tmp_path: Path) -> None:
    """A line rewritten in place during the run is refused by its digest: its item fails, naming the
    fix, rather than running another line's text under its id; the lines left as they were still run."""
    manifest = tmp_path / "items.jsonl"
    manifest.write_text(
        "\n".join(manifest_line(n) for n in ("alpha", "beta", "gamma")) + "\n", encoding="utf-8"
    )
    items = read_items([manifest])
    manifest.write_text(  # "bets": as long as "beta", so gamma's line stays where it was
        "\n".join(manifest_line(n) for n in ("alpha", "bets", "gamma")) + "\n", encoding="utf-8"
    )
    got = {item.id: item for item in items}
    assert got["alpha"].error is None and got["gamma"].error is None
    assert got["gamma"].sources[0].text.startswith("gamma")  # type: ignore[union-attr]
    error = got["beta"].error
    assert isinstance(error, ConfigError) and "items.jsonl:2" in str(error) and "--retry-failed" in str(error)


def test_a_manifest_is_closed_once_no_item_needs_it(tmp_path: Path) -> None:
    manifest = tmp_path / "items.jsonl"
    manifest.write_text(manifest_line("alpha") + "\n", encoding="utf-8")
    items = read_items([manifest])
    handle = items._read[0].line.manifest._fh  # type: ignore[union-attr]
    assert not handle.closed
    del items
    gc.collect()
    assert handle.closed


async def test_an_answer_cut_off_mid_json_is_not_kept(tmp_path: Path) -> None:
    """Was: an answer whose JSON stops inside a string while the server says it finished (llama-cpp-python
    reports a tool call cut at the context as `tool_calls`) was cached before the loop saw the cut, so
    after the server was restarted with a larger context the run was answered with the cut answer."""
    cache = ResponseCache(tmp_path / "c.sqlite3")
    cut = Completion('{"sentence_ids": ["A', "tool_calls")
    with pytest.raises(TruncatedError):
        await structured_call(CachingBackend(FakeBackend([cut]), cache), MESSAGES, Ids, validate=only_a1)
    assert len(cache) == 0
    again = FakeBackend(['{"sentence_ids": ["A1"]}'])
    result = await structured_call(CachingBackend(again, cache), MESSAGES, Ids, validate=only_a1)
    assert len(again.requests) == 1 and result.value.sentence_ids == ["A1"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Authorization: Basic dXNlcjpwYXNzd29yZDEyMzQ=", "Authorization: Basic [redacted]"),
        ("headers={'api-key': '0123456789abcdef0123456789abcdef'}", "headers={'api-key': '[redacted]'}"),
        ('{"x-api-key": "abcdefghijklmnopqrstu"}', '{"x-api-key": "[redacted]"}'),
        ("authorization=Token abcdef0123456789xyz", "authorization=Token [redacted]"),
        ("Authorization: Bearer abcdefghijklmnopqrstu", "Authorization: Bearer [redacted]"),
        ("the api-key header is missing", "the api-key header is missing"),
    ],
)
def test_credentials_in_headers_of_any_scheme_are_redacted(text: str, kept: str) -> None:
    """Was: only `sk-…` and `Bearer …` tokens were found (and the configured key): an Azure `api-key`
    header, or an Authorization header of another scheme, quoted in an exception, was written as it was."""
    assert redact(text) == kept


def test_a_run_whose_answers_were_refused_asks_the_server_again(tmp_path: Path) -> None:
    """The same through a Client, its cache under the call log as a run builds them: the refused
    answers (a sentence id the article does not have) are not in the cache for the next run."""
    from tests.llamafake import LlamaCppServer
    from tests.test_local_server import ANADOLU, ANADOLU_ANSWER

    wrong = json.loads(ANADOLU_ANSWER)
    wrong["key_points"][0]["sentence_ids"] = ["A99"]
    with LlamaCppServer(answer=lambda body: json.dumps(wrong)) as server:
        options = {"base_url": server.url, "model": "qwen", "cache_dir": tmp_path, "log_dir": tmp_path}
        sent = []
        for _ in range(2):
            with pytest.raises(AttemptsExhaustedError):
                Client(**options, reasks=1, call_log=True).summarize(ANADOLU)
            sent.append(len(server.chat_requests()) - sum(sent))
        assert sent[1] == 2, (
            "both attempts of the second run reach the server (the first also found the mode)"
        )
        assert len(ResponseCache(tmp_path / "responses.sqlite3")) == 0
