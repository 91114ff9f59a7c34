"""Ideas: drafting, submitting, editing until the deadline, withdrawing, photos, followers.

Every service runs in a transaction, checks permission beside the write and leaves an audit
record. Refusals raise ``IdeaRejected`` (a translated ``message``; nothing is stored) or
``PermissionDenied``. Nothing is ever deleted once submitted: only a draft can be deleted.

Who may submit follows ``cycle.submitters``:

* ``residents``: a verified resident of the cycle's municipality aged ``cycle.min_age``+;
* ``people``: anyone signed in aged ``min_age``+ (a verified residency proves the age,
  otherwise the author declares it: ``age_declared``);
* ``people_ngos``: as ``people``, and an approved representative may submit on behalf of
  their organisation.

Notification kinds registered here: ``budgeting.idea_own`` (news about an idea I wrote or
co-author: review proposals, decisions, merges), ``budgeting.idea_followed`` (news about
ideas I follow; the implementation area sends these too) and ``budgeting.staff`` (in-app
only: ideas submitted and authors' answers, for officers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import personalcode
from lidzdaliba.accounts.models import Organisation, OrganisationMembership
from lidzdaliba.accounts.selectors import residency_active
from lidzdaliba.core.models import notification_kind_register
from lidzdaliba.core.money import format_money
from lidzdaliba.core.services import (
    PlacementError,
    attachment_add,
    attachment_check,
    attachments_of,
    audit_record,
    comment_target_register,
    neighbourhood_for_point,
    notify,
    sdg_tags_set,
)
from lidzdaliba.core.services.attachments import AttachmentRejected
from lidzdaliba.core.services.sdg import SdgTargetError

from ..models import Category, CostLine, Cycle, CycleStatus, Idea, IdeaFollow, IdeaStatus, Theme
from ..models.cycles import Submitters

notification_kind_register(
    "budgeting.idea_own", gettext_lazy("News about a budget idea I wrote or co-author")
)
notification_kind_register(
    "budgeting.idea_followed", gettext_lazy("News about budget ideas I follow")
)
notification_kind_register(
    "budgeting.staff", gettext_lazy("Budget ideas to review and authors' answers"), email=False
)

MAX_PHOTOS = 8
MAX_COST_LINES = 30
MAX_COAUTHORS = 10
EDITABLE_STATUSES = (IdeaStatus.DRAFT, IdeaStatus.SUBMITTED)
TEXT_FIELDS = ("title", "summary", "description", "address")


class IdeaRejected(Exception):
    """The action is not allowed now; ``message`` says why (translated). ``field`` names the
    form field the message is about, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- comments on public ideas ------------------------------------------------------------


def _comments_readable(user: Any, idea: Idea) -> bool:
    return idea.is_public


def _comments_open(user: Any, idea: Idea) -> bool:
    return idea.status in (IdeaStatus.SUBMITTED, IdeaStatus.ADMITTED)


comment_target_register(Idea, may_comment=_comments_open, may_view=_comments_readable)


# --- helpers -----------------------------------------------------------------------------


def submission_open(cycle: Cycle, at: dt.datetime | None = None) -> bool:
    """Ideas may be written, submitted and changed (``services.cycles.submission_is_open``:
    the submission phase *and* its dates, so a page left open past the deadline is refused)."""
    from .cycles import submission_is_open

    return bool(submission_is_open(cycle, at=at))


def _require_open(cycle: Cycle) -> None:
    if not submission_open(cycle):
        closes = cycle.submission_closes_at
        if closes and timezone.now() >= closes:
            raise IdeaRejected(
                _(
                    "Idea submission closed on %(date)s. Changes made after the deadline "
                    "cannot be saved."
                )
                % {"date": _local(closes)}
            )
        raise IdeaRejected(_("Ideas cannot be submitted or changed in this phase of the cycle."))


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y. %H:%M")


def _locked(idea: Idea) -> Idea:
    """The idea's row, locked until the transaction ends (only the idea's row: the cycle
    and municipality are read along but not locked)."""
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("cycle", "cycle__municipality")
        .get(pk=idea.pk)
    )


def _copy_into(target: Idea, source: Idea) -> None:
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _idea_url(idea: Idea) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return idea.get_absolute_url()


