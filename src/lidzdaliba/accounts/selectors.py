"""Reads about people and residency, shared by pages, API and other modules."""

from django.utils import timezone

from lidzdaliba.accounts.models import Residency


def residency_active(*, user, municipality, at=None) -> Residency | None:
    """The user's valid (not revoked, not expired) residency in ``municipality``, or None."""
    if not getattr(user, "is_authenticated", False) or municipality is None:
        return None
    return (
        Residency.objects.filter(
            user=user,
            municipality=municipality,
            revoked_at__isnull=True,
            expires_at__gt=at or timezone.now(),
        )
        .select_related("neighbourhood")
        .first()
    )


def residency_latest(*, user, municipality):
    """The user's most recent residency in ``municipality`` (valid, expired or revoked), so
    that a page can say why someone is no longer verified; None if never verified."""
    if not getattr(user, "is_authenticated", False) or municipality is None:
        return None
    return (
        Residency.objects.filter(user=user, municipality=municipality)
        .select_related("neighbourhood")
        .order_by("-verified_at", "-pk")
        .first()
    )


def profile_summary(*, user, municipality) -> dict:
    """What the profile page and ``GET /api/accounts/me`` show about a signed-in user.

    ``neighbourhood`` is the verified one when the user has a valid residency, else the
    one they chose.
    """
    from lidzdaliba.accounts.models import OrganisationMembership

    active = residency_active(user=user, municipality=municipality)
    latest = active or residency_latest(user=user, municipality=municipality)
    if latest is None:
        status = "unverified"
    elif active is not None:
        status = "verified"
    elif latest.revoked_at is not None:
        status = "revoked"
    else:
        status = "expired"
    memberships = OrganisationMembership.objects.filter(user=user).select_related("organisation")
    return {
        "user": user,
        "residency": latest,
        "residency_status": status,
        "is_verified": active is not None,
        "neighbourhood": active.neighbourhood if active else user.neighbourhood,
        "neighbourhood_is_verified": bool(active and active.neighbourhood_id),
        "memberships": list(memberships.order_by("organisation__name")),
    }


def census_imports(*, municipality):
    """The municipality's census uploads, newest first (without the stored file)."""
    from lidzdaliba.accounts.models import CensusImport

    return (
        CensusImport.objects.filter(municipality=municipality)
        .defer("pending_file")
        .select_related("uploaded_by")
    )


def census_size(*, municipality) -> int:
    """How many residents the municipality's current census holds."""
    from lidzdaliba.accounts.models import CensusRecord

    return CensusRecord.objects.filter(municipality=municipality).count()


def residencies_for_staff(*, municipality, query: str = ""):
    """Residencies of ``municipality`` for the staff list, newest first, optionally
    filtered by the account's e-mail or name."""
    from django.db.models import Q

    rows = Residency.objects.filter(municipality=municipality).select_related(
        "user", "neighbourhood"
    )
    if query:
        rows = rows.filter(Q(user__email__icontains=query) | Q(user__full_name__icontains=query))
    return rows.order_by("-verified_at")
