"""Reads about participatory-budget cycles, shared by pages, other areas and the API.

Every function here runs a fixed number of queries, whatever the number of cycles, ideas or
ballots (the pages pin it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

import personalcode
from lidzdaliba.core.models import Neighbourhood, SdgGoal

from ..models.cycles import PHASE_ORDER, Category, Cycle, CycleStatus, PhaseChange, Theme
from ..models.ideas import PUBLIC_IDEA_STATUSES, Idea, IdeaStatus
from ..models.results import ProjectResult
from ..models.voting import Ballot
from ..services.cycles import legal_minimum_cents, submission_is_open, voting_is_open

CURRENT_STATUSES = (
    CycleStatus.SUBMISSION,
    CycleStatus.REVIEW,
    CycleStatus.VOTING,
    CycleStatus.RESULTS,
    CycleStatus.IMPLEMENTATION,
)
PUBLIC_CYCLE_STATUSES = (*CURRENT_STATUSES, CycleStatus.FINISHED)


def _public_ideas() -> Q:
    return Q(ideas__status__in=PUBLIC_IDEA_STATUSES)


def cycles_public(*, municipality) -> dict[str, list[Cycle]]:
    """``{"current": [...], "archive": [...]}``: open cycles (the one voting or taking ideas
    first) and finished ones, each with ``idea_count`` and ``admitted_count``. Cycles in
    preparation are not public. One query."""
    rows = (
        Cycle.objects.filter(municipality=municipality, status__in=PUBLIC_CYCLE_STATUSES)
        .annotate(
            idea_count=Count("ideas", filter=_public_ideas()),
            admitted_count=Count("ideas", filter=Q(ideas__status=IdeaStatus.ADMITTED)),
        )
        .order_by("-submission_opens_at", "-id")
    )
    current, archive = [], []
    for cycle in rows:
        (archive if cycle.status == CycleStatus.FINISHED else current).append(cycle)
    current.sort(key=lambda c: (_urgency(c.status), -(c.submission_opens_at or _EPOCH).timestamp()))
    return {"current": current, "archive": archive}


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _urgency(status: str) -> int:
    order = (CycleStatus.VOTING, CycleStatus.SUBMISSION, CycleStatus.REVIEW, CycleStatus.RESULTS)
    return order.index(status) if status in order else len(order)


def cycle_visible(*, municipality, slug: str, user=None) -> Cycle | None:
    """The cycle with ``slug`` if ``user`` may see it: public once out of preparation;
    a cycle in preparation only for budget officers. Other areas use this to load the
    cycle of their pages. One query (plus the permission check for drafts)."""
    cycle = (
        Cycle.objects.filter(municipality=municipality, slug=slug)
        .select_related("municipality")
        .first()
    )
    if cycle is None:
        return None
    if cycle.status == CycleStatus.DRAFT and not (
        user is not None and user.has_perm("budgeting.view_staff_pages", cycle)
    ):
        return None
    return cycle


@dataclass
class Phase:
    status: str
    label: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    state: str  # "done", "current" or "upcoming"
    note: str = ""


def cycle_timeline(cycle: Cycle) -> list[Phase]:
    """The phases after preparation with their dates, and which is done/current/upcoming."""
    spans = {
        CycleStatus.SUBMISSION: (cycle.submission_opens_at, cycle.submission_closes_at),
        CycleStatus.REVIEW: (cycle.submission_closes_at, cycle.review_ends_at),
        CycleStatus.VOTING: (cycle.voting_opens_at, cycle.voting_closes_at),
        CycleStatus.RESULTS: (cycle.voting_closes_at, cycle.implementation_starts_at),
        CycleStatus.IMPLEMENTATION: (cycle.implementation_starts_at, cycle.finished_at),
    }
    current = PHASE_ORDER.index(cycle.status)
    phases = []
    for status, (starts, ends) in spans.items():
        index = PHASE_ORDER.index(status)
        state = "done" if index < current else "current" if index == current else "upcoming"
        phases.append(Phase(status, CycleStatus(status).label, starts, ends, state))
    return phases


@dataclass
class Money:
    total_cents: int
    reserve_cents: int
    categories_cents: int
    legal_minimum_cents: int | None
    below_legal_minimum: bool
    unallocated_cents: int


def cycle_money(cycle: Cycle, categories: list[Category]) -> Money:
    """The money of a cycle: total, reserve, the categories' sum and the legal minimum."""
    minimum = legal_minimum_cents(
        cycle.revenue_year1_cents, cycle.revenue_year2_cents, cycle.revenue_year3_cents
    )
    in_categories = sum(c.budget_cents for c in categories)
    return Money(
        total_cents=cycle.total_budget_cents,
        reserve_cents=cycle.reserve_cents,
        categories_cents=in_categories,
        legal_minimum_cents=minimum,
        below_legal_minimum=minimum is not None and cycle.total_budget_cents < minimum,
        unallocated_cents=max(0, cycle.total_budget_cents - cycle.reserve_cents - in_categories),
    )