def is_author(user: Any, idea: Idea) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and idea.author_id is not None
        and idea.author_id == user.pk
    )


def is_coauthor(user: Any, idea: Idea) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and idea.coauthors.filter(pk=user.pk).exists()
    )


def may_edit(user: Any, idea: Idea) -> bool:
    """The author or a co-author, while the idea is a draft or submitted and submission is
    open."""
    return (
        idea.status in EDITABLE_STATUSES
        and (is_author(user, idea) or is_coauthor(user, idea))
        and submission_open(idea.cycle)
    )


def authors_of(idea: Idea) -> list[Any]:
    """The author and the co-authors (active accounts)."""
    people = [idea.author] if idea.author_id else []
    people += list(idea.coauthors.all())
    return [p for p in people if p is not None and p.is_active]


def _age_known(user: Any, cycle: Cycle) -> tuple[bool, int | None]:
    """(has a verified residency in the cycle's municipality, age today or None)."""
    residency = residency_active(user=user, municipality=cycle.municipality)
    if residency is None:
        return False, None
    return True, personalcode.age_on(residency.birth_date, timezone.localdate())


def eligibility_problem(
    user: Any, cycle: Cycle, *, age_declared: bool = False, organisation=None
) -> str | None:
    """Why ``user`` may not submit ideas in ``cycle`` (translated), or ``None`` if they may.

    With ``organisation`` the idea is submitted on its behalf: the cycle must accept NGOs
    and ``user`` must be its approved representative (the age rules do not apply then).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _("Log in to submit an idea.")
    if organisation is not None:
        if cycle.submitters != Submitters.PEOPLE_AND_NGOS:
            return _("In this cycle, ideas cannot be submitted on behalf of an organisation.")
        if not OrganisationMembership.objects.filter(
            user=user,
            organisation=organisation,
            role=OrganisationMembership.Role.REPRESENTATIVE,
            approved_at__isnull=False,
        ).exists():
            return _("You are not an approved representative of %(organisation)s.") % {
                "organisation": organisation.name
            }
        return None
    verified, age = _age_known(user, cycle)
    if cycle.submitters == Submitters.RESIDENTS and not verified:
        return _(
            "In this cycle, only verified residents of %(municipality)s may submit ideas. "
            "Verify your residency in your profile first."
        ) % {"municipality": cycle.municipality.name}
    if age is not None:
        if age < cycle.min_age:
            return _("Ideas may be submitted by people aged %(age)d or more.") % {
                "age": cycle.min_age
            }
        return None
    if not age_declared:
        return _("Confirm that you are %(age)d years old or more.") % {"age": cycle.min_age}
    return None


def organisations_represented(user: Any) -> list[Organisation]:
    """The organisations ``user`` is an approved representative of."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Organisation.objects.filter(
            organisationmembership__user=user,
            organisationmembership__role=OrganisationMembership.Role.REPRESENTATIVE,
            organisationmembership__approved_at__isnull=False,
        ).order_by("name")
    )


def _public_name(user: Any, organisation) -> str:
    if organisation is not None:
        return organisation.name[:150]
    name = (getattr(user, "full_name", "") or "").strip()
    return name[:150] or _("A resident")


def _clean_category(cycle: Cycle, category, theme) -> tuple[Category, Theme | None]:
    if category is None or getattr(category, "cycle_id", None) != cycle.pk:
        raise IdeaRejected(_("Choose a category of this cycle."), field="category")
    if theme is not None and (
        theme.cycle_id != cycle.pk or theme.category_id not in (None, category.pk)
    ):
        raise IdeaRejected(
            _("The theme “%(theme)s” does not belong to the category “%(category)s”.")
            % {"theme": theme.name, "category": category.name},
            field="theme",
        )
    return category, theme


