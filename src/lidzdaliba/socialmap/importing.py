"""Import an HSDS 3.0 JSON file from another system, with a report of what was taken and what
was refused and why.

Accepted shapes: a list of full services, an HSDS API page (``{"contents": [...]}``), one
service, or organizations with nested ``services`` — and the tabular datapackage (a zip),
nested back into that shape (``read_upload``). Every record is checked against the
official schemas and our rules (place inside the municipality, real phone numbers, readable
weekly hours, at least one known need); a record that fails is refused and the rest taken.
References between records (a service's organization, a location, a taxonomy term) must
resolve: if any is broken, **nothing** is imported. Everything taken is written in one
transaction with one audit event.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hsds_profile import hours
from hsds_profile.validate import BUNDLED_SCHEMAS
from hsds_profile.validate import errors as schema_errors
from lidzdaliba.core.services import audit_record

from . import validation
from .models import Location, Need, Provider, Schedule, Service

LANGS = ("lv", "en", "ru", "uk")
SERVICE_TEXT = {
    "name": "name",
    "description": "description",
    "eligibility_description": "eligibility",
    "application_process": "application_process",
    "fees_description": "fees_description",
}


@dataclass
class ImportItem:
    kind: str
    id: str
    name: str
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    taken: list[ImportItem] = field(default_factory=list)
    refused: list[ImportItem] = field(default_factory=list)
    aborted: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def read_upload(content: bytes) -> Any:
    """The HSDS data in an uploaded file: JSON, or the tabular datapackage as a zip (its
    tables nested back into organizations with services). Raises ``ValueError``."""
    import json
    import zipfile

    from hsds_profile import tabular

    if content[:2] == b"PK":
        try:
            return tabular.nest(tabular.read_zip(content))
        except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as exc:
            raise ValueError(str(exc)) from exc
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(str(exc)) from exc


def _items(data: Any) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return []
    return [item for item in data if isinstance(item, dict)]


def _split(data: Any) -> tuple[dict[str, dict], list[dict], list[str]]:
    """Organizations by id, services, and problems with the file's shape."""
    organizations: dict[str, dict] = {}
    services: list[dict] = []
    problems: list[str] = []
    for item in _items(data):
        if "status" in item:
            services.append(item)
            nested = item.get("organization")
            if isinstance(nested, dict) and nested.get("id"):
                organizations.setdefault(str(nested["id"]), nested)
        elif "id" in item and "name" in item:
            organizations[str(item["id"])] = item
            for service in item.get("services") or []:
                if isinstance(service, dict):
                    service.setdefault("organization_id", item["id"])
                    services.append(service)
        else:
            problems.append(_("An entry is neither an organization nor a service."))
    if not organizations and not services and not problems:
        problems.append(_("The file holds no HSDS organizations or services."))
    return organizations, services, problems


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _text(value: Any, notes: list[str], label: str) -> str:
    text = str(value or "").strip()
    clean = validation.strip_html(text)
    if clean != text and "<" in text:
        notes.append(_("HTML removed from %(field)s.") % {"field": label})
    return clean


def _locations_of(service: dict, organizations: dict[str, dict]) -> list[dict]:
    """The service's locations: nested in ``service_at_locations`` or, by id, in its
    organization's ``locations``."""
    org_locations = {
        str(loc.get("id")): loc
        for org in organizations.values()
        for loc in org.get("locations") or []
        if isinstance(loc, dict)
    }
    found = []
    for sal in service.get("service_at_locations") or []:
        location = sal.get("location") or org_locations.get(str(sal.get("location_id")))
        if location is not None:
            found.append(location)
    return found


