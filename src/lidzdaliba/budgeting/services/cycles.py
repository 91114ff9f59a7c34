"""Every write about a participatory-budget cycle: set-up, money, categories, themes and the
phases (on schedule or moved by an officer with a reason).

Refusals raise ``ValidationError`` with translated messages (a dict keyed by form field when
the fault is one field's) or ``PermissionDenied``; nothing is stored then. Each change leaves
an audit record in the same transaction.

Phases follow the dates: a cycle enters the next phase when that phase's date has passed
(``PHASE_DATES``). ``cycle_advance_on_schedule`` does it for every cycle and is safe to run
from cron, a task and a page view at the same time: each step is a compare-and-swap on the
status, so a step happens once whoever runs it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lidzdaliba.core.models import Neighbourhood
from lidzdaliba.core.money import format_money
from lidzdaliba.core.services import audit_record

from ..models.cycles import (
    PHASE_ORDER,
    BallotForm,
    Category,
    Cycle,
    CycleStatus,
    PhaseChange,
    Submitters,
    Theme,
)

log = logging.getLogger(__name__)

MIN_SUBMISSION_DAYS = 30
# Path words of the module's pages, which a cycle's short name must not shadow.
RESERVED_SLUGS = frozenset(
    {
        "staff",
        "new",
        "ideas",
        "vote",
        "turnout",
        "results",
        "check",
        "receipt",
        "projects",
        "statistics",
        "paper",
        "review",
        "mine",
        "api",
    }
)

# The date at which a cycle leaves each phase for the next one.
PHASE_DATES: dict[str, tuple[str, str]] = {
    CycleStatus.DRAFT: ("submission_opens_at", CycleStatus.SUBMISSION),
    CycleStatus.SUBMISSION: ("submission_closes_at", CycleStatus.REVIEW),
    CycleStatus.REVIEW: ("voting_opens_at", CycleStatus.VOTING),
    CycleStatus.VOTING: ("voting_closes_at", CycleStatus.RESULTS),
    CycleStatus.RESULTS: ("implementation_starts_at", CycleStatus.IMPLEMENTATION),
    CycleStatus.IMPLEMENTATION: ("finished_at", CycleStatus.FINISHED),
}

# The dates in the order they must follow; the first five are required.
DATE_FIELDS: tuple[str, ...] = (
    "submission_opens_at",
    "submission_closes_at",
    "review_ends_at",
    "voting_opens_at",
    "voting_closes_at",
    "implementation_starts_at",
    "finished_at",
)
REQUIRED_DATE_FIELDS = DATE_FIELDS[:5]

CYCLE_FIELDS: tuple[str, ...] = (
    "slug",
    "title",
    "title_en",
    "description",
    "description_en",
    "total_budget_cents",
    "reserve_cents",
    "revenue_year1_cents",
    "revenue_year2_cents",
    "revenue_year3_cents",
    *DATE_FIELDS,
    "submitters",
    "min_age",
    "vote_in_own_neighbourhood_only",
    "author_answer_days",
)
CATEGORY_FIELDS: tuple[str, ...] = (
    "slug",
    "name",
    "name_en",
    "description",
    "description_en",
    "neighbourhood",
    "budget_cents",
    "cost_cap_cents",
    "ballot_form",
    "max_picks",
    "points",
    "rule",
    "min_votes",
    "position",
)
THEME_FIELDS: tuple[str, ...] = ("name", "name_en", "category", "position")

# Text fields written as given are the default language's (``title`` → ``title_lv``).
_TRANSLATED = frozenset({"title", "description", "name"})


# --- pure rules ------------------------------------------------------------------------


def legal_minimum_cents(
    year1_cents: int | None, year2_cents: int | None, year3_cents: int | None
) -> int | None:
    """The least money the law asks for: 0.5 % of the average yearly revenue from personal
    income tax and real-estate tax over the last three years (Local Government Law, Art. 61).

    Exact integer arithmetic, rounded up to the next cent: ``ceil(sum / 3 * 0.005)`` =
    ``ceil(sum / 600)``. ``None`` when a year is unknown.
    """
    years = (year1_cents, year2_cents, year3_cents)
    if any(y is None for y in years):
        return None
    total = sum(int(y) for y in years)  # type: ignore[arg-type]
    return -(-total // 600)


def _phase_after(status: str) -> str | None:
    index = PHASE_ORDER.index(status)
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def submission_is_open(cycle: Cycle, at: dt.datetime | None = None) -> bool:
    """Ideas may be submitted: the cycle is in its submission phase *and* ``at`` (now) lies
    between the opening and closing dates — a tab left open past the deadline is refused
    even before the schedule has moved the phase."""
    at = _now(at)
    if cycle.status != CycleStatus.SUBMISSION:
        return False
    if cycle.submission_opens_at and at < cycle.submission_opens_at:
        return False
    return not (cycle.submission_closes_at and at >= cycle.submission_closes_at)


def voting_is_open(cycle: Cycle, at: dt.datetime | None = None) -> bool:
    """Ballots are accepted: the cycle is in its voting phase *and* ``at`` (now) lies between
    the opening and closing dates."""
    at = _now(at)
    if cycle.status != CycleStatus.VOTING:
        return False
    if cycle.voting_opens_at and at < cycle.voting_opens_at:
        return False
    return not (cycle.voting_closes_at and at >= cycle.voting_closes_at)


def categories_editable(cycle: Cycle) -> bool:
    """Categories (their money, ballot and rule) may change only before voting opens."""
    return cycle.phase_index < PHASE_ORDER.index(CycleStatus.VOTING)


# --- helpers ---------------------------------------------------------------------------


def _require(actor: Any, perm: str, obj: Any) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("Only budget officers and administrators may do this."))


def _default_field(name: str) -> str:
    return f"{name}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"


def _assign(obj: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name in _TRANSLATED:
            setattr(obj, _default_field(name), value)
        else:
            setattr(obj, name, value)


def _check_dates(cycle: Cycle) -> None:
    errors: dict[str, list[str]] = {}
    for name in REQUIRED_DATE_FIELDS:
        if getattr(cycle, name) is None:
            errors.setdefault(name, []).append(_("Give this date."))
    previous: tuple[str, dt.datetime] | None = None
    for name in DATE_FIELDS:
        value = getattr(cycle, name)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            label = Cycle._meta.get_field(previous[0]).verbose_name
            errors.setdefault(name, []).append(
                _("This date must not be before “%(other)s”.") % {"other": label}
            )
        previous = (name, value)
    opens, closes = cycle.submission_opens_at, cycle.submission_closes_at
    if opens and closes and "submission_closes_at" not in errors:
        length = closes - opens
        if length < dt.timedelta(days=MIN_SUBMISSION_DAYS):
            errors.setdefault("submission_closes_at", []).append(
                _(
                    "Idea submission must stay open at least %(min)d days; with these dates "
                    "it is open %(days)d days."
                )
                % {"min": MIN_SUBMISSION_DAYS, "days": length.days}
            )
    if (
        cycle.voting_opens_at
        and cycle.voting_closes_at
        and cycle.voting_closes_at <= cycle.voting_opens_at
        and "voting_closes_at" not in errors
    ):
        errors.setdefault("voting_closes_at", []).append(_("Voting must close after it opens."))
    if errors:
        raise ValidationError(errors)


def _categories_money(cycle: Cycle, *, exclude: int | None = None) -> int:
    rows = Category.objects.filter(cycle=cycle)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return int(rows.aggregate(total=Sum("budget_cents"))["total"] or 0)


def _money_error(categories: int, reserve: int, total: int) -> str:
    return _(
        "The categories' money (%(categories)s) and the reserve (%(reserve)s) add up to "
        "%(sum)s, more than the total money of the cycle (%(total)s)."
    ) % {
        "categories": format_money(categories),
        "reserve": format_money(reserve),
        "sum": format_money(categories + reserve),
        "total": format_money(total),
    }


def _check_cycle_money(cycle: Cycle) -> None:
    errors: dict[str, list[str]] = {}
    total = int(cycle.total_budget_cents or 0)
    reserve = int(cycle.reserve_cents or 0)
    if total <= 0:
        errors["total_budget_cents"] = [_("Give the total money of the cycle.")]
    elif reserve > total:
        errors["reserve_cents"] = [_("The reserve cannot be more than the total money.")]
    elif cycle.pk:
        categories = _categories_money(cycle)
        if categories + reserve > total:
            errors["total_budget_cents"] = [_money_error(categories, reserve, total)]
    if errors:
        raise ValidationError(errors)


def _check_slug(cycle: Cycle) -> None:
    if not cycle.slug:
        raise ValidationError({"slug": [_("Give a short name for the address.")]})
    if cycle.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": [_("This short name is reserved; choose another.")]})
    clash = Cycle.objects.filter(municipality_id=cycle.municipality_id, slug=cycle.slug)
    if cycle.pk:
        clash = clash.exclude(pk=cycle.pk)
    if clash.exists():
        raise ValidationError({"slug": [_("Another cycle already uses this short name.")]})


def _check_cycle(cycle: Cycle) -> None:
    errors: dict[str, list[str]] = {}
    checks = (_check_slug, _check_dates, _check_cycle_money)
    for check in checks:
        try:
            check(cycle)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if not (cycle.title_lv or "").strip():
        errors.setdefault("title", []).append(_("Give the cycle a title."))
    if cycle.submitters not in Submitters.values:
        errors.setdefault("submitters", []).append(_("Choose who may submit ideas."))
    if cycle.min_age is None or not 16 <= cycle.min_age <= 120:
        errors.setdefault("min_age", []).append(
            _("Give an age of 16 or more: the law sets 16 as the youngest age.")
        )
    if errors:
        raise ValidationError(errors)


def _changes(obj: Any, before: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in fields:
        old, new = before.get(name), getattr(obj, name, None)
        if old != new:
            out[name] = [_jsonable(old), _jsonable(new)]
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name, None) for name in fields}


# --- cycles ----------------------------------------------------------------------------


def cycle_create(*, actor: Any, municipality, **fields: Any) -> Cycle:
    """Set up a new cycle (phase "being prepared") for ``municipality``.

    Checks: a unique short name, all phase dates present and in order, idea submission
    open at least ``MIN_SUBMISSION_DAYS`` days, total money given and the reserve within it.
    Raises ``PermissionDenied`` for anyone but a budget officer or administrator and
    ``ValidationError`` (per field) for bad input.
    """
    _require(actor, "budgeting.manage_cycle", municipality)
    cycle = Cycle(municipality=municipality, status=CycleStatus.DRAFT)
    _assign(cycle, fields, CYCLE_FIELDS)
    _check_cycle(cycle)
    try:
        with transaction.atomic():
            cycle.save()
            audit_record(
                actor=actor,
                verb="budget.cycle_created",
                target=cycle,
                municipality=municipality,
                data={"slug": cycle.slug, "total_budget_cents": cycle.total_budget_cents},
            )
    except IntegrityError as exc:
        raise ValidationError({"slug": [_("Another cycle already uses this short name.")]}) from exc
    return cycle


def cycle_update(*, actor: Any, cycle: Cycle, **fields: Any) -> Cycle:
    """Change a cycle's texts, dates, money and rules, with the same checks as creating it
    (and the categories' money plus the reserve must stay within the total)."""
    _require(actor, "budgeting.manage_cycle", cycle)
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        before = _snapshot(locked, CYCLE_FIELDS)
        _assign(locked, fields, CYCLE_FIELDS)
        _check_cycle(locked)
        locked.save()
        changes = _changes(locked, before, CYCLE_FIELDS)
        if changes:
            audit_record(
                actor=actor,
                verb="budget.cycle_updated",
                target=locked,
                municipality=locked.municipality,
                data={"changes": changes},
            )
    cycle.refresh_from_db()
    return cycle


# --- categories and themes -------------------------------------------------------------


def _check_category(category: Category, cycle: Cycle) -> None:
    errors: dict[str, list[str]] = {}
    if not (getattr(category, _default_field("name")) or "").strip():
        errors["name"] = [_("Give the category a name.")]
    if not category.slug:
        errors["slug"] = [_("Give a short name for the address.")]
    else:
        clash = Category.objects.filter(cycle=cycle, slug=category.slug)
        if category.pk:
            clash = clash.exclude(pk=category.pk)
        if clash.exists():
            errors["slug"] = [_("Another category of this cycle already uses this short name.")]
    if (
        category.neighbourhood_id
        and not Neighbourhood.objects.filter(
            pk=category.neighbourhood_id, municipality_id=cycle.municipality_id
        ).exists()
    ):
        errors["neighbourhood"] = [_("Choose a neighbourhood of this municipality.")]
    budget = int(category.budget_cents or 0)
    if budget <= 0:
        errors["budget_cents"] = [_("Give the category's money.")]
    if category.cost_cap_cents is not None and category.cost_cap_cents > budget > 0:
        errors["cost_cap_cents"] = [
            _("The largest cost of one project cannot be more than the category's money.")
        ]
    form = category.ballot_form
    if form == BallotForm.CUMULATIVE and not category.points:
        errors["points"] = [_("Give the number of points each voter shares.")]
    if form == BallotForm.SINGLE:
        category.max_picks = 1
    if form == BallotForm.APPROVAL and category.max_picks == 0:
        errors["max_picks"] = [_("A voter must be able to choose at least one project.")]
    if form != BallotForm.CUMULATIVE:
        category.points = None
    if form in (BallotForm.KNAPSACK, BallotForm.CUMULATIVE):
        category.max_picks = None
    if budget > 0 and "budget_cents" not in errors:
        others = _categories_money(cycle, exclude=category.pk)
        reserve = int(cycle.reserve_cents or 0)
        if others + budget + reserve > cycle.total_budget_cents:
            errors["budget_cents"] = [
                _money_error(others + budget, reserve, cycle.total_budget_cents)
            ]
    if errors:
        raise ValidationError(errors)


def _require_editable(cycle: Cycle) -> None:
    if not categories_editable(cycle):
        raise ValidationError(
            _("Categories cannot change once voting has opened: voters have seen them.")
        )


def category_create(*, actor: Any, cycle: Cycle, **fields: Any) -> Category:
    """Add a category (a pot of money with its own ballot and count) before voting opens.

    The categories' money plus the reserve must stay within the cycle's total; a
    cumulative ballot needs points; a single-choice ballot allows one pick.
    """
    _require(actor, "budgeting.manage_cycle", cycle)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        _require_editable(cycle)
        category = Category(cycle=cycle)
        _assign(category, fields, CATEGORY_FIELDS)
        if "position" not in fields:
            category.position = Category.objects.filter(cycle=cycle).count() + 1
        _check_category(category, cycle)
        category.save()
        audit_record(
            actor=actor,
            verb="budget.category_created",
            target=category,
            municipality=cycle.municipality,
            data={
                "cycle": cycle.slug,
                "slug": category.slug,
                "budget_cents": category.budget_cents,
            },
        )
    return category


def category_update(*, actor: Any, category: Category, **fields: Any) -> Category:
    """Change a category before voting opens, with the same checks as creating it."""
    _require(actor, "budgeting.manage_cycle", category.cycle)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=category.cycle_id)
        _require_editable(cycle)
        locked = Category.objects.select_for_update().get(pk=category.pk)
        before = _snapshot(locked, CATEGORY_FIELDS)
        _assign(locked, fields, CATEGORY_FIELDS)
        _check_category(locked, cycle)
        locked.save()
        changes = _changes(locked, before, CATEGORY_FIELDS)
        if changes:
            audit_record(
                actor=actor,
                verb="budget.category_updated",
                target=locked,
                municipality=cycle.municipality,
                data={"cycle": cycle.slug, "changes": changes},
            )
    category.refresh_from_db()
    return category


