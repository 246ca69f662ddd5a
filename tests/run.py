"""``make test``: lint, migration check, then the whole suite against real PostgreSQL and Redis/Valkey.

The embedded servers are started when DATABASE_URL / REDIS_URL are unset, and stopped again afterwards if this
run started them. pytest's own summary line is the last thing printed.
"""

from __future__ import annotations

import os
import subprocess
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")  # before config's Celery app sets another

from config import runtime


def _embedded_servers_running() -> bool:
    postgres_up = not runtime.uses_embedded_postgres() or runtime.embedded_postgres().running_port() is not None
    valkey_up = not runtime.uses_embedded_valkey() or runtime.embedded_valkey().running_port() is not None
    return postgres_up and valkey_up


def main() -> int:
    already_running = _embedded_servers_running()
    runtime.start_embedded_servers()
    try:
        checks = [
            [sys.executable, "-m", "ruff", "check", "--quiet", "."],
            [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run", "--verbosity", "1"],
        ]
        for check in checks:
            print("$", " ".join(check[1:]), flush=True)
            if subprocess.run(check, check=False).returncode != 0:
                print("check failed:", " ".join(check[1:]), flush=True)
                return 1
        import pytest

        code = pytest.main([*sys.argv[1:]])
    finally:
        if not already_running:
            runtime.stop_embedded_servers()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
