"""The officers' review of submitted ideas: checklist, cost estimate, proposed decision, the
author's answer, the final decision, and merging duplicates.

When each step is allowed:

* the checklist and a proposed decision: while the cycle collects ideas (officers may start
  on ideas already submitted) or is in review;
* the final decision and merges: only in the review phase, once submission has closed,
  because until then the authors may still change their idea and a decision must be about
  the idea as it finally is;
* a proposal becomes final only after the author's answer period
  (``cycle.author_answer_days``) has passed or the author has answered.

Every step leaves an audit record; decisions carry a public reason and ``decided_at``.
Refusals raise ``ReviewRejected`` (translated ``message``) or ``PermissionDenied``, and
nothing changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lidzdaliba.accounts import roles
from lidzdaliba.core.money import format_money
from lidzdaliba.core.services import audit_record, notify

from ..models import CycleStatus, Idea, IdeaFollow, IdeaReview, IdeaStatus
from ..models.ideas import Check
from .ideas import _copy_into, _idea_url, _locked, authors_of, followers_of, is_author

CHECK_FIELDS = ("legal", "ownership", "cost")
NOTE_FIELDS = ("legal_note", "ownership_note", "cost_note", "maintenance_note")
WORK_PHASES = (CycleStatus.SUBMISSION, CycleStatus.REVIEW)
REASON_MAX = 2000


class ReviewRejected(Exception):
    """The review step is not allowed now; ``message`` says why (translated)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def may_review(user: Any, cycle) -> bool:
    """A budgeting officer or an administrator of the cycle's municipality."""
    from lidzdaliba.budgeting.rules import is_budget_officer

    return bool(is_budget_officer(user, cycle))


def reviewers_of(cycle) -> list[Any]:
    """The budgeting officers of the cycle's municipality (told about new ideas and answers)."""
    return list(
        get_user_model().objects.filter(
            groups__name=roles.officer_group("budgeting"),
            municipality=cycle.municipality,
            is_active=True,
        )
    )


def _require(actor: Any, idea: Idea) -> None:
    if not may_review(actor, idea.cycle):
        raise PermissionDenied(_("Only the municipality's budget officers may review ideas."))


def _require_phase(idea: Idea, phases=WORK_PHASES) -> None:
    if idea.cycle.status not in phases:
        if phases == (CycleStatus.REVIEW,):
            raise ReviewRejected(
                _(
                    "Final decisions and merges are made in the review phase, after idea "
                    "submission has closed."
                )
            )
        raise ReviewRejected(_("Ideas are reviewed only while ideas are collected or reviewed."))


def _require_submitted(idea: Idea) -> None:
    if idea.status != IdeaStatus.SUBMITTED:
        raise ReviewRejected(
            _("This idea has already been decided on: it is “%(status)s”.")
            % {"status": IdeaStatus(idea.status).label}
        )


def _review(idea: Idea) -> IdeaReview:
    review, _created = IdeaReview.objects.select_for_update().get_or_create(idea=idea)
    return review


def checklist_state(review: IdeaReview | None) -> dict[str, Any]:
    """``{"done": n, "total": 4, "failed": [...]}`` for the queue: the three checks and the
    yearly maintenance cost."""
    if review is None:
        return {"done": 0, "total": 4, "failed": []}
    done = sum(1 for name in CHECK_FIELDS if getattr(review, name))
    done += review.maintenance_cost_cents is not None
    failed = [
        str(IdeaReview._meta.get_field(n).verbose_name)
        for n in CHECK_FIELDS
        if getattr(review, n) == Check.NO
    ]
    return {"done": done, "total": 4, "failed": failed}


