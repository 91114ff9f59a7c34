"""Reads for the voting pages: the ballot of a category, the voter's overview, turnout."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

import personalcode
from lidzdaliba.accounts.models import Residency

from ..models import Ballot, BallotChoice, Category, Cycle, Idea, IdeaStatus
from ..models.cycles import BallotForm


def cycle_for_voting(*, municipality, slug: str) -> Cycle | None:
    """The municipality's cycle ``slug`` (any phase), or None."""
    if municipality is None:
        return None
    return (
        Cycle.objects.filter(municipality=municipality, slug=slug)
        .select_related("municipality")
        .first()
    )


def category_of(*, municipality, slug: str, category_slug: str) -> Category | None:
    """The category with its cycle (and the cycle's municipality), in one query."""
    if municipality is None:
        return None
    return (
        Category.objects.filter(
            cycle__municipality=municipality, cycle__slug=slug, slug=category_slug
        )
        .select_related("cycle__municipality", "neighbourhood")
        .first()
    )


# --- the hot path of a vote: plain SQL, no ORM compilation --------------------------------

_CYCLE_FIELDS = (
    "id",
    "municipality_id",
    "slug",
    "status",
    "voting_opens_at",
    "voting_closes_at",
    "min_age",
    "vote_in_own_neighbourhood_only",
)
_CATEGORY_FIELDS = (
    "id",
    "cycle_id",
    "slug",
    "neighbourhood_id",
    "budget_cents",
    "ballot_form",
    "max_picks",
    "points",
)
_RESIDENCY_FIELDS = (
    "id",
    "user_id",
    "municipality_id",
    "identity_key",
    "neighbourhood_id",
    "birth_date",
    "expires_at",
    "revoked_at",
)
_TARGET_SQL = (  # noqa: S608 (only the constant field names above are formatted in)
    "SELECT {cycle}, {category}, {residency} FROM budgeting_category c "
    "JOIN budgeting_cycle y ON y.id = c.cycle_id "
    "LEFT JOIN accounts_residency r ON r.user_id = %s AND r.municipality_id = y.municipality_id "
    "AND r.revoked_at IS NULL AND r.expires_at > %s "
    "WHERE y.municipality_id = %s AND y.slug = %s AND c.slug = %s "
    "ORDER BY r.verified_at DESC LIMIT 1"
).format(
    cycle=", ".join(f"y.{f}" for f in _CYCLE_FIELDS),
    category=", ".join(f"c.{f}" for f in _CATEGORY_FIELDS),
    residency=", ".join(f"r.{f}" for f in _RESIDENCY_FIELDS),
)
_DATETIMES = {"voting_opens_at", "voting_closes_at", "expires_at", "revoked_at"}


def _python(name: str, value):
    """Raw rows from SQLite carry dates as text or naive UTC datetimes; PostgreSQL gives
    aware datetimes already."""
    if name in _DATETIMES and value is not None:
        if isinstance(value, str):
            value = parse_datetime(value)
        if value is not None and timezone.is_naive(value):
            value = value.replace(tzinfo=dt.UTC)
        return value
    if isinstance(value, str) and name == "birth_date":
        return parse_date(value)
    return value


def _instance(model, fields, values):
    return model.from_db(
        "default", list(fields), [_python(f, v) for f, v in zip(fields, values, strict=True)]
    )


def municipality_pk_for_host(*, host: str) -> int | None:
    """The pk of the municipality served on ``host`` (``core.selectors.municipality_for_host``),
    remembered in the cache for a minute: the vote's hot path then needs no query for it."""
    from django.core.cache import cache

    from lidzdaliba.core.selectors import municipality_for_host

    key = "budgeting:municipality-for-host:" + host.split(":")[0].lower()
    pk = cache.get(key)
    if pk is None:
        municipality = municipality_for_host(host=host)
        pk = municipality.pk if municipality else 0
        cache.set(key, pk, 60)
    return pk or None


