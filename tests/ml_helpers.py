"""Helpers for the ML tests: a fixture that blocks the network, and small image factories."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any

import pytest

LOCAL_FAMILIES = {getattr(socket, "AF_UNIX", None)}


class NetworkBlocked(RuntimeError):
    """Raised when code under test tries to reach the network."""


@pytest.fixture(name="no_network")
def no_network_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every internet socket connect (and DNS lookup) raises; unix sockets (the embedded graph)
    still work. Yields the list of attempts, so a test can also assert it stayed empty."""
    yield _block(monkeypatch)


def _block(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    attempts: list[Any] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded(real: Any) -> Any:
        def connect(self: socket.socket, address: Any) -> Any:
            if self.family in LOCAL_FAMILIES:
                return real(self, address)
            attempts.append(address)
            raise NetworkBlocked(f"network access attempted: {address!r}")

        return connect

    def no_lookup(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args[:2])
        raise NetworkBlocked(f"DNS lookup attempted: {args[:2]!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guarded(real_connect_ex))
    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    monkeypatch.setattr(socket, "create_connection", no_lookup)
    return attempts


@contextlib.contextmanager
def network_blocked() -> Iterator[list[Any]]:
    """The same block as the `no_network` fixture, for module-scoped fixtures."""
    with pytest.MonkeyPatch.context() as patch:
        yield _block(patch)
