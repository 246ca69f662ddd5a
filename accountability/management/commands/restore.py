from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accountability.backups import BackupError, database_restore, database_url_from_settings


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into a new or empty database (created when missing), in one "
        "transaction. Defaults to this site's database, which must then be empty."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A backup file written by the backup command.")
        parser.add_argument("--database-url", help="postgres://user@host:port/name of the database to restore into.")

    def handle(self, *args: object, file: Path, database_url: str | None, **options: object) -> None:
        try:
            result = database_restore(archive=file, database_url=database_url or database_url_from_settings())
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {result.tables} tables in {result.seconds:.1f} s."))
