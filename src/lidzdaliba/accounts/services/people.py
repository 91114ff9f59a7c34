"""Profile changes, account deletion, organisation memberships and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lidzdaliba.accounts import gdpr
from lidzdaliba.accounts.models import ApiToken, OrganisationMembership, User
from lidzdaliba.core.models import AuditEvent, Neighbourhood
from lidzdaliba.core.services import audit_record

from .errors import InvalidInput, NotAllowed

PROFILE_FIELDS = ("full_name", "preferred_language", "neighbourhood")


def profile_update(*, actor, user: User, **fields) -> User:
    """Change ``user``'s name, preferred language and/or chosen neighbourhood.

    Only the user themself may do it. The neighbourhood must belong to the user's
    municipality (a verified residency's neighbourhood still takes precedence where
    residency matters). Records the names of the changed fields, not their values.
    Raises :class:`NotAllowed` or :class:`InvalidInput`; then nothing is changed.
    """
    if not actor.has_perm("accounts.edit_profile", user):
        raise NotAllowed(_("You may change only your own profile."))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(_("These details cannot be changed here."))
    if "full_name" in fields:
        fields["full_name"] = (fields["full_name"] or "").strip()
        if len(fields["full_name"]) > 150:
            raise InvalidInput(_("The name is too long (at most 150 characters)."))
    if "preferred_language" in fields and fields["preferred_language"] not in dict(
        settings.LANGUAGES
    ):
        raise InvalidInput(_("Choose one of the offered languages."))
    neighbourhood = fields.get("neighbourhood")
    foreign = neighbourhood is not None and (
        not isinstance(neighbourhood, Neighbourhood)
        or (user.municipality_id and neighbourhood.municipality_id != user.municipality_id)
    )
    if foreign:
        raise InvalidInput(_("Choose a neighbourhood of your municipality."))
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    if not changed:
        return user
    with transaction.atomic():
        for name in changed:
            setattr(user, name, fields[name])
        if neighbourhood is not None and not user.municipality_id:
            user.municipality_id = neighbourhood.municipality_id
            changed.append("municipality")
        user.save(update_fields=changed)
        audit_record(
            actor=actor,
            verb="account.profile_updated",
            target=user,
            municipality=user.municipality,
            data={"fields": changed},
        )
    return user


def account_delete(*, actor, user: User, password: str = "", confirm_email: str = "") -> None:
    """Delete ``user``'s account and the personal data kept with it (e-mail addresses,
    residencies, memberships, tokens, linked e-identification, second factors, log-in
    attempt records).

    The user confirms with their password or, for an account without one (e-identification
    only), by typing their e-mail address. Audit rows stay, with the actor removed and the
    recorded label replaced by a pseudonym. Raises :class:`NotAllowed` (someone else's
    account, wrong password); then nothing is changed.
    """
    if not actor.has_perm("accounts.edit_profile", user):
        raise NotAllowed(_("You may delete only your own account."))
    if user.has_usable_password():
        if not password or not user.check_password(password):
            raise NotAllowed(_("The password is not correct; the account was not deleted."))
    elif (confirm_email or "").strip().lower() != user.email.lower():
        raise NotAllowed(_("Type your e-mail address to confirm; the account was not deleted."))
    pseudonym = f"deleted-account-{user.pk}"
    with transaction.atomic():
        audit_record(
            actor=user,
            verb="account.deleted",
            target=None,
            municipality=user.municipality,
            data={"account": pseudonym},
        )
        # The audit log is append-only for its domain data; erasing the person's name from
        # it is what the GDPR asks, so the label is overwritten through the base manager.
        AuditEvent._base_manager.filter(actor=user).update(actor_label=pseudonym)
        AuditEvent._base_manager.filter(
            target_type__app_label="accounts",
            target_type__model="user",
            target_id=str(user.pk),
        ).update(target_label=pseudonym)
        AuditEvent._base_manager.filter(
            target_type__app_label="accounts",
            target_type__model="residency",
            target_id__in=[str(pk) for pk in user.residencies.values_list("pk", flat=True)],
        ).update(target_label=pseudonym)
        _forget_login_records(user.email)
        gdpr.erase(user)
        user.delete()


def _forget_login_records(email: str) -> None:
    """django-axes keeps log-in attempts by user name (the e-mail) and IP address."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()


def membership_approve(*, actor, membership: OrganisationMembership) -> OrganisationMembership:
    """Approve a membership request (for a representative: they may then act for the
    organisation). Raises :class:`NotAllowed` or :class:`InvalidInput` (already approved)."""
    organisation = membership.organisation
    if not actor.has_perm("accounts.approve_membership", organisation):
        raise NotAllowed(_("You may not approve members of this organisation."))
    with transaction.atomic():
        locked = OrganisationMembership.objects.select_for_update().get(pk=membership.pk)
        if locked.approved_at is not None:
            raise InvalidInput(_("This membership is approved already."))
        locked.approved_at = timezone.now()
        locked.save(update_fields=["approved_at"])
        audit_record(
            actor=actor,
            verb="organisation.member_approved",
            target=locked,
            municipality=organisation.municipality,
            data={"organisation": organisation.slug, "role": locked.role},
        )
    membership.refresh_from_db()
    return membership


def _hash_key(plain_key: str) -> str:
    return hashlib.sha256(plain_key.encode()).hexdigest()


def api_token_create(*, actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token for ``user`` and return it with its plain key, which is shown
    once and never stored (only its SHA-256). Raises :class:`NotAllowed` or
    :class:`InvalidInput` (no name)."""
    if not actor.has_perm("accounts.manage_api_tokens", user):
        raise NotAllowed(_("You may not create API tokens."))
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the token a name, such as the system that will use it."))
    plain_key = "lp_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=plain_key[:8], key_hash=_hash_key(plain_key)
        )
        audit_record(
            actor=actor,
            verb="api_token.created",
            target=token,
            municipality=user.municipality,
            data={"user": user.pk, "prefix": token.prefix},
        )
    return token, plain_key


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token; it stops working at once. Raises :class:`NotAllowed`."""
    if not (actor.pk == token.user_id or actor.has_perm("accounts.manage_api_tokens", token.user)):
        raise NotAllowed(_("You may not revoke this token."))
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(
            actor=actor,
            verb="api_token.revoked",
            target=token,
            municipality=token.user.municipality,
            data={"prefix": token.prefix},
        )
    token.refresh_from_db()
    return token


def api_token_authenticate(key: str) -> ApiToken | None:
    """The live token (not revoked, its user active) whose key is ``key``, else ``None``;
    records when it was last used (at most once a minute, to spare the database)."""
    if not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
