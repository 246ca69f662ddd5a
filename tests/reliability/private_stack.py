"""A private PostgreSQL and Valkey pair, with real worker, beat and web processes against them, for fault tests.

Nothing here touches the shared servers: each stack lives under a temporary folder on free ports, so a test may
stop, restart or kill whatever it likes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import redis

from config.runtime import EmbeddedPostgres, EmbeddedValkey

BASE_DIR = Path(__file__).resolve().parents[2]
BROKER_DB, RESULTS_DB, CACHE_DB = 1, 2, 3


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], *, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return True
        time.sleep(interval)
    return bool(condition())


@dataclass
class FaultLog:
    """What a test did to the system and what it found afterwards."""

    faults: list[str] = field(default_factory=list)

    def inject(self, description: str) -> None:
        self.faults.append(description)


@dataclass
class PrivateStack:
    root: Path
    postgres: EmbeddedPostgres
    valkey: EmbeddedValkey
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return self.postgres.url()

    @property
    def redis_url(self) -> str:
        return self.valkey.url(0)

    @property
    def broker_url(self) -> str:
        return self.valkey.url(BROKER_DB)

    def environment(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "ACCOUNTABILITY_START_EMBEDDED": "0",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "TEST_REDIS_FIRST_DB": str(BROKER_DB),
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    # --- the data -------------------------------------------------------------------------------------------
    def manage(self, *arguments: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=BASE_DIR,
            env=self.environment(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def sql(self, query: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(query, parameters)
            return list(cursor.fetchall()) if cursor.description else []

    def value(self, query: str, parameters: tuple[Any, ...] = ()) -> Any:
        return self.sql(query, parameters)[0][0]

    def redis(self, database: int) -> redis.Redis:
        return redis.Redis.from_url(self.valkey.url(database), socket_timeout=5)

    def transactions_in_flight(self) -> int:
        """Worker connections inside a transaction right now (a task is mid-way through its writes)."""
        return int(
            self.value(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND backend_type = 'client backend'"
            )
        )

    def send_task(self, name: str, *args: Any) -> str:
        """Enqueue a task on this stack's broker from the test process."""
        from config.celery_app import app

        with app.connection_for_write(self.broker_url) as connection:
            return app.send_task(name, args=list(args), connection=connection).id

    # --- processes ------------------------------------------------------------------------------------------
    def _spawn(self, arguments: list[str], log_name: str, **extra: str) -> subprocess.Popen:
        log = (self.root / log_name).open("ab")
        process = subprocess.Popen(
            [sys.executable, *arguments],
            cwd=BASE_DIR,
            env=self.environment(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes.append(process)
        return process

    def start_worker(self, *, concurrency: int = 1, **extra: str) -> subprocess.Popen:
        return self._spawn(
            [
                "-m",
                "celery",
                "-A",
                "config.celery_app",
                "worker",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            "worker.log",
            **extra,
        )

    def start_beat(self, **extra: str) -> subprocess.Popen:
        schedule = self.root / "beat-schedule"
        return self._spawn(
            ["-m", "celery", "-A", "config.celery_app", "beat", "--loglevel=INFO", f"--schedule={schedule}"],
            "beat.log",
            **extra,
        )

    def start_web(self, port: int, **extra: str) -> subprocess.Popen:
        process = self._spawn(
            ["-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{port}", "--workers=1", "--timeout=30"],
            "web.log",
            **extra,
        )
        if not wait_until(lambda: port_answers(port), timeout=60):
            raise AssertionError(f"the web server did not start:\n{self.log('web.log')}")
        return process

    def tail(self, name: str, characters: int = 3000) -> str:
        return self.log(name)[-characters:]

    def log(self, name: str) -> str:
        path = self.root / name
        return path.read_text(errors="replace") if path.exists() else ""

    @staticmethod
    def stop(process: subprocess.Popen, *, crash: bool = False) -> None:
        """Stop gracefully, or SIGKILL the whole process group (a crash, nothing gets to clean up)."""
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL if crash else signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            self.stop(process)
        self.processes.clear()

    def restart_postgres(self, *, down_for: float = 0.0) -> None:
        self.postgres.stop()
        time.sleep(down_for)
        self.postgres.start()

    def restart_valkey(self, *, down_for: float = 0.0) -> None:
        self.valkey.stop()
        time.sleep(down_for)
        self.valkey.start()

    def reset_data(self) -> None:
        """An empty queue and cache, and no sources or links left by an earlier test."""
        self.stop_all()
        for database in (BROKER_DB, RESULTS_DB, CACHE_DB):
            self.redis(database).flushdb()
        self.sql("TRUNCATE claims_parkedtask")


@contextlib.contextmanager
def private_stack(root: Path) -> Iterator[PrivateStack]:
    """Start the pair on free ports, create the schema and the demo story; stop everything afterwards."""
    stack = PrivateStack(root, EmbeddedPostgres(root, free_port()), EmbeddedValkey(root, free_port()))
    stack.postgres.start()
    try:
        stack.valkey.start()
        try:
            stack.manage("migrate", "--noinput")
            stack.manage("load_demo")
            yield stack
        finally:
            stack.stop_all()
            stack.valkey.stop()
    finally:
        stack.postgres.stop()