def _broken_references(
    organizations: dict[str, dict], services: list[dict], *, municipality: Any
) -> list[str]:
    known_orgs = set(organizations) | {
        str(pk)
        for pk in Provider.objects.filter(municipality=municipality).values_list("pk", flat=True)
    }
    org_locations = {
        str(loc.get("id")) for org in organizations.values() for loc in org.get("locations") or []
    }
    known_locations = org_locations | {
        str(pk)
        for pk in Location.objects.filter(provider__municipality=municipality).values_list(
            "pk", flat=True
        )
    }
    known_terms = {
        str(pk)
        for pk in Need.objects.filter(municipality=municipality).values_list("pk", flat=True)
    }
    broken = []
    for service in services:
        name = service.get("name") or service.get("id")
        sid = str(service.get("id"))
        org_id = str(service.get("organization_id") or "")
        if not org_id or org_id not in known_orgs:
            broken.append(
                _(
                    "Service “%(name)s” refers to organization %(ref)s, which is neither in the file nor on the map."
                )
                % {"name": name, "ref": org_id or "—"}
            )
        for sal in service.get("service_at_locations") or []:
            ref = str(sal.get("location_id") or (sal.get("location") or {}).get("id") or "")
            nested = isinstance(sal.get("location"), dict)
            if not nested and ref not in known_locations:
                broken.append(
                    _("Service “%(name)s” refers to location %(ref)s, which is not in the file.")
                    % {"name": name, "ref": ref or "—"}
                )
        for attribute in service.get("attributes") or []:
            ref = str(attribute.get("taxonomy_term_id") or "")
            if not isinstance(attribute.get("taxonomy_term"), dict) and ref not in known_terms:
                broken.append(
                    _(
                        "Service “%(name)s” refers to taxonomy term %(ref)s, which is not in the file."
                    )
                    % {"name": name, "ref": ref or "—"}
                )
        for key in ("schedules", "phones", "languages", "required_documents", "cost_options"):
            for child in service.get(key) or []:
                if child.get("service_id") not in (None, "", sid):
                    broken.append(
                        _(
                            "In service “%(name)s”, %(kind)s %(ref)s belongs to another service (%(other)s)."
                        )
                        % {
                            "name": name,
                            "kind": key,
                            "ref": child.get("id"),
                            "other": child.get("service_id"),
                        }
                    )
    for org_id, org in organizations.items():
        for loc in org.get("locations") or []:
            if loc.get("organization_id") not in (None, "", org_id):
                broken.append(
                    _(
                        "Location %(ref)s is listed under organization “%(name)s” but names another one."
                    )
                    % {"ref": loc.get("id"), "name": org.get("name")}
                )
    return broken


def _needs_for(service: dict, needs: dict[str, Need], by_code: dict[str, Need]) -> list[Need]:
    found = []
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        need = (
            needs.get(str(attribute.get("taxonomy_term_id")))
            or by_code.get(str(term.get("code") or "").lower())
            or by_code.get(str(term.get("name") or "").lower())
        )
        if need is not None and need not in found:
            found.append(need)
    return found


@dataclass
class _PlannedLocation:
    id: uuid.UUID
    data: dict
    neighbourhood: Any


@dataclass
class _PlannedService:
    data: dict
    needs: list[Need]
    locations: list[_PlannedLocation]
    openings: list[hours.Opening]
    phone: str
    texts: dict[str, str]
    item: ImportItem


def _check_service(
    service: dict,
    *,
    municipality: Any,
    organizations: dict[str, dict],
    needs: dict[str, Need],
    by_code: dict[str, Need],
    lang: str,
) -> _PlannedService:
    item = ImportItem(
        kind="service", id=str(service.get("id")), name=str(service.get("name") or "?")
    )
    reasons = item.reasons
    reasons.extend(schema_errors(service, BUNDLED_SCHEMAS, "service"))
    if _uuid(service.get("id")) is None:
        reasons.append(_("The id is not a UUID."))
    existing = Service.objects.filter(pk=_uuid(service.get("id"))).exclude(
        municipality=municipality
    )
    if _uuid(service.get("id")) and existing.exists():
        reasons.append(_("A service with this id belongs to another municipality."))
    texts = {}
    for hsds_name, field_name in SERVICE_TEXT.items():
        texts[f"{field_name}_{lang}"] = _text(service.get(hsds_name), item.notes, hsds_name)
        for other, values in (service.get("translations") or {}).items():
            if other in LANGS and other != lang and values.get(hsds_name):
                texts[f"{field_name}_{other}"] = _text(values[hsds_name], item.notes, hsds_name)
    if not texts.get(f"description_{lang}"):
        texts[f"description_{lang}"] = texts.get(f"name_{lang}", "")
    matched = _needs_for(service, needs, by_code)
    if not matched:
        reasons.append(_("None of its taxonomy terms is one of the map's needs."))
    locations = []
    for location in _locations_of(service, organizations):
        if location.get("location_type", "physical") != "physical":
            continue
        lat, lon = location.get("latitude"), location.get("longitude")
        address = next(iter(location.get("addresses") or []), {})
        if lat is None or lon is None or not address.get("address_1"):
            reasons.append(
                _("Location “%(name)s” has no street address or coordinates.")
                % {"name": location.get("name") or location.get("id")}
            )
            continue
        try:
            neighbourhood = validation.place(municipality=municipality, latitude=lat, longitude=lon)
        except ValidationError as exc:
            reasons.extend(exc.messages)
            continue
        location_id = _uuid(location.get("id")) or uuid.uuid4()
        if (
            Location.objects.filter(pk=location_id)
            .exclude(provider__municipality=municipality)
            .exists()
        ):
            reasons.append(_("A location with this id belongs to another municipality."))
            continue
        locations.append(
            _PlannedLocation(
                id=location_id,
                data=location,
                neighbourhood=neighbourhood,
            )
        )
    if not locations and not any("Location" in r for r in reasons) and not reasons:
        reasons.append(_("It has no physical location to show on the map."))
    try:
        openings = hours.openings_from_hsds(service.get("schedules") or [])
    except hours.HoursError as exc:
        reasons.append(validation.hours_message(exc))
        openings = []
    phone = ""
    numbers = [p.get("number") for p in service.get("phones") or [] if p.get("number")]
    if numbers:
        try:
            phone = validation.phone(str(numbers[0]))
        except ValidationError as exc:
            reasons.extend(exc.messages)
    return _PlannedService(
        data=service,
        needs=matched,
        locations=locations,
        openings=openings,
        phone=phone,
        texts=texts,
        item=item,
    )


