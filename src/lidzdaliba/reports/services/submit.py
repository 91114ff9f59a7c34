"""Submitting a report and supporting an existing one."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lidzdaliba.core.models import Attachment
from lidzdaliba.core.services import (
    AttachmentRejected,
    PlacementError,
    attachment_add,
    attachment_check,
    audit_record,
    neighbourhood_for_point,
)
from lidzdaliba.core.services.ratelimit import count_in_window
from lidzdaliba.reports.models import (
    OPEN_STATUSES,
    Category,
    CategoryQuestion,
    Department,
    Report,
    ReportEvent,
    RoutingRule,
    Status,
    Supporter,
)

from .common import (
    MAX_DESCRIPTION,
    MAX_PHOTOS,
    ReportRejected,
)

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
    if count_in_window(key, seconds=3600) > limit:
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
            from lidzdaliba.reports.tasks import send_report_email

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
    from lidzdaliba.reports.tasks import send_area_alerts

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