def _clean_lines(lines: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    cleaned = []
    for description, amount in lines:
        description = (description or "").strip()
        if not description and not amount:
            continue
        if not description:
            raise IdeaRejected(_("Every cost line needs a description."), field="cost_lines")
        if amount is None or int(amount) <= 0:
            raise IdeaRejected(
                _("The cost line “%(item)s” needs an amount above zero.") % {"item": description},
                field="cost_lines",
            )
        cleaned.append((description[:200], int(amount)))
    if len(cleaned) > MAX_COST_LINES:
        raise IdeaRejected(
            _("At most %(n)d cost lines, please.") % {"n": MAX_COST_LINES}, field="cost_lines"
        )
    return cleaned


def _check_cap(category: Category, total: int) -> None:
    cap = category.cost_cap_cents
    if cap is not None and total > cap:
        raise IdeaRejected(
            _(
                "The estimated cost %(total)s is over the limit of %(cap)s for one project in "
                "the category “%(category)s”."
            )
            % {"total": format_money(total), "cap": format_money(cap), "category": category.name},
            field="cost_lines",
        )


def _place(cycle: Cycle, lat, lon):
    """(lat, lon, neighbourhood) for the point, or all ``None`` when no point is given."""
    if lat in (None, "") and lon in (None, ""):
        return None, None, None
    if lat in (None, "") or lon in (None, ""):
        raise IdeaRejected(_("Give both the latitude and the longitude."), field="lat")
    try:
        neighbourhood = neighbourhood_for_point(municipality=cycle.municipality, lat=lat, lon=lon)
    except PlacementError as exc:
        raise IdeaRejected(exc.message, field="lat") from exc
    return float(lat), float(lon), neighbourhood


def _coauthors(actor: Any, emails: Iterable[str]) -> list[Any]:
    User = get_user_model()
    wanted = []
    for email in emails:
        email = (email or "").strip()
        if email and email.casefold() not in {e.casefold() for e in wanted}:
            wanted.append(email)
    if len(wanted) > MAX_COAUTHORS:
        raise IdeaRejected(
            _("At most %(n)d co-authors, please.") % {"n": MAX_COAUTHORS}, field="coauthors"
        )
    people = []
    for email in wanted:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise IdeaRejected(
                _(
                    "Nobody has an account with the e-mail %(email)s. Ask them to sign up "
                    "first, then add them."
                )
                % {"email": email},
                field="coauthors",
            )
        if user.pk == actor.pk:
            continue
        people.append(user)
    return people


def _sdg(idea: Idea, sdg, actor: Any) -> None:
    if sdg is None:
        return
    try:
        sdg_tags_set(obj=idea, goals=sdg.goals, targets=sdg.targets, actor=actor)
    except SdgTargetError as exc:
        raise IdeaRejected(exc.message, field="sdg") from exc


def _write(
    idea: Idea,
    *,
    actor: Any,
    fields: dict[str, Any],
    cost_lines: Sequence[tuple[str, int]] | None,
    coauthor_emails: Iterable[str] | None,
    sdg,
) -> dict[str, Any]:
    """Apply the changes to ``idea`` (saved) and return what changed, for the audit record."""
    cycle = idea.cycle
    changed: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in fields:
            value = str(fields[name] or "").strip()
            limit = Idea._meta.get_field(name).max_length
            if limit and len(value) > limit:
                raise IdeaRejected(
                    _("%(field)s: at most %(n)d characters.")
                    % {"field": Idea._meta.get_field(name).verbose_name, "n": limit},
                    field=name,
                )
            if getattr(idea, name) != value:
                changed[name] = True
            setattr(idea, name, value)
    if "category" in fields or "theme" in fields:
        category, theme = _clean_category(
            cycle,
            fields.get("category", idea.category if idea.category_id else None),
            fields.get("theme", idea.theme),
        )
        if idea.category_id != category.pk or idea.theme_id != (theme.pk if theme else None):
            changed["category"] = category.slug
        idea.category, idea.theme = category, theme
    if "lat" in fields or "lon" in fields:
        lat, lon, neighbourhood = _place(cycle, fields.get("lat"), fields.get("lon"))
        if (idea.lat, idea.lon) != (lat, lon):
            changed["place"] = [lat, lon]
        idea.lat, idea.lon, idea.neighbourhood = lat, lon, neighbourhood
    lines = None
    if cost_lines is not None:
        lines = _clean_lines(cost_lines)
        total = sum(amount for _d, amount in lines)
        if idea.cost_cents != total:
            changed["cost_cents"] = total
        idea.cost_cents = total
    if idea.category_id:
        _check_cap(idea.category, idea.cost_cents)
    idea.save()
    if lines is not None:
        idea.cost_lines.all().delete()
        CostLine.objects.bulk_create(
            [
                CostLine(idea=idea, description=d, amount_cents=a, position=i)
                for i, (d, a) in enumerate(lines, start=1)
            ]
        )
    if coauthor_emails is not None:
        if not is_author(actor, idea):
            current = {u.email.casefold() for u in idea.coauthors.all()}
            if {e.strip().casefold() for e in coauthor_emails if e.strip()} != current:
                raise IdeaRejected(
                    _("Only the author may change the co-authors."), field="coauthors"
                )
        else:
            people = _coauthors(actor, coauthor_emails)
            before = set(idea.coauthors.values_list("pk", flat=True))
            idea.coauthors.set(people)
            added = [p for p in people if p.pk not in before]
            if {p.pk for p in people} != before:
                changed["coauthors"] = sorted(p.pk for p in people)
            if added:
                notify(
                    recipients=added,
                    kind="budgeting.idea_own",
                    title=gettext_lazy("You were added as a co-author of a budget idea"),
                    body=idea.title,
                    url=_idea_url(idea),
                )
    _sdg(idea, sdg, actor)
    return changed


# --- drafting and submitting -------------------------------------------------------------


@transaction.atomic
def idea_create(
    *,
    actor: Any,
    cycle: Cycle,
    cost_lines: Sequence[tuple[str, int]] = (),
    coauthor_emails: Iterable[str] = (),
    sdg=None,
    organisation=None,
    age_declared: bool = False,
    **fields: Any,
) -> Idea:
    """A new draft by ``actor`` in ``cycle``.

    ``fields``: title, summary, description, category, theme, lat, lon, address.
    ``cost_lines``: ``[(description, amount in cents), …]``; their sum is the cost and must
    not pass the category's cap. A point outside the municipality is refused. Raises
    ``IdeaRejected`` when submission is closed, the author may not submit in this cycle, or
    a value is wrong; nothing is stored then.
    """
    _require_open(cycle)
    problem = eligibility_problem(
        actor, cycle, age_declared=age_declared, organisation=organisation
    )
    if problem:
        raise IdeaRejected(problem, field="organisation" if organisation else "age_declared")
    if not (fields.get("title") or "").strip():
        raise IdeaRejected(_("Give the idea a title."), field="title")
    idea = Idea(
        cycle=cycle,
        author=actor,
        organisation=organisation,
        author_name=_public_name(actor, organisation),
        age_declared=bool(age_declared),
        status=IdeaStatus.DRAFT,
        summary="",
        description="",
    )
    fields.setdefault("category", None)
    _write(
        idea,
        actor=actor,
        fields=fields,
        cost_lines=cost_lines,
        coauthor_emails=coauthor_emails,
        sdg=sdg,
    )
    audit_record(actor=actor, verb="budget_idea.drafted", target=idea)
    return idea


@transaction.atomic
def idea_update(
    *,
    actor: Any,
    idea: Idea,
    cost_lines: Sequence[tuple[str, int]] | None = None,
    coauthor_emails: Iterable[str] | None = None,
    sdg=None,
    organisation: Any = ...,
    **fields: Any,
) -> Idea:
    """Change a draft or a submitted idea. The author and co-authors may, until submission
    closes (checked now, so a page left open past the deadline is refused); only the author
    changes the co-authors and the organisation. A submitted idea must stay complete."""
    locked = _locked(idea)
    if not (is_author(actor, locked) or is_coauthor(actor, locked)):
        raise PermissionDenied(_("Only the authors of an idea may change it."))
    if locked.status not in EDITABLE_STATUSES:
        raise IdeaRejected(_("This idea can no longer be changed: it has been decided on."))
    _require_open(locked.cycle)
    if organisation is not ... and organisation != locked.organisation:
        if not is_author(actor, locked):
            raise PermissionDenied(_("Only the author may change the organisation."))
        problem = eligibility_problem(
            actor, locked.cycle, age_declared=locked.age_declared, organisation=organisation
        )
        if problem:
            raise IdeaRejected(problem, field="organisation")
        locked.organisation = organisation
        locked.author_name = _public_name(actor, organisation)
    changed = _write(
        locked,
        actor=actor,
        fields=fields,
        cost_lines=cost_lines,
        coauthor_emails=coauthor_emails,
        sdg=sdg,
    )
    if locked.status == IdeaStatus.SUBMITTED:
        _check_complete(locked)
    audit_record(actor=actor, verb="budget_idea.edited", target=locked, data=changed)
    _copy_into(idea, locked)
    return idea


def _check_complete(idea: Idea) -> None:
    missing = [
        str(Idea._meta.get_field(name).verbose_name)
        for name in ("title", "summary", "description")
        if not getattr(idea, name).strip()
    ]
    if missing:
        raise IdeaRejected(_("Fill in: %(fields)s.") % {"fields": ", ".join(missing)})
    if not idea.category_id:
        raise IdeaRejected(_("Choose a category of this cycle."), field="category")
    if idea.lat is None and not idea.address.strip():
        raise IdeaRejected(
            _("Show where the idea would be: pick the place on the map or write the address."),
            field="lat",
        )
    if not idea.cost_lines.exists() or idea.cost_cents <= 0:
        raise IdeaRejected(
            _("Estimate the cost: add at least one cost line with an amount."), field="cost_lines"
        )
    _check_cap(idea.category, idea.cost_cents)


def _next_number(cycle: Cycle) -> int:
    return (cycle.ideas.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def idea_submit(*, actor: Any, idea: Idea) -> Idea:
    """The author sends the draft: it becomes public with the next number of the cycle.

    Numbers are unique per cycle (the cycle row is locked, and the database constraint
    backs it up). Raises ``IdeaRejected`` when the idea is incomplete, not a draft, the
    author is no longer eligible, or submission has closed.
    """
    locked = _locked(idea)
    if not is_author(actor, locked):
        raise PermissionDenied(_("Only the author may submit the idea."))
    if locked.status != IdeaStatus.DRAFT:
        raise IdeaRejected(_("This idea has already been submitted."))
    _require_open(locked.cycle)
    problem = eligibility_problem(
        actor, locked.cycle, age_declared=locked.age_declared, organisation=locked.organisation
    )
    if problem:
        raise IdeaRejected(problem)
    _check_complete(locked)
    Cycle.objects.select_for_update().filter(pk=locked.cycle_id).values_list("pk").first()
    now = timezone.now()
    for _attempt in range(5):
        locked.number = _next_number(locked.cycle)
        try:
            with transaction.atomic():
                Idea.objects.filter(pk=locked.pk).update(
                    number=locked.number, status=IdeaStatus.SUBMITTED, submitted_at=now
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - five collisions in a row
        raise IdeaRejected(_("Many ideas are being submitted right now. Please try again."))
    locked.status = IdeaStatus.SUBMITTED
    locked.submitted_at = now
    audit_record(
        actor=actor, verb="budget_idea.submitted", target=locked, data={"number": locked.number}
    )
    from .review import reviewers_of

    notify(
        recipients=reviewers_of(locked.cycle),
        kind="budgeting.staff",
        title=gettext_lazy("A new budget idea was submitted"),
        body=locked.title,
        url=_idea_url(locked),
    )
    _copy_into(idea, locked)
    return idea


@transaction.atomic
def idea_withdraw(*, actor: Any, idea: Idea, reason: str = "") -> Idea:
    """The author withdraws a submitted idea (or one on the ballot, before voting starts).
    It stays public with the status "withdrawn" and the author's reason."""
    locked = _locked(idea)
    if not is_author(actor, locked):
        raise PermissionDenied(_("Only the author may withdraw the idea."))
    allowed = locked.status == IdeaStatus.SUBMITTED or (
        locked.status == IdeaStatus.ADMITTED and not locked.cycle.is_at_least(CycleStatus.VOTING)
    )
    if not allowed:
        raise IdeaRejected(_("This idea cannot be withdrawn now."))
    reason = (reason or "").strip()[:1000]
    previous = locked.status
    locked.status = IdeaStatus.WITHDRAWN
    locked.decision_reason = reason
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decision_reason", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="budget_idea.withdrawn",
        target=locked,
        data={"from": previous, "reason": reason},
    )
    notify(
        recipients=[u for u in authors_of(locked) if u.pk != actor.pk] + followers_of(locked),
        kind="budgeting.idea_followed",
        title=gettext_lazy("A budget idea was withdrawn by its author"),
        body=locked.title,
        url=_idea_url(locked),
    )
    _copy_into(idea, locked)
    return idea


@transaction.atomic
def idea_delete_draft(*, actor: Any, idea: Idea) -> None:
    """Delete a draft (never submitted, so never public). Only its author may."""
    locked = _locked(idea)
    if not is_author(actor, locked):
        raise PermissionDenied(_("Only the author may delete the draft."))
    if locked.status != IdeaStatus.DRAFT:
        raise IdeaRejected(_("A submitted idea is never deleted; you may withdraw it."))
    audit_record(actor=actor, verb="budget_idea.draft_deleted", target=locked)
    for photo in attachments_of(target=locked):
        photo.delete()
    locked.delete()


# --- photos ------------------------------------------------------------------------------


@transaction.atomic
def idea_photo_add(*, actor: Any, idea: Idea, upload: Any, alt_text: str):
    """Attach a photo (its EXIF and GPS data are removed). The authors may, while they may
    edit the idea; a short description of the photo for people who cannot see it is
    required."""
    if not may_edit(actor, idea):
        if idea.status in EDITABLE_STATUSES and (
            is_author(actor, idea) or is_coauthor(actor, idea)
        ):
            _require_open(idea.cycle)
        raise PermissionDenied(_("Only the authors may add photos, until submission closes."))
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise IdeaRejected(
            _("Describe the photo in a few words for people who cannot see it."),
            field="photo_alt",
        )
    if attachments_of(target=idea).count() >= MAX_PHOTOS:
        raise IdeaRejected(_("At most %(n)d photos per idea.") % {"n": MAX_PHOTOS}, field="photo")
    try:
        checked = attachment_check(upload=upload)
        if checked.kind != "image":
            raise IdeaRejected(_("Only photos (JPEG, PNG or WebP) can be added."), field="photo")
        return attachment_add(
            actor=actor,
            target=idea,
            upload=upload,
            alt_text=alt_text,
            municipality=idea.cycle.municipality,
            checked=checked,
        )
    except AttachmentRejected as exc:
        raise IdeaRejected(exc.message, field="photo") from exc


@transaction.atomic
def idea_photo_remove(*, actor: Any, idea: Idea, attachment_id: int) -> None:
    """Remove one of the idea's photos (authors, while they may edit)."""
    if not may_edit(actor, idea):
        raise PermissionDenied(_("Only the authors may remove photos, until submission closes."))
    photo = attachments_of(target=idea).filter(pk=attachment_id).first()
    if photo is None:
        raise IdeaRejected(_("That photo is not attached to this idea."))
    audit_record(
        actor=actor, verb="budget_idea.photo_removed", target=idea, data={"attachment": photo.pk}
    )
    storage_names = [f.name for f in (photo.file, photo.thumbnail) if f]
    storage = photo.file.storage
    photo.delete()
    transaction.on_commit(lambda: [storage.delete(n) for n in storage_names])


# --- followers ---------------------------------------------------------------------------


def followers_of(idea: Idea) -> list[Any]:
    """The people following ``idea`` (active accounts)."""
    User = get_user_model()
    return list(User.objects.filter(budget_follows__idea=idea, is_active=True))


@transaction.atomic
def idea_follow(*, actor: Any, idea: Idea) -> bool:
    """``actor`` follows a public idea (told of its review, decision and implementation).
    Returns whether a new follow was recorded; following twice changes nothing."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to follow an idea."))
    if not idea.is_public:
        raise IdeaRejected(_("Only public ideas can be followed."))
    try:
        with transaction.atomic():
            IdeaFollow.objects.create(idea=idea, user=actor)
    except IntegrityError:
        return False
    Idea.objects.filter(pk=idea.pk).update(follower_count=F("follower_count") + 1)
    idea.refresh_from_db(fields=["follower_count"])
    return True


@transaction.atomic
def idea_unfollow(*, actor: Any, idea: Idea) -> bool:
    """``actor`` stops following ``idea``; returns whether they had been following it."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to follow an idea."))
    deleted, _detail = IdeaFollow.objects.filter(idea=idea, user=actor).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk, follower_count__gt=0).update(
            follower_count=F("follower_count") - 1
        )
        idea.refresh_from_db(fields=["follower_count"])
    return bool(deleted)
