"""Reads about the implementation of funded projects and their upkeep.

Every function here runs a fixed number of queries whatever the number of projects,
updates or photos.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import OuterRef, QuerySet, Subquery

from lidzdaliba.core.models import Attachment

from ..models import (
    Cycle,
    Implementation,
    ImplementationStatus,
    ImplementationUpdate,
    MaintenanceCost,
)


def cycle_of(*, municipality: Any, slug: str) -> Cycle | None:
    return Cycle.objects.filter(municipality=municipality, slug=slug).first()


def _implementations(cycle: Cycle) -> QuerySet[Implementation]:
    latest = ImplementationUpdate.objects.filter(implementation=OuterRef("pk")).order_by(
        "-created_at", "-id"
    )
    return (
        Implementation.objects.filter(idea__cycle=cycle)
        .select_related("idea", "idea__category", "idea__theme", "idea__neighbourhood")
        .annotate(
            latest_text=Subquery(latest.values("text")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("idea__category__position", "idea__category_id", "idea__number", "idea_id")
    )


@dataclass
class ProjectsOverview:
    projects: list[Implementation]
    status: str
    counts: dict[str, int]
    planned_total_cents: int
    actual_total_cents: int
    filters: list[tuple[str, str, int]] = field(default_factory=list)


def projects_overview(*, cycle: Cycle, status: str = "") -> ProjectsOverview:
    """The funded projects of ``cycle`` (optionally only those in ``status``), with their
    latest update, the count per status and the cost totals. Two queries."""
    if status not in ImplementationStatus.values:
        status = ""
    everything = list(_implementations(cycle))
    counts: dict[str, int] = defaultdict(int)
    for implementation in everything:
        counts[implementation.status] += 1
    shown = [i for i in everything if not status or i.status == status]
    filters = [("", "", len(everything))] + [
        (value, label, counts.get(value, 0)) for value, label in ImplementationStatus.choices
    ]
    return ProjectsOverview(
        projects=shown,
        status=status,
        counts=dict(counts),
        planned_total_cents=sum(i.planned_cost_cents for i in shown),
        actual_total_cents=sum(i.actual_cost_cents or 0 for i in shown),
        filters=filters,
    )


def staff_implementations(*, cycle: Cycle) -> list[Implementation]:
    return list(_implementations(cycle))


def staff_implementation(*, cycle: Cycle, idea_pk: int) -> Implementation | None:
    return (
        Implementation.objects.filter(idea__cycle=cycle, idea_id=idea_pk)
        .select_related("idea", "idea__category", "idea__cycle", "idea__neighbourhood")
        .first()
    )


def _photos_by_update(updates: list[ImplementationUpdate]) -> dict[int, list[Attachment]]:
    if not updates:
        return {}
    content_type = ContentType.objects.get_for_model(ImplementationUpdate)
    photos: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in Attachment.objects.filter(
        content_type=content_type, object_id__in=[str(u.pk) for u in updates]
    ).order_by("created_at", "id"):
        photos[int(attachment.object_id)].append(attachment)
    return photos


def updates_with_photos(*, implementation: Implementation) -> list[ImplementationUpdate]:
    """The public history of a project, newest first; each update's ``photos`` attached.
    Two queries."""
    updates = list(implementation.updates.select_related("author"))
    photos = _photos_by_update(updates)
    for update in updates:
        update.photos = photos.get(update.pk, [])
    return updates


def implementation_section(*, idea: Any) -> dict[str, Any] | None:
    """What the idea page shows about a funded project's implementation, or ``None`` when
    it has none. At most four queries."""
    implementation = Implementation.objects.filter(idea_id=idea.pk).select_related("idea").first()
    if implementation is None:
        return None
    return {
        "implementation": implementation,
        "updates": updates_with_photos(implementation=implementation),
        "maintenance": list(MaintenanceCost.objects.filter(idea_id=idea.pk).order_by("year")),
    }


def maintenance_of(*, idea_pk: int) -> list[MaintenanceCost]:
    return list(MaintenanceCost.objects.filter(idea_id=idea_pk).order_by("-year"))


@dataclass
class MaintenanceRow:
    idea: Any
    amounts: list[int | None]
    total_cents: int
    estimate_cents: int | None


@dataclass
class MaintenanceReport:
    years: list[int]
    rows: list[MaintenanceRow]
    year_totals: list[int]
    total_cents: int


def maintenance_report(*, municipality: Any) -> MaintenanceReport:
    """The upkeep of every funded project of ``municipality``, per project and year, with
    the totals per year and overall, and the yearly estimate made at review. One query."""
    costs = list(
        MaintenanceCost.objects.filter(idea__cycle__municipality=municipality)
        .select_related("idea", "idea__cycle", "idea__review")
        .order_by("idea__cycle__voting_opens_at", "idea__cycle_id", "idea__number", "idea_id")
    )
    years = sorted({c.year for c in costs})
    index = {year: i for i, year in enumerate(years)}
    by_idea: dict[int, MaintenanceRow] = {}
    for cost in costs:
        row = by_idea.get(cost.idea_id)
        if row is None:
            review = _review_of(cost.idea)
            row = by_idea[cost.idea_id] = MaintenanceRow(
                idea=cost.idea,
                amounts=[None] * len(years),
                total_cents=0,
                estimate_cents=review.maintenance_cost_cents if review else None,
            )
        row.amounts[index[cost.year]] = cost.amount_cents
        row.total_cents += cost.amount_cents
    year_totals = [0] * len(years)
    for cost in costs:
        year_totals[index[cost.year]] += cost.amount_cents
    return MaintenanceReport(
        years=years,
        rows=list(by_idea.values()),
        year_totals=year_totals,
        total_cents=sum(year_totals),
    )


def _review_of(idea: Any) -> Any:
    try:
        return idea.review  # cached by select_related
    except ObjectDoesNotExist:
        return None
