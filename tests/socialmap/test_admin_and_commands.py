"""Moderators manage the needs taxonomy in the admin; the commands for stale entries and
imports."""

import json

import pytest
from django.core.management import CommandError, call_command

from lidzdaliba.socialmap.models import Need, Service


def test_moderator_manages_needs_in_the_admin(client, moderator, directory):
    client.force_login(moderator)
    assert client.get("/admin/socialmap/need/").status_code == 200
    food = Need.objects.get(slug="food")
    assert client.get(f"/admin/socialmap/need/{food.pk}/change/").status_code == 200


def test_residents_cannot_manage_needs(client, verified_resident, directory):
    client.force_login(verified_resident)
    assert client.get("/admin/socialmap/need/").status_code in (302, 403)


def test_stale_command_flags_old_entries(directory, capsys):
    call_command("socialmap-stale")
    assert "flagged" in capsys.readouterr().out
    assert Service.objects.filter(stale_flagged_at__isnull=False).exists()


@pytest.mark.usefixtures("english")
def test_import_command_prints_the_report(directory, tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text(
        json.dumps([{"id": "x", "name": "Orphan", "status": "active", "organization_id": "nope"}])
    )
    with pytest.raises(CommandError):
        call_command("socialmap-import", str(path))
    assert "refers to organization" in capsys.readouterr().out


def test_stale_task_flags_old_entries(directory):
    from lidzdaliba.socialmap.tasks import flag_stale_services

    result = flag_stale_services.enqueue()
    assert result.return_value >= 1
