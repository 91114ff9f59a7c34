"""Every write on the social map: proposals from organisations, moderation, confirmation,
reports of outdated information, merging duplicates. Each runs in a transaction and
records an audit event; permissions are checked here (``socialmap/rules.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lidzdaliba.core.models import notification_kind_register
from lidzdaliba.core.services import audit_record, notify

from . import validation
from .models import ChangeRequest, Location, Need, OutdatedReport, Provider, Schedule, Service

LANGS = [code for code, _name in settings.LANGUAGES]
SERVICE_TRANSLATED = (
    "name",
    "description",
    "eligibility",
    "application_process",
    "required_documents",
    "fees_description",
)
LOCATION_TRANSLATED = ("accessibility", "transportation")
SERVICE_PLAIN = (
    "status",
    "minimum_age",
    "maximum_age",
    "is_free",
    "languages",
    "hours",
    "email",
    "phone",
    "url",
    "needs",
    "address",
    "postal_code",
    "latitude",
    "longitude",
    "step_free",
)
PROVIDER_TRANSLATED = ("name", "description")
PROVIDER_PLAIN = ("email", "phone", "website", "registration_number")

notification_kind_register("socialmap.change", gettext_lazy("Social map changes to review"))
notification_kind_register("socialmap.decided", gettext_lazy("Decisions on my social-map changes"))
notification_kind_register("socialmap.confirm", gettext_lazy("Social-map entries to confirm"))
notification_kind_register(
    "socialmap.outdated", gettext_lazy("Reports that social-map information is outdated")
)


class SocialMapError(Exception):
    """A refused action; ``message`` is translated for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EntryInvalid(SocialMapError):
    """Proposed values that cannot be accepted; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(" ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


def confirm_months() -> int:
    return int(getattr(settings, "SOCIALMAP_CONFIRM_MONTHS", 12))


def outdated_grace_days() -> int:
    return int(getattr(settings, "SOCIALMAP_OUTDATED_GRACE_DAYS", 30))


# --- permissions -------------------------------------------------------------------------


def _require(actor: Any, perm: str, obj: Any) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm(perm, obj)):
        raise PermissionDenied(_("You may not do this."))


def _moderators(municipality: Any) -> list[Any]:
    from django.contrib.auth import get_user_model

    from lidzdaliba.accounts import roles

    groups = [roles.MODERATORS, roles.officer_group("socialmap")]
    return list(
        get_user_model()
        .objects.filter(groups__name__in=groups, municipality=municipality, is_active=True)
        .distinct()
    )


def _representatives(organisation: Any) -> list[Any]:
    from lidzdaliba.accounts.models import OrganisationMembership

    return [
        m.user
        for m in OrganisationMembership.objects.filter(
            organisation=organisation,
            role=OrganisationMembership.Role.REPRESENTATIVE,
            approved_at__isnull=False,
        ).select_related("user")
    ]


# --- validation of proposed values ---------------------------------------------------------


def _text(errors: dict, payload: dict, key: str) -> str:
    value = str(payload.get(key) or "").strip()
    try:
        return validation.plain_text(value)
    except ValidationError as exc:
        errors.setdefault(key, []).extend(exc.messages)
        return value


def _check(errors: dict, key: str, func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        errors.setdefault(key, []).extend(exc.messages)
        return None


def _age(errors: dict, payload: dict, key: str) -> int | None:
    value = payload.get(key)
    if value in (None, ""):
        return None
    try:
        age = int(value)
    except (TypeError, ValueError):
        age = -1
    if not 0 <= age <= 120:
        errors.setdefault(key, []).append(_("Give an age in whole years from 0 to 120."))
        return None
    return age


def _translated(errors: dict, payload: dict, fields: tuple[str, ...]) -> dict:
    clean = {}
    for field in fields:
        for lang in LANGS:
            key = f"{field}_{lang}"
            if key in payload:
                clean[key] = _text(errors, payload, key)
    return clean


def service_values_clean(*, municipality: Any, payload: dict, current: dict | None = None) -> dict:
    """The proposed service values, checked and normalised (phone in international format,
    languages as codes, opening hours readable, the place inside the municipality).

    ``current`` holds the entry's present values (for a change to an existing service); the
    result must still have a Latvian name and description. Raises :class:`EntryInvalid`.
    """
    errors: dict[str, list[str]] = {}
    clean = _translated(errors, payload, SERVICE_TRANSLATED + LOCATION_TRANSLATED)
    merged = {**(current or {}), **clean}
    for field in ("name", "description"):
        if not (merged.get(f"{field}_lv") or "").strip():
            errors.setdefault(f"{field}_lv", []).append(
                _("Write this in Latvian too: it is shown when no translation exists.")
            )
    clean["status"] = payload.get("status") or Service.Status.ACTIVE
    if clean["status"] not in Service.Status.values:
        errors.setdefault("status", []).append(_("Choose a status from the list."))
    clean["minimum_age"] = _age(errors, payload, "minimum_age")
    clean["maximum_age"] = _age(errors, payload, "maximum_age")
    if (
        clean["minimum_age"] is not None
        and clean["maximum_age"] is not None
        and clean["minimum_age"] > clean["maximum_age"]
    ):
        errors.setdefault("maximum_age", []).append(
            _("The maximum age is lower than the minimum age.")
        )
    clean["is_free"] = bool(payload.get("is_free"))
    clean["step_free"] = bool(payload.get("step_free"))
    languages = payload.get("languages") or []
    if isinstance(languages, str):
        languages = [c.strip() for c in languages.split(",") if c.strip()]
    clean["languages"] = sorted(languages)
    _check(errors, "languages", validation.language_codes, clean["languages"])
    hours_text = _text(errors, payload, "hours")
    openings = _check(errors, "hours", validation.opening_hours, hours_text)
    if openings is not None:
        from hsds_profile.hours import format_hours

        hours_text = format_hours(openings)
    clean["hours"] = hours_text
    clean["phone"] = _check(errors, "phone", validation.phone, str(payload.get("phone") or ""))
    clean["email"] = str(payload.get("email") or "").strip()
    if clean["email"]:
        _check(errors, "email", EmailValidator(_("Enter a valid e-mail address.")), clean["email"])
    clean["url"] = str(payload.get("url") or "").strip()
    if clean["url"]:
        _check(errors, "url", URLValidator(message=_("Enter a valid web address.")), clean["url"])
    slugs = sorted(set(payload.get("needs") or []))
    known = set(
        Need.objects.filter(municipality=municipality, slug__in=slugs).values_list(
            "slug", flat=True
        )
    )
    if not slugs or set(slugs) - known:
        errors.setdefault("needs", []).append(_("Choose at least one need from the list."))
    clean["needs"] = slugs
    clean["address"] = _text(errors, payload, "address")
    if not clean["address"]:
        errors.setdefault("address", []).append(_("Give the street address."))
    clean["postal_code"] = str(payload.get("postal_code") or "LV-3401").strip()
    try:
        lat = Decimal(str(payload.get("latitude"))).quantize(Decimal("0.000001"))
        lon = Decimal(str(payload.get("longitude"))).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors.setdefault("latitude", []).append(
            _("Give the place as latitude and longitude, e.g. 56.5110 and 21.0136.")
        )
    else:
        clean["latitude"], clean["longitude"] = str(lat), str(lon)
        _check(
            errors,
            "latitude",
            validation.place,
            municipality=municipality,
            latitude=lat,
            longitude=lon,
        )
    if errors:
        raise EntryInvalid(errors)
    return clean


def provider_values_clean(*, payload: dict, current: dict | None = None) -> dict:
    """The proposed organisation values, checked; raises :class:`EntryInvalid`."""
    errors: dict[str, list[str]] = {}
    clean = _translated(errors, payload, PROVIDER_TRANSLATED)
    merged = {**(current or {}), **clean}
    for field in PROVIDER_TRANSLATED:
        if not (merged.get(f"{field}_lv") or "").strip():
            errors.setdefault(f"{field}_lv", []).append(
                _("Write this in Latvian too: it is shown when no translation exists.")
            )
    clean["phone"] = _check(errors, "phone", validation.phone, str(payload.get("phone") or ""))
    clean["email"] = str(payload.get("email") or "").strip()
    if clean["email"]:
        _check(errors, "email", EmailValidator(_("Enter a valid e-mail address.")), clean["email"])
    clean["website"] = str(payload.get("website") or "").strip()
    if clean["website"]:
        _check(
            errors,
            "website",
            URLValidator(message=_("Enter a valid web address.")),
            clean["website"],
        )
    clean["registration_number"] = _text(errors, payload, "registration_number")
    if errors:
        raise EntryInvalid(errors)
    return clean


# --- snapshots and applying values ----------------------------------------------------------


def service_values(service: Service) -> dict:
    """The service's present values in the shape of a proposal (for diffs and forms)."""
    values: dict[str, Any] = {}
    for field in SERVICE_TRANSLATED:
        for lang in LANGS:
            values[f"{field}_{lang}"] = getattr(service, f"{field}_{lang}") or ""
    location = service.locations.first()
    for field in LOCATION_TRANSLATED:
        for lang in LANGS:
            values[f"{field}_{lang}"] = (
                (getattr(location, f"{field}_{lang}") or "") if location else ""
            )
    values.update(
        status=service.status,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        is_free=service.is_free,
        languages=service.language_list,
        hours=service.hours,
        email=service.email,
        phone=service.phone,
        url=service.url,
        needs=sorted(n.slug for n in service.needs.all()),
        address=location.address if location else "",
        postal_code=location.postal_code if location else "",
        latitude=str(location.latitude) if location else "",
        longitude=str(location.longitude) if location else "",
        step_free=location.step_free if location else False,
    )
    return values


