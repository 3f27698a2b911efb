"""langchain-tests brings pytest plugins (pytest-asyncio, pytest-socket, pytest-recording/vcrpy,
syrupy, pytest-benchmark, pytest-codspeed): the project's own guards still hold beside them."""

from __future__ import annotations

import asyncio
import socket

import pytest


def test_no_network_guard_still_blocks_outside_hosts() -> None:
    with socket.socket() as sock, pytest.raises(RuntimeError, match="network access blocked"):
        sock.connect(("203.0.113.7", 9))  # TEST-NET-3: never routable


def test_loopback_stays_open_for_local_servers() -> None:
    """The Chroma server and app tests talk to 127.0.0.1; no plugin may block that."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            conn, _ = server.accept()
            conn.close()


async def test_async_tests_run_and_stay_offline() -> None:
    """The suites' bare `async def` tests need asyncio_mode=auto; the guard holds in the loop."""
    await asyncio.sleep(0)
    with socket.socket() as sock, pytest.raises(RuntimeError, match="network access blocked"):
        sock.connect(("203.0.113.7", 9))


def test_browser_tests_run_after_every_async_test(request: pytest.FixtureRequest) -> None:
    """The browser tests' session-wide Playwright (sync API) keeps an event loop running in the
    main thread from its first use to the session's end, and no async test can run while it does:
    the default run collects tests/browser last."""
    paths = request.config.getini("testpaths")
    assert paths[-1] == "tests/browser"
    assert {"tests/unit", "tests/integration"} <= set(paths[:-1])
