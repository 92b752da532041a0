"""The two backends of a batch job: one captures each item's request instead of sending it (prepare),
one answers each item from the batch's results (collect); and the file of those results."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from summarizer.errors import BackendError, ConfigError
from summarizer.llm.base import Backend, Completion, Message, OutputSpec
from summarizer.llm.pricing import PriceTable
from summarizer.longdoc import in_parts
from summarizer.provider_batch._state import BATCH_DISCOUNT
from summarizer.schemas import Usage

ITEM: ContextVar[str | None] = ContextVar("summarizer_provider_batch_item", default=None)
"""The id of the item whose request a backend is asked for (set around each item's pipeline run)."""


class _Captured(Exception):
    """Raised by `CaptureBackend` to stop the pipeline once its request is known."""


class SeveralRequestsError(ConfigError):
    """An item that needs more than one request (a long article's map-reduce)."""


class CaptureBackend:
    """Records the body of the request it is asked to send (keyed by item), and sends nothing."""

    name = "openai-batch"

    def __init__(self, model: str, endpoint_host: str | None, max_tokens: int | None) -> None:
        self.model = model
        self.endpoint_host = endpoint_host
        self.max_tokens = max_tokens
        self.bodies: dict[str, dict[str, Any]] = {}

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        from summarizer.llm.openai_backend import answer_limit, build_request

        if in_parts():
            raise SeveralRequestsError(
                "a long article is summarised in several requests (map-reduce), and a batch job sends "
                "one per item: run it without --via, or add --reask-direct to run such items directly"
            )
        item = ITEM.get()
        assert item is not None, "CaptureBackend is used while preparing, with ITEM set"
        limit = answer_limit(self.max_tokens, self.endpoint_host, output)
        self.bodies[item] = build_request(self.model, messages, output, temperature, max_tokens=limit)
        raise _Captured(item)


class BatchPrices(PriceTable):
    """List prices less the Batch API's discount."""

    def cost(self, model: str | None, usage: Usage) -> float | None:
        cost = super().cost(model, usage)
        return None if cost is None else round(cost * BATCH_DISCOUNT, 8)


class AnswerBackend:
    """Answers an item's first request from the batch's results, after checking it is the request that
    was sent; later requests (re-asks) go to `direct` when given, else fail."""

    name = "openai-batch"

    def __init__(
        self,
        answers: AnswerFile,
        hashes: dict[str, str],
        *,
        model: str,
        endpoint_host: str | None,
        max_tokens: int | None,
        direct: Backend | None = None,
    ) -> None:
        self.answers = answers
        self.hashes = hashes
        self.model = model
        self.endpoint_host = endpoint_host
        self.max_tokens = max_tokens
        self.direct = direct

    async def complete(
        self, messages: list[Message], output: OutputSpec, *, temperature: float
    ) -> Completion:
        from summarizer.llm.openai_backend import answer_limit, build_request, to_completion

        item = ITEM.get() or ""
        limit = answer_limit(self.max_tokens, self.endpoint_host, output)
        body = build_request(self.model, messages, output, temperature, max_tokens=limit)
        if body_hash(body) == self.hashes.get(item):
            return to_completion(self.answers.chat(item), output, None)
        if self.direct is not None:  # a re-ask (or a changed item) goes to the model directly
            return await self.direct.complete(messages, output, temperature=temperature)
        raise ConfigError(
            "the request differs from the one sent in the batch: the input, the prompts or the "
            "settings changed since the job was prepared; run the item again without --via"
        )


def body_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AnswerFile:
    """The batch's output (and error) lines, found by custom_id; only file offsets are kept in memory."""

    def __init__(self, paths: Iterable[Path], status: str | None) -> None:
        self.status = status
        self._where: dict[str, tuple[Path, int]] = {}
        for path in paths:
            if not path.exists():
                continue
            with path.open("rb") as fh:
                offset = 0
                for line in fh:
                    if line.strip():
                        try:
                            custom_id = str(json.loads(line)["custom_id"])
                        except (ValueError, KeyError, TypeError):
                            custom_id = None
                        if custom_id is not None:
                            self._where.setdefault(custom_id, (path, offset))
                    offset += len(line)

    def __contains__(self, custom_id: str) -> bool:
        return custom_id in self._where

    def line(self, custom_id: str) -> dict[str, Any]:
        path, offset = self._where[custom_id]
        with path.open("rb") as fh:
            fh.seek(offset)
            record: dict[str, Any] = json.loads(fh.readline())
        return record

    def chat(self, custom_id: str) -> Any:
        """The answer's chat completion, or a `BackendError` naming why there is none."""
        from openai.types.chat import ChatCompletion

        if custom_id not in self._where:
            raise BackendError(f"the batch has no answer for this item (batch status: {self.status})")
        record = self.line(custom_id)
        response = record.get("response") or {}
        status = response.get("status_code")
        body = response.get("body")
        if status == 200 and isinstance(body, dict):
            return ChatCompletion.model_validate(body)
        error = record.get("error") or (body.get("error") if isinstance(body, dict) else None) or {}
        message = error.get("message") if isinstance(error, dict) else str(error)
        code = f" ({error['code']})" if isinstance(error, dict) and error.get("code") else ""
        text = json.dumps(body, ensure_ascii=False)[:500] if body is not None else ""
        raise BackendError(
            f"the batch answered this item with HTTP {status}{code}: {message or text or 'no answer'}",
            status=status if isinstance(status, int) else None,
            body=text,
        )
