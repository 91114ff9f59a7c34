"""E-mail alerts for new reports in an area."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lidzdaliba.core.services import (
    audit_record,
)
from lidzdaliba.reports.models import (
    AreaAlert,
    Category,
    Report,
)

from .common import (
    ReportRejected,
)

# --- area alerts ---------------------------------------------------------------------------


def area_alert_subscribe(
    *, actor: Any, neighbourhood: Any, email: str, category: Category | None = None
) -> AreaAlert:
    """Subscribe ``email`` to new reports in ``neighbourhood`` (optionally one category).
    Subscribing again is harmless; the address must confirm through the e-mailed link
    before alerts are sent."""
    email = (email or "").strip().lower()
    if not email:
        raise ReportRejected(_("Give your e-mail."), field="email")
    with transaction.atomic():
        alert, created = AreaAlert.objects.get_or_create(
            email=email,
            neighbourhood=neighbourhood,
            category=category,
            defaults={"municipality": neighbourhood.municipality},
        )
        if created:
            audit_record(actor=actor, verb="report_alert.subscribed", target=neighbourhood)
        if alert.confirmed_at is None:
            from lidzdaliba.reports.tasks import send_report_email

            url = reverse("reports:alert_confirm", args=[alert.token])
            transaction.on_commit(
                partial(
                    send_report_email.enqueue,
                    email,
                    _("Confirm alerts for %(area)s") % {"area": neighbourhood.name},
                    _("Open the link to start receiving new reports in this area."),
                    url,
                )
            )
    return alert


def area_alert_confirm(*, token: Any) -> AreaAlert | None:
    """Confirm a subscription by its token (``None`` for an unknown one)."""
    alert = AreaAlert.objects.filter(token=token).first()
    if alert and alert.confirmed_at is None:
        AreaAlert.objects.filter(pk=alert.pk).update(confirmed_at=timezone.now())
    return alert


def area_alert_unsubscribe(*, token: Any) -> bool:
    """Delete a subscription by its token; whether one was deleted."""
    deleted, _rows = AreaAlert.objects.filter(token=token).delete()
    return bool(deleted)


def alerts_for(*, report: Report) -> Iterable[AreaAlert]:
    """Confirmed subscriptions that a new ``report`` matches."""
    return AreaAlert.objects.filter(
        Q(category__isnull=True) | Q(category_id=report.category_id),
        neighbourhood_id=report.neighbourhood_id,
        confirmed_at__isnull=False,
    )