def category_delete(*, actor: Any, category: Category) -> None:
    """Remove a category that has no ideas yet, before voting opens."""
    _require(actor, "budgeting.manage_cycle", category.cycle)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=category.cycle_id)
        _require_editable(cycle)
        if category.ideas.exists():
            raise ValidationError(
                _("This category has ideas: move them to another category before removing it.")
            )
        audit_record(
            actor=actor,
            verb="budget.category_deleted",
            target=category,
            municipality=cycle.municipality,
            data={"cycle": cycle.slug, "slug": category.slug},
        )
        category.delete()


def _check_theme(theme: Theme, cycle: Cycle) -> None:
    errors: dict[str, list[str]] = {}
    if not (getattr(theme, _default_field("name")) or "").strip():
        errors["name"] = [_("Give the theme a name.")]
    if theme.category_id and theme.category.cycle_id != cycle.pk:
        errors["category"] = [_("Choose a category of this cycle.")]
    if errors:
        raise ValidationError(errors)


def theme_create(*, actor: Any, cycle: Cycle, **fields: Any) -> Theme:
    """Add a theme of ideas (optionally within a category)."""
    _require(actor, "budgeting.manage_cycle", cycle)
    theme = Theme(cycle=cycle)
    _assign(theme, fields, THEME_FIELDS)
    if "position" not in fields:
        theme.position = Theme.objects.filter(cycle=cycle).count() + 1
    _check_theme(theme, cycle)
    with transaction.atomic():
        theme.save()
        audit_record(
            actor=actor,
            verb="budget.theme_created",
            target=theme,
            municipality=cycle.municipality,
            data={"cycle": cycle.slug},
        )
    return theme


