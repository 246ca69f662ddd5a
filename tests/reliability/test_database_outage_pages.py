"""A web server whose database goes away answers 503 with a friendly page (site) or the API's error shape, says
when to retry, and serves normally again once the database is back."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.reliability.conftest import record_faults
from tests.reliability.private_stack import free_port, wait_until

pytestmark = pytest.mark.slow


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Accept-Language": "en"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_site_and_api_answer_503_while_postgres_is_down_then_recover(fresh_stack):
    stack = fresh_stack
    port = free_port()
    stack.start_web(port, PUBLIC_CACHE_ENABLED="false")  # every request reaches the database
    site, api = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/api/v1/claims/"
    assert fetch(site)[0] == 200
    assert fetch(api)[0] == 200

    stack.postgres.stop()
    try:
        site_status, site_headers, site_body = fetch(site)
        api_status, api_headers, api_body = fetch(api)
    finally:
        stack.postgres.start()

    assert site_status == 503
    assert site_headers["Content-Type"].startswith("text/html")
    assert int(site_headers["Retry-After"]) > 0
    assert "briefly unavailable" in site_body
    assert "Traceback" not in site_body
    assert "OperationalError" not in site_body
    assert api_status == 503
    assert api_headers["Content-Type"] == "application/json"
    assert int(api_headers["Retry-After"]) > 0
    error = json.loads(api_body)["error"]
    assert error["code"] == "service_unavailable"
    assert error["fields"] == {}

    assert wait_until(lambda: fetch(site)[0] == 200 and fetch(api)[0] == 200, timeout=30), stack.tail("web.log")
    record_faults("postgres down under the web server", faults=1, site_status=site_status, api_status=api_status)
