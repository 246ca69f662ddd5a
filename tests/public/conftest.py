"""Fixtures for the public website tests."""

from __future__ import annotations

import pytest
from django.utils import timezone

CLAIM_SLUG = "belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi"


@pytest.fixture
def claim_url() -> str:
    return f"/claims/{CLAIM_SLUG}/"


@pytest.fixture
def published():  # type: ignore[no-untyped-def]
    """Field values that make a factory-built record public."""
    return {"is_published": True, "published_at": timezone.now()}
