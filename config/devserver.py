"""``make run``: the whole system on one machine with demo data.

Starts the embedded servers (unless DATABASE_URL / REDIS_URL name others), migrates, loads the demo story,
creates the demo editor, then runs the web server, a Celery worker and Celery beat until Ctrl-C, and stops
everything it started.
"""

from __future__ import annotations

import os
import subprocess
import sys

from honcho.manager import Manager

from config import runtime

DEMO_EDITOR_USERNAME = "editor"
DEMO_EDITOR_PASSWORD = "accountability-demo"  # noqa: S105 - a published demo login for local use
HOST = os.environ.get("RUN_HOST", "127.0.0.1")
PORT = os.environ.get("RUN_PORT", "8000")


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["PYTHONUNBUFFERED"] = "1"
    runtime.start_embedded_servers()
    _manage("migrate", "--no-input", "-v", "0")
    _manage("load_demo")
    _manage("ensure_demo_editor", "--username", DEMO_EDITOR_USERNAME, "--password", DEMO_EDITOR_PASSWORD)
    print(
        "\n"
        f"  Public site:  http://{HOST}:{PORT}/\n"
        f"  Admin:        http://{HOST}:{PORT}/admin/   (login {DEMO_EDITOR_USERNAME} / {DEMO_EDITOR_PASSWORD})\n"
        "  Ctrl-C stops everything.\n",
        flush=True,
    )
    os.environ["ACCOUNTABILITY_START_EMBEDDED"] = "0"  # started above; the children reuse them
    python = sys.executable
    manager = Manager()
    manager.add_process("web", f"{python} manage.py runserver --noreload {HOST}:{PORT}")
    manager.add_process("worker", f"{python} -m celery -A config.celery_app worker --loglevel=INFO --concurrency=2")
    manager.add_process(
        "beat",
        f"{python} -m celery -A config.celery_app beat --loglevel=INFO "
        f"--schedule={runtime.var_dir() / 'celerybeat-schedule'}",
    )
    try:
        manager.loop()
    finally:
        runtime.stop_embedded_servers()
    return manager.returncode or 0


if __name__ == "__main__":
    raise SystemExit(main())
