"""The four-week follow-up: is the problem really fixed?"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lidzdaliba.core.services import (
    audit_record,
    notify,
)
from lidzdaliba.reports.models import (
    Report,
    ReportEvent,
    Status,
)

from .common import (
    FOLLOWUP_AFTER,
    FOLLOWUP_SALT,
    ReportRejected,
)

# --- the four-week follow-up ----------------------------------------------------------------


def followup_token(report: Report) -> str:
    """A signed token that lets the reporter answer the follow-up without logging in."""
    return signing.dumps({"r": report.pk}, salt=FOLLOWUP_SALT, compress=True)


def report_for_followup_token(token: str) -> Report | None:
    """The report a follow-up token was made for, or ``None`` for a forged token."""
    try:
        data = signing.loads(token, salt=FOLLOWUP_SALT, max_age=dt.timedelta(days=90))
    except signing.BadSignature:
        return None
    return Report.objects.filter(pk=data.get("r")).first()


def reports_followup_send(*, now: dt.datetime | None = None) -> int:
    """Ask every reporter whose report was resolved at least four weeks ago (and not asked
    yet) whether the problem is really fixed. Idempotent: each report is claimed with a
    conditional update before its message is sent, so two runs never ask twice. Returns
    how many were asked. Run daily (``lidzdaliba reports_followup``)."""
    now = now or timezone.now()
    due = Report.objects.filter(
        status=Status.RESOLVED,
        resolved_at__lte=now - FOLLOWUP_AFTER,
        followup_sent_at__isnull=True,
        hidden_at__isnull=True,
    ).select_related("reporter")
    asked = 0
    for report in due.iterator():
        with transaction.atomic():
            claimed = Report.objects.filter(pk=report.pk, followup_sent_at__isnull=True).update(
                followup_sent_at=now
            )
            if not claimed:
                continue
            url = reverse("reports:followup", args=[report.pk, followup_token(report)])
            number = report.pk

            def title(number=number):
                return _("Is the problem in report #%(number)d really fixed?") % {"number": number}

            def body():
                return _("Answer with one click: if it is not fixed, the report is reopened.")

            if report.reporter_id:
                notify(
                    recipients=[report.reporter],
                    kind="reports.followup",
                    title=title,
                    body=body,
                    url=url,
                )
            elif report.reporter_email:
                from lidzdaliba.reports.tasks import send_report_email

                transaction.on_commit(
                    partial(send_report_email.enqueue, report.reporter_email, title(), body(), url)
                )
            ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.FOLLOWUP)
            audit_record(actor=None, verb="report.followup_sent", target=report)
            asked += 1
    return asked


def report_followup_answer(*, report: Report, fixed: bool, actor: Any = None) -> Report:
    """Record the reporter's answer to the follow-up: "no" reopens the report (assigned to
    its department again, due again in the category's time). Raises
    :class:`ReportRejected` when the report is not waiting for an answer."""
    if report.status != Status.RESOLVED or report.followup_sent_at is None:
        raise ReportRejected(_("This report is not waiting for your answer."))
    if report.followup_answered_at is not None:
        raise ReportRejected(_("You have already answered. Thank you!"))
    now = timezone.now()
    with transaction.atomic():
        updated = Report.objects.filter(
            pk=report.pk, status=Status.RESOLVED, followup_answered_at__isnull=True
        ).update(followup_answered_at=now)
        if not updated:
            raise ReportRejected(_("You have already answered. Thank you!"))
        if fixed:
            ReportEvent.objects.create(
                report=report,
                kind=ReportEvent.Kind.FOLLOWUP,
                text=_("The reporter confirmed that the problem is fixed."),
            )
        else:
            Report.objects.filter(pk=report.pk).update(
                status=Status.ASSIGNED,
                resolved_at=None,
                due_at=now + dt.timedelta(days=report.category.due_days),
            )
            ReportEvent.objects.create(
                report=report,
                kind=ReportEvent.Kind.REOPENED,
                status=Status.ASSIGNED,
                text=_("The reporter says the problem is not fixed."),
            )
        audit_record(
            actor=actor, verb="report.followup_answered", target=report, data={"fixed": fixed}
        )
    report.refresh_from_db()
    return report