def theme_update(*, actor: Any, theme: Theme, **fields: Any) -> Theme:
    """Rename a theme or move it to another category of the cycle."""
    _require(actor, "budgeting.manage_cycle", theme.cycle)
    before = _snapshot(theme, THEME_FIELDS)
    _assign(theme, fields, THEME_FIELDS)
    _check_theme(theme, theme.cycle)
    with transaction.atomic():
        theme.save()
        audit_record(
            actor=actor,
            verb="budget.theme_updated",
            target=theme,
            municipality=theme.cycle.municipality,
            data={"changes": _changes(theme, before, THEME_FIELDS)},
        )
    return theme


def theme_delete(*, actor: Any, theme: Theme) -> None:
    """Remove a theme; its ideas keep their category and lose the theme."""
    _require(actor, "budgeting.manage_cycle", theme.cycle)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="budget.theme_deleted",
            target=theme,
            municipality=theme.cycle.municipality,
            data={"cycle": theme.cycle.slug, "name": str(theme)},
        )
        theme.delete()


# --- phases ----------------------------------------------------------------------------


def _has_categories():
    return Exists(Category.objects.filter(cycle=OuterRef("pk")))


def cycles_due_filter(now: dt.datetime) -> Q:
    """Cycles whose next phase's date has passed (and that may take the step)."""
    q = Q()
    for status, (date_field, _to) in PHASE_DATES.items():
        step = Q(status=status, **{f"{date_field}__lte": now})
        if status == CycleStatus.DRAFT:
            step &= Q(has_categories=True)
        if status == CycleStatus.RESULTS:
            step &= Q(results_confirmed_at__isnull=False)
        q |= step
    return q