@transaction.atomic
def review_save(
    *,
    actor: Any,
    idea: Idea,
    legal: str = "",
    ownership: str = "",
    cost: str = "",
    officer_cost_cents: int | None = None,
    maintenance_cost_cents: int | None = None,
    **notes: str,
) -> IdeaReview:
    """Store the checklist (each check "", "yes" or "no", with notes), the officers' cost
    estimate and the yearly maintenance cost of a submitted idea."""
    locked = _locked(idea)
    _require(actor, locked)
    _require_phase(locked)
    _require_submitted(locked)
    review = _review(locked)
    values = {"legal": legal, "ownership": ownership, "cost": cost}
    for name, value in values.items():
        if value not in Check.values:
            raise ReviewRejected(_("Choose an answer for each check."), field=name)
        setattr(review, name, value)
    for name in NOTE_FIELDS:
        if name in notes:
            setattr(review, name, (notes[name] or "").strip()[:REASON_MAX])
    for name, value in (
        ("officer_cost_cents", officer_cost_cents),
        ("maintenance_cost_cents", maintenance_cost_cents),
    ):
        if value is not None and int(value) < 0:
            raise ReviewRejected(_("A cost cannot be negative."), field=name)
        setattr(review, name, None if value is None else int(value))
    review.save()
    audit_record(
        actor=actor,
        verb="budget_idea.review_saved",
        target=locked,
        data={
            **values,
            "officer_cost_cents": review.officer_cost_cents,
            "maintenance_cost_cents": review.maintenance_cost_cents,
        },
    )
    return review


def _ballot_cost(idea: Idea, review: IdeaReview) -> int:
    return review.officer_cost_cents if review.officer_cost_cents else idea.cost_cents


@transaction.atomic
def review_propose(*, actor: Any, idea: Idea, proposal: str, reason: str) -> IdeaReview:
    """Propose admitting or rejecting a submitted idea, with the public reason.

    To admit, the three checks must be answered "yes" and the cost on the ballot (the
    officers' estimate, else the author's) must be within the category's cap. The authors
    are told and may answer until ``now + cycle.author_answer_days``. Proposing again
    replaces the proposal and opens a new answer period.
    """
    locked = _locked(idea)
    _require(actor, locked)
    _require_phase(locked)
    _require_submitted(locked)
    if proposal not in (IdeaReview.Proposal.ADMIT, IdeaReview.Proposal.REJECT):
        raise ReviewRejected(_("Choose whether to admit or reject the idea."), field="proposal")
    reason = (reason or "").strip()
    if not reason:
        raise ReviewRejected(_("Give the public reason for the proposed decision."), field="reason")
    review = _review(locked)
    if proposal == IdeaReview.Proposal.ADMIT:
        unmet = [
            str(IdeaReview._meta.get_field(n).verbose_name)
            for n in CHECK_FIELDS
            if getattr(review, n) != Check.YES
        ]
        if unmet:
            raise ReviewRejected(
                _("To admit the idea, every check must be met. Not yet: %(checks)s.")
                % {"checks": "; ".join(unmet)},
                field="proposal",
            )
        cost = _ballot_cost(locked, review)
        cap = locked.category.cost_cap_cents
        if cost <= 0:
            raise ReviewRejected(_("Enter the cost estimate first."), field="proposal")
        if cap is not None and cost > cap:
            raise ReviewRejected(
                _("The cost %(cost)s is over the limit of %(cap)s for one project.")
                % {"cost": format_money(cost), "cap": format_money(cap)},
                field="proposal",
            )
    now = timezone.now()
    review.proposal = proposal
    review.proposal_reason = reason[:REASON_MAX]
    review.proposed_at = now
    review.proposed_by = actor
    review.answer_due_at = now + dt.timedelta(days=locked.cycle.author_answer_days)
    review.author_answer = ""
    review.author_answered_at = None
    review.save()
    audit_record(
        actor=actor,
        verb="budget_idea.decision_proposed",
        target=locked,
        data={"proposal": proposal, "reason": review.proposal_reason},
    )
    due = timezone.localtime(review.answer_due_at).strftime("%d.%m.%Y. %H:%M")
    if proposal == IdeaReview.Proposal.ADMIT:
        title = gettext_lazy("The officers propose to put your idea on the ballot")
    else:
        title = gettext_lazy("The officers propose not to admit your idea")
    notify(
        recipients=authors_of(locked),
        kind="budgeting.idea_own",
        title=title,
        body=lambda: (
            _(
                "%(reason)s\n\nYou may answer on the idea's page until %(due)s; then the "
                "decision becomes final."
            )
            % {"reason": review.proposal_reason, "due": due}
        ),
        url=_idea_url(locked),
    )
    return review


