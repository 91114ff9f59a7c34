"""Residency: verifying that an account belongs to a declared resident, and revoking it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import personalcode
from lidzdaliba.accounts.models import CensusRecord, Residency, User
from lidzdaliba.core.models import Municipality
from lidzdaliba.core.services import audit_record
from lidzdaliba.core.services.ratelimit import count_in_window

from .errors import InvalidInput, NotAllowed, VerificationFailed

ATTEMPTS_PER_HOUR = 5
_ATTEMPT_WINDOW_SECONDS = 3600


def _attempts_key(user) -> str:
    return f"accounts:verify-attempts:{user.pk}"


def verification_attempts_left(*, user) -> int:
    """How many census look-ups ``user`` may still make this hour."""
    return max(0, ATTEMPTS_PER_HOUR - int(cache.get(_attempts_key(user), 0)))


def _count_attempt(user) -> None:
    """Count one look-up, refusing when the hourly allowance is used up: personal codes
    are not secret, so the census must not be searchable by trying codes."""
    attempts = count_in_window(_attempts_key(user), seconds=_ATTEMPT_WINDOW_SECONDS)
    if attempts > ATTEMPTS_PER_HOUR:
        raise VerificationFailed(
            ngettext(
                "You have tried %(count)d time this hour. Try again in an hour, or use "
                "e-identification.",
                "You have tried %(count)d times this hour. Try again in an hour, or use "
                "e-identification.",
                ATTEMPTS_PER_HOUR,
            )
            % {"count": ATTEMPTS_PER_HOUR},
            code="rate_limited",
        )


def _code_error(exc: personalcode.InvalidPersonalCode) -> VerificationFailed:
    if exc.reason == "checksum":
        return VerificationFailed(
            _("This personal code is not valid: check the digits, one of them is mistyped."),
            code="checksum",
        )
    if exc.reason == "date":
        return VerificationFailed(
            _("This personal code is not valid: its first six digits are not a date."),
            code="checksum",
        )
    return VerificationFailed(
        _("Enter your personal code as 11 digits, for example 010190-10001."), code="format"
    )


def identity_key_for_code(code: str) -> str:
    """The identity key of a personal code; raises :class:`VerificationFailed` with a
    translated message when the code is not valid."""
    try:
        return personalcode.identity_key(code, key=settings.PERSONAL_CODE_HMAC_KEY)
    except personalcode.InvalidPersonalCode as exc:
        raise _code_error(exc) from exc


def residency_verify_code(*, user: User, municipality: Municipality | None, code: str) -> Residency:
    """Verify ``user`` as a resident of ``municipality`` by a personal code they typed.

    The code must be valid and its identity key in the municipality's census; at most
    :data:`ATTEMPTS_PER_HOUR` look-ups per user and hour. The code is used only to compute
    the identity key and is not kept. Raises :class:`VerificationFailed` (``code`` says
    why) or :class:`NotAllowed`; then nothing is changed.
    """
    if not user.has_perm("accounts.verify_residency"):
        raise NotAllowed(_("Log in to verify your residence."))
    identity_key = identity_key_for_code(code)
    _count_attempt(user)
    return residency_verify_identity(
        user=user,
        municipality=municipality,
        identity_key=identity_key,
        method=Residency.Method.CENSUS,
    )


def residency_verify_identity(
    *, user: User, municipality: Municipality | None, identity_key: str, method: str
) -> Residency:
    """Verify ``user`` for the person ``identity_key`` stands for, against the census.

    - Not in the census → :class:`VerificationFailed` (``"not_found"``).
    - By census look-up, when another account already holds a valid residency for the same
      person → refused (``"in_use"``): a typed code proves little, since codes are not
      secret. By e-identification, which proves the person, the other account's residency
      is revoked instead.
    - An account verified as one person cannot be verified as another while that residency
      is valid (``"other_person"``).
    On success the residency (census neighbourhood and birth date, valid for
    ``RESIDENCY_VALID_DAYS``) is created or renewed, the user's municipality and
    neighbourhood are set, and the change is audited. Under-16s are verified too; the
    residency's ``age_band`` / ``is_adult_16`` show what they may do.
    """
    if municipality is None:
        raise VerificationFailed(
            _("There is no municipality to verify your residence in."), code="no_municipality"
        )
    now = timezone.now()
    record = (
        CensusRecord.objects.filter(municipality=municipality, identity_key=identity_key)
        .select_related("neighbourhood")
        .first()
    )
    if record is None:
        raise VerificationFailed(
            _(
                "Your personal code is not in the residents' register of %(municipality)s. "
                "If you have declared your residence here recently, the register may not be "
                "updated yet: contact the municipality."
            )
            % {"municipality": municipality.name},
            code="not_found",
        )
    try:
        with transaction.atomic():
            residency = _store_residency(
                user=user,
                municipality=municipality,
                record=record,
                identity_key=identity_key,
                method=method,
                now=now,
            )
    except IntegrityError as exc:  # a concurrent verification of the same account
        raise VerificationFailed(
            _("Your residence is being verified already. Reload the page."), code="in_use"
        ) from exc
    return residency


def _store_residency(*, user, municipality, record, identity_key, method, now) -> Residency:
    others = Residency.objects.select_for_update().filter(
        municipality=municipality,
        identity_key=identity_key,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    others = list(others.exclude(user=user))
    if others and method != Residency.Method.EID:
        raise VerificationFailed(
            _(
                "This personal code is already verified on another account. Log in with "
                "e-identification to move the verification to this account, or contact "
                "the municipality."
            ),
            code="in_use",
        )
    for other in others:
        other.revoked_at = now
        other.revoked_reason = _("The person verified another account by e-identification.")
        other.save(update_fields=["revoked_at", "revoked_reason"])
        audit_record(
            actor=user,
            verb="residency.revoked",
            target=other,
            municipality=municipality,
            data={"reason": "moved to another account by e-identification"},
        )

    current = (
        Residency.objects.select_for_update()
        .filter(user=user, municipality=municipality, revoked_at__isnull=True)
        .first()
    )
    if current is not None and current.identity_key != identity_key:
        if current.expires_at > now:
            raise VerificationFailed(
                _(
                    "This account is already verified as a different person. Each person "
                    "needs their own account."
                ),
                code="other_person",
            )
        current.revoked_at = now
        current.revoked_reason = _("Expired; replaced by a new verification.")
        current.save(update_fields=["revoked_at", "revoked_reason"])
        current = None

    expires_at = now + dt.timedelta(days=settings.RESIDENCY_VALID_DAYS)
    verb = "residency.renewed" if current is not None else "residency.verified"
    residency = current or Residency(
        user=user, municipality=municipality, identity_key=identity_key
    )
    residency.neighbourhood = record.neighbourhood
    residency.birth_date = record.birth_date
    residency.method = method
    residency.verified_at = now
    residency.expires_at = expires_at
    residency.save()

    user.municipality = municipality
    user.neighbourhood = record.neighbourhood
    user.save(update_fields=["municipality", "neighbourhood"])
    audit_record(
        actor=user,
        verb=verb,
        target=residency,
        municipality=municipality,
        data={
            "method": method,
            "neighbourhood": record.neighbourhood.slug if record.neighbourhood else None,
            "expires_at": expires_at.isoformat(),
        },
    )
    return residency


def residency_revoke(*, actor, residency: Residency, reason: str) -> Residency:
    """Revoke one residency with a stated reason (required). Raises :class:`NotAllowed`,
    or :class:`InvalidInput` for a missing reason or an already revoked residency."""
    if not actor.has_perm("accounts.revoke_residency", residency.municipality):
        raise NotAllowed(_("You may not revoke residencies in this municipality."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for revoking."))
    with transaction.atomic():
        locked = Residency.objects.select_for_update().get(pk=residency.pk)
        if locked.revoked_at is not None:
            raise InvalidInput(_("This residency has been revoked already."))
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason[:300]
        locked.save(update_fields=["revoked_at", "revoked_reason"])
        audit_record(
            actor=actor,
            verb="residency.revoked",
            target=locked,
            municipality=locked.municipality,
            data={"reason": locked.revoked_reason},
        )
    residency.refresh_from_db()
    return residency


def residencies_revoke_all(*, actor, municipality: Municipality, reason: str) -> int:
    """Revoke every residency of ``municipality`` that is not revoked yet (for instance
    after a new census) and return how many; residents then verify again. Raises
    :class:`NotAllowed` or :class:`InvalidInput` (missing reason)."""
    if not actor.has_perm("accounts.revoke_residency", municipality):
        raise NotAllowed(_("You may not revoke residencies in this municipality."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for revoking."))
    with transaction.atomic():
        count = Residency.objects.filter(municipality=municipality, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason[:300]
        )
        audit_record(
            actor=actor,
            verb="residency.revoked_all",
            target=municipality,
            municipality=municipality,
            data={"reason": reason[:300], "count": count},
        )
    return count