def cycles_due(now: dt.datetime | None = None, *, municipality=None):
    """Queryset of the cycles ``cycle_advance_on_schedule`` would move now (one query)."""
    rows = Cycle.objects.annotate(has_categories=_has_categories()).filter(
        cycles_due_filter(_now(now))
    )
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    return rows


def _may_leave_on_schedule(cycle: Cycle, now: dt.datetime) -> str | None:
    """The phase the schedule moves ``cycle`` into now, or ``None``."""
    step = PHASE_DATES.get(cycle.status)
    if step is None:
        return None
    date_field, to_status = step
    when = getattr(cycle, date_field)
    if when is None or when > now:
        return None
    if cycle.status == CycleStatus.DRAFT and not cycle.categories.exists():
        return None  # nothing to submit ideas to: stays in preparation
    if cycle.status == CycleStatus.RESULTS and cycle.results_confirmed_at is None:
        return None  # implementation starts once the municipality confirmed the result
    return to_status


def _step(
    cycle: Cycle, to_status: str, *, actor: Any, reason: str, data: dict | None = None
) -> bool:
    """Move ``cycle`` from its current status to ``to_status`` exactly once: a conditional
    update, so that two runners racing on the same cycle cannot both record the step."""
    from_status = cycle.status
    moved = Cycle.objects.filter(pk=cycle.pk, status=from_status).update(status=to_status)
    if not moved:
        return False
    cycle.status = to_status
    PhaseChange.objects.create(
        cycle=cycle,
        from_status=from_status,
        to_status=to_status,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
    )
    audit_record(
        actor=actor,
        verb="budget.phase_changed",
        target=cycle,
        municipality=cycle.municipality,
        data={"from": from_status, "to": to_status, "reason": reason, **(data or {})},
    )
    if to_status == CycleStatus.RESULTS and cycle.results_confirmed_at is None:
        _enqueue_tally(cycle)
    return True