def ballot_target(*, municipality_pk, slug: str, category_slug: str, user) -> tuple | None:
    """``(category, residency)`` for saving a vote, in one plain SQL query: the category with
    its cycle (only the fields the rules need; the rest load on access) and the user's
    valid residency in the cycle's municipality, or None — the same rule as
    ``accounts.selectors.residency_active`` (not revoked, not expired, newest first).
    None if there is no such category. ``cycle.municipality`` loads on first access."""
    if municipality_pk is None:
        return None
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    with connection.cursor() as cursor:
        cursor.execute(
            _TARGET_SQL,
            [
                user_id,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                municipality_pk,
                slug,
                category_slug,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    n_cycle, n_category = len(_CYCLE_FIELDS), len(_CATEGORY_FIELDS)
    cycle = _instance(Cycle, _CYCLE_FIELDS, row[:n_cycle])
    category = _instance(Category, _CATEGORY_FIELDS, row[n_cycle : n_cycle + n_category])
    category.cycle = cycle
    residency_row = row[n_cycle + n_category :]
    residency = None
    if residency_row[0] is not None:
        residency = _instance(Residency, _RESIDENCY_FIELDS, residency_row)
    return category, residency


def ballot_costs(*, category: Category) -> dict[int, int]:
    """``{idea pk: ballot cost in cents}`` of the category's admitted ideas (plain SQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ballot_cost_cents FROM budgeting_idea "
            "WHERE category_id = %s AND status = %s",
            [category.pk, IdeaStatus.ADMITTED.value],
        )
        return dict(cursor.fetchall())


# --- pages ---------------------------------------------------------------------------------


def ballot_projects(*, category: Category) -> list[Idea]:
    """The category's admitted ideas, as the ballot lists them (by number)."""
    return list(
        Idea.objects.filter(category=category, status=IdeaStatus.ADMITTED)
        .only("pk", "number", "title", "summary", "ballot_cost_cents", "cycle_id", "category_id")
        .order_by("number", "pk")
    )


def cycle_ballot_projects(*, cycle: Cycle) -> list[Idea]:
    """Every admitted idea of the cycle (all categories), by category and number."""
    return list(
        Idea.objects.filter(cycle=cycle, status=IdeaStatus.ADMITTED)
        .only("pk", "number", "title", "ballot_cost_cents", "cycle_id", "category_id")
        .order_by("category__position", "number", "pk")
    )


def idea_titles(*, pks: list[int]) -> dict[int, str]:
    return dict(Idea.objects.filter(pk__in=pks).values_list("pk", "title"))


def ballot_of(*, cycle: Cycle, identity_key: str | None) -> Ballot | None:
    if not identity_key:
        return None
    return Ballot.objects.filter(cycle=cycle, identity_key=identity_key).first()


def ballot_choices(*, ballot: Ballot | None, category: Category | None = None) -> dict[int, int]:
    """``{idea pk: points}`` of ``ballot`` (in ``category`` when given)."""
    if ballot is None:
        return {}
    rows = BallotChoice.objects.filter(ballot=ballot)
    if category is not None:
        rows = rows.filter(category=category)
    return dict(rows.values_list("idea_id", "points"))


@dataclass
class BallotSummary:
    """What the ballot page shows beside the projects: how much is chosen and what is left."""

    form: str
    picks: int
    max_picks: int | None
    cost_cents: int
    budget_cents: int
    points_used: int
    points: int | None
    chosen: list[str] = field(default_factory=list)

    @property
    def picks_left(self) -> int | None:
        return None if not self.max_picks else max(self.max_picks - self.picks, 0)

    @property
    def money_left_cents(self) -> int:
        return self.budget_cents - self.cost_cents

    @property
    def points_left(self) -> int:
        return (self.points or 0) - self.points_used


def ballot_summary(
    *,
    category: Category,
    costs: dict[int, int],
    choices: dict[int, int],
    titles: dict[int, str] | None = None,
) -> BallotSummary:
    """Count the chosen projects, their cost and points (no query). ``costs`` is ``{pk:
    ballot cost}`` of the ballot's projects; ``titles`` (``{pk: title}``) names the choice of
    a single-choice ballot when given."""
    chosen = [pk for pk in choices if choices[pk] and pk in costs]
    return BallotSummary(
        form=category.ballot_form,
        picks=len(chosen),
        max_picks=category.max_picks
        if category.ballot_form == BallotForm.APPROVAL
        else (1 if category.ballot_form == BallotForm.SINGLE else None),
        cost_cents=sum(costs[pk] or 0 for pk in chosen),
        budget_cents=category.budget_cents,
        points_used=sum(choices[pk] for pk in chosen),
        points=category.points,
        chosen=[(titles or {}).get(pk, "") for pk in chosen],
    )


def vote_overview(*, user: Any, cycle: Cycle, residency: Any) -> dict:
    """The voter's state in each category: ``{"ballot", "rows": [(category, n_chosen)]}``."""
    ballot = ballot_of(cycle=cycle, identity_key=getattr(residency, "identity_key", None))
    counts: dict[int, int] = {}
    if ballot is not None:
        counts = dict(
            BallotChoice.objects.filter(ballot=ballot)
            .values_list("category_id")
            .annotate(n=Count("id"))
            .values_list("category_id", "n")
        )
    categories = list(cycle.categories.select_related("neighbourhood"))
    return {"ballot": ballot, "rows": [(c, counts.get(c.pk, 0)) for c in categories]}


def _counted_ballots(cycle: Cycle):
    """Ballots with at least one choice: an emptied ballot is not counted."""
    return Ballot.objects.filter(cycle=cycle).filter(
        Exists(BallotChoice.objects.filter(ballot=OuterRef("pk")))
    )


def turnout(*, cycle: Cycle) -> dict:
    """Public turnout: how many people voted (ballots with choices), by channel, by
    neighbourhood and by age band. Three queries; no votes per project."""
    counted = _counted_ballots(cycle)
    by_channel = dict(
        counted.order_by()
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    neighbourhoods = {n.pk: n.name for n in cycle.municipality.neighbourhoods.order_by("name")}
    by_nb: dict[int | None, int] = dict(
        counted.order_by()
        .values_list("neighbourhood_id")
        .annotate(n=Count("id"))
        .values_list("neighbourhood_id", "n")
    )
    rows_nb = [(name, by_nb.get(pk, 0)) for pk, name in neighbourhoods.items()]
    unknown = sum(n for pk, n in by_nb.items() if pk not in neighbourhoods)
    if unknown:
        rows_nb.append((_("Neighbourhood not known"), unknown))
    by_age = dict(
        counted.order_by()
        .values_list("age_band")
        .annotate(n=Count("id"))
        .values_list("age_band", "n")
    )
    bands = [
        label for low, _high, label in personalcode.AGE_BANDS if low >= 16 or by_age.get(label)
    ]
    rows_age = [(label, by_age.get(label, 0)) for label in bands]
    total = sum(by_channel.values())
    return {
        "total": total,
        "online": by_channel.get(Ballot.Channel.ONLINE, 0),
        "paper": by_channel.get(Ballot.Channel.PAPER, 0),
        "by_neighbourhood": rows_nb,
        "by_age_band": rows_age,
    }


def paper_ballot_count(*, cycle: Cycle) -> int:
    return Ballot.objects.filter(cycle=cycle, channel=Ballot.Channel.PAPER).count()
