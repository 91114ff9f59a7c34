"""Background work for reports (django-tasks): e-mails to people without an account, area
alerts and the daily four-week follow-up.

The follow-up is a periodic check: ``lidzdaliba reports_followup`` (run it daily from cron
or a systemd timer beside the task worker) enqueues :func:`reports_followup`, which asks
each reporter whose report was resolved four weeks ago whether it is really fixed. The
check is idempotent, so running it more often, or twice, asks nobody twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


@task()
def send_report_email(email: str, subject: str, body: str, url: str = "") -> bool:
    """Send one plain e-mail about a report to someone who gave only an e-mail address."""
    lines = [body, "", _absolute(url)] if url else [body]
    send_mail(subject.replace("\n", " ")[:200], "\n".join(lines).strip() + "\n", None, [email])
    return True


@task()
def send_area_alerts(report_id: int) -> int:
    """E-mail the confirmed subscribers of the new report's area; how many were told."""
    from .models import Report
    from .services import alerts_for

    report = Report.objects.select_related("category", "neighbourhood").filter(pk=report_id).first()
    if report is None or report.is_hidden:
        return 0
    sent = 0
    for alert in alerts_for(report=report):
        subject = _("New report in %(area)s: %(category)s") % {
            "area": report.neighbourhood.name,
            "category": report.category.name,
        }
        unsubscribe = _absolute(reverse("reports:alert_unsubscribe", args=[alert.token]))
        body = "\n\n".join(
            [report.description[:500], _("Stop these alerts: %(url)s") % {"url": unsubscribe}]
        )
        send_report_email.call(
            alert.email, subject, body, reverse("reports:detail", args=[report.pk])
        )
        sent += 1
    return sent


@task()
def reports_followup() -> int:
    """Ask reporters whether problems resolved four weeks ago are really fixed."""
    from .services import reports_followup_send

    return reports_followup_send()
