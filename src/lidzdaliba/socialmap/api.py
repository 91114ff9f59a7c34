"""HSDS 3.0 API (Open Referral ``schema/openapi.json``) under ``/api/hsds/``: the whole
social map as HSDS JSON, paged like HSDS, plus the tabular datapackage as a zip.

Text is in Latvian unless ``?lang=en|ru|uk`` (or an ``Accept-Language``) asks for another;
every object carries ``translations`` for the other languages (our profile).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from ninja import Query, Router, Schema

from hsds_profile import HSDS_VERSION, PROFILE_URL

from . import hsds, selectors
from .models import ChangeRequest, Location, Need, Provider

router = Router(tags=["HSDS (social map)"])
MAX_PER_PAGE = 200


class PageParams(Schema):
    page: int = 1
    per_page: int = 50
    search: str = ""
    lang: str = ""


class ServiceParams(PageParams):
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    organization_id: str = ""
    modified_after: str = ""
    full: bool = False
    minimal: bool = False


def _municipality(request):
    municipality = request.municipality
    if not municipality:
        raise Http404
    return municipality


def _language(request, lang: str) -> str:
    codes = [code for code, _n in settings.LANGUAGES]
    if lang in codes:
        return lang
    accepted = translation.get_language_from_request(request)
    return accepted if accepted in codes and accepted != settings.LANGUAGE_CODE else "lv"


def _slice(params: PageParams):
    page = max(1, params.page)
    per_page = min(max(1, params.per_page), MAX_PER_PAGE)
    return page, per_page, (page - 1) * per_page


@router.get("/", summary="About this HSDS API")
def about(request):
    return {
        "version": HSDS_VERSION,
        "profile": PROFILE_URL,
        "openapi_url": request.build_absolute_uri("/api/openapi.json"),
    }


@router.get("/services", summary="Services (paged)")
def services_list(request, params: Query[ServiceParams]):
    municipality = _municipality(request)
    with translation.override(_language(request, params.lang)):
        queryset = selectors.services_public(municipality=municipality)
        if params.search:
            queryset = queryset.filter(
                Q(name__icontains=params.search) | Q(description__icontains=params.search)
            )
        if params.taxonomy_term_id:
            queryset = queryset.filter(needs__pk=_uuid_or_404(params.taxonomy_term_id))
        if params.taxonomy_id and params.taxonomy_id != hsds.taxonomy_id(municipality):
            queryset = queryset.none()
        if params.organization_id:
            queryset = queryset.filter(provider_id=_uuid_or_404(params.organization_id))
        if params.modified_after:
            moment = parse_datetime(params.modified_after)
            if moment is None:
                try:
                    moment = dt.datetime.fromisoformat(params.modified_after)
                except ValueError:
                    moment = None
            if moment is not None:
                queryset = queryset.filter(updated_at__gte=moment)
        queryset = queryset.order_by("id")
        if params.minimal:
            rows = [
                {"id": str(s.pk), "last_modified": s.updated_at.isoformat()}
                for s in queryset.only("id", "updated_at")
            ]
            return hsds.page(rows, total=len(rows), page_number=1, per_page=max(1, len(rows)))
        page, per_page, offset = _slice(params)
        total = queryset.count()
        chunk = list(queryset[offset : offset + per_page])
        if params.full:
            chunk_changes = _changes_by_service(chunk)
            items = [hsds.service_json(s, changes=chunk_changes.get(s.pk, [])) for s in chunk]
        else:
            items = [hsds.service_list_json(s) for s in chunk]
        return hsds.page(items, total=total, page_number=page, per_page=per_page)


def _uuid_or_404(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


def _changes_by_service(services_: list) -> dict:
    grouped: dict = {}
    changes = (
        ChangeRequest.objects.filter(service__in=services_, status=ChangeRequest.Status.APPROVED)
        .select_related("organisation")
        .order_by("decided_at")
    )
    for change in changes:
        grouped.setdefault(change.service_id, []).append(change)
    return grouped


@router.get("/services/{service_id}", summary="One service, fully nested")
def service_detail(request, service_id: str, lang: str = ""):
    municipality = _municipality(request)
    with translation.override(_language(request, lang)):
        try:
            service = selectors.service_for_page(
                municipality=municipality, pk=_uuid_or_404(service_id)
            )
        except selectors.Service.DoesNotExist:
            raise Http404 from None
        return hsds.service_json(service, changes=_changes_by_service([service]).get(service.pk))


def _providers(municipality):
    return Provider.objects.filter(municipality=municipality).prefetch_related(
        Prefetch("locations", queryset=Location.objects.select_related("neighbourhood"))
    )


@router.get("/organizations", summary="Organizations (paged)")
def organizations_list(request, params: Query[PageParams], full: bool = False):
    municipality = _municipality(request)
    with translation.override(_language(request, params.lang)):
        queryset = _providers(municipality).order_by("id")
        if params.search:
            queryset = queryset.filter(name__icontains=params.search)
        page, per_page, offset = _slice(params)
        total = queryset.count()
        chunk = list(queryset[offset : offset + per_page])
        render = hsds.organization_json if full else hsds.organization_list_json
        return hsds.page(
            [render(p) for p in chunk], total=total, page_number=page, per_page=per_page
        )


@router.get("/organizations/{organization_id}", summary="One organization with its services")
def organization_detail(request, organization_id: str, full_service: bool = False, lang: str = ""):
    municipality = _municipality(request)
    with translation.override(_language(request, lang)):
        provider = _providers(municipality).filter(pk=_uuid_or_404(organization_id)).first()
        if provider is None:
            raise Http404
        data = hsds.organization_json(provider)
        found = list(
            selectors.services_public(municipality=municipality)
            .filter(provider=provider)
            .order_by("id")
        )
        if full_service:
            changes = _changes_by_service(found)
            data["services"] = [hsds.service_json(s, changes=changes.get(s.pk)) for s in found]
        else:
            data["services"] = [hsds.service_list_json(s) for s in found]
        return data


@router.get("/service_at_locations", summary="Services at locations (paged)")
def service_at_locations(request, params: Query[PageParams], full: bool = False):
    municipality = _municipality(request)
    with translation.override(_language(request, params.lang)):
        found = list(selectors.services_public(municipality=municipality).order_by("id"))
        rows = [(service, location) for service in found for location in service.locations.all()]
        page, per_page, offset = _slice(params)
        items = []
        for service, location in rows[offset : offset + per_page]:
            item = {
                "id": hsds.derived_id("sal", service.pk, location.pk),
                "service_id": str(service.pk),
                "location_id": str(location.pk),
            }
            if full:
                item["location"] = hsds.location_json(location)
                item["service"] = hsds.service_list_json(service)
            items.append(item)
        return hsds.page(items, total=len(rows), page_number=page, per_page=per_page)


@router.get("/taxonomies", summary="Taxonomies (paged)")
def taxonomies(request):
    municipality = _municipality(request)
    return hsds.page([hsds.taxonomy_json(municipality)], total=1, page_number=1, per_page=50)


@router.get("/taxonomy_terms", summary="Taxonomy terms: the needs (paged)")
def taxonomy_terms(request, params: Query[PageParams]):
    municipality = _municipality(request)
    with translation.override(_language(request, params.lang)):
        needs = list(Need.objects.filter(municipality=municipality).select_related("municipality"))
        page, per_page, offset = _slice(params)
        chunk = needs[offset : offset + per_page]
        return hsds.page(
            [hsds.term_json(n) for n in chunk],
            total=len(needs),
            page_number=page,
            per_page=per_page,
        )


@router.get("/datapackage.zip", summary="The whole directory as the HSDS tabular datapackage")
def datapackage(request, lang: str = ""):
    from . import tabular_export

    municipality = _municipality(request)
    with translation.override(_language(request, lang)):
        content = tabular_export.datapackage_zip(municipality=municipality)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="hsds-datapackage.zip"'
    return response
