"""Robustness leftovers: secrets in a provider batch job's error lines, the response cache's key and
the answers it keeps."""

from __future__ import annotations

import traceback

from summarizer.batch import BatchItem, error_record
from summarizer.errors import ConfigError

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
