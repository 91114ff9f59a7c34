"""The participatory-budget parts of "download my data" and of account deletion.

Call :func:`register_ideas_gdpr` from the app's ``ready()``; it registers the export
section ``budget_ideas`` and the eraser ``budget_ideas``.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Idea, IdeaFollow, IdeaReview, IdeaStatus

EXPLAINED = (
    "Ideas you wrote or co-author, with their drafts, your answers to review decisions and "
    "the ideas you follow. When you delete your account, your drafts are deleted; submitted "
    "ideas stay public (a participatory-budget decision must stay traceable), but your name "
    "is replaced by “A resident” unless the idea was submitted for an organisation."
)


def _iso(value):
    return value.isoformat() if value else None


def _idea(idea: Idea, role: str) -> dict:
    return {
        "role": role,
        "cycle": idea.cycle.title,
        "number": idea.number,
        "title": idea.title,
        "summary": idea.summary,
        "description": idea.description,
        "status": idea.status,
        "category": idea.category.name if idea.category_id else None,
        "address": idea.address,
        "lat": idea.lat,
        "lon": idea.lon,
        "cost_cents": idea.cost_cents,
        "cost_lines": [
            {"item": line.description, "amount_cents": line.amount_cents}
            for line in idea.cost_lines.all()
        ],
        "public_author_name": idea.author_name,
        "organisation": idea.organisation.name if idea.organisation_id else None,
        "age_declared": idea.age_declared,
        "created_at": _iso(idea.created_at),
        "submitted_at": _iso(idea.submitted_at),
        "decided_at": _iso(idea.decided_at),
        "decision_reason": idea.decision_reason,
    }


def ideas_of(user) -> dict:
    """The ideas ``user`` wrote or co-authors (drafts too), their answers to proposed
    decisions and the ideas they follow."""
    ideas = (
        Idea.objects.filter(Q(author=user) | Q(coauthors=user))
        .distinct()
        .select_related("cycle", "category", "organisation")
        .prefetch_related("cost_lines")
        .order_by("created_at", "id")
    )
    answers = IdeaReview.objects.filter(idea__author=user).exclude(author_answer="")
    return {
        "ideas": [_idea(i, "author" if i.author_id == user.pk else "co-author") for i in ideas],
        "answers_to_review_decisions": [
            {
                "idea": r.idea.title,
                "answer": r.author_answer,
                "answered_at": _iso(r.author_answered_at),
            }
            for r in answers.select_related("idea")
        ],
        "following": [
            {"idea": f.idea.title, "since": _iso(f.created_at)}
            for f in IdeaFollow.objects.filter(user=user).select_related("idea")
        ],
        "explained": EXPLAINED,
    }


def ideas_erase(*, user) -> None:
    """Before the account goes: delete the person's drafts (never public), and keep their
    submitted ideas with the public name replaced (unless submitted for an organisation).
    Follows and co-authorships go with the account."""
    from lidzdaliba.core.services import attachments_of

    for draft in Idea.objects.filter(author=user, status=IdeaStatus.DRAFT):
        for attachment in attachments_of(target=draft):
            attachment.delete()
        draft.delete()
    with translation.override(settings.LANGUAGE_CODE):
        Idea.objects.filter(author=user, organisation__isnull=True).update(
            author_name=_("A resident")
        )
    for follow in IdeaFollow.objects.filter(user=user):
        Idea.objects.filter(pk=follow.idea_id, follower_count__gt=0).update(
            follower_count=F("follower_count") - 1
        )
        follow.delete()


def register_ideas_gdpr() -> None:
    """Register the export section and the eraser of ideas (call from ``ready()``)."""
    from lidzdaliba.accounts import gdpr

    from .services import ideas as _services  # noqa: F401  (notification kinds, comments)

    gdpr.register_section("budget_ideas", ideas_of)
    gdpr.register_eraser("budget_ideas", ideas_erase)
