"""Pages of budget cycles: the public index and archive, a cycle's page and statistics; the
officers' cycle list, set-up forms, dashboard, categories, themes and phase moves (under
``/budget/staff/``, where a second factor is required)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import cache as pb_cache
from ..forms.cycles import CategoryForm, CycleForm, PhaseMoveForm, ThemeForm
from ..models.cycles import Category, Cycle, CycleStatus, Theme
from ..selectors import cycles as selectors
from ..selectors import ideas as idea_selectors
from ..services import cycles as services


def _municipality(request):
    municipality = getattr(request, "municipality", None)
    if not municipality:
        raise Http404
    return getattr(municipality, "_wrapped", municipality)


def _public_cycle(request, slug: str) -> Cycle:
    cycle = selectors.cycle_visible(
        municipality=_municipality(request), slug=slug, user=request.user
    )
    if cycle is None:
        raise Http404
    return cycle


def _advance(request) -> None:
    """Pages show the phase the dates say even without a scheduler: one query finds due
    cycles, only then does the (idempotent) advance run; and the check itself waits for
    the next phase date (see ``budgeting.cache.schedule_check``)."""
    pb_cache.schedule_check(
        municipality=_municipality(request), advance=services.cycle_advance_if_due
    )


# --- public ----------------------------------------------------------------------------


def index(request):
    _advance(request)
    municipality = _municipality(request)
    return render(
        request,
        "budgeting/cycles/index.html",
        {
            **selectors.cycles_public(municipality=municipality),
            "can_staff": request.user.has_perm("budgeting.view_staff_pages", municipality),
        },
    )


def cycle_detail(request, slug: str):
    _advance(request)
    cycle = _public_cycle(request, slug)
    # The timeline, money, ideas and categories are the same for everyone: read and
    # rendered only when the cached fragment is missing.
    categories = pb_cache.lazy(lambda: selectors.cycle_categories(cycle))
    return render(
        request,
        "budgeting/cycles/detail.html",
        {
            "cycle": cycle,
            "categories": categories,
            "money": pb_cache.lazy(lambda: selectors.cycle_money(cycle, categories())),
            "timeline": pb_cache.lazy(lambda: selectors.cycle_timeline(cycle)),
            "ideas": pb_cache.lazy(lambda: selectors.idea_counts(cycle)),
            "actions": selectors.visitor_actions(cycle),
            "moves": pb_cache.lazy(
                lambda: [c for c in selectors.cycle_phase_changes(cycle) if c.reason]
            ),
            "can_staff": request.user.has_perm("budgeting.view_staff_pages", cycle),
            "fragment_key": pb_cache.fragment_key("cycle", *_figures_version(cycle)),
            "fragment_seconds": pb_cache.FRAGMENT_SECONDS,
        },
    )


def statistics(request, slug: str):
    _advance(request)
    cycle = _public_cycle(request, slug)
    stats = SimpleLazyObject(
        lambda: selectors.cycle_statistics(
            cycle,
            labels_other_theme=_("Without a theme"),
            labels_other_place=_("Whole municipality or not placed"),
        )
    )
    return render(
        request,
        "budgeting/cycles/statistics.html",
        {
            "cycle": cycle,
            "stats": stats,  # read only when the cached figures are missing
            "actions": selectors.visitor_actions(cycle),
            "fragment_key": pb_cache.fragment_key("statistics", *_figures_version(cycle)),
            "fragment_seconds": pb_cache.FRAGMENT_SECONDS,
        },
    )


def _figures_version(cycle: Cycle) -> tuple:
    """What, besides the cache generation, tells whether a cycle's figures may have
    changed: ideas are numbered on submission without a signal and decided in review
    (their count and last change are read), ballots come in while voting (counted again
    each minute)."""
    version: tuple = (cycle.pk, cycle.status)
    if cycle.status in (CycleStatus.SUBMISSION, CycleStatus.REVIEW):
        version += (idea_selectors.ideas_fingerprint(cycle),)
    if cycle.status == CycleStatus.VOTING:
        version += (pb_cache.minute(),)
    return version


# --- staff -----------------------------------------------------------------------------


def _require_staff(request, obj) -> None:
    if not request.user.has_perm("budgeting.view_staff_pages", obj):
        raise PermissionDenied


def _staff_cycle(request, slug: str) -> Cycle:
    cycle = get_object_or_404(
        Cycle.objects.select_related("municipality"),
        municipality=_municipality(request),
        slug=slug,
    )
    _require_staff(request, cycle)
    return cycle


def _apply(form, call) -> bool:
    """Run the service ``call``; its refusals land on the form. True when it succeeded."""
    try:
        call()
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@login_required
def staff_cycles(request):
    municipality = _municipality(request)
    _require_staff(request, municipality)
    return render(
        request,
        "budgeting/cycles/staff/list.html",
        {"cycles": selectors.cycles_for_staff(municipality=municipality)},
    )


@login_required
def staff_cycle_new(request):
    municipality = _municipality(request)
    _require_staff(request, municipality)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = []
        if _apply(
            form,
            lambda: created.append(
                services.cycle_create(
                    actor=request.user, municipality=municipality, **form.service_fields()
                )
            ),
        ):
            messages.success(request, _("The cycle is set up. Now add its categories and themes."))
            return redirect("budgeting:staff_cycle", slug=created[0].slug)
    return render(
        request,
        "budgeting/cycles/staff/cycle_form.html",
        {"form": form, "cycle": None},
        status=400 if request.method == "POST" else 200,
    )


def _dashboard(cycle: Cycle, move_form) -> dict:
    categories = selectors.cycle_categories(cycle)
    return {
        "cycle": cycle,
        "categories": categories,
        "themes": selectors.cycle_themes(cycle),
        "money": selectors.cycle_money(cycle, categories),
        "timeline": selectors.cycle_timeline(cycle),
        "ideas": selectors.idea_counts(cycle),
        "changes": selectors.cycle_phase_changes(cycle),
        "move_form": move_form,
        "editable": services.categories_editable(cycle),
    }


@login_required
def staff_cycle(request, slug: str):
    cycle = _staff_cycle(request, slug)
    return render(
        request,
        "budgeting/cycles/staff/dashboard.html",
        _dashboard(cycle, PhaseMoveForm(cycle=cycle)),
    )


@login_required
def staff_cycle_edit(request, slug: str):
    cycle = _staff_cycle(request, slug)
    form = CycleForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if _apply(form, lambda: services.cycle_update(actor=request.user, cycle=cycle, **fields)):
            messages.success(request, _("The cycle is saved."))
            return redirect("budgeting:staff_cycle", slug=cycle.slug)
    return render(
        request,
        "budgeting/cycles/staff/cycle_form.html",
        {"form": form, "cycle": cycle},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def staff_phase_move(request, slug: str):
    cycle = _staff_cycle(request, slug)
    if request.method != "POST":
        return redirect("budgeting:staff_cycle", slug=slug)
    form = PhaseMoveForm(request.POST, cycle=cycle)
    if form.is_valid() and _apply(
        form,
        lambda: services.cycle_move(
            cycle,
            form.cleaned_data["to_status"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        ),
    ):
        messages.success(
            request,
            _("The cycle is now in the phase “%(phase)s”.") % {"phase": cycle.get_status_display()},
        )
        return redirect("budgeting:staff_cycle", slug=slug)
    return render(
        request, "budgeting/cycles/staff/dashboard.html", _dashboard(cycle, form), status=400
    )


@login_required
def staff_category(request, slug: str, pk: int | None = None):
    cycle = _staff_cycle(request, slug)
    category = get_object_or_404(Category, cycle=cycle, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, cycle=cycle, category=category)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if category is None:
            call = lambda: services.category_create(actor=request.user, cycle=cycle, **fields)  # noqa: E731
        else:
            call = lambda: services.category_update(  # noqa: E731
                actor=request.user, category=category, **fields
            )
        if _apply(form, call):
            messages.success(request, _("The category is saved."))
            return redirect(reverse("budgeting:staff_cycle", kwargs={"slug": slug}) + "#categories")
    return render(
        request,
        "budgeting/cycles/staff/category_form.html",
        {
            "form": form,
            "cycle": cycle,
            "category": category,
            "editable": services.categories_editable(cycle),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def staff_category_delete(request, slug: str, pk: int):
    cycle = _staff_cycle(request, slug)
    category = get_object_or_404(Category, cycle=cycle, pk=pk)
    try:
        services.category_delete(actor=request.user, category=category)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The category is removed."))
    return redirect(reverse("budgeting:staff_cycle", kwargs={"slug": slug}) + "#categories")


@login_required
def staff_theme(request, slug: str, pk: int | None = None):
    cycle = _staff_cycle(request, slug)
    theme = get_object_or_404(Theme, cycle=cycle, pk=pk) if pk else None
    form = ThemeForm(request.POST or None, cycle=cycle, theme=theme)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if theme is None:
            call = lambda: services.theme_create(actor=request.user, cycle=cycle, **fields)  # noqa: E731
        else:
            call = lambda: services.theme_update(actor=request.user, theme=theme, **fields)  # noqa: E731
        if _apply(form, call):
            messages.success(request, _("The theme is saved."))
            return redirect(reverse("budgeting:staff_cycle", kwargs={"slug": slug}) + "#themes")
    return render(
        request,
        "budgeting/cycles/staff/theme_form.html",
        {"form": form, "cycle": cycle, "theme": theme},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def staff_theme_delete(request, slug: str, pk: int):
    cycle = _staff_cycle(request, slug)
    theme = get_object_or_404(Theme, cycle=cycle, pk=pk)
    services.theme_delete(actor=request.user, theme=theme)
    messages.success(request, _("The theme is removed."))
    return redirect(reverse("budgeting:staff_cycle", kwargs={"slug": slug}) + "#themes")
