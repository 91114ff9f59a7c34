"""Background tasks of collective submissions (django-tasks); the daily management command
``petitions_daily`` does the same from a scheduler such as cron or a systemd timer."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def petitions_daily() -> dict[str, int]:
    """Close submissions whose signing ended below the threshold; purge old signer data."""
    return {
        "closed": services.submissions_close_due(),
        "purged": services.signer_data_purge(),
    }
