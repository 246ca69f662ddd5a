from django.core.management.base import BaseCommand, CommandParser

from accountability.services import demo_editor_ensure


class Command(BaseCommand):
    help = "Create (or reset) the demo editor account used by `make run`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="editor")
        parser.add_argument("--password", required=True)

    def handle(self, *args: object, username: str, password: str, **options: object) -> None:
        demo_editor_ensure(username=username, password=password)
        self.stdout.write(f"Demo editor ready: {username}")
