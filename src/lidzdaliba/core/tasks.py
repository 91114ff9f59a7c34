"""Background tasks of the core (django-tasks).

Tasks are enqueued with ``transaction.on_commit`` by the services, stored by the database
backend (django-tasks-db) and run by the worker process::

    lidzdaliba db_worker

Run one or more workers beside the web processes in production; the demo runs one. The
test settings use the immediate backend, which runs a task as soon as it is enqueued.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from lidzdaliba.core.models import Notification


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification to its recipient, in their preferred language.

    Sends at most once: the row is claimed by setting ``emailed_at`` before sending (and
    released again if sending fails, so a retry can send it). Returns whether a message
    was sent.
    """
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.is_active:
        return False
    recipient = notification.recipient
    if not recipient.email:
        return False
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    url = notification.url
    if url.startswith("/"):
        url = settings.SITE_URL.rstrip("/") + url
    try:
        with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
            context = {"notification": notification, "recipient": recipient, "url": url}
            message = render_to_string("core/email/notification.txt", context)
            subject = notification.title.replace("\n", " ")
        send_mail(subject, message, None, [recipient.email])
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return True
