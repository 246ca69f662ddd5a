"""Shared fixtures. Every test talks to the real PostgreSQL and Redis/Valkey servers."""

from __future__ import annotations

import pytest

from tests.factories import SourceFactory, UserFactory


@pytest.fixture
def editor(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="test-editor")


@pytest.fixture
def source(db):  # type: ignore[no-untyped-def]
    return SourceFactory()


@pytest.fixture
def demo_story(db):  # type: ignore[no-untyped-def]
    from accountability.demo.story import load_demo_story

    return load_demo_story()


@pytest.fixture
def http_server():  # type: ignore[no-untyped-def]
    """A real HTTP server on 127.0.0.1 with routes the test adds; fetching from it is allowed for the test."""
    from tests.support.local_http import LocalServer, start_server

    httpd = start_server()
    yield LocalServer(httpd)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback_fetching(settings, http_server):  # type: ignore[no-untyped-def]
    """Let the ingestion fetcher reach the test's own server, and only it (loopback, its port)."""
    settings.INGESTION_ALLOW_LOOPBACK = True
    settings.INGESTION_ALLOWED_PORTS = [http_server.port]
    return http_server


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    """Headless Chromium (Debian's), one per test."""
    from tests.support.browser import launched_chromium

    yield from launched_chromium()
