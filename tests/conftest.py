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