def cycle_categories(cycle: Cycle) -> list[Category]:
    """The categories in order, with their planning unit and ``admitted_count``. One query."""
    return list(
        Category.objects.filter(cycle=cycle)
        .select_related("neighbourhood")
        .annotate(admitted_count=Count("ideas", filter=Q(ideas__status=IdeaStatus.ADMITTED)))
        .order_by("position", "id")
    )


def cycle_themes(cycle: Cycle) -> list[Theme]:
    return list(Theme.objects.filter(cycle=cycle).select_related("category"))


def idea_counts(cycle: Cycle) -> dict[str, int]:
    """Public ideas per status plus ``total`` (every idea that was submitted). One query."""
    counts = dict.fromkeys(PUBLIC_IDEA_STATUSES, 0)
    rows = (
        Idea.objects.filter(cycle=cycle, status__in=PUBLIC_IDEA_STATUSES)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    for status, n in rows:
        counts[status] = n
    counts["total"] = sum(counts[s] for s in PUBLIC_IDEA_STATUSES)
    return counts


def phase_dates(*, municipality) -> list[dt.datetime]:
    """The dates on which the schedule may move each of the municipality's unfinished
    cycles into its next phase (past ones included: a cycle may wait for its categories
    or for the confirmation of its result). One query."""
    from ..services.cycles import PHASE_DATES

    fields = sorted({field for field, _to in PHASE_DATES.values()})
    rows = Cycle.objects.filter(
        municipality=municipality, status__in=list(PHASE_DATES)
    ).values_list("status", *fields)
    dates = []
    for status, *values in rows:
        when = dict(zip(fields, values, strict=True))[PHASE_DATES[status][0]]
        if when is not None:
            dates.append(when)
    return dates


def visitor_actions(cycle: Cycle, *, now: dt.datetime | None = None) -> list[str]:
    """What a visitor can do now, as keys the cycle page turns into links (each link names
    another area's URL and disappears if that page does not exist)."""
    now = now or timezone.now()
    keys: list[str] = []
    if submission_is_open(cycle, now):
        keys.append("submit")
    if cycle.is_at_least(CycleStatus.SUBMISSION):
        keys.append("ideas")
    if voting_is_open(cycle, now):
        keys += ["vote", "turnout"]
    elif cycle.status == CycleStatus.VOTING:
        keys.append("turnout")
    if cycle.results_public:
        keys += ["results", "check", "receipt"]
    if cycle.is_at_least(CycleStatus.IMPLEMENTATION):
        keys.append("projects")
    return keys


# --- statistics ------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    count: int = 0
    cents: int = 0
    share: int = 0  # percent of the column's total, for a bar


@dataclass
class Statistics:
    ideas: dict[str, int]
    ideas_by_theme: list[Row]
    ideas_by_neighbourhood: list[Row]
    sdg: list[Row]
    turnout_public: bool
    ballots: int = 0
    ballots_paper: int = 0
    turnout_by_neighbourhood: list[Row] = field(default_factory=list)
    turnout_by_age: list[Row] = field(default_factory=list)
    money_public: bool = False
    funded_count: int = 0
    funded_cents: int = 0
    money_by_theme: list[Row] = field(default_factory=list)
    money_by_neighbourhood: list[Row] = field(default_factory=list)


def _with_shares(rows: list[Row], *, by: str = "count") -> list[Row]:
    total = sum(getattr(r, by) for r in rows)
    for row in rows:
        row.share = round(100 * getattr(row, by) / total) if total else 0
    return rows


def _labelled(
    counts: dict[Any, tuple[int, int]], labels: dict[Any, str], other: str, *, by: str = "count"
) -> list[Row]:
    """Rows in the order of ``labels`` (then the unlabelled ``None`` bucket), zeros kept."""
    rows = [Row(label, *counts.get(key, (0, 0))) for key, label in labels.items()]
    if counts.get(None, (0, 0)) != (0, 0):
        rows.append(Row(other, *counts[None]))
    return _with_shares(rows, by=by)


def cycle_statistics(
    cycle: Cycle, *, labels_other_theme: str = "", labels_other_place: str = ""
) -> Statistics:
    """Figures of one cycle for its public statistics page. At most 9 queries.

    Ideas (every one that was submitted, in whatever state now) per status, theme,
    neighbourhood and SDG goal are public from the start; turnout by neighbourhood and age
    band only once voting has opened; money funded per theme and neighbourhood only once
    the results are public.
    """
    themes = {t.pk: t.name for t in Theme.objects.filter(cycle=cycle)}
    places = {
        n.pk: n.name
        for n in Neighbourhood.objects.filter(municipality_id=cycle.municipality_id).order_by(
            "name", "id"
        )
    }
    public = Idea.objects.filter(cycle=cycle, status__in=PUBLIC_IDEA_STATUSES).order_by()

    by_theme = {k: (n, 0) for k, n in public.values_list("theme_id").annotate(n=Count("id"))}
    by_place = {
        k: (n, 0) for k, n in public.values_list("neighbourhood_id").annotate(n=Count("id"))
    }
    sdg_rows = (
        Idea.sdg_goals.through.objects.filter(
            idea__cycle=cycle, idea__status__in=PUBLIC_IDEA_STATUSES
        )
        .order_by()
        .values_list("sdggoal_id")
        .annotate(n=Count("id"))
    )
    sdg_counts = dict(sdg_rows)
    goals = SdgGoal.objects.filter(pk__in=list(sdg_counts)).order_by("number") if sdg_counts else []
    sdg = _with_shares([Row(f"{g.number}. {g.name}", sdg_counts[g.pk]) for g in goals])

    stats = Statistics(
        ideas=idea_counts(cycle),
        ideas_by_theme=_labelled(by_theme, themes, labels_other_theme),
        ideas_by_neighbourhood=_labelled(by_place, places, labels_other_place),
        sdg=sdg,
        turnout_public=cycle.is_at_least(CycleStatus.VOTING),
    )

    if stats.turnout_public:
        ballots = Ballot.objects.filter(cycle=cycle).order_by()
        by_channel = dict(ballots.values_list("channel").annotate(n=Count("id")))
        stats.ballots = sum(by_channel.values())
        stats.ballots_paper = by_channel.get(Ballot.Channel.PAPER, 0)
        turnout_place = {
            k: (n, 0) for k, n in ballots.values_list("neighbourhood_id").annotate(n=Count("id"))
        }
        stats.turnout_by_neighbourhood = _labelled(turnout_place, places, labels_other_place)
        by_age = dict(ballots.values_list("age_band").annotate(n=Count("id")))
        bands = [label for low, _high, label in personalcode.AGE_BANDS if low >= 16] or []
        age_rows = [Row(band, by_age.pop(band, 0)) for band in bands]
        age_rows += [Row(band or "?", n) for band, n in sorted(by_age.items()) if n]
        stats.turnout_by_age = _with_shares(age_rows)

    if cycle.results_public:
        stats.money_public = True
        cost = Coalesce("idea__ballot_cost_cents", "idea__cost_cents", output_field=IntegerField())
        funded = ProjectResult.objects.filter(tally__cycle=cycle, selected=True).order_by()
        money_theme: dict[Any, tuple[int, int]] = {}
        money_place: dict[Any, tuple[int, int]] = {}
        for theme_id, place_id, n, cents in funded.values_list(
            "idea__theme_id", "idea__neighbourhood_id"
        ).annotate(n=Count("id"), cents=Sum(cost)):
            cents = int(cents or 0)
            for bucket, key in ((money_theme, theme_id), (money_place, place_id)):
                old = bucket.get(key, (0, 0))
                bucket[key] = (old[0] + n, old[1] + cents)
            stats.funded_count += n
            stats.funded_cents += cents
        stats.money_by_theme = _labelled(money_theme, themes, labels_other_theme, by="cents")
        stats.money_by_neighbourhood = _labelled(
            money_place, places, labels_other_place, by="cents"
        )
    return stats


# --- staff -----------------------------------------------------------------------------


def cycles_for_staff(*, municipality):
    """Every cycle of the municipality, drafts included, newest first. One query."""
    return (
        Cycle.objects.filter(municipality=municipality)
        .annotate(
            category_count=Count("categories", distinct=True),
            idea_count=Count("ideas", filter=_public_ideas(), distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def cycle_phase_changes(cycle: Cycle):
    """The cycle's phase changes, newest first, with who made them. One query."""
    return (
        PhaseChange.objects.filter(cycle=cycle)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")
    )
