"""Every write to citizen reports: submitting, supporting, handling, merging, hiding and the
four-week follow-up. Each runs in a transaction and records an audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lidzdaliba.core.models import Attachment, notification_kind_register
from lidzdaliba.core.services import (
    AttachmentRejected,
    PlacementError,
    attachment_add,
    attachment_check,
    audit_record,
    neighbourhood_for_point,
    notify,
)

from .models import (
    CLOSED_STATUSES,
    DONE_STATUSES,
    OPEN_STATUSES,
    AreaAlert,
    Category,
    CategoryQuestion,
    Department,
    Report,
    ReportEvent,
    RoutingRule,
    Status,
    Supporter,
)

MAX_PHOTOS = 5
MAX_DESCRIPTION = 4000
FOLLOWUP_AFTER = dt.timedelta(weeks=4)
FOLLOWUP_SALT = "reports.followup"

TRANSITIONS: dict[Status, set[Status]] = {
    Status.RECEIVED: {
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        *CLOSED_STATUSES,
    },
    Status.ASSIGNED: {Status.IN_PROGRESS, Status.RESOLVED, *CLOSED_STATUSES},
    Status.IN_PROGRESS: {Status.ASSIGNED, Status.RESOLVED, *CLOSED_STATUSES},
    # Reopening: by an officer, or when the reporter answers the follow-up with "no".
    Status.RESOLVED: {Status.ASSIGNED, Status.IN_PROGRESS},
    Status.NOT_OURS: {Status.ASSIGNED},
    Status.DUPLICATE: {Status.ASSIGNED},
    Status.CANNOT_FIX: {Status.ASSIGNED},
}
"""Which status may follow which. Every move needs ``reports.handle_report``; moving to
``resolved`` or a closed status needs a public reply."""

notification_kind_register("reports.update", gettext_lazy("Updates on reports I made or support"))
notification_kind_register("reports.followup", gettext_lazy("Is my reported problem really fixed?"))


class ReportRejected(ValueError):
    """The request was refused and nothing was stored; ``message`` is translated."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- routing -------------------------------------------------------------------------------


def department_for(*, category: Category, neighbourhood: Any) -> Department | None:
    """The department responsible for ``category`` in ``neighbourhood``: a routing rule for
    both wins, then one for the category, then one for the neighbourhood, then the
    category's own department (``None`` when nobody is set)."""
    rules = {
        (r.category_id, r.neighbourhood_id): r.department
        for r in RoutingRule.objects.filter(
            municipality_id=category.municipality_id,
        ).select_related("department")
        if r.category_id in (category.pk, None) and r.neighbourhood_id in (neighbourhood.pk, None)
    }
    for key in (
        (category.pk, neighbourhood.pk),
        (category.pk, None),
        (None, neighbourhood.pk),
    ):
        if key in rules:
            return rules[key]
    return category.department


# --- submitting ----------------------------------------------------------------------------


def _rate_limit(*, client_ip: str | None) -> None:
    limit = getattr(settings, "REPORTS_ANONYMOUS_PER_HOUR", 10)
    if not client_ip or not limit:
        return
    key = "reports:submit:" + hashlib.sha256(client_ip.encode()).hexdigest()[:32]
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise ReportRejected(
            _("Too many reports from this connection. Try again in an hour, or log in.")
        )


def _clean_answers(
    *, category: Category, answers: Mapping[str, Any] | None
) -> dict[str, str | list[str]]:
    answers = dict(answers or {})
    cleaned: dict[str, str | list[str]] = {}
    questions: Sequence[CategoryQuestion] = list(category.questions.all())
    for q in questions:
        value = answers.get(q.code)
        if isinstance(value, list | tuple):
            values = [str(v).strip() for v in value if str(v).strip()]
        else:
            values = [str(value).strip()] if value not in (None, "") else []
        if not values:
            if q.required:
                raise ReportRejected(
                    _("Answer the question “%(question)s”.") % {"question": q.label},
                    field=f"q_{q.code}",
                )
            continue
        if q.is_list:
            keys = {str(v.get("key")) for v in q.values or []}
            if any(v not in keys for v in values):
                raise ReportRejected(
                    _("Choose one of the offered answers to “%(question)s”.")
                    % {"question": q.label},
                    field=f"q_{q.code}",
                )
            if q.datatype == CategoryQuestion.Datatype.SINGLE and len(values) > 1:
                raise ReportRejected(
                    _("Choose only one answer to “%(question)s”.") % {"question": q.label},
                    field=f"q_{q.code}",
                )
            cleaned[q.code] = values if q.datatype == CategoryQuestion.Datatype.MULTI else values[0]
        elif q.datatype == CategoryQuestion.Datatype.NUMBER:
            try:
                float(values[0].replace(",", "."))
            except ValueError:
                raise ReportRejected(
                    _("The answer to “%(question)s” must be a number.") % {"question": q.label},
                    field=f"q_{q.code}",
                ) from None
            cleaned[q.code] = values[0]
        else:
            cleaned[q.code] = values[0][:1000]
    return cleaned


