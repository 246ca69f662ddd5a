"""Fixtures for the REST API tests: clients with and without newsroom keys, throttling out of the way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rest_framework.test import APIClient

from claims.api.models import NewsroomKey
from tests.support.webhook_receiver import Receiver, start_receiver, stop_receiver

GENEROUS_RATES = {"anonymous": "100000/min", "newsroom": "100000/min"}


@pytest.fixture(autouse=True)
def generous_rates(settings):  # type: ignore[no-untyped-def]
    """Throttle counters live in the shared cache; only the throttling tests lower the rates."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS_RATES}


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def client_with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def reader_key(db) -> str:  # type: ignore[no-untyped-def]
    _, key = NewsroomKey.objects.create_key(name="Le Soir data desk")
    return key


@pytest.fixture
def submit_key(db) -> str:  # type: ignore[no-untyped-def]
    _, key = NewsroomKey.objects.create_key(name="De Standaard", can_submit=True)
    return key


@pytest.fixture
def reader(reader_key: str) -> APIClient:
    return client_with_key(reader_key)


@pytest.fixture
def submitter(submit_key: str) -> APIClient:
    return client_with_key(submit_key)


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:  # type: ignore[no-untyped-def]
    """A newsroom's webhook endpoint on 127.0.0.1, which deliveries may reach (loopback allowed, its port)."""
    endpoint = start_receiver()
    settings.INGESTION_ALLOW_LOOPBACK = True
    settings.INGESTION_ALLOWED_PORTS = [endpoint.httpd.server_address[1], 443]
    yield endpoint
    stop_receiver(endpoint)
