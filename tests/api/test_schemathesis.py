"""Property-based requests generated from the OpenAPI schema: no server error, and every answer conforms to the
schema (documented status codes, content types, headers and bodies).

Two data checks are left out on purpose: ``positive_data_acceptance`` (a cursor is an opaque string, so random
strings are "schema-valid" yet rightly refused with 400) and ``negative_data_rejection`` (like any DRF list, an
unusable ``page_size`` falls back to the default page instead of failing the request)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_generated_requests_across_the_whole_schema_cause_no_server_error(live_server, demo_story):
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert executable, "schemathesis is installed with requirements/local.txt"
    run = subprocess.run(
        [
            executable,
            "run",
            f"{live_server.url}/api/v1/schema/",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
            "response_schema_conformance,missing_required_header,unsupported_method,ignored_auth",
            "--max-examples",
            "10",
            "--generation-deterministic",
            "--workers",
            "1",
            "--request-timeout",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    summary = run.stdout[run.stdout.find("SUMMARY") :]
    assert run.returncode == 0, summary or run.stderr[-3000:]
    tested = re.search(r"Tested: (\d+)", summary)
    assert tested is not None
    assert int(tested.group(1)) >= 18, summary  # every operation of the schema was exercised
