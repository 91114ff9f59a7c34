"""Load the 17 UN Sustainable Development Goals and their 169 targets from ``data/sdg.json``.

Reversible: unloading removes the UN targets (local targets of municipalities stay only
as long as their goal exists, so reversing also removes them) and the goals.
"""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "sdg.json"
LANGUAGES = ("lv", "en", "ru", "uk")


def _data():
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)["goals"]


def load(apps, schema_editor):
    SdgGoal = apps.get_model("core", "SdgGoal")
    SdgTarget = apps.get_model("core", "SdgTarget")
    for row in _data():
        names = row["name"]
        goal, _ = SdgGoal.objects.update_or_create(
            number=row["number"],
            defaults={
                "colour": row["colour"],
                "name": names["lv"],
                **{f"name_{lang}": names.get(lang) for lang in LANGUAGES},
            },
        )
        for target in row["targets"]:
            titles = target["title"]
            SdgTarget.objects.update_or_create(
                code=target["code"],
                municipality=None,
                defaults={
                    "goal": goal,
                    "title": titles["lv"],
                    **{f"title_{lang}": titles.get(lang) for lang in LANGUAGES},
                },
            )


def unload(apps, schema_editor):
    SdgGoal = apps.get_model("core", "SdgGoal")
    SdgTarget = apps.get_model("core", "SdgTarget")
    rows = _data()
    codes = [target["code"] for row in rows for target in row["targets"]]
    SdgTarget.objects.filter(municipality__isnull=True, code__in=codes).delete()
    SdgGoal.objects.filter(number__in=[row["number"] for row in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
