"""Shared test setup: no test may reach the network; only loopback connections are allowed."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _check(address: Any) -> None:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and host not in _LOOPBACK:
        raise ConnectionRefusedError(
            f"tests may not use the network (attempted {host}); use a local fake server"
        )


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    """Refuse every non-loopback connection (Unix sockets and loopback stay allowed)."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_create = socket.create_connection

    def connect(self: socket.socket, address: Any) -> None:
        _check(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check(address)
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        _check(address)
        return real_create(address, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket.socket, "connect_ex", connect_ex)
        mp.setattr(socket, "create_connection", create_connection)
        yield


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Response cache, call log and config go to a fresh temporary folder, never the real home."""
    base = tmp_path_factory.mktemp("summarizer-home")
    for kind in ("CACHE", "STATE", "CONFIG"):
        monkeypatch.setenv(f"SUMMARIZER_{kind}_DIR", str(base / kind.lower()))
    monkeypatch.delenv("SUMMARIZER_PRICES", raising=False)
