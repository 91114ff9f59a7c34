from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lidzdaliba.accounts.models import Organisation

from . import cache as directory_cache
from . import forms, selectors, services
from .models import ChangeRequest, OutdatedReport, Provider, Service


def _geojson(features: dict) -> str:
    return json.dumps(features, ensure_ascii=False)


def _municipality(request):
    municipality = request.municipality
    if not municipality:
        raise Http404
    return municipality


def directory(request):
    municipality = _municipality(request)
    form = forms.FilterForm(request.GET or None, municipality=municipality)
    filters = form.filters()
    results = _directory_results(request, municipality, filters)
    if request.htmx:
        return HttpResponse(results)
    context = {
        "form": form,
        "filters": filters,
        "results": results,
        "query": request.GET.urlencode(),
    }
    return render(request, "socialmap/directory.html", context)


def _directory_results(request, municipality, filters) -> str:
    """The rendered results section, cached per minute and filters (see ``cache``)."""
    key = directory_cache.results_key(municipality=municipality, filters=filters)
    html = cache.get(key)
    if html is None:
        found = selectors.services_search(municipality=municipality, filters=filters)
        context = {"services": found, "features_json": _geojson(selectors.map_features(found))}
        html = render_to_string("socialmap/directory.html#results", context, request=request)
        cache.set(key, html, directory_cache.RESULTS_SECONDS)
    return mark_safe(html)  # noqa: S308  (our own template's output)


def service_detail(request, pk):
    municipality = _municipality(request)
    try:
        service = selectors.service_for_page(municipality=municipality, pk=pk)
    except (Service.DoesNotExist, ValueError):
        raise Http404 from None
    return render(
        request,
        "socialmap/service_detail.html",
        {
            "service": service,
            "history": selectors.service_history(service=service),
            "features_json": _geojson(selectors.map_features([service])),
            "report_form": forms.OutdatedForm(),
            "can_edit": request.user.has_perm("socialmap.represent", service.provider.organisation)
            if service.provider.organisation
            else False,
        },
    )


REPORTS_PER_HOUR = 10


def _report_allowed(request) -> bool:
    """At most ``REPORTS_PER_HOUR`` reports of outdated information per address an hour
    (anyone may report, so this keeps the moderators' queue free of floods)."""
    from django.core.cache import cache

    key = f"socialmap:reports:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        return True
    return count <= REPORTS_PER_HOUR


@require_POST
def service_report(request, pk):
    municipality = _municipality(request)
    service = get_object_or_404(Service, pk=pk, municipality=municipality)
    form = forms.OutdatedForm(request.POST)
    if form.is_valid() and not _report_allowed(request):
        form.add_error(None, _("Too many reports from here in the last hour. Please try later."))
    elif form.is_valid():
        try:
            services.outdated_report(
                actor=request.user, service=service, message=form.cleaned_data["message"]
            )
        except services.SocialMapError as exc:
            form.add_error("message", exc.message)
        else:
            messages.success(request, _("Thank you. A moderator will check the information."))
            return redirect("socialmap:service", pk=service.pk)
    service = selectors.service_for_page(municipality=municipality, pk=pk)
    return render(
        request,
        "socialmap/service_detail.html",
        {
            "service": service,
            "history": selectors.service_history(service=service),
            "features_json": _geojson(selectors.map_features([service])),
            "report_form": form,
        },
        status=400,
    )


def provider_detail(request, pk):
    municipality = _municipality(request)
    provider = get_object_or_404(Provider, pk=pk, municipality=municipality)
    found = list(
        selectors.services_public(municipality=municipality)
        .filter(provider=provider)
        .order_by("name")
    )
    return render(
        request,
        "socialmap/provider_detail.html",
        {
            "provider": provider,
            "services": found,
            "features_json": _geojson(selectors.map_features(found)),
        },
    )


def _print_context(request):
    municipality = _municipality(request)
    need = request.GET.get("need", "")
    neighbourhood = request.GET.get("neighbourhood", "")
    form = forms.FilterForm(
        {"need": need, "neighbourhood": neighbourhood}, municipality=municipality
    )
    if not form.is_valid():
        need = neighbourhood = ""
    groups = selectors.directory_for_print(
        municipality=municipality, need=need, neighbourhood=neighbourhood
    )
    return {
        "groups": groups,
        "form": form,
        "large": request.GET.get("large") == "1",
        "printed_on": timezone.localdate(),
        "query": request.GET.urlencode(),
    }


def print_directory(request):
    return render(request, "socialmap/print.html", _print_context(request))


def print_text(request):
    response = render(
        request, "socialmap/print.txt", _print_context(request), content_type="text/plain"
    )
    response["Content-Type"] = "text/plain; charset=utf-8"
    return response


def print_pdf(request):
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    context = _print_context(request)
    context["pdf"] = True
    html = render_to_string("socialmap/print_pdf.html", context, request=request)
    stylesheet = finders.find("socialmap/print.css")

    def no_fetch(url, *args, **kwargs):  # the PDF uses no outside resource
        raise ValueError(f"refused to fetch {url}")

    pdf = HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=no_fetch
    ).write_pdf(stylesheets=[CSS(filename=stylesheet)])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="social-map.pdf"'
    return response


# --- organisations ---------------------------------------------------------------------------


@login_required
def manage(request):
    return render(
        request,
        "socialmap/manage.html",
        {"organisations": selectors.organisations_represented(user=request.user)},
    )


def _organisation_for(request, slug):
    organisation = get_object_or_404(Organisation, municipality=_municipality(request), slug=slug)
    if not request.user.has_perm("socialmap.represent", organisation):
        raise PermissionDenied
    return organisation


