"""Every error the tool raises on purpose.

    SummarizerError                 base; ``exit_code`` is what the CLI exits with
    ├── UsageError                  the caller's mistake: fix the command, file or settings (exit 2)
    │   ├── InputError              an article cannot be loaded: names the file (exit 3)
    │   ├── ConfigError             missing or contradictory settings: names the flag/variable (exit 2)
    │   └── TemplateError           a template is missing or broken: names template and line (exit 2)
    └── ModelError                  the model or its server failed (exit 4)
        ├── BackendError            HTTP status / connection failure from the server, after retries
        │   └── QuotaError          429 insufficient_quota: no retry, and a batch stops
        ├── ReplayMissError         no recorded exchange matches the request (exit 4)
        ├── RefusalError            the model refused
        ├── TruncatedError          finish_reason == "length"
        └── AttemptsExhaustedError  every re-ask still failed validation (exit 5)

Messages name the fix: the flag, the variable, the file and line.
"""

from __future__ import annotations

from typing import Any


class SummarizerError(Exception):
    """Base class of every error raised on purpose by summarizer."""

    exit_code = 1


class UsageError(SummarizerError):
    """The caller's mistake: input, configuration or template."""

    exit_code = 2


class InputError(UsageError):
    """An input document cannot be loaded or is unusable."""

    exit_code = 3

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class ConfigError(UsageError):
    """Settings are missing, invalid or contradictory."""


class TemplateError(UsageError):
    """A prompt template is missing, fails to parse or fails to render."""


class ModelError(SummarizerError):
    """The model or its server failed to give a usable answer."""

    exit_code = 4

    def __init__(self, message: str, *, usage: Any = None, attempts: int = 0) -> None:
        self.usage = usage
        self.attempts = attempts
        super().__init__(message)


class BackendError(ModelError):
    """The server answered with an error status, or could not be reached, after retries."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        body: str | None = None,
        usage: Any = None,
        attempts: int = 0,
    ) -> None:
        self.status = status
        self.body = body
        self.context_window: int | None = None
        """For a request that does not fit the context: the context size the server named."""
        super().__init__(message, usage=usage, attempts=attempts)


class QuotaError(BackendError):
    """The account's quota is spent (HTTP 429 `insufficient_quota`): retrying, or going on with the next
    item of a batch, would fail the same way."""


class ReplayMissError(ModelError):
    """Replay mode found no recorded exchange for a request."""


class RefusalError(ModelError):
    """The model refused to answer."""


class TruncatedError(ModelError):
    """The completion was cut off by the token limit (finish_reason == "length")."""


class AttemptsExhaustedError(ModelError):
    """Every attempt, re-asks included, failed to give a valid answer."""

    exit_code = 5

    def __init__(
        self,
        message: str,
        *,
        attempts: int,
        last_completion: str | None,
        errors: list[str],
        usage: Any = None,
    ) -> None:
        self.last_completion = last_completion
        self.errors = errors
        super().__init__(message, usage=usage, attempts=attempts)
