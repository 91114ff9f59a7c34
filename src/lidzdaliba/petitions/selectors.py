"""Reads about collective submissions, shared by pages and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from lidzdaliba.accounts.selectors import residency_active

from .models import PUBLIC_STATUSES, CollectiveSubmission, Signature, Status

LIST_FIELDS = (
    "id",
    "municipality_id",
    "title",
    "status",
    "threshold",
    "signature_count",
    "signing_ends_on",
    "published_at",
    "sent_at",
    "closed_at",
    "answer_due_on",
    "answered_at",
    "decision",
)


def submissions_public(*, municipality, status: str | None = None):
    """The municipality's published submissions (signing first, then the others newest
    first), optionally of one status; one query, whatever their number."""
    rows = CollectiveSubmission.objects.filter(
        municipality=municipality, status__in=PUBLIC_STATUSES
    )
    if status:
        rows = rows.filter(status=status)
    signing_first = Case(
        When(status=Status.SIGNING, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return (
        rows.only(*LIST_FIELDS)
        .annotate(is_signing=signing_first)
        .order_by("-is_signing", F("published_at").desc(nulls_last=True), "-id")
    )


def submissions_of_author(*, user, municipality):
    """The user's own submissions in every status, newest first."""
    if not getattr(user, "is_authenticated", False):
        return CollectiveSubmission.objects.none()
    return CollectiveSubmission.objects.filter(author=user, municipality=municipality).order_by(
        "-created_at", "-id"
    )


def submissions_for_staff(*, municipality):
    """What waits for staff: submissions to moderate and submissions to answer (the latter
    by due date)."""
    base = CollectiveSubmission.objects.filter(municipality=municipality)
    return {
        "in_review": base.filter(status=Status.IN_REVIEW).order_by("submitted_at", "id"),
        "to_answer": base.filter(status__in=(Status.SENT, Status.CLOSED)).order_by(
            "answer_due_on", "id"
        ),
    }


def submission_visible(*, user, pk: int, municipality) -> CollectiveSubmission | None:
    """The submission if ``user`` may see it (public, or their draft, or staff)."""
    submission = (
        CollectiveSubmission.objects.filter(pk=pk, municipality=municipality)
        .select_related("municipality")
        .first()
    )
    if submission is None or not user.has_perm("petitions.view_submission", submission):
        return None
    return submission


def signature_of(*, user, submission) -> Signature | None:
    """``user``'s signature on ``submission`` (from this account or another account of the
    same person), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    own = Q(signer=user)
    residency = residency_active(user=user, municipality=submission.municipality)
    if residency is not None:
        own |= Q(identity_key=residency.identity_key)
    return Signature.objects.filter(own, submission=submission).defer("signer_data").first()


def signing_status(*, user, submission) -> dict[str, Any]:
    """What the detail page shows a visitor about signing: whether they signed, may sign,
    and if not, why (a translated sentence)."""
    from django.utils.translation import gettext as _

    import personalcode

    signature = signature_of(user=user, submission=submission)
    status: dict[str, Any] = {"signature": signature, "can_sign": False, "reason": ""}
    if submission.status != Status.SIGNING or signature is not None:
        return status
    if submission.signing_ends_on and timezone.localdate() > submission.signing_ends_on:
        status["reason"] = _("Signing has ended.")
        return status
    if not getattr(user, "is_authenticated", False):
        status["reason"] = _("Log in and verify your residency to sign.")
        return status
    residency = residency_active(user=user, municipality=submission.municipality)
    if residency is None:
        status["reason"] = _("Verify your residency to sign.")
    elif personalcode.age_on(residency.birth_date, timezone.localdate()) < 16:
        status["reason"] = _("Only people aged 16 or over may sign.")
    else:
        status["can_sign"] = True
    return status


def submission_statistics(*, municipality) -> dict[str, int]:
    """Counts for the statistics page, in one query: submitted to the moderators, published,
    collecting signatures, reached the threshold, closed below it, refused, answered,
    answered in time, overdue."""
    today = timezone.localdate()
    published = Q(status__in=PUBLIC_STATUSES) & ~Q(status=Status.REFUSED)
    return CollectiveSubmission.objects.filter(municipality=municipality).aggregate(
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        published=Count("pk", filter=published),
        signing=Count("pk", filter=Q(status=Status.SIGNING)),
        reached_threshold=Count("pk", filter=Q(sent_at__isnull=False)),
        closed_below_threshold=Count("pk", filter=Q(closed_at__isnull=False)),
        refused=Count("pk", filter=Q(status=Status.REFUSED)),
        answered=Count("pk", filter=Q(status=Status.ANSWERED)),
        answered_in_time=Count(
            "pk",
            filter=Q(status=Status.ANSWERED, answered_at__date__lte=F("answer_due_on")),
        ),
        overdue=Count(
            "pk",
            filter=Q(status__in=(Status.SENT, Status.CLOSED), answer_due_on__lt=today),
        ),
    )


def signer_exports(*, submission):
    """The audit records of the signer-list exports of ``submission``, newest first."""
    from django.contrib.contenttypes.models import ContentType

    from lidzdaliba.core.models import AuditEvent

    return AuditEvent.objects.filter(
        verb="petition.signers_exported",
        target_type=ContentType.objects.get_for_model(CollectiveSubmission),
        target_id=str(submission.pk),
    )
