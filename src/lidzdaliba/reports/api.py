"""Reports API (``/api/reports/…``): the public list, one report with its public timeline,
categories and statistics; officers change statuses with the same service as the pages.

Integrations that speak Open311 use ``/open311/v2/`` instead; this API is for the
platform's own clients and gives the richer data (detailed status, timeline, supporters).
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from lidzdaliba.accounts.api import api_auth

from . import selectors, services
from .models import Report

router = Router(tags=["reports"])
MAX_PAGE = 100


class CategoryOut(Schema):
    code: str
    name: str
    description: str
    duplicate_radius_m: int
    due_days: int


class ReportOut(Schema):
    id: int
    category: str
    category_name: str
    neighbourhood: str
    status: str
    status_label: str
    lat: float
    lon: float
    address: str
    description: str
    public_reply: str
    support_count: int
    created_at: dt.datetime
    due_at: dt.datetime | None
    resolved_at: dt.datetime | None


class EventOut(Schema):
    kind: str
    status: str
    text: str
    created_at: dt.datetime


class ReportDetailOut(ReportOut):
    timeline: list[EventOut]


class ReportFilters(Schema):
    category: str = ""
    status: str = ""
    neighbourhood: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    offset: int = 0
    limit: int = 50


class TransitionIn(Schema):
    status: str
    reply: str = ""


class MedianOut(Schema):
    label: str
    resolved: int
    median_days: float | None


class StatisticsOut(Schema):
    counts: dict[str, int]
    median_days: float | None
    by_category: list[MedianOut]
    by_department: list[MedianOut]
    by_neighbourhood: list[MedianOut]


def _municipality(request):
    municipality = request.municipality
    if not municipality:
        raise Http404
    return municipality


def _out(report: Report) -> dict:
    return {
        "id": report.pk,
        "category": report.category.code,
        "category_name": report.category.name,
        "neighbourhood": report.neighbourhood.slug,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "lat": report.lat,
        "lon": report.lon,
        "address": report.address,
        "description": report.description,
        "public_reply": report.public_reply,
        "support_count": report.support_count,
        "created_at": report.created_at,
        "due_at": report.due_at,
        "resolved_at": report.resolved_at,
    }


@router.get("/categories", response=list[CategoryOut])
def categories(request):
    return list(selectors.categories_for(municipality=_municipality(request)))


@router.get("/", response=list[ReportOut])
def report_list(request, filters: Query[ReportFilters]):
    """Visible reports, newest first, with the same filters as the list page."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise HttpError(400, "date_from is after date_to")
    qs = selectors.reports_filter(
        selectors.reports_public(municipality=_municipality(request)),
        category=filters.category,
        status=filters.status,
        neighbourhood=filters.neighbourhood,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    offset = max(filters.offset, 0)
    limit = min(max(filters.limit, 1), MAX_PAGE)
    return [_out(r) for r in qs[offset : offset + limit]]


@router.get("/statistics", response=StatisticsOut)
def statistics(request):
    return selectors.report_statistics(municipality=_municipality(request))


def _visible(request, pk: int) -> Report:
    report = selectors.reports_public(municipality=_municipality(request)).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@router.get("/{int:pk}", response=ReportDetailOut)
def report_detail(request, pk: int):
    report = _visible(request, pk)
    return {**_out(report), "timeline": list(selectors.report_timeline(report=report))}


@router.post("/{int:pk}/transition", response=ReportOut, auth=api_auth)
def report_transition(request, pk: int, body: TransitionIn):
    """Change the status (officers of the reports module); ``reply`` is required for
    resolving or closing."""
    report = _visible(request, pk)
    try:
        report = services.report_transition(
            actor=request.user, report=report, to=body.status, reply=body.reply
        )
    except ValueError as exc:
        raise HttpError(400, getattr(exc, "message", str(exc))) from exc
    return _out(Report.objects.select_related("category", "neighbourhood").get(pk=report.pk))
