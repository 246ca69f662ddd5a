from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accountability.backups import BackupError, database_backup, database_url_from_settings, default_backup_path


class Command(BaseCommand):
    help = "Back up the whole database to a pg_dump custom-format file (default: var/backups/<date>.dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="Where to write the backup.")

    def handle(self, *args: object, output: Path | None, **options: object) -> None:
        try:
            result = database_backup(database_url=database_url_from_settings(), output=output or default_backup_path())
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {result.path} ({result.size_bytes} bytes) in {result.seconds:.1f} s.")
        )
