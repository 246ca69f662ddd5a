"""The OpenAPI schema is valid without warnings, the docs UI is served offline, docs/api.md's Python example runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_schema_generates_without_warnings_or_errors(tmp_path, db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    schema = (tmp_path / "schema.yaml").read_text()
    for path in ("/api/v1/claims/", "/api/v1/resignation-offers/", "/api/v1/sources/{id_or_slug}/status/"):
        assert f"{path}:" in schema


def test_schema_is_served_and_describes_every_filter(api, db):
    response = api.get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    events = response.json()["paths"]["/api/v1/events/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in events["parameters"]}
    assert {"kind", "outcome", "country", "year", "updated_since", "ordering", "cursor", "page_size"} <= set(parameters)
    assert all(parameter.get("description") for parameter in parameters.values())


def test_swagger_ui_is_served_with_local_assets(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


def test_python_example_in_the_docs_runs_against_a_live_server(transactional_db, live_server, demo_story):
    example = re.search(r"## Python, standard library only\s+```python\n(.*?)```", DOCS.read_text(), re.S)
    assert example is not None

    result = subprocess.run(
        [sys.executable, "-c", example.group(1)],
        env={**os.environ, "ACCOUNTABILITY_API": f"{live_server.url}/api/v1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert (
        "2016-03-24 Jan Jambon offered to resign as Minister of Security and the Interior; refused by Charles Michel"
        in result.stdout
    )
    assert "Koen Geens offered to resign as Minister of Justice" in result.stdout
    assert "Ibrahim El Bakraoui also written" in result.stdout
