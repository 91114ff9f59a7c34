"""Staff pages of the core: the audit log (administrators) and the moderation queue
(moderators). Their paths contain ``/staff/``, where a second factor is required."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from lidzdaliba.core.forms import AuditFilterForm
from lidzdaliba.core.models import AuditEvent
from lidzdaliba.core.services.comments import comments_for_moderation

AUDIT_PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 25
AUDITED_APPS = ("core", "accounts", "auth")


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def audit_events_visible(*, user):
    """Municipal administrators see their municipality's events and those of no
    municipality; superusers see all."""
    events = AuditEvent.objects.all()
    if not user.is_superuser:
        events = events.filter(
            Q(municipality_id=user.municipality_id) | Q(municipality__isnull=True)
        )
    return events


def audit_events_filtered(*, user, data) -> tuple[AuditFilterForm, object]:
    """The filter form and the matching visible events, newest first."""
    types = ContentType.objects.exclude(app_label__in=("sessions", "admin", "contenttypes"))
    form = AuditFilterForm(
        data or None,
        target_types=[
            (str(ct.pk), f"{ct.app_label} · {ct.name}")
            for ct in types.order_by("app_label", "model")
        ],
    )
    events = audit_events_visible(user=user).select_related("target_type")
    events = events.order_by("-created_at", "-id")
    if form.is_valid():
        filters = form.cleaned_data
        if filters.get("verb"):
            events = events.filter(verb__startswith=filters["verb"].strip())
        if filters.get("actor"):
            events = events.filter(actor_label__icontains=filters["actor"].strip())
        if filters.get("target_type"):
            events = events.filter(target_type_id=filters["target_type"])
        if filters.get("date_from"):
            events = events.filter(created_at__date__gte=filters["date_from"])
        if filters.get("date_to"):
            events = events.filter(created_at__date__lte=filters["date_to"])
    elif data:
        events = events.none()
    return form, events


@login_required
def audit_log(request):
    _require(request, "core.view_audit_log")
    form, events = audit_events_filtered(
        user=request.user, data=request.GET.copy() if request.GET else None
    )
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    verbs = (
        audit_events_visible(user=request.user)
        .order_by("verb")
        .values_list("verb", flat=True)
        .distinct()
    )
    return render(
        request,
        "core/staff/audit_log.html",
        {
            "form": form,
            "page": page,
            "verbs": list(verbs[:500]),
            "querystring": _querystring_without_page(request),
        },
    )


@login_required
def moderation_queue(request):
    _require(request, "core.view_moderation_queue")
    municipality = None if request.user.is_superuser else request.user.municipality
    comments = comments_for_moderation(municipality=municipality).prefetch_related("content_object")
    page = Paginator(comments, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/staff/moderation.html",
        {
            "page": page,
            "next": request.get_full_path(),
            "querystring": _querystring_without_page(request),
        },
    )
