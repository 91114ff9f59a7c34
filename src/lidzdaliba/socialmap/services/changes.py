"""Organisations propose; moderators approve or refuse."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lidzdaliba.core.services import audit_record, notify

from ..models import ChangeRequest, Provider, Service
from .base import SocialMapError, _moderators, _require
from .entries import (
    _provider_write,
    provider_values,
    provider_values_clean,
    service_values,
    service_values_clean,
    service_write,
)

# --- proposals and moderation --------------------------------------------------------------


def _summary(kind: str, payload: dict, previous: dict) -> str:
    name = payload.get("name_lv") or previous.get("name_lv") or ""
    return f"{name}"[:300]


@transaction.atomic
def change_submit(
    *,
    actor: Any,
    organisation: Any,
    kind: str,
    payload: dict,
    service: Service | None = None,
) -> ChangeRequest:
    """Propose a new or changed entry for ``organisation`` (its provider record, or one of its
    services). Only the organisation's approved representatives (and moderators) may; the
    values are checked now (:class:`EntryInvalid`), applied only when a moderator approves.
    Moderators are notified."""
    _require(actor, "socialmap.represent", organisation)
    municipality = organisation.municipality
    provider = Provider.objects.filter(organisation=organisation).first()
    if kind == ChangeRequest.Kind.PROVIDER:
        previous = provider_values(provider) if provider else {}
        clean = provider_values_clean(payload=payload, current=previous)
    elif kind == ChangeRequest.Kind.SERVICE:
        if provider is None:
            raise SocialMapError(_("Add your organisation to the social map first."))
        if service is not None and service.provider_id != provider.pk:
            raise PermissionDenied(_("This service belongs to another organisation."))
        previous = service_values(service) if service else {}
        clean = service_values_clean(municipality=municipality, payload=payload, current=previous)
    else:
        raise ValueError(kind)
    change = ChangeRequest.objects.create(
        municipality=municipality,
        kind=kind,
        organisation=organisation,
        provider=provider,
        service=service,
        payload=clean,
        previous=previous,
        summary=_summary(kind, clean, previous),
        submitted_by=actor,
    )
    audit_record(
        actor=actor,
        verb="socialmap.change_submitted",
        target=change,
        municipality=municipality,
        data={"kind": kind, "fields": [f for f, _b, _a in change.changed_fields]},
    )
    notify(
        recipients=_moderators(municipality),
        kind="socialmap.change",
        title=lambda: (
            _("A change to the social map waits for review: %(name)s") % {"name": change.summary}
        ),
        url=reverse("socialmap:moderation"),
    )
    return change


def _pending(change: ChangeRequest) -> ChangeRequest:
    locked = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if locked.status != ChangeRequest.Status.PENDING:
        raise SocialMapError(_("This change has already been decided."))
    return locked


@transaction.atomic
def change_approve(*, actor: Any, change: ChangeRequest) -> ChangeRequest:
    """Publish a proposed change (moderators only). The values are checked again against
    the entry as it is now; the entry counts as confirmed today. The submitter is told."""
    _require(actor, "socialmap.moderate", change.municipality)
    change = _pending(change)
    municipality = change.municipality
    if change.kind == ChangeRequest.Kind.PROVIDER:
        provider = Provider.objects.filter(organisation=change.organisation).first()
        values = provider_values_clean(
            payload=change.payload, current=provider_values(provider) if provider else {}
        )
        provider = _provider_write(
            municipality=municipality,
            organisation=change.organisation,
            values=values,
            provider=provider,
        )
        change.provider = provider
    else:
        provider = change.provider or Provider.objects.get(organisation=change.organisation)
        current = service_values(change.service) if change.service else {}
        values = service_values_clean(
            municipality=municipality, payload=change.payload, current=current
        )
        change.service = service_write(
            municipality=municipality, provider=provider, values=values, service=change.service
        )
    change.status = ChangeRequest.Status.APPROVED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save()
    audit_record(
        actor=actor, verb="socialmap.change_approved", target=change, municipality=municipality
    )
    _tell_submitter(change)
    return change


@transaction.atomic
def change_reject(*, actor: Any, change: ChangeRequest, reason: str) -> ChangeRequest:
    """Refuse a proposed change with a reason the submitter sees (moderators only)."""
    _require(actor, "socialmap.moderate", change.municipality)
    reason = (reason or "").strip()
    if not reason:
        raise SocialMapError(_("Give a reason: the organisation will see it."))
    change = _pending(change)
    change.status = ChangeRequest.Status.REJECTED
    change.reason = reason
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save()
    audit_record(
        actor=actor,
        verb="socialmap.change_rejected",
        target=change,
        municipality=change.municipality,
        data={"reason": reason},
    )
    _tell_submitter(change)
    return change


def _tell_submitter(change: ChangeRequest) -> None:
    approved = change.status == ChangeRequest.Status.APPROVED

    def title() -> str:
        if approved:
            return _("Your change to the social map is published: %(name)s") % {
                "name": change.summary
            }
        return _("Your change to the social map was not accepted: %(name)s") % {
            "name": change.summary
        }

    notify(
        recipients=[change.submitted_by],
        kind="socialmap.decided",
        title=title,
        body=change.reason,
        url=reverse("socialmap:manage"),
    )
