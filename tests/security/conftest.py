"""Fixtures for the security tests."""

from __future__ import annotations

import pytest

GENEROUS_RATES = {"anonymous": "100000/min", "newsroom": "100000/min"}


@pytest.fixture(autouse=True)
def generous_rates(settings):  # type: ignore[no-untyped-def]
    """Throttle counters live in the shared cache: these tests send many API requests from one address."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS_RATES}
