"""Officers' handling: statuses with public replies, assignment, notes, merging, hiding."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lidzdaliba.core.services import (
    audit_record,
    notify,
)
from lidzdaliba.reports.models import (
    CLOSED_STATUSES,
    DONE_STATUSES,
    OPEN_STATUSES,
    Department,
    Report,
    ReportEvent,
    Status,
    Supporter,
)

from .common import (
    TRANSITIONS,
    ReportRejected,
)

# --- handling ------------------------------------------------------------------------------


def _require(actor: Any, perm: str, report: Report) -> None:
    if not (actor and actor.has_perm(perm, report)):
        raise PermissionDenied(_("You may not handle this report."))


def _notify_followers(report: Report, *, title: Any, body: Any = "") -> None:
    """Tell the reporter and supporters: accounts through core notifications, e-mail-only
    people by a plain e-mail after commit."""
    url = reverse("reports:detail", args=[report.pk])
    users = []
    if report.reporter_id:
        users.append(report.reporter)
    supporters = list(report.supporters.select_related("user"))
    users += [s.user for s in supporters if s.user_id]
    if users:
        notify(recipients=users, kind="reports.update", title=title, body=body, url=url)
    emails = {s.email for s in supporters if not s.user_id and s.email}
    if not report.reporter_id and report.reporter_email:
        emails.add(report.reporter_email)
    if emails:
        from lidzdaliba.reports.tasks import send_report_email

        subject, text = str(title), str(body)
        for email in sorted(emails):
            transaction.on_commit(partial(send_report_email.enqueue, email, subject, text, url))


def report_transition(*, actor: Any, report: Report, to: str, reply: str = "") -> Report:
    """Move ``report`` to status ``to`` (see :data:`TRANSITIONS`) with a public reply, record
    it on the timeline and in the audit log, and tell the reporter and supporters.

    Raises :class:`PermissionDenied` unless ``actor`` may handle reports of its
    municipality, and :class:`ReportRejected` for a move the workflow does not allow or a
    resolution/closure without a public reply.
    """
    _require(actor, "reports.handle_report", report)
    to = Status(to)
    reply = (reply or "").strip()
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("category").get(pk=report.pk)
        current = Status(report.status)
        if to not in TRANSITIONS.get(current, set()):
            raise ReportRejected(
                _("A report that is “%(current)s” cannot become “%(to)s”.")
                % {"current": current.label, "to": to.label}
            )
        if to in DONE_STATUSES and not reply:
            raise ReportRejected(
                _("Write a public reply that explains the decision."), field="reply"
            )
        now = timezone.now()
        report.status = to
        if reply:
            report.public_reply = reply
        if to == Status.RESOLVED:
            report.resolved_at, report.closed_at = now, None
            report.followup_sent_at = report.followup_answered_at = None
        elif to in CLOSED_STATUSES:
            report.closed_at = now
        else:
            report.resolved_at = report.closed_at = None
        report.save()
        kind = ReportEvent.Kind.REOPENED if current in DONE_STATUSES else ReportEvent.Kind.STATUS
        ReportEvent.objects.create(report=report, kind=kind, status=to, text=reply, actor=actor)
        audit_record(
            actor=actor,
            verb="report.status_changed",
            target=report,
            data={"from": current, "to": to, "reply": reply},
        )
        number = report.pk
        label = to.label
        _notify_followers(
            report,
            title=lambda: (
                _("Report #%(number)d: %(status)s") % {"number": number, "status": str(label)}
            ),
            body=reply,
        )
    return report


def report_assign(
    *, actor: Any, report: Report, department: Department | None = None, assignee: Any = None
) -> Report:
    """Give ``report`` to a department and/or an officer; a received report becomes
    "assigned". Raises :class:`PermissionDenied` or :class:`ReportRejected` (department of
    another municipality, closed report)."""
    _require(actor, "reports.handle_report", report)
    if department is not None and department.municipality_id != report.municipality_id:
        raise ReportRejected(_("Choose a department of this municipality."), field="department")
    if report.status not in OPEN_STATUSES:
        raise ReportRejected(_("Reopen the report before assigning it."))
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        before = {"department": report.department_id, "assignee": report.assignee_id}
        if department is not None:
            report.department = department
        report.assignee = assignee
        if report.status == Status.RECEIVED:
            report.status = Status.ASSIGNED
        report.save()
        ReportEvent.objects.create(
            report=report,
            kind=ReportEvent.Kind.ASSIGNED,
            status=report.status,
            text=str(report.department or ""),
            actor=actor,
        )
        audit_record(
            actor=actor,
            verb="report.assigned",
            target=report,
            data={
                "before": before,
                "department": report.department_id,
                "assignee": report.assignee_id,
            },
        )
    return report


def report_note_add(*, actor: Any, report: Report, text: str) -> ReportEvent:
    """Add an internal note (never shown publicly). Raises :class:`PermissionDenied` or
    :class:`ReportRejected` for an empty note."""
    _require(actor, "reports.handle_report", report)
    text = (text or "").strip()
    if not text:
        raise ReportRejected(_("Write the note."), field="note")
    with transaction.atomic():
        event = ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.NOTE, text=text, is_internal=True, actor=actor
        )
        audit_record(actor=actor, verb="report.note_added", target=report)
    return event


def report_merge(*, actor: Any, report: Report, into: Report) -> Report:
    """Close ``report`` as a duplicate of ``into``: its reporter and supporters become
    supporters of ``into`` (each person once) and are told where to follow it. Raises
    :class:`PermissionDenied` or :class:`ReportRejected` (same report, other municipality,
    ``into`` not open)."""
    _require(actor, "reports.handle_report", report)
    if report.pk == into.pk or into.municipality_id != report.municipality_id:
        raise ReportRejected(_("Choose another report of this municipality."), field="into")
    into = Report.objects.get(pk=into.pk)
    if into.status not in OPEN_STATUSES or into.is_hidden:
        raise ReportRejected(_("Merge only into an open report."), field="into")
    if into.duplicate_of_id:
        raise ReportRejected(_("That report is itself a duplicate."), field="into")
    reply = _("The same problem was already reported as #%(number)d.") % {"number": into.pk}
    with transaction.atomic():
        report = report_transition(actor=actor, report=report, to=Status.DUPLICATE, reply=reply)
        Report.objects.filter(pk=report.pk).update(duplicate_of=into)
        report.duplicate_of = into
        people: list[tuple[Any, str]] = []
        if report.reporter_id:
            people.append((report.reporter_id, ""))
        elif report.reporter_email:
            people.append((None, report.reporter_email.lower()))
        people += [(s.user_id, s.email) for s in report.supporters.all()]
        added = 0
        for user_id, email in people:
            if user_id and user_id == into.reporter_id:
                continue
            try:
                with transaction.atomic():
                    Supporter.objects.create(report=into, user_id=user_id, email=email)
                added += 1
            except IntegrityError:
                continue
        Report.objects.filter(pk=into.pk).update(support_count=F("support_count") + added)
        ReportEvent.objects.create(
            report=into,
            kind=ReportEvent.Kind.MERGED,
            text=_("Report #%(number)d was merged into this one.") % {"number": report.pk},
            actor=actor,
        )
        audit_record(
            actor=actor,
            verb="report.merged",
            target=report,
            data={"into": into.pk, "supporters_added": added},
        )
    return report


def report_hide(*, actor: Any, report: Report, reason: str) -> Report:
    """Hide an abusive report from every public page and the Open311 API, with a reason
    that is audited. Raises :class:`PermissionDenied` or :class:`ReportRejected` (no
    reason, already hidden)."""
    _require(actor, "reports.hide_report", report)
    reason = (reason or "").strip()
    if not reason:
        raise ReportRejected(_("Give the reason for hiding this report."), field="reason")
    with transaction.atomic():
        updated = Report.objects.filter(pk=report.pk, hidden_at__isnull=True).update(
            hidden_at=timezone.now(), hidden_reason=reason[:300]
        )
        if not updated:
            raise ReportRejected(_("This report is already hidden."))
        ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.HIDDEN, text=reason, is_internal=True, actor=actor
        )
        audit_record(actor=actor, verb="report.hidden", target=report, data={"reason": reason})
    report.refresh_from_db()
    return report
