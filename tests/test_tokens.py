"""Token counts: a conservative estimate that never needs tiktoken or a network."""

from __future__ import annotations

from summarizer.llm.tokens import context_window, count_message_tokens, count_tokens, estimate_tokens


def test_estimate_errs_high() -> None:
    english = "The council approved the budget on Monday after a long debate. " * 20
    assert estimate_tokens(english) >= len(english) / 4  # real encodings: about 4 characters a token
    assert estimate_tokens("тегеран отклонил") == len("тегеран отклонил") - len(" ") + 1
    assert count_tokens("") == 0
    assert count_message_tokens([{"role": "user", "content": "hello"}]) > count_tokens("hello")


def test_context_windows() -> None:
    assert context_window("gpt-4o-mini") == 128_000
    assert context_window("gpt-4o-mini-2024-07-18") == 128_000
    assert context_window("llama3.1") is None
    assert context_window("llama3.1", 8192) == 8192
