"""Background work of the social map (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def flag_stale_services() -> int:
    """Ask organisations to confirm entries not checked for ``SOCIALMAP_CONFIRM_MONTHS``
    (daily; the same as ``lidzdaliba socialmap-stale``). Returns how many were flagged."""
    return services.services_flag_stale()
