"""``{% pb_home_card %}``: the home page's participatory-budget card says what is open now."""

from __future__ import annotations

from django import template
from django.utils import timezone

from lidzdaliba.budgeting.models import Cycle, CycleStatus
from lidzdaliba.budgeting.services.cycles import submission_is_open, voting_is_open

register = template.Library()

OPEN_STATUSES = (CycleStatus.SUBMISSION, CycleStatus.VOTING, CycleStatus.RESULTS)


@register.inclusion_tag("budgeting/home/_card.html", takes_context=True)
def pb_home_card(context) -> dict:
    """One query: the cycles of the municipality taking ideas, voting or showing results."""
    municipality = getattr(context.get("request"), "municipality", None)
    cycles = []
    if municipality is not None:
        now = timezone.now()
        rows = Cycle.objects.filter(municipality=municipality, status__in=OPEN_STATUSES).only(
            "slug",
            "title",
            "status",
            "municipality_id",
            "submission_opens_at",
            "submission_closes_at",
            "voting_opens_at",
            "voting_closes_at",
        )
        for cycle in rows.order_by("-voting_opens_at", "-id")[:3]:
            cycle.voting_now = voting_is_open(cycle, now)
            cycle.ideas_now = submission_is_open(cycle, now)
            cycles.append(cycle)
    return {"cycles": cycles}
