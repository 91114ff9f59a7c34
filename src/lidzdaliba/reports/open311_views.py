"""Open311 GeoReport v2 endpoints (``/open311/v2/…``), in JSON and XML.

The API key for ``POST requests`` is an accounts ``ApiToken`` that an administrator issues
to the integration's account (only its hash is stored; it can be revoked at once). Reports
made through the API are recorded with that account as the actor and the token.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from lidzdaliba.accounts.services.people import api_token_authenticate
from lidzdaliba.core.models import Attachment, Municipality

from . import open311, selectors, services
from .models import Category, Report

Handler = Callable[..., Any]


def _respond(fmt: str, kind: str, payload: Any, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = open311.to_xml(kind, payload)
    else:
        body = json.dumps(payload, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=open311.FORMATS[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def endpoint(methods: tuple[str, ...]):
    """Wrap a handler returning ``(kind, payload)``: method check, jurisdiction lookup,
    the client's language, and :class:`open311.Open311Error` turned into the error array."""

    def decorate(handler: Handler) -> Handler:
        @csrf_exempt
        @wraps(handler)
        def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            # Names and messages in the language the client asks for (Accept-Language),
            # Latvian by default; the standard's own error texts are English.
            with translation.override(translation.get_language_from_request(request)):
                try:
                    if request.method not in methods:
                        raise open311.Open311Error(405, "Method not allowed")
                    municipality = _jurisdiction(request)
                    kind, payload, *status = handler(request, municipality, **kwargs)
                    return _respond(fmt, kind, payload, *status)
                except open311.Open311Error as exc:
                    response = _respond(fmt, "errors", exc.body(), exc.status)
                    if exc.status == 405:
                        response["Allow"] = ", ".join(methods)
                    return response

        return view

    return decorate


def _param(request: HttpRequest, name: str) -> str:
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(name)
    value = (value or "").strip()
    if "\x00" in value:
        # Found by fuzzing: PostgreSQL text cannot hold NUL characters.
        raise open311.Open311Error(400, f"{name} may not contain NUL characters")
    return value


def _jurisdiction(request: HttpRequest) -> Municipality:
    """``jurisdiction_id`` (the municipality's short name or web domain) is accepted and
    optional: without it, the municipality of this host is meant."""
    jurisdiction = _param(request, "jurisdiction_id")
    if jurisdiction:
        found = Municipality.objects.filter(Q(slug=jurisdiction) | Q(domain=jurisdiction)).first()
        if found is None:
            raise open311.Open311Error(404, "jurisdiction_id not found")
        return found
    municipality = request.municipality
    if not municipality:
        raise open311.Open311Error(400, "jurisdiction_id was not provided")
    return municipality


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


# --- discovery and services ----------------------------------------------------------------


@endpoint(("GET",))
def discovery(request, municipality):
    # The service list changes with the municipality's categories; clients re-read daily.
    changeset = open311.format_datetime(
        timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    )
    return (
        "discovery",
        {
            "changeset": changeset,
            "contact": municipality.contact_email or municipality.name,
            "key_service": _absolute(request, "/admin/accounts/apitoken/"),
            "endpoints": [
                {
                    "specification": open311.SPECIFICATION,
                    "url": _absolute(request, "/open311/v2"),
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
    )


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": bool(category.questions.all()),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.department.name if category.department else "",
    }


@endpoint(("GET",))
def services_list(request, municipality):
    categories = selectors.categories_for(municipality=municipality).select_related("department")
    return "services", [_service(c) for c in categories]


@endpoint(("GET",))
def service_definition(request, municipality, code: str):
    category = selectors.categories_for(municipality=municipality).filter(code=code).first()
    if category is None:
        raise open311.Open311Error(404, "service_code not found")
    attributes = [
        {
            "variable": True,
            "code": q.code,
            "datatype": q.datatype,
            "required": q.required,
            "datatype_description": q.help_text or None,
            "order": q.order,
            "description": q.label,
            "values": [
                {"key": str(v.get("key")), "name": str(v.get("name", v.get("key")))}
                for v in q.values or []
            ],
        }
        for q in category.questions.all()
    ]
    return "service_definition", {"service_code": category.code, "attributes": attributes}


# --- requests ------------------------------------------------------------------------------


def _photo_urls(request, reports: list[Report]) -> dict[str, str]:
    if not reports:
        return {}
    rows = (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Report),
            object_id__in=[str(r.pk) for r in reports],
            kind=Attachment.Kind.IMAGE,
        )
        .order_by("object_id", "id")
        .values_list("object_id", "file")
    )
    urls: dict[str, str] = {}
    storage = Attachment._meta.get_field("file").storage
    for object_id, name in rows:
        urls.setdefault(object_id, request.build_absolute_uri(storage.url(name)))
    return urls


