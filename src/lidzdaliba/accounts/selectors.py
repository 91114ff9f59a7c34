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
