#!/usr/bin/env python
"""Django's command-line utility. Starts the embedded servers first when DATABASE_URL / REDIS_URL are unset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from config import runtime

    if os.environ.get("ACCOUNTABILITY_START_EMBEDDED", "1") == "1":
        runtime.start_embedded_servers()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
