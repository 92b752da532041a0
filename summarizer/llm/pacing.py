"""Client-side pacing to a provider's rate limits, so a run at the limit sees few or no 429s.

Requests are spaced, not burst: each one reserves the next free slot of the requests-per-minute
schedule and of the tokens-per-minute schedule (its estimated prompt tokens plus the answer's
allowance, the way providers count), and waits for it. A 429 pauses every request, not just the one
that got it, for as long as Retry-After asks, so concurrent workers do not feed a retry storm.
One limiter paces every thread's event loop of a `Client`: its schedule is read and reserved under a
lock, never across an `await`.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

from summarizer.errors import ConfigError
from summarizer.llm.tokens import count_message_tokens

ANSWER_ALLOWANCE = 1024
"""Tokens counted for the answer of a request that sets no max_tokens (TPM budgets count it)."""


class RateLimiter:
    """Paces requests to `rpm` requests and `tpm` tokens per minute (either may be None: no limit)."""

    def __init__(
        self, rpm: float | None = None, tpm: float | None = None, *, model: str | None = None
    ) -> None:
        for name, value in (("--rpm", rpm), ("--tpm", tpm)):
            if value is not None and value <= 0:
                raise ConfigError(f"{name} must be a positive number, not {value}")
        self.rpm = rpm
        self.tpm = tpm
        self.model = model
        self._next_request = 0.0
        self._next_token = 0.0
        self._paused_until = 0.0
        self._last_sent = -float("inf")
        self._interval = 60.0 / rpm if rpm is not None else 0.0
        self.waited_s = 0.0
        self.pauses = 0
        self._lock = threading.Lock()

    def estimate(self, request: dict[str, Any]) -> int:
        """Prompt tokens (messages, plus schema or tools) and the answer allowance."""
        tokens = count_message_tokens(request.get("messages", []), self.model)
        for extra in ("response_format", "tools"):
            if extra in request:
                tokens += count_message_tokens([{"content": json.dumps(request[extra])}], self.model)
        return tokens + int(request.get("max_tokens") or ANSWER_ALLOWANCE)

    async def acquire(self, request: dict[str, Any]) -> None:
        """Wait for this request's slot (reserved at once, so waiters keep their order), then, on
        waking, for a pause begun meanwhile and for one request interval after the last one let go:
        an event loop held up by other work wakes every waiter whose slot has passed at once, and
        they would reach the provider as a burst."""
        cost = self.estimate(request) if self.tpm is not None else 0  # slow: counted outside the lock
        with self._lock:
            start = max(time.monotonic(), self._next_request, self._next_token, self._paused_until)
            if self.rpm is not None:
                self._next_request = start + 60.0 / self.rpm
            if self.tpm is not None:
                self._next_token = start + 60.0 * cost / self.tpm
        await self._sleep_until(start)
        while True:
            with self._lock:
                now = time.monotonic()
                ready = max(self._paused_until, self._last_sent + self._interval)
                if ready <= now:
                    self._last_sent = now
                    if self.rpm is not None:
                        self._next_request = max(self._next_request, now + self._interval)
                    return
            await self._sleep_until(ready)

    async def _sleep_until(self, when: float) -> None:
        delay = when - time.monotonic()
        if delay > 0:
            with self._lock:
                self.waited_s += delay
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        """Hold every request back for `seconds` (a 429's Retry-After)."""
        until = time.monotonic() + max(seconds, 0.0)
        with self._lock:
            if until > self._paused_until:
                self._paused_until = until
                self.pauses += 1
