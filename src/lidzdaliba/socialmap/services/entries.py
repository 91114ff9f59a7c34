"""Proposed values of an entry: checked, read from an entry, and written to it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import validation
from ..models import Location, Need, Provider, Schedule, Service
from .base import (
    LANGS,
    LOCATION_TRANSLATED,
    PROVIDER_PLAIN,
    PROVIDER_TRANSLATED,
    SERVICE_TRANSLATED,
    EntryInvalid,
)

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


def service_write(
    *, municipality: Any, provider: Provider, values: dict, service: Service | None = None
) -> Service:
    """Store checked ``values`` (from :func:`service_values_clean`) on a new or existing
    service, with its first location, needs and schedules; the service counts as checked on
    ``values["last_confirmed_on"]`` (default today). No permission check and no audit
    record: the callers (approval, the demo loader) do both."""
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
