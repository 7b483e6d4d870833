"""Fixtures for the conformance tests: the independent reference server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .reference_server import RefServer


@pytest.fixture
def ref() -> Iterator[RefServer]:
    """A fresh reference server (written from the pages alone) on a free port."""
    server = RefServer().start()
    yield server
    server.stop()