def _check_organization(org: dict, *, municipality: Any, lang: str) -> tuple[ImportItem, dict]:
    item = ImportItem(kind="organization", id=str(org.get("id")), name=str(org.get("name") or "?"))
    body = {k: v for k, v in org.items() if k != "services"}
    item.reasons.extend(schema_errors(body, BUNDLED_SCHEMAS, "organization"))
    if _uuid(org.get("id")) is None:
        item.reasons.append(_("The id is not a UUID."))
    elif (
        Provider.objects.filter(pk=_uuid(org.get("id"))).exclude(municipality=municipality).exists()
    ):
        item.reasons.append(_("An organization with this id belongs to another municipality."))
    values = {
        f"name_{lang}": _text(org.get("name"), item.notes, "name"),
        f"description_{lang}": _text(org.get("description"), item.notes, "description"),
        "email": str(org.get("email") or ""),
        "website": str(org.get("website") or ""),
    }
    for other, texts in (org.get("translations") or {}).items():
        if other in LANGS and other != lang:
            for key in ("name", "description"):
                if texts.get(key):
                    values[f"{key}_{other}"] = _text(texts[key], item.notes, key)
    numbers = [p.get("number") for p in org.get("phones") or [] if p.get("number")]
    if numbers:
        try:
            values["phone"] = validation.phone(str(numbers[0]))
        except ValidationError as exc:
            item.reasons.extend(exc.messages)
    return item, values


