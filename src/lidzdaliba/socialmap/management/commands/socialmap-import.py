"""``lidzdaliba socialmap-import FILE``: import an HSDS 3.0 JSON file or tabular datapackage
zip and print the report (exit code 1 when references are broken and nothing was imported)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lidzdaliba.core.models import Municipality
from lidzdaliba.socialmap.importing import hsds_import, read_upload


class Command(BaseCommand):
    help = "Import organisations and services from an HSDS 3.0 JSON file or datapackage zip."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", default="liepaja")
        parser.add_argument("--lang", default="lv", choices=["lv", "en", "ru", "uk"])

    def handle(self, *args, **options):
        municipality = Municipality.objects.get(slug=options["municipality"])
        try:
            data = read_upload(Path(options["file"]).read_bytes())
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        report = hsds_import(actor=None, municipality=municipality, data=data, lang=options["lang"])
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        if report.aborted:
            raise CommandError("Nothing imported: the file has broken references.")
