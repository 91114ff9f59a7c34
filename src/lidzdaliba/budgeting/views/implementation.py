"""Pages about funded projects: the public list with status and progress, the maintenance
cost report, and the officers' update pages (under ``/budget/staff/``, where a second
factor is required)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .. import cache as pb_cache
from ..forms.implementation import SERVICE_FIELDS, ImplementationForm, MaintenanceForm
from ..models import ImplementationStatus
from ..selectors import implementation as selectors
from ..services import implementation as services


def _municipality(request):
    municipality = getattr(request, "municipality", None)
    if not municipality:
        raise Http404
    return getattr(municipality, "_wrapped", municipality)


def _cycle(request, slug: str):
    cycle = selectors.cycle_of(municipality=_municipality(request), slug=slug)
    if cycle is None:
        raise Http404
    return cycle


def _staff_cycle(request, slug: str):
    cycle = _cycle(request, slug)
    if not request.user.has_perm("budgeting.manage_implementation", cycle):
        raise PermissionDenied
    return cycle


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = SERVICE_FIELDS.get(field, field)
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- public ----------------------------------------------------------------------------


def projects(request, slug: str):
    cycle = _cycle(request, slug)
    status = request.GET.get("status", "")
    if status not in ImplementationStatus.values:
        status = ""
    # The same for everyone: read and rendered only when the cached fragment is missing.
    overview = SimpleLazyObject(lambda: selectors.projects_overview(cycle=cycle, status=status))
    return render(
        request,
        "budgeting/implementation/list.html",
        {
            "cycle": cycle,
            "overview": overview,
            "can_manage": request.user.has_perm("budgeting.manage_implementation", cycle),
            "fragment_key": pb_cache.fragment_key("projects", cycle.pk, cycle.status, status),
            "fragment_seconds": pb_cache.FRAGMENT_SECONDS,
        },
    )


def maintenance(request, slug: str):
    cycle = _cycle(request, slug)
    return render(
        request,
        "budgeting/implementation/maintenance.html",
        {
            "cycle": cycle,
            # The same for everyone: read and rendered only when the cached table is missing.
            "report": SimpleLazyObject(
                lambda: selectors.maintenance_report(municipality=cycle.municipality)
            ),
            "fragment_key": pb_cache.fragment_key("maintenance", cycle.municipality_id),
            "fragment_seconds": pb_cache.FRAGMENT_SECONDS,
        },
    )


# --- staff -----------------------------------------------------------------------------


@login_required
def staff_projects(request, slug: str):
    cycle = _staff_cycle(request, slug)
    return render(
        request,
        "budgeting/implementation/staff/list.html",
        {"cycle": cycle, "projects": selectors.staff_implementations(cycle=cycle)},
    )


@login_required
def staff_project(request, slug: str, pk: int):
    cycle = _staff_cycle(request, slug)
    implementation = selectors.staff_implementation(cycle=cycle, idea_pk=pk)
    if implementation is None:
        raise Http404
    idea = implementation.idea
    form = ImplementationForm(initial=ImplementationForm.initial_for(implementation))
    maintenance_form = MaintenanceForm(prefix="maintenance")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "maintenance":
            maintenance_form = MaintenanceForm(request.POST, prefix="maintenance")
            if maintenance_form.is_valid():
                data = maintenance_form.cleaned_data
                try:
                    services.maintenance_cost_record(
                        actor=request.user,
                        idea=idea,
                        year=data["year"],
                        amount_cents=data["amount"],
                        note=data["note"],
                    )
                except ValidationError as exc:
                    _errors_to_form(maintenance_form, exc)
                else:
                    messages.success(request, _("The maintenance cost is recorded."))
                    return redirect("budgeting:staff_project", slug=cycle.slug, pk=idea.pk)
        else:
            form = ImplementationForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    services.implementation_update(
                        actor=request.user,
                        implementation=implementation,
                        **form.service_arguments(),
                    )
                except ValidationError as exc:
                    _errors_to_form(form, exc)
                else:
                    messages.success(
                        request,
                        _("The update is published; followers and voters are notified."),
                    )
                    return redirect("budgeting:staff_project", slug=cycle.slug, pk=idea.pk)
        status = 400
    return render(
        request,
        "budgeting/implementation/staff/project.html",
        {
            "cycle": cycle,
            "idea": idea,
            "implementation": implementation,
            "form": form,
            "maintenance_form": maintenance_form,
            "updates": selectors.updates_with_photos(implementation=implementation),
            "maintenance": selectors.maintenance_of(idea_pk=idea.pk),
            "statuses": ImplementationStatus,
        },
        status=status,
    )