def _check_photos(photos: Sequence[Any]) -> list[Any]:
    photos = [p for p in photos or [] if p]
    if len(photos) > MAX_PHOTOS:
        raise ReportRejected(
            ngettext(
                "You can add at most %(n)d photo.", "You can add at most %(n)d photos.", MAX_PHOTOS
            )
            % {"n": MAX_PHOTOS},
            field="photos",
        )
    checked = []
    for photo in photos:
        try:
            result = attachment_check(upload=photo)
        except AttachmentRejected as exc:
            raise ReportRejected(
                _("%(name)s: %(problem)s")
                % {"name": getattr(photo, "name", "photo"), "problem": exc.message},
                field="photos",
            ) from exc
        if result.kind != Attachment.Kind.IMAGE:
            raise ReportRejected(
                _("%(name)s is not a photo: add JPEG, PNG or WebP images only.")
                % {"name": getattr(photo, "name", "file")},
                field="photos",
            )
        checked.append(result)
    return checked


def _store_photo(*, actor: Any, report: Report, upload: Any, checked: Any) -> None:
    """Store one photo (already checked) through core attachments, which keep no EXIF, GPS
    or ICC metadata; anonymous reporters are allowed here, their uploader stays empty."""
    attachment_add(actor=actor, target=report, upload=upload, checked=checked, allow_anonymous=True)


def report_submit(
    *,
    actor: Any,
    municipality: Any,
    category: Category,
    lat: float,
    lon: float,
    description: str,
    address: str = "",
    answers: Mapping[str, Any] | None = None,
    photos: Sequence[Any] = (),
    email: str = "",
    name: str = "",
    show_name: bool = False,
    source: str = Report.Source.WEB,
    api_token: Any = None,
    client_ip: str | None = None,
) -> Report:
    """Store a new report, routed to its department with its due date.

    Checks everything before writing anything: the category belongs to ``municipality`` and
    accepts reports, the point lies inside the municipality (its neighbourhood is derived),
    the description is given, the answers fit the category's questions, and at most five
    photos, each a real image within the size limit (stored without EXIF/GPS metadata).
    Anonymous web submissions are rate-limited per ``client_ip``. Raises
    :class:`ReportRejected`; on any error nothing is stored.
    """
    if category.municipality_id != municipality.pk or not category.is_active:
        raise ReportRejected(_("This category does not accept reports."), field="category")
    description = (description or "").strip()
    if not description:
        raise ReportRejected(_("Describe the problem."), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise ReportRejected(
            _("The description is too long: at most %(n)d characters.") % {"n": MAX_DESCRIPTION},
            field="description",
        )
    try:
        neighbourhood = neighbourhood_for_point(municipality=municipality, lat=lat, lon=lon)
    except PlacementError as exc:
        raise ReportRejected(exc.message, field="location") from exc
    cleaned_answers = _clean_answers(category=category, answers=answers)
    checked = _check_photos(photos)
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is None and source == Report.Source.WEB:
        _rate_limit(client_ip=client_ip)
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.create(
            municipality=municipality,
            category=category,
            neighbourhood=neighbourhood,
            lat=round(float(lat), 6),
            lon=round(float(lon), 6),
            address=(address or "").strip()[:300],
            description=description,
            answers=cleaned_answers,
            department=department_for(category=category, neighbourhood=neighbourhood),
            reporter=user,
            reporter_email=(email or (user.email if user else "")).strip()[:254],
            reporter_name=(name or "").strip()[:200],
            show_name=bool(show_name and name),
            source=source,
            api_token=api_token,
            due_at=now + dt.timedelta(days=category.due_days),
        )
        ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.CREATED, status=Status.RECEIVED, actor=user
        )
        for upload, result in zip([p for p in photos if p], checked, strict=True):
            _store_photo(actor=actor, report=report, upload=upload, checked=result)
        audit_record(
            actor=actor,
            verb="report.submitted",
            target=report,
            data={"category": category.code, "source": source, "photos": len(checked)},
        )
        transaction.on_commit(partial(_alert_subscribers, report.pk))
        if user is None and report.reporter_email:
            from .tasks import send_report_email

            transaction.on_commit(
                partial(
                    send_report_email.enqueue,
                    report.reporter_email,
                    _("Your report #%(number)d has been received") % {"number": report.pk},
                    _("You will get an e-mail when its status changes."),
                    reverse("reports:detail", args=[report.pk]),
                )
            )
    return report


def _alert_subscribers(report_id: int) -> None:
    from .tasks import send_area_alerts

    send_area_alerts.enqueue(report_id)


# --- supporting ----------------------------------------------------------------------------


