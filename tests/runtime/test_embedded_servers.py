"""The embedded PostgreSQL and Valkey servers: idempotent starts, crash recovery, clean stops.

Each test runs its own servers in a temporary folder on ports it picks, so the suite's servers are untouched.
"""

from __future__ import annotations

import os
import signal
import socket
import time

import psutil
import psycopg
import pytest

from config.runtime import EmbeddedPostgres, EmbeddedValkey

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes_using(folder) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if any(str(folder) in part for part in (process.info["cmdline"] or [])):
            found.append(process)
    return found


@pytest.fixture
def postgres(tmp_path):
    server = EmbeddedPostgres(tmp_path, preferred_port=_free_port())
    yield server
    server.stop()


@pytest.fixture
def valkey(tmp_path):
    server = EmbeddedValkey(tmp_path, preferred_port=_free_port())
    yield server
    server.stop()


def _postmaster_pid(server: EmbeddedPostgres) -> int:
    return int((server.data_dir / "postmaster.pid").read_text().splitlines()[0])


def test_postgres_second_start_reuses_the_running_server_and_keeps_data(postgres):
    port = postgres.start()
    with psycopg.connect(postgres.url().replace("postgres://", "postgresql://"), autocommit=True) as connection:
        connection.execute("CREATE TABLE kept (value text)")
        connection.execute("INSERT INTO kept VALUES ('still here')")
        extensions = {row[0] for row in connection.execute("SELECT name FROM pg_available_extensions")}
    first_pid = _postmaster_pid(postgres)
    assert postgres.start() == port
    assert _postmaster_pid(postgres) == first_pid
    postgres.stop()
    postgres.start()
    with psycopg.connect(postgres.url().replace("postgres://", "postgresql://")) as connection:
        assert connection.execute("SELECT value FROM kept").fetchone() == ("still here",)
    assert {"pg_trgm", "unaccent", "vector"} <= extensions


def test_postgres_recovers_after_a_crash_left_a_stale_pid_file(postgres):
    postgres.start()
    os.kill(_postmaster_pid(postgres), signal.SIGKILL)
    time.sleep(0.5)
    assert (postgres.data_dir / "postmaster.pid").exists()
    postgres.start()
    with psycopg.connect(postgres.url().replace("postgres://", "postgresql://")) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_postgres_moves_to_a_free_port_when_its_port_is_taken(postgres):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", postgres.preferred_port))
        squatter.listen()
        port = postgres.start()
    assert port != postgres.preferred_port
    assert postgres.url().endswith(f":{port}/accountability")


def test_postgres_stop_leaves_no_process_behind(postgres):
    postgres.start()
    assert _processes_using(postgres.data_dir)
    postgres.stop()
    assert _processes_using(postgres.data_dir) == []
    postgres.stop()  # stopping a stopped server is fine


def test_valkey_second_start_reuses_the_server(valkey):
    port = valkey.start()
    pid = int(valkey.pid_file.read_text())
    assert valkey.start() == port
    assert int(valkey.pid_file.read_text()) == pid


def test_valkey_keeps_committed_data_across_restarts(valkey):
    import redis

    valkey.start()
    client = redis.Redis.from_url(valkey.url())
    client.set("kept", "yes")
    client.execute_command("BGREWRITEAOF")
    time.sleep(1.2)  # appendfsync everysec
    valkey.stop()
    valkey.start()
    assert redis.Redis.from_url(valkey.url()).get("kept") == b"yes"


def test_valkey_recovers_from_a_killed_server_and_a_taken_port(valkey):
    port = valkey.start()
    os.kill(int(valkey.pid_file.read_text()), signal.SIGKILL)
    time.sleep(0.3)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        new_port = valkey.start()
    assert new_port != port
    assert valkey.running_port() == new_port


def test_valkey_stop_leaves_no_process_behind(valkey):
    valkey.start()
    pid = int(valkey.pid_file.read_text())
    valkey.stop()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