def _enqueue_tally(cycle: Cycle) -> None:
    """Start the count: pending tallies in this transaction, the task after commit.

    ``services.tally`` is imported here, not at the top, so that the phases do not depend
    on the counting module being importable (it imports ``pbvote``). A refusal by the
    tally module is logged and does not stop the phase change: officers can rerun the
    count from the results page.
    """
    try:
        from . import tally
    except ImportError:
        log.exception("budget cycle %s entered results but the tally module is missing", cycle.pk)
        return
    try:
        with transaction.atomic():
            tally.tally_enqueue(cycle)
    except (ValidationError, PermissionDenied):
        log.exception("budget cycle %s: the count could not be enqueued", cycle.pk)


def cycle_advance_on_schedule(now: dt.datetime | None = None) -> int:
    """Move every cycle whose next phase's date has passed, as many phases as the dates
    say (a cycle whose voting already closed while it was still in review goes through
    voting to results), recording each step as a ``PhaseChange`` without a person and an
    audit record. Returns the number of steps taken.

    Idempotent and safe to run concurrently: each cycle is locked (``select_for_update``
    on PostgreSQL) and each step is a compare-and-swap on the status. Entering results
    enqueues the count when the transaction commits. A cycle in preparation without
    categories does not open, and a cycle in results enters implementation only once its
    result is confirmed.
    """
    now = _now(now)
    steps = 0
    for pk in list(cycles_due(now).values_list("pk", flat=True)):
        with transaction.atomic():
            cycle = (
                Cycle.objects.select_for_update()
                .select_related("municipality")
                .filter(pk=pk)
                .first()
            )
            if cycle is None:
                continue
            while (to_status := _may_leave_on_schedule(cycle, now)) is not None:
                if not _step(cycle, to_status, actor=None, reason="", data={"schedule": True}):
                    break
                steps += 1
    if steps:
        log.info("budget cycles: %d phase step(s) on schedule", steps)
    return steps


