"""The ``lidzdaliba`` console script: Django's management commands with our settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lidzdaliba.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lidzdaliba", *(sys.argv[1:] if argv is None else argv)])
