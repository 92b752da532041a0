"""What the could-not-connect error says about the time it waited."""

from __future__ import annotations

import pytest

from summarizer.errors import BackendError
from summarizer.llm import openai_backend
from summarizer.llm.openai_backend import OpenAIBackend
from tests.test_local_server import MESSAGES, SPEC, unanswering_port

__all__ = ["unanswering_port"]  # the fixture, used by name


async def test_a_connect_timeout_names_the_time_the_request_waited(unanswering_port: int) -> None:
    """With --timeout below CONNECT_TIMEOUT the connection gets --timeout (`_build_client`): the message
    says so. Was: "within 5 s" whatever the request waited."""
    with pytest.raises(BackendError, match="could not connect") as info:
        async with OpenAIBackend(
            "m", base_url=f"http://127.0.0.1:{unanswering_port}/v1", timeout=0.4
        ) as backend:
            await backend.complete(MESSAGES, SPEC, temperature=0.0)
    assert "no answer to the connection within 0.4 s" in str(info.value)


async def test_a_patched_connect_timeout_is_the_one_used_and_reported(
    unanswering_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests patch `openai_backend.CONNECT_TIMEOUT` (test_local_server): the client is built with it,
    and the error names it, wherever the error mapping lives."""
    monkeypatch.setattr(openai_backend, "CONNECT_TIMEOUT", 0.25)
    url = f"http://127.0.0.1:{unanswering_port}/v1"
    with pytest.raises(BackendError, match=r"within 0\.25 s"):
        async with OpenAIBackend("m", base_url=url, timeout=60.0) as backend:
            assert backend.client.timeout.connect == 0.25  # type: ignore[union-attr]
            await backend.complete(MESSAGES, SPEC, temperature=0.0)


PUBLIC = [
    "BODY_LIMIT",
    "CONNECT_ATTEMPTS",
    "CONNECT_TIMEOUT",
    "CONTEXT_PATTERNS",
    "CONTEXT_WORDS",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MODEL",
    "DEFAULT_TIMEOUT",
    "DISCOVERY_TIMEOUT",
    "FIELD_GUIDE",
    "LOCAL_TIMEOUT",
    "MODE_WORDS",
    "NOT_A_REFUSAL",
    "PLACEHOLDER_KEY",
    "RETRY_AFTER_MAX",
    "SCHEMA_INSTRUCTION",
    "TRANSIENT_STATUSES",
    "NotACompletion",
    "OpenAIBackend",
    "answer_limit",
    "build_request",
    "context_overflow",
    "endpoint_host",
    "example_instance",
    "field_guide",
    "is_transient",
    "narrowed_schema",
    "refuses_mode",
    "retry_after_seconds",
    "to_completion",
    "to_model_error",
    "with_schema_instruction",
]
"""Every public name the module defined when it was one file of 911 lines."""


def test_the_backend_module_still_offers_every_public_name_it_had() -> None:
    assert sorted(openai_backend.__all__) == sorted(PUBLIC)
    assert all(hasattr(openai_backend, name) for name in PUBLIC)
