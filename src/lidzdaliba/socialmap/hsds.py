"""The social map as Open Referral HSDS 3.0 JSON (our profile: see ``hsds_profile``).

Objects HSDS needs but we do not store as rows (phones, addresses, languages, cost options,
attributes, service_at_location, …) get stable UUIDs derived from their parent's id, so the
same export twice gives the same identifiers. Empty values are left out (HSDS types do not
allow ``null``). Text is in the active language; ``translations`` carries the others.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hsds_profile import hours

from .models import ChangeRequest, Location, Need, Provider, Service

_NS = uuid.UUID("4c1d9f52-6a0e-4f55-9f0e-2b8f3f6b1d21")
TAXONOMY_NAME = "lidzdaliba-needs"
LANGS = [code for code, _name in settings.LANGUAGES]


def derived_id(*parts: Any) -> str:
    return str(uuid.uuid5(_NS, "/".join(str(p) for p in parts)))


def taxonomy_id(municipality: Any) -> str:
    return derived_id("taxonomy", getattr(municipality, "pk", municipality))


def _compact(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "")}


def _translations(obj: Any, fields: dict[str, str]) -> dict:
    """``{lang: {hsds field: text}}`` for every language other than the active one that has
    text (``fields`` maps HSDS names to model field names)."""
    active = translation.get_language() or "lv"
    out = {}
    for lang in LANGS:
        if lang == active:
            continue
        values = {
            hsds_name: getattr(obj, f"{model_name}_{lang}")
            for hsds_name, model_name in fields.items()
            if getattr(obj, f"{model_name}_{lang}", None)
        }
        if values:
            out[lang] = values
    return out


def _phone(number: str, **links: str) -> list[dict]:
    if not number:
        return []
    key = next(iter(links.values()))
    return [
        {
            "id": derived_id("phone", key),
            **links,
            "number": number,
            "type": "voice",
            "languages": [],
            "attributes": [],
            "metadata": [],
        }
    ]


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def taxonomy_json(municipality: Any) -> dict:
    return {
        "id": taxonomy_id(municipality),
        "name": TAXONOMY_NAME,
        "description": "Needs people look for help with on the Līdzdalība social map.",
        "version": "1",
        "metadata": [],
    }


def term_json(need: Need) -> dict:
    return {
        "id": str(need.pk),
        "code": need.slug,
        "name": need.name,
        "description": need.description or need.name,
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": taxonomy_id(need.municipality_id),
        "language": translation.get_language() or "lv",
        "metadata": [],
        "translations": _translations(need, {"name": "name", "description": "description"}),
    }


def organization_json(provider: Provider, *, locations: bool = True) -> dict:
    """The HSDS ``organization`` (with its locations unless ``locations`` is False)."""
    org_id = str(provider.pk)
    identifiers = []
    if provider.registration_number:
        identifiers.append(
            {
                "id": derived_id("orgid", org_id),
                "organization_id": org_id,
                "identifier_scheme": "LV-RN",
                "identifier_type": "Latvian register of enterprises number",
                "identifier": provider.registration_number,
                "attributes": [],
                "metadata": [],
            }
        )
    data = _compact(
        {
            "id": org_id,
            "name": provider.name,
            "description": provider.description,
            "email": provider.email,
            "website": provider.website,
            "legal_status": "municipal institution" if provider.is_municipal else "",
            "uri": _site_url(reverse("socialmap:provider", args=[provider.pk])),
        }
    )
    data.update(
        funding=[],
        contacts=[],
        phones=_phone(provider.phone, organization_id=org_id),
        locations=[location_json(loc) for loc in provider.locations.all()] if locations else [],
        programs=[],
        organization_identifiers=identifiers,
        attributes=[],
        metadata=[],
        translations=_translations(provider, {"name": "name", "description": "description"}),
    )
    return data


def organization_list_json(provider: Provider) -> dict:
    """The one-to-one fields of an organization (for paged lists)."""
    full = organization_json(provider, locations=False)
    keep = ("id", "name", "description", "email", "website", "legal_status", "uri")
    return {k: full[k] for k in keep if k in full}


def location_json(location: Location) -> dict:
    loc_id = str(location.pk)
    accessibility = [
        _compact(
            {
                "id": derived_id("accessibility", loc_id),
                "location_id": loc_id,
                "description": "Step-free entrance"
                if location.step_free
                else "No step-free entrance",
                "details": location.accessibility,
                "attributes": [],
                "metadata": [],
            }
        )
    ]
    data = _compact(
        {
            "id": loc_id,
            "location_type": "physical",
            "organization_id": str(location.provider_id),
            "name": location.name or location.address,
            "transportation": location.transportation,
        }
    )
    data.update(
        latitude=float(location.latitude),
        longitude=float(location.longitude),
        languages=[],
        addresses=[
            {
                "id": derived_id("address", loc_id),
                "location_id": loc_id,
                "address_1": location.address,
                "city": location.city,
                "region": location.neighbourhood.name,
                "state_province": location.city,
                "postal_code": location.postal_code,
                "country": "LV",
                "address_type": "physical",
                "attributes": [],
                "metadata": [],
            }
        ],
        contacts=[],
        accessibility=accessibility,
        phones=[],
        schedules=[],
        attributes=[],
        metadata=[],
        translations=_translations(
            location, {"transportation": "transportation", "accessibility": "accessibility"}
        ),
    )
    return data


def _service_base(service: Service) -> dict:
    return _compact(
        {
            "id": str(service.pk),
            "organization_id": str(service.provider_id),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "application_process": service.application_process,
            "fees_description": service.fees_description
            or ("Free of charge" if service.is_free else ""),
            "eligibility_description": service.eligibility,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.last_confirmed_on.isoformat(),
            "last_modified": service.updated_at.isoformat(),
            "alert": "This information may be outdated." if service.may_be_outdated else "",
        }
    )


def service_list_json(service: Service) -> dict:
    """A service's one-to-one fields (the HSDS ``service_list`` shape)."""
    return _service_base(service)


