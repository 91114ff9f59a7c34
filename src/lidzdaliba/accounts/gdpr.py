""" "Download my data": everything the platform keeps about a person, as one JSON document.

Each module registers a section for the data it keeps::

    from lidzdaliba.accounts import gdpr

    gdpr.register_section("ideas", lambda user: [...])   # in the app's ready()

A section is a callable ``(user) -> JSON-serialisable value``. Sections appear in the
order they were registered; registering a name again replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

Section = Callable[[Any], Any]
_sections: dict[str, Section] = {}
Eraser = Callable[..., Any]
_erasers: dict[str, Eraser] = {}


def register_eraser(name: str, erase_fn: Eraser) -> None:
    """Add (or replace) what module ``name`` erases when an account is deleted: a callable
    ``(*, user)`` run inside the deletion's transaction, before the account row goes."""
    _erasers[name] = erase_fn


def erase(user) -> None:
    """Run every registered eraser for ``user`` (called by ``account_delete``)."""
    for erase_fn in _erasers.values():
        erase_fn(user=user)


def register_section(name: str, collect: Section) -> None:
    """Add (or replace) the section ``name`` of the data export."""
    _sections[name] = collect


def unregister_section(name: str) -> None:
    _sections.pop(name, None)


def sections() -> list[str]:
    return list(_sections)


def collect(user) -> dict[str, Any]:
    """The export for ``user``: ``{"generated_at", "format", <section>: ...}``."""
    data: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "format": "lidzdaliba-personal-data/1",
    }
    for name, section in _sections.items():
        data[name] = section(user)
    return data


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _account(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "municipality": user.municipality.name if user.municipality else None,
        "neighbourhood": user.neighbourhood.name if user.neighbourhood else None,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_staff": user.is_staff,
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


def _email_addresses(user) -> list[dict]:
    from allauth.account.models import EmailAddress

    return [
        {"email": e.email, "verified": e.verified, "primary": e.primary}
        for e in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def _residencies(user) -> list[dict]:
    return [
        {
            "municipality": r.municipality.name,
            "neighbourhood": r.neighbourhood.name if r.neighbourhood else None,
            "birth_date": _iso(r.birth_date),
            "method": r.method,
            "verified_at": _iso(r.verified_at),
            "expires_at": _iso(r.expires_at),
            "revoked_at": _iso(r.revoked_at),
            "revoked_reason": r.revoked_reason,
            "identity_key": r.identity_key,
            "identity_key_explained": (
                "A keyed hash (HMAC-SHA256) of your personal code. Your personal code itself "
                "is not stored, and this value cannot be turned back into it without the "
                "platform's secret key."
            ),
        }
        for r in user.residencies.select_related("municipality", "neighbourhood")
    ]


def _memberships(user) -> list[dict]:
    from lidzdaliba.accounts.models import OrganisationMembership

    return [
        {
            "organisation": m.organisation.name,
            "role": m.role,
            "approved_at": _iso(m.approved_at),
            "requested_at": _iso(m.created_at),
        }
        for m in OrganisationMembership.objects.filter(user=user).select_related("organisation")
    ]


def _logins(user) -> dict:
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    return {
        "e_identification": [
            {
                "provider": a.provider,
                "linked_at": _iso(a.date_joined),
                "data_received": a.extra_data,
            }
            for a in SocialAccount.objects.filter(user=user)
        ],
        "second_factors": [
            {"type": a.type, "created_at": _iso(a.created_at)}
            for a in Authenticator.objects.filter(user=user)
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in user.api_tokens.all()
        ],
    }


def _audit_events(user) -> list[dict]:
    from lidzdaliba.core.models import AuditEvent

    return [
        {
            "time": _iso(e.created_at),
            "action": e.verb,
            "object": e.target_label,
            "data": e.data,
        }
        for e in AuditEvent.objects.filter(actor=user).order_by("created_at", "id")
    ]


register_section("account", _account)
register_section("email_addresses", _email_addresses)
register_section("residencies", _residencies)
register_section("organisations", _memberships)
register_section("logins", _logins)
register_section("actions", _audit_events)
