"""The backends a `Client` talks to: an injected one as given, or one built per running event loop.

An HTTP connection pool belongs to the event loop that opened it, so a Client that serves several
`asyncio.run`s and threads builds one OpenAI-compatible backend per loop (and one outside any loop),
closed with its loop. Each is wrapped in the response cache and the call log as the settings say, and
shares the Client's pacing limiter and structured-output memory; what a server says it serves (its model
and context size) is kept across rebuilt backends.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import threading
import weakref
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any

from summarizer.llm.base import Backend
from summarizer.llm.cache import CachingBackend, ResponseCache
from summarizer.llm.calllog import CallLog, LoggingBackend, logging_enabled
from summarizer.llm.endpoints import is_openai_host
from summarizer.llm.pacing import RateLimiter
from summarizer.llm.pricing import PriceTable
from summarizer.settings import Settings

if TYPE_CHECKING:
    from summarizer.llm.openai_backend import OpenAIBackend


class Backends:
    """The backends of one `Client`: an injected one as given, or one built per running event loop."""

    def __init__(self, settings: Settings, prices: PriceTable, injected: Backend | None = None) -> None:
        self.settings = settings
        self.prices = prices
        self.found: tuple[str, int | None] | None = None
        """What the server said it serves (model, context size), kept across rebuilt backends."""
        self._backend = self.instrument(injected, built=False) if injected is not None else None
        self._built: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Built] = (
            weakref.WeakKeyDictionary()
        )
        """The backends built here, one per running loop; `_loopless` is the one built outside any."""
        self._loopless: _Built | None = None
        self._lock = threading.Lock()
        self._limiter: RateLimiter | None = None
        self._modes: Any = None

    @property
    def current(self) -> Backend:
        """The backend for the running event loop. One is built per loop, since an HTTP connection pool
        belongs to the loop that opened it: so one Client serves any number of `asyncio.run`s and
        threads. An injected backend is the caller's, shared as given."""
        if self._backend is not None:
            return self._backend
        return self._entry().backend

    @property
    def raw(self) -> OpenAIBackend | None:
        """The running loop's backend built here, under its cache and log wrappers (None if injected)."""
        return None if self._backend is not None else self._entry().raw

    def _entry(self) -> _Built:
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        with self._lock:
            for ended in [k for k in self._built if k.is_closed()]:  # closed at its shutdown
                del self._built[ended]
            if loop is None:
                self._loopless = self._loopless or self._build(closer=False)
                return self._loopless
            if loop not in self._built:
                self._built[loop] = self._build(closer=True)
            return self._built[loop]

    def _build(self, *, closer: bool) -> _Built:
        from summarizer.llm.endpoints import ModeMemory
        from summarizer.llm.openai_backend import OpenAIBackend

        s = self.settings
        if self._limiter is None and (s.rpm or s.tpm):  # one pace for every loop's requests
            self._limiter = RateLimiter(s.rpm, s.tpm, model=s.model)
        if self._modes is None and s.structured_output == "auto":
            self._modes = ModeMemory(s.log_dir)
        raw = OpenAIBackend.from_settings(
            model=s.model,
            base_url=s.base_url,
            api_key=s.api_key,
            record_dir=s.record,
            replay_dir=s.replay,
            timeout=s.timeout,
            max_retries=s.max_retries,
            max_tokens=s.max_tokens,
            limiter=self._limiter,
            mode_memory=self._modes,
        )
        if self.found is not None:
            raw.model, raw.context_window = self.found[0], self.found[1]
            raw.model_known = True
        self.prices.host = raw.endpoint_host
        built = _Built(self.instrument(raw, built=True), raw)
        if closer:
            built.closer = _closed_with_loop(built)
        return built

    async def ready(self) -> Backend:
        """The backend, once a server that is not OpenAI's has said which model it serves and its
        context size (`OpenAIBackend.discover`): the model's name when none was given, the context
        budget when `context_budget` is not set. A dead endpoint fails here, before any work."""
        backend = self.current
        raw = self.raw
        if raw is None or self.found is not None:
            return backend
        if raw.model_known and (self.settings.context_budget or is_openai_host(raw.endpoint_host)):
            return backend
        await raw.discover()
        self.found = (raw.model, raw.context_window)
        if backend.model != raw.model:  # the wrappers copied the name they were built with
            self._entry().backend = backend = self.instrument(raw, built=True)
        return backend

    def remembered_mode(self) -> str | None:
        """For an answer from the response cache under `auto`: the mode the endpoint last accepted."""
        raw = self.raw if self._backend is None else None
        if raw is None or self.settings.structured_output != "auto" or raw.mode_memory is None:
            return None
        return raw.auto_mode or raw.mode_memory.get(raw.endpoint)

    def instrument(self, backend: Backend, *, built: bool) -> Backend:
        """Wrap in the response cache and the call log: by default for a backend built here, on
        request (`cache=True`, `call_log=True`) for an injected one."""
        s = self.settings
        fixtures = s.record is not None or s.replay is not None
        use_cache = s.cache if s.cache is not None else built and not fixtures and s.temperature == 0
        if use_cache:
            backend = CachingBackend(backend, ResponseCache.shared(s.cache_dir))
        if s.call_log if s.call_log is not None else built and logging_enabled(s.log_dir):
            backend = LoggingBackend(backend, CallLog.shared(s.log_dir), self.prices, secrets=[s.api_key])
        return backend

    async def aclose(self) -> None:
        """Close the backend built here for the running loop (its connection pool is bound to it); an
        injected one is the caller's."""
        if self._backend is not None:
            return
        with self._lock:
            built = self._built.pop(asyncio.get_running_loop(), None)
            loopless, self._loopless = self._loopless, None  # built outside any loop: no connection
        if built is not None and built.closer is not None:
            await built.closer.aclose()
        closer = getattr(loopless.backend if loopless else None, "aclose", None)
        if closer is not None:
            await closer()


@dataclasses.dataclass
class _Built:
    """A backend built by a Client for one event loop: as used (wrapped), as built, and its closer."""

    backend: Backend
    raw: OpenAIBackend
    closer: AsyncGenerator[None, None] | None = None


def _closed_with_loop(built: _Built) -> AsyncGenerator[None, None]:
    """An async generator, started here, that closes `backend` when closed: the running loop closes
    every started async generator at its shutdown (`asyncio.run` does), so a backend left open by
    `asyncio.run(client.asummarize(...))` is closed inside its own loop, before that loop ends."""

    async def closer() -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            close = getattr(built.backend, "aclose", None)  # as wrapped now (`ready` may rewrap)
            if close is not None:
                await close()

    gen = closer()
    with contextlib.suppress(StopIteration):
        gen.__anext__().send(None)  # runs to the `yield` now, and registers with the running loop
    return gen