def _apply_errors(form, exc: services.EntryInvalid) -> None:
    for key, messages_ in exc.errors.items():
        field = key.rsplit("_", 1)[0] if key.rsplit("_", 1)[0] in form.fields else key
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@login_required
def provider_edit(request, slug):
    organisation = _organisation_for(request, slug)
    provider = Provider.objects.filter(organisation=organisation).first()
    values = (
        services.provider_values(provider)
        if provider
        else {
            "name_lv": organisation.name,
            "description_lv": organisation.description,
            "email": organisation.email,
            "phone": organisation.phone,
            "website": organisation.website,
            "registration_number": organisation.registration_number,
        }
    )
    form = forms.ProviderForm(request.POST or None, initial=forms.ProviderForm.initial_from(values))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_submit(
                actor=request.user,
                organisation=organisation,
                kind=ChangeRequest.Kind.PROVIDER,
                payload=form.payload(),
            )
        except services.EntryInvalid as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("Sent for review. It will be published when a moderator approves it.")
            )
            return redirect("socialmap:manage")
    return render(
        request,
        "socialmap/provider_form.html",
        {"form": form, "organisation": organisation, "provider": provider},
    )


@login_required
def service_edit(request, slug, pk=None):
    organisation = _organisation_for(request, slug)
    municipality = organisation.municipality
    provider = Provider.objects.filter(organisation=organisation).first()
    if provider is None:
        messages.error(request, _("Add your organisation to the social map first."))
        return redirect("socialmap:provider_edit", slug=slug)
    service = get_object_or_404(Service, pk=pk, provider=provider) if pk else None
    values = (
        services.service_values(service)
        if service
        else {"status": Service.Status.ACTIVE, "is_free": True, "postal_code": "LV-3401"}
    )
    form = forms.ServiceForm(
        request.POST or None,
        municipality=municipality,
        initial=forms.ServiceForm.initial_from(values),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_submit(
                actor=request.user,
                organisation=organisation,
                kind=ChangeRequest.Kind.SERVICE,
                payload=form.payload(),
                service=service,
            )
        except services.EntryInvalid as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("Sent for review. It will be published when a moderator approves it.")
            )
            return redirect("socialmap:manage")
    features = (
        selectors.map_features([service])
        if service
        else {"type": "FeatureCollection", "features": []}
    )
    return render(
        request,
        "socialmap/service_form.html",
        {
            "form": form,
            "organisation": organisation,
            "service": service,
            "features_json": _geojson(features),
        },
    )


@login_required
@require_POST
def service_confirm(request, pk):
    service = get_object_or_404(Service, pk=pk, municipality=_municipality(request))
    services.service_confirm(actor=request.user, service=service)
    messages.success(request, _("Thank you: the entry is marked as checked today."))
    return redirect("socialmap:manage")


# --- moderation -------------------------------------------------------------------------------


def _moderator(request):
    municipality = _municipality(request)
    if not request.user.has_perm("socialmap.moderate", municipality):
        raise PermissionDenied
    return municipality


@login_required
def moderation(request):
    municipality = _moderator(request)
    return render(
        request,
        "socialmap/moderation.html",
        {
            "changes": selectors.changes_pending(municipality=municipality),
            "reports": selectors.reports_open(municipality=municipality),
            "duplicates": selectors.provider_duplicate_candidates(municipality=municipality),
            "reject_form": forms.RejectForm(),
            "merge_form": forms.MergeForm(),
        },
    )


@login_required
@require_POST
def change_decide(request, pk):
    municipality = _moderator(request)
    change = get_object_or_404(ChangeRequest, pk=pk, municipality=municipality)
    try:
        if request.POST.get("decision") == "approve":
            services.change_approve(actor=request.user, change=change)
            messages.success(request, _("Approved and published."))
        else:
            form = forms.RejectForm(request.POST)
            reason = form.data.get("reason", "")
            services.change_reject(actor=request.user, change=change, reason=reason)
            messages.success(request, _("Refused; the organisation will see the reason."))
    except services.EntryInvalid as exc:
        messages.error(
            request, _("The change cannot be published: %(errors)s") % {"errors": exc.message}
        )
    except services.SocialMapError as exc:
        messages.error(request, exc.message)
    return redirect("socialmap:moderation")


@login_required
@require_POST
def report_resolve(request, pk):
    municipality = _moderator(request)
    report = get_object_or_404(OutdatedReport, pk=pk, service__municipality=municipality)
    services.outdated_resolve(actor=request.user, report=report)
    messages.success(request, _("Marked as dealt with."))
    return redirect("socialmap:moderation")


@login_required
@require_POST
def provider_merge(request):
    municipality = _moderator(request)
    form = forms.MergeForm(request.POST)
    if form.is_valid():
        keep = get_object_or_404(Provider, pk=form.cleaned_data["keep"], municipality=municipality)
        duplicate = get_object_or_404(
            Provider, pk=form.cleaned_data["duplicate"], municipality=municipality
        )
        try:
            services.provider_merge(actor=request.user, keep=keep, duplicate=duplicate)
        except services.SocialMapError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Merged."))
    else:
        messages.error(request, _("Give the HSDS ids of two organisations."))
    return redirect("socialmap:moderation")


@login_required
def hsds_import(request):
    municipality = _moderator(request)
    from . import importing

    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            data = importing.read_upload(raw)
        except ValueError:
            form.add_error(
                "file", _("This is neither an HSDS JSON file nor an HSDS datapackage zip.")
            )
        else:
            report = importing.hsds_import(actor=request.user, municipality=municipality, data=data)
    return render(request, "socialmap/import.html", {"form": form, "report": report})
