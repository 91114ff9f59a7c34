"""Personal data kept with reports: export and erasure."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lidzdaliba.reports.models import (
    AreaAlert,
    Report,
    Supporter,
)

# --- personal data ----------------------------------------------------------------------------


def personal_data_of(user: Any) -> dict[str, Any]:
    """The "download my data" section: reports ``user`` made and supports, and area alerts
    sent to their e-mail address."""
    made = Report.objects.filter(reporter=user).select_related("category")
    supported = Supporter.objects.filter(user=user).select_related("report")
    return {
        "reports": [
            {
                "id": r.pk,
                "category": r.category.code,
                "description": r.description,
                "address": r.address,
                "lat": r.lat,
                "lon": r.lon,
                "email": r.reporter_email,
                "name": r.reporter_name,
                "show_name": r.show_name,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
            }
            for r in made
        ],
        "supported": [s.report_id for s in supported],
        "area_alerts": list(
            AreaAlert.objects.filter(email__iexact=user.email).values_list(
                "neighbourhood__slug", flat=True
            )
        ),
    }


def personal_data_erase(*, user: Any) -> int:
    """Before an account is deleted: remove the e-mail address and name from the reports the
    person made (the reports themselves stay, anonymous) and their area alerts. Returns how
    many reports were anonymised."""
    with transaction.atomic():
        count = Report.objects.filter(reporter=user).update(
            reporter_email="", reporter_name="", show_name=False
        )
        AreaAlert.objects.filter(email__iexact=user.email).delete()
    return count
