"""What every report service shares: limits, the status workflow, the error."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from lidzdaliba.core.models import notification_kind_register
from lidzdaliba.reports.models import (
    CLOSED_STATUSES,
    Status,
)

MAX_PHOTOS = 5
MAX_DESCRIPTION = 4000
FOLLOWUP_AFTER = dt.timedelta(weeks=4)
FOLLOWUP_SALT = "reports.followup"

TRANSITIONS: dict[Status, set[Status]] = {
    Status.RECEIVED: {
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        *CLOSED_STATUSES,
    },
    Status.ASSIGNED: {Status.IN_PROGRESS, Status.RESOLVED, *CLOSED_STATUSES},
    Status.IN_PROGRESS: {Status.ASSIGNED, Status.RESOLVED, *CLOSED_STATUSES},
    # Reopening: by an officer, or when the reporter answers the follow-up with "no".
    Status.RESOLVED: {Status.ASSIGNED, Status.IN_PROGRESS},
    Status.NOT_OURS: {Status.ASSIGNED},
    Status.DUPLICATE: {Status.ASSIGNED},
    Status.CANNOT_FIX: {Status.ASSIGNED},
}
"""Which status may follow which. Every move needs ``reports.handle_report``; moving to
``resolved`` or a closed status needs a public reply."""

notification_kind_register("reports.update", gettext_lazy("Updates on reports I made or support"))
notification_kind_register("reports.followup", gettext_lazy("Is my reported problem really fixed?"))


class ReportRejected(ValueError):
    """The request was refused and nothing was stored; ``message`` is translated."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