def report_support(*, actor: Any, report: Report, email: str = "") -> Report:
    """Add ``actor`` (or, anonymously, ``email``) as a supporter of an open report and count
    them. Raises :class:`ReportRejected` when the report is closed or hidden, when an
    anonymous supporter gives no e-mail, or for a second support by the same person (the
    database refuses the duplicate)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    email = (email or "").strip().lower()
    closed = ReportRejected(_("This report is closed; make a new report instead."))
    if report.is_hidden or report.status not in OPEN_STATUSES:
        raise closed
    if user is None and not email:
        raise ReportRejected(_("Give your e-mail or log in to join this report."), field="email")
    if user is not None and report.reporter_id == user.pk:
        raise ReportRejected(_("You made this report yourself."))
    try:
        with transaction.atomic():
            Supporter.objects.create(report=report, user=user, email="" if user else email)
            # Counted only while the report is still open and visible (checked by the
            # database in the same statement, so a concurrent closure wins).
            counted = Report.objects.filter(
                pk=report.pk, status__in=OPEN_STATUSES, hidden_at__isnull=True
            ).update(support_count=F("support_count") + 1)
            if not counted:
                raise closed
            ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.SUPPORTED, actor=user)
            audit_record(actor=actor, verb="report.supported", target=report)
    except IntegrityError:
        raise ReportRejected(_("You already support this report.")) from None
    report.refresh_from_db(fields=["support_count"])
    return report


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
        from .tasks import send_report_email

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
                from .tasks import send_report_email

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


# --- area alerts ---------------------------------------------------------------------------


def area_alert_subscribe(
    *, actor: Any, neighbourhood: Any, email: str, category: Category | None = None
) -> AreaAlert:
    """Subscribe ``email`` to new reports in ``neighbourhood`` (optionally one category).
    Subscribing again is harmless; the address must confirm through the e-mailed link
    before alerts are sent."""
    email = (email or "").strip().lower()
    if not email:
        raise ReportRejected(_("Give your e-mail."), field="email")
    with transaction.atomic():
        alert, created = AreaAlert.objects.get_or_create(
            email=email,
            neighbourhood=neighbourhood,
            category=category,
            defaults={"municipality": neighbourhood.municipality},
        )
        if created:
            audit_record(actor=actor, verb="report_alert.subscribed", target=neighbourhood)
        if alert.confirmed_at is None:
            from .tasks import send_report_email

            url = reverse("reports:alert_confirm", args=[alert.token])
            transaction.on_commit(
                partial(
                    send_report_email.enqueue,
                    email,
                    _("Confirm alerts for %(area)s") % {"area": neighbourhood.name},
                    _("Open the link to start receiving new reports in this area."),
                    url,
                )
            )
    return alert


def area_alert_confirm(*, token: Any) -> AreaAlert | None:
    """Confirm a subscription by its token (``None`` for an unknown one)."""
    alert = AreaAlert.objects.filter(token=token).first()
    if alert and alert.confirmed_at is None:
        AreaAlert.objects.filter(pk=alert.pk).update(confirmed_at=timezone.now())
    return alert


def area_alert_unsubscribe(*, token: Any) -> bool:
    """Delete a subscription by its token; whether one was deleted."""
    deleted, _rows = AreaAlert.objects.filter(token=token).delete()
    return bool(deleted)


def alerts_for(*, report: Report) -> Iterable[AreaAlert]:
    """Confirmed subscriptions that a new ``report`` matches."""
    return AreaAlert.objects.filter(
        Q(category__isnull=True) | Q(category_id=report.category_id),
        neighbourhood_id=report.neighbourhood_id,
        confirmed_at__isnull=False,
    )


# --- personal data ----------------------------------------------------------------------------


def personal_data_of(user: Any) -> dict[str, Any]:
    """The "download my data" section: reports ``user`` made and supports, and area alerts
    sent to their e-mail address."""
    made = Report.objects.filter(reporter=user).select_related("category")
    supported = Supporter.objects.filter(user=user).select_related("report")
    return {
        "reports": [
            {
                "id": r.pk,
                "category": r.category.code,
                "description": r.description,
                "address": r.address,
                "lat": r.lat,
                "lon": r.lon,
                "email": r.reporter_email,
                "name": r.reporter_name,
                "show_name": r.show_name,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
            }
            for r in made
        ],
        "supported": [s.report_id for s in supported],
        "area_alerts": list(
            AreaAlert.objects.filter(email__iexact=user.email).values_list(
                "neighbourhood__slug", flat=True
            )
        ),
    }


def personal_data_erase(*, user: Any) -> int:
    """Before an account is deleted: remove the e-mail address and name from the reports the
    person made (the reports themselves stay, anonymous) and their area alerts. Returns how
    many reports were anonymised."""
    with transaction.atomic():
        count = Report.objects.filter(reporter=user).update(
            reporter_email="", reporter_name="", show_name=False
        )
        AreaAlert.objects.filter(email__iexact=user.email).delete()
    return count
