"""Reads shared by the report pages, feeds and the Open311 API."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    CLOSED_STATUSES,
    DONE_STATUSES,
    OPEN_STATUSES,
    Category,
    CategoryQuestion,
    Department,
    Report,
    ReportEvent,
    Status,
)

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def categories_for(*, municipality: Any, active_only: bool = True) -> QuerySet[Category]:
    """The municipality's categories with their questions (two queries when iterated)."""
    qs = Category.objects.filter(municipality=municipality).prefetch_related(
        Prefetch("questions", queryset=CategoryQuestion.objects.order_by("order", "id"))
    )
    return qs.filter(is_active=True) if active_only else qs


def reports_public(*, municipality: Any, with_department: bool = True) -> QuerySet[Report]:
    """Reports anyone may see: not hidden, with what list pages show (one query)."""
    related = ("category", "neighbourhood", "department")
    return (
        Report.objects.filter(municipality=municipality, hidden_at__isnull=True)
        .select_related(*(related if with_department else related[:2]))
        # Neighbourhood boundaries are large GeoJSON documents that lists never show.
        .defer("neighbourhood__boundary")
        .order_by("-created_at", "-id")
    )


def reports_filter(
    qs: QuerySet[Report],
    *,
    category: str = "",
    status: str = "",
    neighbourhood: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Report]:
    """Narrow a report queryset by category code, status (a status, or "open"/"closed"),
    neighbourhood slug and an inclusive date range of when the reports were made."""
    if category:
        qs = qs.filter(category__code=category)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        qs = qs.filter(status__in=DONE_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if neighbourhood:
        qs = qs.filter(neighbourhood__slug=neighbourhood)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(created_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(created_at__lt=end)
    return qs


@dataclass(frozen=True)
class Nearby:
    report: Report
    distance: float


def reports_nearby(
    *, category: Category, lat: float, lon: float, exclude: int | None = None
) -> list[Nearby]:
    """Open, visible reports of ``category`` within its duplicate radius of the point,
    nearest first (a bounding-box query, then exact distances)."""
    radius = category.duplicate_radius_m
    dlat = radius / 111_320
    dlon = radius / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    qs = (
        Report.objects.filter(
            category=category,
            status__in=OPEN_STATUSES,
            hidden_at__isnull=True,
            lat__range=(lat - dlat, lat + dlat),
            lon__range=(lon - dlon, lon + dlon),
        )
        .select_related("category", "neighbourhood")
        .exclude(pk=exclude)
    )
    found = [Nearby(r, distance_m(lat, lon, r.lat, r.lon)) for r in qs[:50]]
    return sorted((n for n in found if n.distance <= radius), key=lambda n: n.distance)[:10]


def report_timeline(*, report: Report, internal: bool = False) -> QuerySet[ReportEvent]:
    """The report's events, oldest first; internal notes only when ``internal``."""
    qs = report.events.select_related("actor")
    return qs if internal else qs.filter(is_internal=False)


def reports_queue(
    *,
    municipality: Any,
    department: Department | None = None,
    overdue: bool = False,
    include_closed: bool = False,
) -> QuerySet[Report]:
    """The officers' work list: open reports (optionally one department's, or overdue
    ones), oldest due first."""
    qs = Report.objects.filter(municipality=municipality).select_related(
        "category", "neighbourhood", "department", "assignee"
    )
    if not include_closed:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if department is not None:
        qs = qs.filter(department=department)
    if overdue:
        qs = qs.filter(due_at__lt=timezone.now(), status__in=OPEN_STATUSES)
    return qs.order_by("due_at", "id")


@dataclass
class MedianRow:
    label: str
    resolved: int
    median_days: float | None


def _medians(groups: dict[Any, list[float]], labels: dict[Any, str]) -> list[MedianRow]:
    rows = [
        MedianRow(labels.get(key, "—"), len(values), round(statistics.median(values), 1))
        for key, values in groups.items()
        if values
    ]
    return sorted(rows, key=lambda r: r.label)


def report_statistics(*, municipality: Any) -> dict[str, Any]:
    """Median days from report to resolution, by category, department and neighbourhood,
    with the counts of open and closed reports (four queries)."""
    resolved = Report.objects.filter(
        municipality=municipality, hidden_at__isnull=True, resolved_at__isnull=False
    ).values_list("category_id", "department_id", "neighbourhood_id", "created_at", "resolved_at")
    by: dict[str, dict[Any, list[float]]] = {
        "category": defaultdict(list),
        "department": defaultdict(list),
        "neighbourhood": defaultdict(list),
    }
    all_days = []
    for category_id, department_id, neighbourhood_id, created, done in resolved:
        days = max((done - created).total_seconds() / 86400, 0)
        all_days.append(days)
        by["category"][category_id].append(days)
        by["department"][department_id].append(days)
        by["neighbourhood"][neighbourhood_id].append(days)
    counts = Report.objects.filter(municipality=municipality, hidden_at__isnull=True).aggregate(
        open=_count(Q(status__in=OPEN_STATUSES)),
        resolved=_count(Q(status=Status.RESOLVED)),
        closed=_count(Q(status__in=CLOSED_STATUSES)),
    )
    from lidzdaliba.core.models import Neighbourhood

    return {
        "counts": counts,
        "median_days": round(statistics.median(all_days), 1) if all_days else None,
        "by_category": _medians(
            by["category"], _labels(Category.objects.filter(municipality=municipality))
        ),
        "by_department": _medians(
            by["department"], _labels(Department.objects.filter(municipality=municipality))
        ),
        "by_neighbourhood": _medians(
            by["neighbourhood"], _labels(Neighbourhood.objects.filter(municipality=municipality))
        ),
    }


def _count(condition: Q):
    from django.db.models import Count

    return Count("id", filter=condition)


def _labels(objects: Iterable[Any]) -> dict[Any, str]:
    return {o.pk: str(o) for o in objects}
