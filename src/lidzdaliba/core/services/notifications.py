"""Notifications: in-app rows and e-mails, as each person prefers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from lidzdaliba.core.models import (
    NOTIFICATION_KINDS,
    Notification,
    NotificationKind,
    NotificationPreference,
)

Text = str | Promise | Callable[[], str]


def _text(value: Text) -> str:
    """Evaluate ``value`` in the active language: a callable is called, a lazy string
    translated."""
    return str(value() if callable(value) else value)


def _kind(key: str) -> NotificationKind:
    try:
        return NOTIFICATION_KINDS[key]
    except KeyError:
        raise ValueError(f"Unknown notification kind {key!r}; register it first.") from None


def notification_channels(*, users: Iterable[Any], kind: str) -> dict[int, tuple[bool, bool]]:
    """``{user id: (in_app, email)}`` for ``kind``: each person's choice, else the kind's
    defaults. One query."""
    default = _kind(kind)
    users = list(users)
    chosen = {
        p.user_id: (p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user__in=users, kind=kind)
    }
    return {u.pk: chosen.get(u.pk, (default.in_app, default.email)) for u in users}


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: Text,
    body: Text = "",
    url: str = "",
) -> list[Notification]:
    """Tell ``recipients`` about something, in the platform and/or by e-mail as each prefers.

    ``title`` and ``body`` may be lazy translations or callables returning text: they are
    evaluated in each recipient's preferred language. E-mails are enqueued (task
    ``core.tasks.send_notification_email``) only once the surrounding transaction commits,
    so nothing is sent for a change that is rolled back. Inactive accounts and duplicates
    are skipped; ``kind`` must be registered (``notification_kind_register``), else
    ``ValueError``. Returns the rows created.
    """
    unique = {u.pk: u for u in recipients if u is not None and u.is_active}
    channels = notification_channels(users=unique.values(), kind=kind)
    rows = []
    for user in unique.values():
        in_app, email = channels[user.pk]
        if not (in_app or email):
            continue
        with translation.override(user.preferred_language or None):
            rows.append(
                (
                    Notification(
                        recipient=user,
                        kind=kind,
                        title=_text(title)[:200],
                        body=_text(body),
                        url=str(url)[:500],
                        show_in_app=in_app,
                    ),
                    email,
                )
            )
    created = Notification.objects.bulk_create([n for n, _email in rows])
    from lidzdaliba.core.tasks import send_notification_email

    for notification, (_n, email) in zip(created, rows, strict=True):
        if email:
            transaction.on_commit(partial(send_notification_email.enqueue, notification.pk))
    return created


def _own(actor: Any, notification: Notification) -> None:
    if getattr(actor, "pk", None) != notification.recipient_id:
        raise PermissionDenied(_("This is someone else's notification."))


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of ``actor``'s own notifications read (once; the first time is kept)."""
    _own(actor, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark all of ``actor``'s unread notifications read; returns how many."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_preferences_set(
    *, actor: Any, preferences: Mapping[str, tuple[bool, bool]]
) -> None:
    """Store ``actor``'s choices: ``{kind: (in_app, email)}``. Unknown kinds raise
    ``ValueError``."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    for key, (in_app, email) in preferences.items():
        _kind(key)
        NotificationPreference.objects.update_or_create(
            user=actor, kind=key, defaults={"in_app": bool(in_app), "email": bool(email)}
        )


def notification_preferences_of(*, user: Any) -> list[tuple[NotificationKind, bool, bool]]:
    """Every registered kind with ``user``'s current choice (a read; one query)."""
    channels = {
        p.kind: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=user)
    }
    return [
        (kind, *channels.get(key, (kind.in_app, kind.email)))
        for key, kind in NOTIFICATION_KINDS.items()
    ]


def notifications_unread_count(*, user: Any) -> int:
    """How many in-app notifications ``user`` has not read (a read; one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, show_in_app=True
    ).count()
