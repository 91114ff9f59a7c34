"""Implementation of the funded projects: status, progress, costs, dates, public updates with
photos, and the yearly maintenance cost of projects built earlier.

Every write runs in a transaction, checks ``budgeting.manage_implementation`` beside the
write and leaves an audit record. Refusals raise ``ValidationError`` (a translated message
per field) or ``PermissionDenied``, and nothing is stored.

When a project changes, the people who follow the idea and the voters who chose it are told
(notification kind ``budgeting.implementation``): one query finds them all, and
``core.notify`` writes their notifications in bulk, in chunks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lidzdaliba.core.models import notification_kind_register
from lidzdaliba.core.money import format_money
from lidzdaliba.core.services import (
    AttachmentRejected,
    attachment_add,
    attachment_check,
    audit_record,
    notify,
)

from ..models import (
    BallotChoice,
    Idea,
    IdeaFollow,
    Implementation,
    ImplementationStatus,
    ImplementationUpdate,
    MaintenanceCost,
    ProjectResult,
)

NOTIFICATION_KIND = "budgeting.implementation"
notification_kind_register(
    NOTIFICATION_KIND,
    gettext_lazy("Progress of a budget project I follow or voted for"),
)

MAX_PHOTOS = 6
NOTIFY_CHUNK = 1000
# Fields an update may change, and the audit/record names of each.
_FIELDS = (
    "status",
    "progress",
    "planned_cost_cents",
    "actual_cost_cents",
    "planned_start",
    "planned_end",
    "actual_end",
    "cancel_reason",
)
_UNSET: Any = object()


def _require_officer(actor: Any, cycle: Any) -> None:
    if not getattr(actor, "has_perm", None) or not actor.has_perm(
        "budgeting.manage_implementation", cycle
    ):
        raise PermissionDenied(_("Only the municipality's budget officers may do this."))


# --- creation --------------------------------------------------------------------------


@transaction.atomic
def implementation_create_for_winners(cycle: Any) -> list[Implementation]:
    """One ``Implementation`` (planned, 0 %, planned cost = the cost on the ballot) for each
    funded project of ``cycle`` that has none yet. Idempotent: running it again creates
    nothing and changes nothing. Returns the implementations created now."""
    funded = (
        Idea.objects.filter(cycle=cycle, result__selected=True, implementation__isnull=True)
        .only("id", "ballot_cost_cents", "cost_cents")
        .order_by("id")
    )
    created = Implementation.objects.bulk_create(
        [
            Implementation(
                idea=idea,
                status=ImplementationStatus.PLANNED,
                progress=0,
                planned_cost_cents=idea.cost_for_ballot_cents,
            )
            for idea in funded
        ],
        ignore_conflicts=True,
    )
    if created:
        audit_record(
            actor=None,
            verb="budgeting.implementations_created",
            target=cycle,
            municipality=cycle.municipality,
            data={"ideas": [i.idea_id for i in created]},
        )
    return created


# --- updates ---------------------------------------------------------------------------


def _validate(state: dict[str, Any], *, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    status = state["status"]
    if status not in ImplementationStatus.values:
        add("status", _("Choose one of the statuses in the list."))
    progress = state["progress"]
    if not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100:
        add("progress", _("Progress is a whole number from 0 to 100 %."))
    elif status == ImplementationStatus.DONE and progress != 100:
        # xgettext:no-python-format
        add("progress", _("A finished project is 100 % done."))
    if status == ImplementationStatus.DONE and state["actual_end"] is None:
        add("actual_end", _("Give the date the project was completed."))
    if state["actual_end"] is not None and state["actual_end"] > today:
        add("actual_end", _("The completion date cannot be in the future."))
    if status == ImplementationStatus.CANCELLED and not state["cancel_reason"].strip():
        add("cancel_reason", _("Say publicly why the project is cancelled."))
    for field in ("planned_cost_cents", "actual_cost_cents"):
        value = state[field]
        if value is None and field == "actual_cost_cents":
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            add(field, _("A cost is an amount of 0 € or more."))
    start, end = state["planned_start"], state["planned_end"]
    if start and end and end < start:
        add("planned_end", _("The planned completion cannot be before the planned start."))
    return errors


def implementation_recipients(idea: Idea):
    """The active accounts to tell about ``idea``'s implementation: its followers and the
    voters whose ballot chose it, each once (accounts deleted since are gone: their ballots
    have no voter). One query."""
    followers = IdeaFollow.objects.filter(idea=idea).values("user_id")
    voters = BallotChoice.objects.filter(idea=idea, ballot__voter__isnull=False).values(
        "ballot__voter_id"
    )
    return (
        get_user_model()
        .objects.filter(Q(pk__in=followers) | Q(pk__in=voters), is_active=True)
        .only("id", "is_active", "preferred_language")
        .order_by("pk")
    )


def _notify_change(implementation: Implementation, idea: Idea) -> int:
    status = implementation.get_status_display
    progress = implementation.progress
    title = idea.title

    def subject() -> str:
        return _("“%(title)s”: %(status)s, %(progress)d %%") % {
            "title": title,
            "status": status(),
            "progress": progress,
        }

    def body() -> str:
        return _(
            "There is news about the budget project “%(title)s” that you follow or voted "
            "for: it is now “%(status)s”, %(progress)d %% done."
        ) % {"title": title, "status": status(), "progress": progress}

    with translation.override(settings.LANGUAGE_CODE):  # the default language's address
        try:
            url = idea.get_absolute_url()
        except NoReverseMatch:  # the idea pages are not mounted: the list of projects
            url = reverse("budgeting:projects", kwargs={"slug": idea.cycle.slug})
    sent = 0
    batch: list[Any] = []
    for user in implementation_recipients(idea).iterator(chunk_size=NOTIFY_CHUNK):
        batch.append(user)
        if len(batch) >= NOTIFY_CHUNK:
            sent += len(
                notify(recipients=batch, kind=NOTIFICATION_KIND, title=subject, body=body, url=url)
            )
            batch = []
    if batch:
        sent += len(
            notify(recipients=batch, kind=NOTIFICATION_KIND, title=subject, body=body, url=url)
        )
    return sent


def implementation_update(
    *,
    actor: Any,
    implementation: Implementation,
    status: str = _UNSET,
    progress: int = _UNSET,
    planned_cost_cents: int = _UNSET,
    actual_cost_cents: int | None = _UNSET,
    planned_start: dt.date | None = _UNSET,
    planned_end: dt.date | None = _UNSET,
    actual_end: dt.date | None = _UNSET,
    text: str = "",
    cancel_reason: str = _UNSET,
    photos: Sequence[Any] = (),
    photo_alt: str = "",
) -> ImplementationUpdate:
    """Change a funded project's implementation and publish the change as an update.

    Arguments left out keep their value. Rules: progress 0–100; "done" means 100 % and a
    completion date (not in the future); "cancelled" needs a public reason; costs are 0 € or
    more; the planned completion is not before the planned start. Photos (at most
    ``MAX_PHOTOS``) are checked first and attached to the update without their metadata.
    Followers and voters of the idea are notified once the change is stored.
    """
    idea = implementation.idea
    cycle = idea.cycle
    _require_officer(actor, cycle)
    given = {
        "status": status,
        "progress": progress,
        "planned_cost_cents": planned_cost_cents,
        "actual_cost_cents": actual_cost_cents,
        "planned_start": planned_start,
        "planned_end": planned_end,
        "actual_end": actual_end,
        "cancel_reason": cancel_reason,
    }
    photos = [p for p in (photos or ()) if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(count)d photos at a time.") % {"count": MAX_PHOTOS}}
        )
    checked = []
    for upload in photos:
        try:
            checked.append((upload, attachment_check(upload=upload)))
        except AttachmentRejected as exc:
            raise ValidationError({"photos": exc.message}) from exc
    text = (text or "").strip()

    with transaction.atomic():
        current = Implementation.objects.select_for_update().get(pk=implementation.pk)
        before = {f: getattr(current, f) for f in _FIELDS}
        state = {f: (before[f] if given[f] is _UNSET else given[f]) for f in _FIELDS}
        if state["cancel_reason"] is None:
            state["cancel_reason"] = ""
        state["cancel_reason"] = state["cancel_reason"].strip()
        if state["status"] != ImplementationStatus.CANCELLED:
            state["cancel_reason"] = ""
        errors = _validate(state, today=timezone.localdate())
        if errors:
            raise ValidationError(errors)
        changed = {f: state[f] for f in _FIELDS if state[f] != before[f]}
        if not changed and not text and not checked:
            raise ValidationError(_("Nothing has changed: change something or write an update."))
        for field, value in state.items():
            setattr(current, field, value)
        current.save()
        update = ImplementationUpdate.objects.create(
            implementation=current,
            author=actor if getattr(actor, "is_authenticated", False) else None,
            status=current.status,
            progress=current.progress,
            text=text,
        )
        for upload, check in checked:
            attachment_add(
                actor=actor,
                target=update,
                upload=upload,
                checked=check,
                alt_text=photo_alt,
                municipality=cycle.municipality,
            )
        audit_record(
            actor=actor,
            verb="budgeting.implementation_updated",
            target=idea,
            municipality=cycle.municipality,
            data={
                "update": update.pk,
                "changed": {f: _jsonable(v) for f, v in changed.items()},
                "photos": len(checked),
            },
        )
        current.idea = idea
        _notify_change(current, idea)
    implementation.__dict__.update({f: getattr(current, f) for f in (*_FIELDS, "updated_at")})
    return update


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# --- maintenance -----------------------------------------------------------------------


@transaction.atomic
def maintenance_cost_record(
    *, actor: Any, idea: Idea, year: int, amount_cents: int, note: str = ""
) -> MaintenanceCost:
    """Record (or correct) what keeping ``idea``'s project cost in ``year``: one row per
    project and year. Only funded projects have upkeep; the year is not before the project's
    cycle and not after next year."""
    cycle = idea.cycle
    _require_officer(actor, cycle)
    errors: dict[str, str] = {}
    if not ProjectResult.objects.filter(idea=idea, selected=True).exists():
        raise ValidationError(_("Only funded projects have maintenance costs."))
    this_year = timezone.localdate().year
    first_year = (cycle.voting_closes_at or cycle.created_at or timezone.now()).year
    if not isinstance(year, int) or not first_year <= year <= this_year + 1:
        errors["year"] = _("Give a year from %(first)d to %(last)d.") % {
            "first": first_year,
            "last": this_year + 1,
        }
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool) or amount_cents < 0:
        errors["amount_cents"] = _("A cost is an amount of 0 € or more.")
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = _("The note may be at most 300 characters long.")
    if errors:
        raise ValidationError(errors)
    previous = MaintenanceCost.objects.filter(idea=idea, year=year).first()
    cost, _created = MaintenanceCost.objects.update_or_create(
        idea=idea, year=year, defaults={"amount_cents": amount_cents, "note": note}
    )
    audit_record(
        actor=actor,
        verb="budgeting.maintenance_recorded",
        target=idea,
        municipality=cycle.municipality,
        data={
            "year": year,
            "amount_cents": amount_cents,
            "previous_cents": previous.amount_cents if previous else None,
            "amount": format_money(amount_cents, language="lv"),
        },
    )
    return cost
