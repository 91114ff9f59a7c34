import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lidzdaliba.accounts import forms, gdpr, selectors, services
from lidzdaliba.accounts.models import CensusImport, Residency
from lidzdaliba.core.services import audit_record


def _municipality(request):
    """The request's municipality as a model instance (``None`` when there is none)."""
    municipality = getattr(request, "municipality", None)
    if not municipality:
        return None
    return getattr(municipality, "_wrapped", municipality)


@login_required
def profile(request):
    municipality = _municipality(request)
    context = selectors.profile_summary(user=request.user, municipality=municipality)
    context["can_view_staff_pages"] = request.user.has_perm("accounts.view_census", municipality)
    return render(request, "accounts/profile.html", context)


@login_required
def profile_edit(request):
    municipality = _municipality(request) or request.user.municipality
    form = forms.ProfileForm(request.POST or None, instance=request.user, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        user = request.user.__class__.objects.get(pk=request.user.pk)
        try:
            services.profile_update(
                actor=request.user,
                user=user,
                full_name=form.cleaned_data["full_name"],
                preferred_language=form.cleaned_data["preferred_language"],
                neighbourhood=form.cleaned_data["neighbourhood"],
            )
        except services.AccountsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def verify(request):
    municipality = _municipality(request)
    form = forms.VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            residency = services.residency_verify_code(
                user=request.user,
                municipality=municipality,
                code=form.cleaned_data["personal_code"],
            )
        except services.AccountsError as exc:
            form.add_error("personal_code", exc.message)
        else:
            if residency.is_adult_16:
                messages.success(request, _("Your residence is verified."))
            else:
                messages.success(
                    request,
                    _(
                        "Your residence is verified. Voting and submitting ideas open to you "
                        "when you turn 16."
                    ),
                )
            return redirect("accounts:profile")
    context = selectors.profile_summary(user=request.user, municipality=municipality)
    context.update(
        form=form,
        attempts_left=services.verification_attempts_left(user=request.user),
    )
    return render(request, "accounts/verify.html", context)


@login_required
def data_export(request):
    data = gdpr.collect(request.user)
    audit_record(actor=request.user, verb="account.data_exported", target=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="lidzdaliba-my-data-{stamp}.json"'
    return response


@login_required
def delete_account(request):
    form = forms.DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data.get("password", ""),
                confirm_email=form.cleaned_data.get("confirm_email", ""),
            )
        except services.AccountsError as exc:
            form.add_error(None, exc.message)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("core:home")
    return render(request, "accounts/delete_account.html", {"form": form})


# Staff pages (under /accounts/staff/, so the second-factor middleware covers them).


def _staff_municipality(request, perm):
    municipality = _municipality(request)
    if municipality is None or not request.user.has_perm(perm, municipality):
        raise PermissionDenied
    return municipality


@login_required
def census(request):
    municipality = _staff_municipality(request, "accounts.view_census")
    form = forms.CensusUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            census_import = services.census_import_start(
                actor=request.user,
                municipality=municipality,
                file_name=upload.name,
                content=upload.read(),
            )
        except services.CensusImportRefused as exc:
            form.add_error("file", exc.message)
            errors = exc.errors
        except services.AccountsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The file was accepted; the import is running."))
            return redirect("accounts:census_import", pk=census_import.pk)
    return render(
        request,
        "accounts/staff/census.html",
        {
            "form": form,
            "errors": errors,
            "imports": selectors.census_imports(municipality=municipality)[:20],
            "census_size": selectors.census_size(municipality=municipality),
        },
    )


@login_required
def census_import(request, pk):
    municipality = _staff_municipality(request, "accounts.view_census")
    census_import = get_object_or_404(selectors.census_imports(municipality=municipality), pk=pk)
    finished = census_import.status in {
        CensusImport.Status.SUCCEEDED,
        CensusImport.Status.FAILED,
    }
    template = "accounts/staff/census_import.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, {"census_import": census_import, "finished": finished})


@login_required
def residencies(request):
    municipality = _staff_municipality(request, "accounts.revoke_residency")
    query = request.GET.get("q", "").strip()
    rows = selectors.residencies_for_staff(municipality=municipality, query=query)[:200]
    revoke_all_form = forms.RevokeAllForm()
    return render(
        request,
        "accounts/staff/residencies.html",
        {
            "residencies": rows,
            "query": query,
            "revoke_form": forms.RevokeForm(),
            "revoke_all_form": revoke_all_form,
            "now": timezone.now(),
        },
    )


@require_POST
@login_required
def residency_revoke(request, pk):
    municipality = _staff_municipality(request, "accounts.revoke_residency")
    residency = get_object_or_404(Residency, pk=pk, municipality=municipality)
    form = forms.RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking."))
        return redirect("accounts:residencies")
    try:
        services.residency_revoke(
            actor=request.user, residency=residency, reason=form.cleaned_data["reason"]
        )
    except services.AccountsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The residency of %(user)s has been revoked.") % {"user": residency.user},
        )
    return redirect("accounts:residencies")


@require_POST
@login_required
def residencies_revoke_all(request):
    municipality = _staff_municipality(request, "accounts.revoke_residency")
    form = forms.RevokeAllForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Confirm and give the reason to revoke every residency."))
        return redirect("accounts:residencies")
    try:
        count = services.residencies_revoke_all(
            actor=request.user, municipality=municipality, reason=form.cleaned_data["reason"]
        )
    except services.AccountsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d residency has been revoked.",
                "%(count)d residencies have been revoked.",
                count,
            )
            % {"count": count},
        )
    return redirect("accounts:residencies")
