"""Officers' pages: the queue per department (and overdue), and the handling actions on a
report's page. Thin: the rules live in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lidzdaliba.accounts import roles

from . import selectors, services
from .forms import (
    AssignForm,
    HideForm,
    MergeForm,
    NoteForm,
    TransitionForm,
)
from .models import Department, Report, ResponseTemplate, Status
from .views import PAGE_SIZE, municipality_or_404, query_without_page, visible_report_or_404


def _officers(municipality):
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            municipality=municipality,
            groups__name=roles.officer_group("reports"),
        )
        .order_by("full_name")
    )


def handling_context(request, report, **forms):
    municipality = report.municipality
    allowed = sorted(services.TRANSITIONS.get(Status(report.status), set()), key=list(Status).index)
    return {
        "transition_form": forms.get("transition_form") or TransitionForm(allowed=allowed),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            municipality=municipality,
            officers=_officers(municipality),
            initial={"department": report.department_id, "assignee": report.assignee_id},
        ),
        "note_form": forms.get("note_form") or NoteForm(),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "hide_form": forms.get("hide_form") or HideForm(),
        "templates": ResponseTemplate.objects.filter(municipality=municipality),
        "nearby": selectors.reports_nearby(
            category=report.category, lat=report.lat, lon=report.lon, exclude=report.pk
        ),
    }


# --- officers ------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request):
    municipality = municipality_or_404(request)
    if not request.user.has_perm("reports.handle_report", municipality):
        raise PermissionDenied
    departments = list(Department.objects.filter(municipality=municipality))
    department = next((d for d in departments if d.slug == request.GET.get("department")), None)
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.reports_queue(municipality=municipality, department=department, overdue=overdue)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/queue.html",
        {
            "page": page,
            "departments": departments,
            "department": department,
            "overdue": overdue,
            "now": timezone.now(),
            "query": query_without_page(request),
        },
    )


def _handle(request, pk, action):
    report = visible_report_or_404(request, pk)
    if not request.user.has_perm("reports.handle_report", report) and not (
        action == "hide" and request.user.has_perm("reports.hide_report", report)
    ):
        raise PermissionDenied
    try:
        if action == "transition":
            form = TransitionForm(request.POST, allowed=list(Status))
            if form.is_valid():
                services.report_transition(
                    actor=request.user,
                    report=report,
                    to=form.cleaned_data["status"],
                    reply=form.cleaned_data["reply"],
                )
                messages.success(request, _("The status has been changed."))
        elif action == "assign":
            form = AssignForm(
                request.POST,
                municipality=report.municipality,
                officers=_officers(report.municipality),
            )
            if form.is_valid():
                services.report_assign(
                    actor=request.user,
                    report=report,
                    department=form.cleaned_data["department"],
                    assignee=form.cleaned_data["assignee"],
                )
                messages.success(request, _("The report has been assigned."))
        elif action == "note":
            form = NoteForm(request.POST)
            if form.is_valid():
                services.report_note_add(
                    actor=request.user, report=report, text=form.cleaned_data["note"]
                )
                messages.success(request, _("The note has been added."))
        elif action == "merge":
            form = MergeForm(request.POST)
            if form.is_valid():
                into = Report.objects.filter(
                    pk=form.cleaned_data["into"], municipality=report.municipality
                ).first()
                if into is None:
                    raise services.ReportRejected(_("There is no report with this number."))
                services.report_merge(actor=request.user, report=report, into=into)
                messages.success(
                    request, _("Merged into report #%(number)d.") % {"number": into.pk}
                )
        elif action == "hide":
            form = HideForm(request.POST)
            if form.is_valid():
                services.report_hide(
                    actor=request.user, report=report, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The report is hidden from the public."))
        else:
            raise Http404
        if not form.is_valid():
            errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
            messages.error(request, errors)
    except services.ReportRejected as exc:
        messages.error(request, exc.message)
    return redirect("reports:detail", report.pk)


@login_required
@require_POST
def handle(request, pk: int, action: str):
    return _handle(request, pk, action)
