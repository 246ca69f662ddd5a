"""Backups of the whole record with PostgreSQL's own tools, and a way to check a restore is faithful.

A backup is a ``pg_dump`` custom-format archive (compressed, restorable table by table). A restore goes into a new
or empty database only, in one transaction, so a failed restore leaves nothing half-written. The client tools
must be at least as new as the server: the embedded PostgreSQL ships its own; on a stock server the matching
``/usr/lib/postgresql/<major>/bin`` or the tools on ``PATH`` are used.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import psycopg
from django.conf import settings
from psycopg import sql

from accountability.errors import ApplicationError


class BackupError(ApplicationError):
    """pg_dump or pg_restore could not do what was asked."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    seconds: float


@dataclass(frozen=True)
class RestoreResult:
    database_url: str
    tables: int
    seconds: float


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    checksum: str


def database_url_from_settings(alias: str = "default") -> str:
    database = settings.DATABASES[alias]
    user = quote(database.get("USER") or "postgres", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{database['NAME']}"


def _without_password(database_url: str) -> tuple[str, dict[str, str]]:
    """The URL for the command line and the environment carrying its password (never in the process list)."""
    parts = urlsplit(database_url)
    environment = {**os.environ}
    if parts.password:
        environment["PGPASSWORD"] = unquote(parts.password)
    netloc = parts.hostname or "127.0.0.1"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    scheme = "postgresql" if parts.scheme in ("postgres", "postgresql", "pgsql") else parts.scheme
    return urlunsplit((scheme, netloc, parts.path, parts.query, "")), environment


def _database_name(database_url: str) -> str:
    name = unquote(urlsplit(database_url).path.lstrip("/"))
    if not name:
        raise BackupError("The database URL names no database.", extra={"database_url": "Add /<database name>."})
    return name


def _connect(database_url: str, *, database: str | None = None) -> psycopg.Connection:
    url, environment = _without_password(database_url)
    parts = urlsplit(url)
    if database is not None:
        url = urlunsplit((parts.scheme, parts.netloc, f"/{quote(database)}", parts.query, ""))
    return psycopg.connect(url, password=environment.get("PGPASSWORD"), autocommit=True, connect_timeout=10)


def server_major_version(database_url: str) -> int:
    with _connect(database_url, database="postgres") as connection:
        return int(connection.info.server_version) // 10000


def _tool_major_version(tool: Path) -> int | None:
    try:
        output = subprocess.run([str(tool), "--version"], capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", output.stdout)
    return int(found.group(1)) if found else None


def _candidate_tools(name: str) -> list[Path]:
    candidates: list[Path] = []
    try:
        from config.runtime import EmbeddedPostgres

        candidates.append(EmbeddedPostgres.bin_dir() / name)
    except RuntimeError:
        pass
    candidates.extend(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True))
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    return [candidate for candidate in candidates if candidate.is_file()]


def postgres_tool(name: str, *, server_major: int) -> Path:
    """The client tool matching the server's major version, else the oldest one newer than the server."""
    versions = [(major, tool) for tool in _candidate_tools(name) if (major := _tool_major_version(tool)) is not None]
    exact = [tool for major, tool in versions if major == server_major]
    if exact:
        return exact[0]
    newer = sorted((major, str(tool)) for major, tool in versions if major > server_major)
    if newer:
        return Path(newer[0][1])
    found = ", ".join(f"{tool} ({major})" for major, tool in versions) or "none"
    raise BackupError(
        f"No {name} for PostgreSQL {server_major} or newer; found: {found}. Install the PostgreSQL client tools."
    )


def default_backup_path(now: datetime.datetime | None = None) -> Path:
    moment = now or datetime.datetime.now(datetime.UTC)
    return Path(settings.BASE_DIR) / "var" / "backups" / f"accountability-{moment:%Y%m%d-%H%M%S}.dump"


def database_backup(*, database_url: str, output: Path) -> BackupResult:
    """Write the whole database to ``output`` as a custom-format archive (written aside, then moved in place)."""
    tool = postgres_tool("pg_dump", server_major=server_major_version(database_url))
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    url, environment = _without_password(database_url)
    started = time.monotonic()
    result = subprocess.run(
        [str(tool), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", f"--dbname={url}"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    partial.replace(output)
    return BackupResult(path=output, size_bytes=output.stat().st_size, seconds=time.monotonic() - started)


def _user_tables(connection: psycopg.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [row[0] for row in rows]


def _ensure_empty_database(database_url: str) -> None:
    name = _database_name(database_url)
    with _connect(database_url, database="postgres") as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return
    with _connect(database_url) as connection:
        if _user_tables(connection):
            raise BackupError(
                f"The database {name} already holds tables; restore into a new or empty database.",
                extra={"database_url": "Name a new database; it is created for you."},
            )


def database_restore(*, archive: Path, database_url: str) -> RestoreResult:
    """Restore an archive into a new (created here) or empty database, all or nothing."""
    if not archive.is_file():
        raise BackupError(f"No such backup file: {archive}")
    tool = postgres_tool("pg_restore", server_major=server_major_version(database_url))
    _ensure_empty_database(database_url)
    url, environment = _without_password(database_url)
    started = time.monotonic()
    result = subprocess.run(
        [
            str(tool),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={url}",
            str(archive),
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    with _connect(database_url) as connection:
        tables = len(_user_tables(connection))
    return RestoreResult(database_url=database_url, tables=tables, seconds=seconds)


def table_fingerprints(database_url: str) -> dict[str, TableFingerprint]:
    """Row count and an md5 of every row (in a stable order) for each table: equal fingerprints, equal data."""
    fingerprints = {}
    with _connect(database_url) as connection:
        for table in _user_tables(connection):
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(row_text, E'\\n' ORDER BY row_text), '')) "
                "FROM (SELECT t::text AS row_text FROM {} AS t) AS rows"
            ).format(sql.Identifier("public", table))
            count, checksum = connection.execute(query).fetchone()  # type: ignore[misc]
            fingerprints[table] = TableFingerprint(rows=int(count), checksum=str(checksum))
    return fingerprints