def _request_dict(report: Report, media_url: str | None) -> dict[str, Any]:
    return {
        "service_request_id": str(report.pk),
        "status": open311.status_of(report.status),
        "detailed_status": report.status,
        "status_notes": report.public_reply or None,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.department.name if report.department else None,
        "service_notice": None,
        "requested_datetime": open311.format_datetime(report.created_at),
        "updated_datetime": open311.format_datetime(report.updated_at),
        "expected_datetime": open311.format_datetime(report.due_at),
        "address": report.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": report.lat,
        "long": report.lon,
        "media_url": media_url,
    }


def _requests_payload(request, reports: list[Report]) -> list[dict[str, Any]]:
    media = _photo_urls(request, reports)
    return [_request_dict(r, media.get(str(r.pk))) for r in reports]


def _requests_search(request, municipality) -> list[Report]:
    qs = selectors.reports_public(municipality=municipality)
    ids = _param(request, "service_request_id")
    if ids:
        wanted = [n for n in map(open311.request_id, ids.split(",")) if n is not None]
        wanted = wanted[: open311.MAX_RESULTS]
        return list(qs.filter(pk__in=wanted))
    start, end = open311.date_window(
        _param(request, "start_date") or None,
        _param(request, "end_date") or None,
        now=timezone.now(),
    )
    qs = qs.filter(created_at__gte=start, created_at__lte=end)
    codes = [c.strip() for c in _param(request, "service_code").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    statuses = open311.statuses_filter(_param(request, "status"))
    if statuses == {open311.OPEN}:
        qs = qs.filter(status__in=open311.OPEN_DETAILED)
    elif statuses == {open311.CLOSED}:
        qs = qs.exclude(status__in=open311.OPEN_DETAILED)
    return list(qs[: open311.MAX_RESULTS])


@endpoint(("GET", "POST"))
def requests_view(request, municipality):
    if request.method == "POST":
        return _create(request, municipality)
    return "requests", _requests_payload(request, _requests_search(request, municipality))


def _create(request, municipality):
    token = api_token_authenticate(_param(request, "api_key"))
    if token is None:
        raise open311.Open311Error(403, "api_key is missing or invalid")
    code = _param(request, "service_code")
    if not code:
        raise open311.Open311Error(400, "service_code was not provided")
    category = selectors.categories_for(municipality=municipality).filter(code=code).first()
    if category is None:
        raise open311.Open311Error(400, "service_code not found")
    lat, lon = _param(request, "lat"), _param(request, "long")
    address = _param(request, "address_string")
    try:
        point = (float(lat), float(lon)) if lat and lon else None
    except ValueError:
        raise open311.Open311Error(400, "lat and long must be numbers") from None
    if point is None and address:
        from . import gazetteer

        point = gazetteer.locate(municipality.slug, address)
        if point is None:
            raise open311.Open311Error(400, "address_string could not be located; send lat/long")
    if point is None:
        raise open311.Open311Error(400, "a location is required: lat and long, or address_string")
    form = request.POST if request.method == "POST" and request.POST else request.GET
    if any("\x00" in key or "\x00" in value for key, value in form.items()):
        raise open311.Open311Error(400, "parameters may not contain NUL characters")
    answers = {
        k: v if len(v) > 1 else v[0]
        for k, v in open311.attributes_from({k: form.getlist(k) for k in form}).items()
        if v
    }
    name = " ".join(filter(None, [_param(request, "first_name"), _param(request, "last_name")]))
    try:
        report = services.report_submit(
            actor=token.user,
            municipality=municipality,
            category=category,
            lat=point[0],
            lon=point[1],
            address=address,
            description=_param(request, "description"),
            answers=answers,
            email=_param(request, "email"),
            name=name,
            source=Report.Source.OPEN311,
            api_token=token,
        )
    except services.ReportRejected as exc:
        raise open311.Open311Error(400, exc.message) from None
    return (
        "requests",
        [
            {
                "service_request_id": str(report.pk),
                "token": str(report.token),
                "service_notice": None,
                "account_id": None,
            }
        ],
    )


@endpoint(("GET",))
def request_detail(request, municipality, pk: str):
    report = None
    number = open311.request_id(pk)
    if number is not None:
        report = selectors.reports_public(municipality=municipality).filter(pk=number).first()
    if report is None:
        raise open311.Open311Error(404, "service_request_id not found")
    return "requests", _requests_payload(request, [report])


@endpoint(("GET",))
def token_detail(request, municipality, token: str):
    report = None
    try:
        report = (
            Report.objects.filter(municipality=municipality, token=uuid.UUID(token))
            .only("pk", "token")
            .first()
        )
    except ValueError:
        report = None
    if report is None:
        raise open311.Open311Error(404, "token not found")
    return "requests", [{"service_request_id": str(report.pk), "token": str(report.token)}]
