"""Real HTTP servers on 127.0.0.1 for crawler tests, and their pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from servers.faults import FaultServer

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture
def fault_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultServer]:
    """A misbehaving HTTP server on a free port of 127.0.0.1 (routes in servers/faults.py). Proxy variables of
    the developer's shell are cleared so the crawler talks to it directly (set HTTP_PROXY after, if wanted)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with FaultServer() as server:
        yield server


@pytest.fixture
def other_fault_server(fault_server: FaultServer) -> Iterator[FaultServer]:
    """A second fault server: another port is another host to the crawler."""
    with FaultServer() as server:
        yield server