def provider_values(provider: Provider) -> dict:
    values: dict[str, Any] = {}
    for field in PROVIDER_TRANSLATED:
        for lang in LANGS:
            values[f"{field}_{lang}"] = getattr(provider, f"{field}_{lang}") or ""
    for field in PROVIDER_PLAIN:
        values[field] = getattr(provider, field)
    return values


def _schedules_set(service: Service, hours_text: str) -> None:
    service.schedules.all().delete()
    Schedule.objects.bulk_create(
        Schedule(service=service, weekday=o.weekday, opens_at=o.opens, closes_at=o.closes)
        for o in validation.opening_hours(hours_text)
    )


def _service_write(
    *, municipality: Any, provider: Provider, values: dict, service: Service | None = None
) -> Service:
    """Store checked ``values`` (from :func:`service_values_clean`) on a new or existing
    service, with its first location, needs and schedules. No permission check: callers
    (approval, demo, import) have done it."""
    neighbourhood = validation.place(
        municipality=municipality, latitude=values["latitude"], longitude=values["longitude"]
    )
    service = service or Service(municipality=municipality, provider=provider)
    for key, value in values.items():
        field = key.rsplit("_", 1)[0] if key.rsplit("_", 1)[-1] in LANGS else key
        if field in SERVICE_TRANSLATED:
            setattr(service, key, value)
    for field in ("status", "minimum_age", "maximum_age", "is_free", "email", "phone", "url"):
        if field in values:
            setattr(service, field, values[field])
    service.languages = ",".join(values.get("languages") or [])
    service.hours = values.get("hours") or ""
    service.last_confirmed_on = values.get("last_confirmed_on") or timezone.localdate()
    service.stale_flagged_at = None
    service.save()
    service.needs.set(Need.objects.filter(municipality=municipality, slug__in=values["needs"]))
    _schedules_set(service, service.hours)
    location = (
        service.locations.first()
        or Location.objects.filter(provider=provider, address=values["address"]).first()
    )
    location = location or Location(provider=provider)
    location.address = values["address"]
    location.postal_code = values.get("postal_code") or "LV-3401"
    location.latitude = Decimal(str(values["latitude"]))
    location.longitude = Decimal(str(values["longitude"]))
    location.neighbourhood = neighbourhood
    location.step_free = bool(values.get("step_free"))
    for key, value in values.items():
        if key.rsplit("_", 1)[0] in LOCATION_TRANSLATED and key.rsplit("_", 1)[-1] in LANGS:
            setattr(location, key, value)
    if location.provider_id != provider.pk:
        location.provider = provider
    location.save()
    service.locations.set([location, *service.locations.exclude(pk=location.pk)])
    return service


def _provider_write(
    *, municipality: Any, organisation: Any, values: dict, provider: Provider | None = None
) -> Provider:
    provider = provider or Provider(municipality=municipality, organisation=organisation)
    for key, value in values.items():
        setattr(provider, key, value)
    if organisation is not None:
        provider.is_municipal = organisation.kind == "municipal"
    provider.save()
    return provider


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
        change.service = _service_write(
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


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the last day of a shorter month)."""
    import calendar

    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


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