def cycle_advance_if_due(*, municipality=None) -> int:
    """What public pages call: one cheap query for due cycles, and the advance only if
    there are any (so a site without a scheduler still shows the right phase)."""
    if not cycles_due(municipality=municipality).exists():
        return 0
    return cycle_advance_on_schedule()


def cycle_move(cycle: Cycle, to_status: str, *, actor: Any, reason: str) -> Cycle:
    """An officer moves ``cycle`` to ``to_status``, forward or back, with a required
    public reason (recorded as a ``PhaseChange`` and an audit record).

    The dates are not changed: an officer moving a phase by hand should also fix the dates,
    or the schedule may move it again. Raises ``PermissionDenied`` for others and
    ``ValidationError`` without a reason, for an unknown or the same phase, and when
    opening a cycle that has no categories.
    """
    _require(actor, "budgeting.move_phase", cycle)
    reason = (reason or "").strip()
    if to_status not in PHASE_ORDER:
        raise ValidationError({"to_status": [_("Choose a phase.")]})
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for moving the phase.")]})
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().select_related("municipality").get(pk=cycle.pk)
        if locked.status == to_status:
            raise ValidationError({"to_status": [_("The cycle is already in this phase.")]})
        if to_status != CycleStatus.DRAFT and not locked.categories.exists():
            raise ValidationError(
                {"to_status": [_("Add at least one category before opening the cycle.")]}
            )
        _step(locked, to_status, actor=actor, reason=reason, data={"schedule": False})
    cycle.refresh_from_db()
    return cycle