def answer_open(idea: Idea, review: IdeaReview | None, at: dt.datetime | None = None) -> bool:
    """The author may still answer the proposed decision."""
    at = at or timezone.now()
    return bool(
        review is not None
        and review.proposal
        and idea.status == IdeaStatus.SUBMITTED
        and review.author_answered_at is None
        and review.answer_due_at is not None
        and at < review.answer_due_at
    )


@transaction.atomic
def review_answer(*, actor: Any, idea: Idea, answer: str) -> IdeaReview:
    """The author answers the proposed decision, once, within the answer period. The
    officers are told; after an answer they may make the decision final at once."""
    locked = _locked(idea)
    if not is_author(actor, locked):
        raise PermissionDenied(_("Only the author may answer the proposed decision."))
    review = IdeaReview.objects.select_for_update().filter(idea=locked).first()
    if review is None or not review.proposal:
        raise ReviewRejected(_("There is no proposed decision to answer."))
    if review.author_answered_at is not None:
        raise ReviewRejected(_("You have already answered."))
    if not answer_open(locked, review):
        raise ReviewRejected(_("The time to answer has passed."))
    answer = (answer or "").strip()
    if not answer:
        raise ReviewRejected(_("Write your answer."), field="answer")
    review.author_answer = answer[:REASON_MAX]
    review.author_answered_at = timezone.now()
    review.save(update_fields=["author_answer", "author_answered_at", "updated_at"])
    audit_record(actor=actor, verb="budget_idea.author_answered", target=locked)
    notify(
        recipients=reviewers_of(locked.cycle),
        kind="budgeting.staff",
        title=gettext_lazy("An author answered the proposed decision on their idea"),
        body=locked.title,
        url=_idea_url(locked),
    )
    return review


def finalise_problem(idea: Idea, review: IdeaReview | None, at=None) -> str | None:
    """Why the proposal cannot be made final now (translated), or ``None``."""
    if review is None or not review.proposal:
        return _("Propose a decision first.")
    if answer_open(idea, review, at):
        due = timezone.localtime(review.answer_due_at).strftime("%d.%m.%Y. %H:%M")
        return _(
            "The author may answer until %(due)s. The decision can be made final after that, "
            "or as soon as they answer."
        ) % {"due": due}
    return None


@transaction.atomic
def review_finalise(*, actor: Any, idea: Idea) -> Idea:
    """Make the proposed decision final: admitted (on the ballot with the officers' cost
    estimate, else the author's) or rejected with the public reason. The authors and
    followers are told."""
    locked = _locked(idea)
    _require(actor, locked)
    _require_phase(locked, (CycleStatus.REVIEW,))
    _require_submitted(locked)
    review = IdeaReview.objects.select_for_update().filter(idea=locked).first()
    problem = finalise_problem(locked, review)
    if problem:
        raise ReviewRejected(problem)
    now = timezone.now()
    locked.decision_reason = review.proposal_reason
    locked.decided_at = now
    if review.proposal == IdeaReview.Proposal.ADMIT:
        locked.status = IdeaStatus.ADMITTED
        locked.ballot_cost_cents = _ballot_cost(locked, review)
        title = gettext_lazy("A budget idea is on the ballot")
    else:
        locked.status = IdeaStatus.REJECTED
        title = gettext_lazy("A budget idea was not admitted to the ballot")
    locked.save()
    audit_record(
        actor=actor,
        verb=f"budget_idea.{locked.status}",
        target=locked,
        data={
            "reason": locked.decision_reason,
            "ballot_cost_cents": locked.ballot_cost_cents,
            "author_answered": review.author_answered_at is not None,
        },
    )
    url = _idea_url(locked)
    notify(
        recipients=authors_of(locked),
        kind="budgeting.idea_own",
        title=title,
        body=locked.title,
        url=url,
    )
    notify(
        recipients=followers_of(locked),
        kind="budgeting.idea_followed",
        title=title,
        body=locked.title,
        url=url,
    )
    _copy_into(idea, locked)
    return idea


