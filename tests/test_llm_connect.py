"""What the could-not-connect error says about the time it waited."""

from __future__ import annotations

import pytest

from summarizer.errors import BackendError
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
