"""Report pages: reporting, the public list/map/detail, statistics, alerts, the follow-up
answer, and the officers' queue and handling. Thin: rules live in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lidzdaliba.core.services import attachments_of

from . import gazetteer, selectors, services
from .forms import (
    AlertForm,
    FilterForm,
    ReportForm,
    SupportForm,
)
from .models import Category, Report, Status

PAGE_SIZE = 25


def municipality_or_404(request):
    municipality = request.municipality
    if not municipality:
        raise Http404
    return municipality


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _text_param(request, name: str) -> str:
    """A query parameter as plain text (NUL characters, which PostgreSQL refuses, removed)."""
    return request.GET.get(name, "").replace("\x00", "")[:100]


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def visible_report_or_404(request, pk: int) -> Report:
    municipality = municipality_or_404(request)
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
    municipality = municipality_or_404(request)
    form = FilterForm(request.GET or None, municipality=municipality)
    qs = selectors.reports_filter(
        selectors.reports_public(municipality=municipality, with_department=False),
        **form.filters(),
    ).defer("description", "answers", "public_reply", "address", "hidden_reason")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(Status.choices)
    for report in page:
        report.status_label = labels[report.status]
    query = query_without_page(request)
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
    municipality = municipality_or_404(request)
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
    report = visible_report_or_404(request, pk)
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
        from .views_officers import handling_context

        context.update(handling_context(request, report))
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


def report_create(request):
    municipality = municipality_or_404(request)
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
    municipality = municipality_or_404(request)
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
    report = visible_report_or_404(request, pk)
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
    municipality = municipality_or_404(request)
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
    municipality = municipality_or_404(request)
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