MERGEABLE = (IdeaStatus.SUBMITTED, IdeaStatus.ADMITTED)


@transaction.atomic
def idea_merge(*, actor: Any, idea: Idea, into: Idea, reason: str) -> Idea:
    """Merge the duplicate ``idea`` into ``into`` (same cycle): ``idea`` becomes "merged"
    with the public reason and a link to ``into``, which stays as it is. Followers of the
    duplicate follow the target too; both ideas' authors are told."""
    locked = _locked(idea)
    _require(actor, locked)
    _require_phase(locked, (CycleStatus.REVIEW,))
    target = Idea.objects.select_for_update().filter(pk=getattr(into, "pk", None)).first()
    if target is None or target.cycle_id != locked.cycle_id:
        raise ReviewRejected(_("Choose an idea of the same cycle to merge into."), field="into")
    if target.pk == locked.pk:
        raise ReviewRejected(_("An idea cannot be merged into itself."), field="into")
    if locked.status not in MERGEABLE:
        raise ReviewRejected(
            _("This idea cannot be merged: it is “%(status)s”.")
            % {"status": IdeaStatus(locked.status).label}
        )
    if target.status not in MERGEABLE:
        raise ReviewRejected(
            _(
                "The idea to merge into is “%(status)s”; choose one that is submitted or on the "
                "ballot."
            )
            % {"status": IdeaStatus(target.status).label},
            field="into",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ReviewRejected(_("Give the public reason for merging."), field="reason")
    locked.status = IdeaStatus.MERGED
    locked.merged_into = target
    locked.decision_reason = reason[:REASON_MAX]
    locked.decided_at = timezone.now()
    locked.save()
    moved = IdeaFollow.objects.bulk_create(
        [
            IdeaFollow(idea=target, user_id=uid)
            for uid in IdeaFollow.objects.filter(idea=locked)
            .exclude(user__in=IdeaFollow.objects.filter(idea=target).values("user"))
            .values_list("user_id", flat=True)
        ]
    )
    if moved:
        target.follower_count = IdeaFollow.objects.filter(idea=target).count()
        target.save(update_fields=["follower_count"])
    for row, verb in ((locked, "budget_idea.merged"), (target, "budget_idea.merge_target")):
        audit_record(
            actor=actor,
            verb=verb,
            target=row,
            data={"merged": locked.pk, "into": target.pk, "reason": locked.decision_reason},
        )
    title = gettext_lazy("A budget idea was merged with a similar one")
    notify(
        recipients=[*authors_of(locked), *authors_of(target)],
        kind="budgeting.idea_own",
        title=title,
        body=lambda: (
            _("“%(idea)s” was merged into “%(target)s”: %(reason)s")
            % {"idea": locked.title, "target": target.title, "reason": locked.decision_reason}
        ),
        url=_idea_url(target),
    )
    notify(
        recipients=followers_of(target),
        kind="budgeting.idea_followed",
        title=title,
        body=locked.title,
        url=_idea_url(target),
    )
    _copy_into(idea, locked)
    return idea


def ideas_awaiting_finalisation(*, cycle, at=None) -> list[Idea]:
    """Submitted ideas of ``cycle`` whose proposal could be made final now."""
    at = at or timezone.now()
    return list(
        Idea.objects.filter(cycle=cycle, status=IdeaStatus.SUBMITTED)
        .exclude(review__proposal="")
        .filter(Q(review__answer_due_at__lte=at) | Q(review__author_answered_at__isnull=False))
        .select_related("review")
    )