def hsds_import(*, actor: Any, municipality: Any, data: Any, lang: str = "lv") -> ImportReport:
    """Import ``data`` (parsed HSDS JSON) into ``municipality``'s social map; moderators only
    (``actor`` ``None`` is the system, e.g. a management command). Returns the report;
    when references are broken the report says so and nothing is written."""
    if actor is not None and not actor.has_perm("socialmap.moderate", municipality):
        raise PermissionDenied(_("You may not do this."))
    report = ImportReport()
    organizations, services, problems = _split(data)
    broken = problems + _broken_references(organizations, services, municipality=municipality)
    if broken:
        report.aborted = True
        report.refused.append(
            ImportItem(kind="file", id="", name=_("the whole file"), reasons=broken)
        )
        return report
    needs = {str(n.pk): n for n in Need.objects.filter(municipality=municipality)}
    by_code = {n.slug: n for n in needs.values()} | {
        getattr(n, f"name_{code}", "").lower(): n
        for n in needs.values()
        for code in LANGS
        if getattr(n, f"name_{code}", "")
    }
    org_plans = {}
    refused_orgs = set()
    for org_id, org in organizations.items():
        item, values = _check_organization(org, municipality=municipality, lang=lang)
        if item.reasons:
            report.refused.append(item)
            refused_orgs.add(org_id)
        else:
            org_plans[org_id] = (item, values)
    service_plans = []
    for service in services:
        plan = _check_service(
            service,
            municipality=municipality,
            organizations=organizations,
            needs=needs,
            by_code=by_code,
            lang=lang,
        )
        if str(service.get("organization_id")) in refused_orgs:
            plan.item.reasons.append(_("Its organization was refused."))
        (report.refused if plan.item.reasons else service_plans).append(
            plan.item if plan.item.reasons else plan
        )
    with transaction.atomic():
        providers = {}
        for org_id, (item, values) in org_plans.items():
            provider = Provider.objects.filter(pk=org_id).first() or Provider(
                id=org_id, municipality=municipality
            )
            for key, value in values.items():
                setattr(provider, key, value)
            provider.save()
            providers[org_id] = provider
            report.taken.append(item)
        for plan in service_plans:
            org_id = str(plan.data.get("organization_id"))
            provider = providers.get(org_id) or Provider.objects.get(
                pk=org_id, municipality=municipality
            )
            _write_service(plan, provider=provider, municipality=municipality, lang=lang)
            report.taken.append(plan.item)
        audit_record(
            actor=actor,
            verb="socialmap.hsds_imported",
            municipality=municipality,
            data={"taken": len(report.taken), "refused": len(report.refused)},
        )
    return report


def _write_service(
    plan: _PlannedService, *, provider: Provider, municipality: Any, lang: str
) -> Service:
    data = plan.data
    service = Service.objects.filter(pk=data["id"]).first() or Service(
        id=data["id"], municipality=municipality, provider=provider
    )
    service.provider = provider
    for key, value in plan.texts.items():
        setattr(service, key, value)
    service.status = data.get("status") or Service.Status.ACTIVE
    service.minimum_age = int(data["minimum_age"]) if data.get("minimum_age") is not None else None
    service.maximum_age = int(data["maximum_age"]) if data.get("maximum_age") is not None else None
    service.email = str(data.get("email") or "")
    service.url = str(data.get("url") or "")
    service.phone = plan.phone
    codes = [str(lang_.get("code") or "").lower()[:3] for lang_ in data.get("languages") or []]
    service.languages = ",".join(c for c in dict.fromkeys(codes) if c in validation.LANGUAGE_NAMES)
    service.is_free = any(
        float(c.get("amount") or 0) == 0 for c in data.get("cost_options") or []
    ) or (not data.get("cost_options") and not data.get("fees_description"))
    service.required_documents_lv = "\n".join(
        validation.strip_html(d.get("document") or "") for d in data.get("required_documents") or []
    )
    service.hours = hours.format_hours(plan.openings)
    assured = str(data.get("assured_date") or "")[:10]
    try:
        import datetime as dt

        service.last_confirmed_on = dt.date.fromisoformat(assured)
    except ValueError:
        service.last_confirmed_on = timezone.localdate()
    service.save()
    service.needs.set(plan.needs)
    service.schedules.all().delete()
    Schedule.objects.bulk_create(
        Schedule(service=service, weekday=o.weekday, opens_at=o.opens, closes_at=o.closes)
        for o in plan.openings
    )
    locations = []
    for planned in plan.locations:
        address = next(iter(planned.data.get("addresses") or []), {})
        access = next(iter(planned.data.get("accessibility") or []), {})
        location = Location.objects.filter(pk=planned.id).first() or Location(
            id=planned.id, provider=provider
        )
        location.provider = provider
        location.name = validation.strip_html(planned.data.get("name") or "")
        location.address = validation.strip_html(address.get("address_1") or "")
        location.city = address.get("city") or "Liepāja"
        location.postal_code = (address.get("postal_code") or "LV-3401")[:10]
        location.latitude = Decimal(str(planned.data["latitude"])).quantize(Decimal("0.000001"))
        location.longitude = Decimal(str(planned.data["longitude"])).quantize(Decimal("0.000001"))
        location.neighbourhood = planned.neighbourhood
        location.transportation = validation.strip_html(planned.data.get("transportation") or "")
        description = str(access.get("description") or "").lower()
        location.step_free = "step-free" in description and not description.startswith("no ")
        location.accessibility = validation.strip_html(access.get("details") or "")
        location.save()
        locations.append(location)
    service.locations.set(locations)
    return service
