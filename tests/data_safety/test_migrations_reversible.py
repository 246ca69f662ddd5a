"""Every migration can be undone: on a scratch database each app is migrated to zero, then all the way back up,
and the models still match the migrations.

Django's own apps (auth, contenttypes, admin, sessions) stay: auth cannot go below its 0002 once a permission name
is longer than 50 characters, which ours are, and nothing of ours is in their migrations."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings

from accountability.backups import database_url_from_settings

pytestmark = pytest.mark.slow

# Triggers on the implicit many-to-many tables are installed after every migrate (PGTRIGGER_INSTALL_ON_MIGRATE);
# with the tables gone (migrated to zero) there is nothing to install them on, so that step is left out going down.
MIGRATE_DOWN_AND_UP = """
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings

DJANGO_OWN_APPS = {"admin", "auth", "contenttypes", "sessions"}
DJANGO_OWN_TABLES = ("django_", "auth_")

def own_tables():
    return [table for table in tables() if not table.startswith(DJANGO_OWN_TABLES)]

def tables():
    return sorted(set(connection.introspection.table_names()) - {"django_migrations"})

def triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
        return cursor.fetchone()[0]

call_command("migrate", verbosity=0)
print("triggers after migrate:", triggers())
executor = MigrationExecutor(connection)
plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
apps_in_order = [
    label for label in dict.fromkeys(migration.app_label for migration, _ in plan) if label not in DJANGO_OWN_APPS
]
applied = len(executor.loader.applied_migrations)
print("tables after migrate:", len(tables()))
with override_settings(PGTRIGGER_INSTALL_ON_MIGRATE=False):
    for app_label in reversed(apps_in_order):
        call_command("migrate", app_label, "zero", verbosity=0)
print("tables after zero:", len(own_tables()), own_tables())
print("triggers after zero:", triggers())
call_command("migrate", verbosity=0)
print("tables after migrating back:", len(tables()))
print("triggers after migrating back:", triggers())
print("migrations applied:", applied)
call_command("makemigrations", check=True, dry_run=True, verbosity=0)
"""


@pytest.fixture
def scratch_database_url():  # type: ignore[no-untyped-def]
    base_url, name = database_url_from_settings().rsplit("/", 1)
    scratch = f"{name}_migrations"
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{scratch}"')
    yield f"{base_url}/{scratch}"
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_every_app_migrates_to_zero_and_back(scratch_database_url):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", MIGRATE_DOWN_AND_UP],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "ACCOUNTABILITY_START_EMBEDDED": "0",
            "DATABASE_URL": scratch_database_url,
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    assert lines["tables after zero"].split()[0] == "0", lines["tables after zero"]
    assert int(lines["triggers after zero"]) == 0
    assert int(lines["tables after migrating back"]) == int(lines["tables after migrate"]) > 50
    assert int(lines["triggers after migrating back"]) == int(lines["triggers after migrate"]) > 50
