"""Shared parts of the social-map services: field lists, errors, permissions, recipients."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lidzdaliba.core.models import notification_kind_register

LANGS = [code for code, _name in settings.LANGUAGES]
SERVICE_TRANSLATED = (
    "name",
    "description",
    "eligibility",
    "application_process",
    "required_documents",
    "fees_description",
)
LOCATION_TRANSLATED = ("accessibility", "transportation")
SERVICE_PLAIN = (
    "status",
    "minimum_age",
    "maximum_age",
    "is_free",
    "languages",
    "hours",
    "email",
    "phone",
    "url",
    "needs",
    "address",
    "postal_code",
    "latitude",
    "longitude",
    "step_free",
)
PROVIDER_TRANSLATED = ("name", "description")
PROVIDER_PLAIN = ("email", "phone", "website", "registration_number")

notification_kind_register("socialmap.change", gettext_lazy("Social map changes to review"))
notification_kind_register("socialmap.decided", gettext_lazy("Decisions on my social-map changes"))
notification_kind_register("socialmap.confirm", gettext_lazy("Social-map entries to confirm"))
notification_kind_register(
    "socialmap.outdated", gettext_lazy("Reports that social-map information is outdated")
)


class SocialMapError(Exception):
    """A refused action; ``message`` is translated for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EntryInvalid(SocialMapError):
    """Proposed values that cannot be accepted; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(" ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


def confirm_months() -> int:
    return int(getattr(settings, "SOCIALMAP_CONFIRM_MONTHS", 12))


def outdated_grace_days() -> int:
    return int(getattr(settings, "SOCIALMAP_OUTDATED_GRACE_DAYS", 30))


# --- permissions -------------------------------------------------------------------------


def _require(actor: Any, perm: str, obj: Any) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm(perm, obj)):
        raise PermissionDenied(_("You may not do this."))


def _moderators(municipality: Any) -> list[Any]:
    from django.contrib.auth import get_user_model

    from lidzdaliba.accounts import roles

    groups = [roles.MODERATORS, roles.officer_group("socialmap")]
    return list(
        get_user_model()
        .objects.filter(groups__name__in=groups, municipality=municipality, is_active=True)
        .distinct()
    )


def _representatives(organisation: Any) -> list[Any]:
    from lidzdaliba.accounts.models import OrganisationMembership

    return [
        m.user
        for m in OrganisationMembership.objects.filter(
            organisation=organisation,
            role=OrganisationMembership.Role.REPRESENTATIVE,
            approved_at__isnull=False,
        ).select_related("user")
    ]


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the last day of a shorter month)."""
    import calendar

    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
