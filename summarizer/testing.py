"""Helpers for testing code that uses summarizer, without a model or a network.

backend = FakeBackend([{"headline": ...}, ...])
result = await structured_call(backend, messages, SummaryDraft)
assert backend.requests[0].output.mode == "json_schema"
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from summarizer.llm.base import Completion, Message, OutputSpec
from summarizer.schemas import Usage

Reply = str | dict[str, Any] | BaseModel | Completion | Exception
"""A queued answer: JSON text, a dict or model (serialised), a full `Completion`, or an error to raise."""


class FakeBackendExhausted(AssertionError):
    """The code under test asked for more answers than the test queued."""


@dataclass(frozen=True)
class FakeRequest:
    """One call to `FakeBackend.complete`, as the code under test made it (messages deep-copied)."""

    messages: list[Message]
    output: OutputSpec
    temperature: float


class FakeBackend:
    """A `Backend` that answers from a queue and records every request.

    `usage` is given to every answer that is not already a `Completion`; queue a `Completion` to
    control usage, finish_reason or refusal per answer.
    """

    name = "fake"

    def __init__(
        self,
        replies: Iterable[Reply] = (),
        *,
        model: str = "fake",
        usage: Usage | None = None,
        endpoint_host: str | None = None,
    ) -> None:
        self.model = model
        self.endpoint_host = endpoint_host
        self.usage = usage or Usage()
        self.requests: list[FakeRequest] = []
        self._replies: list[Reply] = list(replies)

    def queue(self, *replies: Reply) -> FakeBackend:
        """Add answers to the end of the queue; returns self for chaining."""
        self._replies.extend(replies)
        return self

    @property
    def remaining(self) -> int:
        return len(self._replies)

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        self.requests.append(FakeRequest(copy.deepcopy(messages), output, temperature))
        if not self._replies:
            raise FakeBackendExhausted(
                f"FakeBackend got request #{len(self.requests)} but has no reply left; "
                "queue more with FakeBackend.queue(...)"
            )
        reply = self._replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return self._completion(reply)

    def _completion(self, reply: str | dict[str, Any] | BaseModel | Completion) -> Completion:
        if isinstance(reply, Completion):
            return reply
        if isinstance(reply, BaseModel):
            content = reply.model_dump_json()
        elif isinstance(reply, dict):
            content = json.dumps(reply, ensure_ascii=False)
        else:
            content = reply
        return Completion(content=content, finish_reason="stop", usage=self.usage)
