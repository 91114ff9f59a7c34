"""Report pages: reporting, the public list/map/detail, statistics, alerts, the follow-up
answer, and the officers' queue and handling. Thin: rules live in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lidzdaliba.accounts import roles
from lidzdaliba.core.services import attachments_of

from . import gazetteer, selectors, services
from .forms import (
    AlertForm,
    AssignForm,
    FilterForm,
    HideForm,
    MergeForm,
    NoteForm,
    ReportForm,
    SupportForm,
    TransitionForm,
)
from .models import Category, Department, Report, ResponseTemplate, Status

PAGE_SIZE = 25


def _municipality(request):
    municipality = request.municipality
    if not municipality:
        raise Http404
    return municipality


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _text_param(request, name: str) -> str:
    """A query parameter as plain text (NUL characters, which PostgreSQL refuses, removed)."""
    return request.GET.get(name, "").replace("\x00", "")[:100]


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _visible_report(request, pk: int) -> Report:
    municipality = _municipality(request)
    report = get_object_or_404(
        Report.objects.select_related(
            "category", "neighbourhood", "department", "assignee", "duplicate_of"
        ),
        pk=pk,
        municipality=municipality,
    )
    if report.is_hidden and not (
        request.user.has_perm("reports.view_internal", report)
        or request.user.has_perm("reports.hide_report", report)
    ):
        raise Http404
    return report


# --- public --------------------------------------------------------------------------------


@require_GET
def report_list(request):
    municipality = _municipality(request)
    form = FilterForm(request.GET or None, municipality=municipality)
    qs = selectors.reports_filter(
        selectors.reports_public(municipality=municipality, with_department=False),
        **form.filters(),
    ).defer("description", "answers", "public_reply", "address", "hidden_reason")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(Status.choices)
    for report in page:
        report.status_label = labels[report.status]
    query = _query_without_page(request)
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "detail_base": reverse("reports:detail", args=[0])[:-2],
            "map_url": reverse("reports:map_data") + ("?" + query if query else ""),
        },
    )


@require_GET
def map_data(request):
    """GeoJSON points of the filtered reports for the clustered map (one query)."""
    municipality = _municipality(request)
    form = FilterForm(request.GET or None, municipality=municipality)
    qs = selectors.reports_filter(
        selectors.reports_public(municipality=municipality), **form.filters()
    )
    base = reverse("reports:detail", args=[0])[:-2]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": f"#{pk} {name}", "url": f"{base}{pk}/", "status": status},
        }
        for pk, lat, lon, name, status in qs.values_list(
            "pk", "lat", "lon", "category__name", "status"
        )[:5000]
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_GET
def report_detail(request, pk: int):
    report = _visible_report(request, pk)
    can_handle = request.user.has_perm("reports.handle_report", report)
    context = {
        "report": report,
        "timeline": selectors.report_timeline(report=report, internal=can_handle),
        "photos": attachments_of(target=report),
        "support_form": SupportForm(),
        "can_handle": can_handle,
        "can_hide": request.user.has_perm("reports.hide_report", report),
        "map_features": _point_features([report]),
        "answers": _answers(report),
    }
    if can_handle:
        context.update(_handling_context(request, report))
    return render(request, "reports/report_detail.html", context)


def _answers(report):
    rows = []
    for question in report.category.questions.all():
        value = report.answers.get(question.code)
        if value in (None, "", []):
            continue
        names = {str(v.get("key")): v.get("name", v.get("key")) for v in question.values or []}
        values = value if isinstance(value, list) else [value]
        rows.append((question.label, ", ".join(str(names.get(v, v)) for v in values)))
    return rows


def _point_features(reports):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
                "properties": {"name": f"#{r.pk} {r.category.name}"},
            }
            for r in reports
        ],
    }


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


def _handling_context(request, report, **forms):
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


def report_create(request):
    municipality = _municipality(request)
    nearby = []
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, municipality=municipality, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            lat, lon = data.get("lat"), data.get("lon")
            if lat is None:
                point = gazetteer.locate(municipality.slug, data["address"])
                if point is None:
                    form.add_error(
                        "address",
                        _("We could not find this address. Put a pin on the map instead."),
                    )
                else:
                    lat, lon = point
            if lat is not None and not data.get("confirm_new"):
                nearby = selectors.reports_nearby(category=data["category"], lat=lat, lon=lon)
            if not form.errors and not nearby:
                try:
                    report = services.report_submit(
                        actor=request.user,
                        municipality=municipality,
                        category=data["category"],
                        lat=lat,
                        lon=lon,
                        address=data.get("address", ""),
                        description=data["description"],
                        answers=form.answers(),
                        photos=data.get("photos") or [],
                        email=data.get("email", ""),
                        name=data.get("name", ""),
                        show_name=data.get("show_name", False),
                        client_ip=_client_ip(request),
                    )
                except services.ReportRejected as exc:
                    field = exc.field if exc.field in form.fields else None
                    form.add_error(field, exc.message)
                else:
                    messages.success(
                        request,
                        _("Thank you! Your report #%(number)d has been received.")
                        % {"number": report.pk},
                    )
                    return redirect("reports:detail", report.pk)
            if nearby:
                form.data = form.data.copy()
                form.data["confirm_new"] = "on"
                form.data["lat"], form.data["lon"] = f"{lat:.6f}", f"{lon:.6f}"
    else:
        form = ReportForm(
            municipality=municipality,
            user=request.user,
            initial={"category": request.GET.get("category")},
        )
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "nearby": nearby,
            "support_form": SupportForm(),
            "streets": sorted(gazetteer.STREETS.get(municipality.slug, {})),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
def report_nearby(request):
    """The "is it one of these?" fragment for the reporting form (htmx or fetch)."""
    municipality = _municipality(request)
    category = Category.objects.filter(
        municipality=municipality, code=_text_param(request, "category")
    ).first()
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest(_("Give the category and the place."))
    nearby = selectors.reports_nearby(category=category, lat=lat, lon=lon) if category else []
    return render(
        request,
        "reports/_nearby.html",
        {"nearby": nearby, "support_form": SupportForm(), "fragment": True},
    )


@require_POST
def report_support(request, pk: int):
    report = _visible_report(request, pk)
    form = SupportForm(request.POST)
    if form.is_valid():
        try:
            services.report_support(
                actor=request.user, report=report, email=form.cleaned_data.get("email", "")
            )
        except services.ReportRejected as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Thank you! You now follow and support report #%(number)d.")
                % {"number": report.pk},
            )
    else:
        messages.error(request, _("Give a valid e-mail address."))
    return redirect("reports:detail", report.pk)


@require_GET
def statistics(request):
    municipality = _municipality(request)
    stats = selectors.report_statistics(municipality=municipality)
    tables = [
        (_("By category"), stats["by_category"]),
        (_("By department"), stats["by_department"]),
        (_("By neighbourhood"), stats["by_neighbourhood"]),
    ]
    return render(request, "reports/statistics.html", {"stats": stats, "tables": tables})


def followup(request, pk: int, token: str):
    report = services.report_for_followup_token(token)
    if report is None or report.pk != pk:
        raise Http404
    if request.method == "POST":
        answer = request.POST.get("fixed")
        if answer not in ("yes", "no"):
            return HttpResponseBadRequest()
        try:
            services.report_followup_answer(
                report=report, fixed=answer == "yes", actor=request.user
            )
        except services.ReportRejected as exc:
            messages.error(request, exc.message)
        else:
            if answer == "yes":
                messages.success(request, _("Thank you for confirming!"))
            else:
                messages.success(
                    request, _("Thank you. The report has been reopened and will be looked at.")
                )
        return redirect("reports:detail", report.pk)
    return render(request, "reports/followup.html", {"report": report})


def alert_subscribe(request):
    municipality = _municipality(request)
    form = AlertForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        neighbourhood = municipality.neighbourhoods.get(slug=form.cleaned_data["neighbourhood"])
        category = Category.objects.filter(
            municipality=municipality, code=form.cleaned_data.get("category") or ""
        ).first()
        services.area_alert_subscribe(
            actor=request.user,
            neighbourhood=neighbourhood,
            category=category,
            email=form.cleaned_data["email"],
        )
        messages.success(request, _("Check your e-mail and open the link to confirm the alerts."))
        return redirect("reports:list")
    return render(request, "reports/alert_form.html", {"form": form})


def alert_confirm(request, token):
    if services.area_alert_confirm(token=token) is None:
        raise Http404
    messages.success(request, _("Your alerts are on."))
    return redirect("reports:list")


def alert_unsubscribe(request, token):
    if request.method == "POST":
        services.area_alert_unsubscribe(token=token)
        messages.success(request, _("You will get no more alerts."))
        return redirect("reports:list")
    return render(request, "reports/alert_unsubscribe.html", {"token": token})


# --- officers ------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request):
    municipality = _municipality(request)
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
            "query": _query_without_page(request),
        },
    )


def _handle(request, pk, action):
    report = _visible_report(request, pk)
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