def _metadata(service: Service, changes: list[ChangeRequest]) -> list[dict]:
    rows = []
    for change in changes:
        for field, before, after in change.changed_fields:
            rows.append(
                {
                    "id": derived_id("metadata", change.pk, field),
                    "resource_id": str(service.pk),
                    "resource_type": "service",
                    "last_action_date": change.decided_at.date().isoformat(),
                    "last_action_type": "update" if change.previous else "create",
                    "field_name": field,
                    # JSON-encoded, so that an empty value is still a value ('""').
                    "previous_value": json.dumps(before, ensure_ascii=False),
                    "replacement_value": json.dumps(after, ensure_ascii=False),
                    "updated_by": change.organisation.name,
                }
            )
    return rows


def service_json(service: Service, *, changes: list[ChangeRequest] | None = None) -> dict:
    """The fully nested HSDS ``service``. Expects ``selectors.services_public`` prefetches."""
    sid = str(service.pk)
    data = _service_base(service)
    schedules = [
        hours.hsds_schedule(
            hours.Opening(s.weekday, s.opens_at, s.closes_at),
            schedule_id=str(s.pk),
            service_id=sid,
        )
        for s in service.schedules.all()
    ]
    at_locations = []
    for location in service.location_list:
        sal_id = derived_id("sal", sid, location.pk)
        at_locations.append(
            {
                "id": sal_id,
                "service_id": sid,
                "location_id": str(location.pk),
                "contacts": [],
                "phones": [],
                "schedules": [],
                "location": location_json(location),
                "attributes": [],
                "metadata": [],
            }
        )
    cost_options = []
    if service.is_free:
        cost_options.append(
            {
                "id": derived_id("cost", sid),
                "service_id": sid,
                "option": "Free of charge",
                "currency": "EUR",
                "amount": 0,
                "attributes": [],
                "metadata": [],
            }
        )
    from .validation import LANGUAGE_NAMES

    data.update(
        phones=_phone(service.phone, service_id=sid),
        schedules=schedules,
        service_areas=[],
        service_at_locations=at_locations,
        languages=[
            {
                "id": derived_id("language", sid, code),
                "service_id": sid,
                "name": LANGUAGE_NAMES.get(code, code),
                "code": code,
                "attributes": [],
                "metadata": [],
            }
            for code in service.language_list
        ],
        organization=organization_json(service.provider, locations=False),
        funding=[],
        cost_options=cost_options,
        required_documents=[
            {
                "id": derived_id("document", sid, i),
                "service_id": sid,
                "document": document,
                "attributes": [],
                "metadata": [],
            }
            for i, document in enumerate(service.document_list)
        ],
        contacts=[],
        attributes=[
            {
                "id": derived_id("attribute", sid, need.pk),
                "link_id": sid,
                "taxonomy_term_id": str(need.pk),
                "link_type": "need",
                "link_entity": "service",
                "taxonomy_term": term_json(need),
                "metadata": [],
            }
            for need in service.need_list
        ],
        metadata=_metadata(service, changes or []),
        translations=_translations(
            service,
            {
                "name": "name",
                "description": "description",
                "eligibility_description": "eligibility",
                "application_process": "application_process",
                "fees_description": "fees_description",
            },
        ),
    )
    return data


def page(items: list[dict], *, total: int, page_number: int, per_page: int) -> dict:
    """An HSDS API page (``total_items``, ``total_pages``, ``page_number``, ``size``,
    ``first_page``, ``last_page``, ``empty``, ``contents``)."""
    total_pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(items),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": total == 0,
        "contents": items,
    }
