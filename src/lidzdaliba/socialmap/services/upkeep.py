"""Keeping entries right: confirmation, stale entries, reports, duplicates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lidzdaliba.core.services import audit_record, notify

from .. import validation
from ..models import ChangeRequest, Location, OutdatedReport, Provider, Service
from .base import (
    SocialMapError,
    _moderators,
    _representatives,
    _require,
    confirm_months,
    months_before,
)


@transaction.atomic
def service_confirm(*, actor: Any, service: Service) -> Service:
    """The organisation says the entry is still right: it counts as checked today."""
    _require(actor, "socialmap.represent", service.provider.organisation or service.municipality)
    service.last_confirmed_on = timezone.localdate()
    service.stale_flagged_at = None
    service.save(update_fields=["last_confirmed_on", "stale_flagged_at", "updated_at"])
    audit_record(actor=actor, verb="socialmap.service_confirmed", target=service)
    return service


@transaction.atomic
def services_flag_stale(*, today: dt.date | None = None) -> int:
    """Ask organisations to confirm services not checked for ``SOCIALMAP_CONFIRM_MONTHS``
    (once per service until it is confirmed). Returns how many were flagged. Public pages mark
    them "may be outdated" ``SOCIALMAP_OUTDATED_GRACE_DAYS`` later (see ``selectors``)."""
    today = today or timezone.localdate()
    limit = months_before(today, confirm_months())
    stale = list(
        Service.objects.filter(last_confirmed_on__lt=limit, stale_flagged_at__isnull=True)
        .exclude(status=Service.Status.DEFUNCT)
        .select_related("provider__organisation")
    )
    now = timezone.now()
    for service in stale:
        service.stale_flagged_at = now
        service.save(update_fields=["stale_flagged_at"])
        audit_record(actor=None, verb="socialmap.service_flagged_stale", target=service)
        organisation = service.provider.organisation
        if organisation is not None:
            notify(
                recipients=_representatives(organisation),
                kind="socialmap.confirm",
                title=lambda s=service: (
                    _("Is “%(name)s” still right? Please confirm or update it.") % {"name": s.name}
                ),
                url=reverse("socialmap:manage"),
            )
    return len(stale)


@transaction.atomic
def outdated_report(*, actor: Any, service: Service, message: str) -> OutdatedReport:
    """Anyone (signed in or not) says what is wrong with a service's information."""
    message = (message or "").strip()
    if not message:
        raise SocialMapError(_("Say what is out of date, e.g. the new phone number or hours."))
    if len(message) > 2000:
        raise SocialMapError(_("Keep the message under 2000 characters."))
    try:
        validation.plain_text(message)
    except ValidationError as exc:
        raise SocialMapError(exc.messages[0]) from exc
    report = OutdatedReport.objects.create(
        service=service,
        message=message,
        reporter=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, verb="socialmap.outdated_reported", target=service)
    organisation = service.provider.organisation
    notify(
        recipients=[
            *_moderators(service.municipality),
            *(_representatives(organisation) if organisation else []),
        ],
        kind="socialmap.outdated",
        title=lambda: _("Someone says “%(name)s” is out of date") % {"name": service.name},
        body=message,
        url=reverse("socialmap:service", args=[service.pk]),
    )
    return report


@transaction.atomic
def outdated_resolve(*, actor: Any, report: OutdatedReport) -> OutdatedReport:
    """A moderator has dealt with a report (moderators only)."""
    _require(actor, "socialmap.moderate", report.service.municipality)
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.resolved_by = actor
        report.save(update_fields=["resolved_at", "resolved_by"])
        audit_record(actor=actor, verb="socialmap.outdated_resolved", target=report.service)
    return report


@transaction.atomic
def provider_merge(*, actor: Any, keep: Provider, duplicate: Provider) -> Provider:
    """Move the duplicate's locations, services and history to ``keep`` and delete the
    duplicate (moderators only; both must be in the same municipality)."""
    _require(actor, "socialmap.moderate", keep.municipality)
    if keep.pk == duplicate.pk or keep.municipality_id != duplicate.municipality_id:
        raise SocialMapError(_("Choose two different organisations of the same municipality."))
    moved = {
        "locations": Location.objects.filter(provider=duplicate).update(provider=keep),
        "services": Service.objects.filter(provider=duplicate).update(provider=keep),
        "changes": ChangeRequest.objects.filter(provider=duplicate).update(provider=keep),
    }
    if keep.organisation_id is None and duplicate.organisation_id is not None:
        organisation = duplicate.organisation
        duplicate.organisation = None
        duplicate.save(update_fields=["organisation"])
        keep.organisation = organisation
        keep.save(update_fields=["organisation"])
    data = {"duplicate": str(duplicate.pk), "duplicate_name": duplicate.name, **moved}
    duplicate.delete()
    audit_record(actor=actor, verb="socialmap.providers_merged", target=keep, data=data)
    return keep
