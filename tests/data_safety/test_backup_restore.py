"""A backup of a database holding the demo story restores into a new database with every row intact."""

from __future__ import annotations

import io
import time

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accountability.backups import database_url_from_settings, table_fingerprints

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def drop_database(database_url: str, name: str) -> None:
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def restore_target():  # type: ignore[no-untyped-def]
    source_url = database_url_from_settings()
    name = f"{source_url.rsplit('/', 1)[1]}_restored"
    drop_database(source_url, name)
    yield f"{source_url.rsplit('/', 1)[0]}/{name}"
    drop_database(source_url, name)


def test_backup_of_the_demo_story_restores_identically_into_a_new_database(demo_story, tmp_path, restore_target):
    archive = tmp_path / "demo.dump"
    output = io.StringIO()
    call_command("backup", output=archive, stdout=output)
    assert archive.stat().st_size > 0
    assert "Backed up to" in output.getvalue()

    started = time.monotonic()
    call_command("restore", str(archive), database_url=restore_target, stdout=output)
    restore_seconds = time.monotonic() - started

    original = table_fingerprints(database_url_from_settings())
    restored = table_fingerprints(restore_target)
    assert restored == original
    assert original["claims_claim"].rows >= 4
    assert original["accountability_accountabilityevent"].rows >= 4
    assert original["claims_claimevent"].rows > 0, "history comes back too"
    print(f"restore of {len(original)} tables took {restore_seconds:.2f} s")


def test_restore_refuses_a_database_that_already_holds_tables(demo_story, tmp_path):
    archive = tmp_path / "demo.dump"
    call_command("backup", output=archive, stdout=io.StringIO())

    with pytest.raises(CommandError, match="already holds tables"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_backup_command_explains_a_missing_restore_file(tmp_path):
    with pytest.raises(CommandError, match="No such backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), stdout=io.StringIO())
