"""Pages of collective submissions: public list, detail and statistics; drafting and
signing for residents; moderation, answering and the signer-list export for staff (under
``/staff/``, where a second factor is required)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AnswerForm, PublishForm, RefuseForm, SignForm, SubmissionForm
from .models import PUBLIC_STATUSES, CollectiveSubmission, Status

PAGE_SIZE = 20


def _municipality(request):
    municipality = getattr(request, "municipality", None)
    if not municipality:
        raise Http404
    return getattr(municipality, "_wrapped", municipality)


def _visible(request, pk: int) -> CollectiveSubmission:
    submission = selectors.submission_visible(
        user=request.user, pk=pk, municipality=_municipality(request)
    )
    if submission is None:
        raise Http404
    return submission


def _staff_submission(request, pk: int, perm: str) -> CollectiveSubmission:
    submission = _visible(request, pk)
    if not request.user.has_perm(perm, submission):
        raise PermissionDenied
    return submission


# --- public ----------------------------------------------------------------------------


def submission_list(request):
    municipality = _municipality(request)
    status = request.GET.get("status", "")
    if status not in PUBLIC_STATUSES:
        status = ""
    rows = selectors.submissions_public(municipality=municipality, status=status or None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = [("", _("All"))] + [(s.value, s.label) for s in PUBLIC_STATUSES]
    return render(
        request,
        "petitions/list.html",
        {
            "page": page,
            "status": status,
            "filters": filters,
            "querystring": f"status={status}" if status else "",
            "can_create": request.user.has_perm("petitions.create_submission", municipality),
            "can_staff": request.user.has_perm("petitions.view_staff_queue", municipality),
            "threshold": municipality.collective_submission_threshold,
        },
    )


def statistics(request):
    municipality = _municipality(request)
    return render(
        request,
        "petitions/statistics.html",
        {
            "stats": selectors.submission_statistics(municipality=municipality),
            "threshold": municipality.collective_submission_threshold,
        },
    )


def _detail_context(request, submission, sign_form=None) -> dict:
    user = request.user
    context = {
        "submission": submission,
        "signing": selectors.signing_status(user=user, submission=submission),
        "sign_form": sign_form or SignForm(initial=_name_initial(user)),
        "can_edit": user.has_perm("petitions.edit_submission", submission),
        "can_moderate": submission.status == Status.IN_REVIEW
        and user.has_perm("petitions.moderate_submission", submission),
        "can_answer": submission.status in (Status.SENT, Status.CLOSED)
        and user.has_perm("petitions.answer_submission", submission),
        "can_export": submission.status in (Status.SENT, Status.CLOSED, Status.ANSWERED)
        and submission.signer_data_purged_at is None
        and user.has_perm("petitions.export_signers", submission),
    }
    return context


def _name_initial(user) -> dict:
    name = getattr(user, "full_name", "") or ""
    first, _sep, last = name.strip().rpartition(" ")
    return {"first_name": first, "last_name": last} if first else {}


def submission_detail(request, pk: int):
    submission = _visible(request, pk)
    return render(request, "petitions/detail.html", _detail_context(request, submission))


# --- residents -------------------------------------------------------------------------


@login_required
def submission_create(request):
    municipality = _municipality(request)
    if not request.user.has_perm("petitions.create_submission", municipality):
        raise PermissionDenied
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_create(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
        except services.SubmissionRejected as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Your draft is saved. Check it, then send it to the moderators."),
            )
            return redirect(submission)
    return render(request, "petitions/form.html", {"form": form, "submission": None})


@login_required
def submission_edit(request, pk: int):
    submission = _visible(request, pk)
    if not request.user.has_perm("petitions.edit_submission", submission):
        raise PermissionDenied
    form = SubmissionForm(request.POST or None, instance=submission)
    if request.method == "POST" and form.is_valid():
        fresh = CollectiveSubmission.objects.get(pk=submission.pk)
        try:
            services.submission_update(actor=request.user, submission=fresh, **form.cleaned_data)
        except services.SubmissionRejected as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your draft is saved."))
            return redirect(fresh)
    return render(request, "petitions/form.html", {"form": form, "submission": submission})


@require_POST
@login_required
def submission_submit(request, pk: int):
    submission = _visible(request, pk)
    try:
        services.submission_submit(actor=request.user, submission=submission)
    except services.SubmissionRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Sent to the moderators. You will be told when it is open for signing."),
        )
    return redirect(submission)


@login_required
def my_submissions(request):
    rows = selectors.submissions_of_author(user=request.user, municipality=_municipality(request))
    return render(request, "petitions/mine.html", {"submissions": rows})


def sign(request, pk: int):
    submission = _visible(request, pk)
    if request.method != "POST":
        return redirect(submission)
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={submission.get_absolute_url()}")
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.signature_add(actor=request.user, submission=submission, **form.cleaned_data)
        except services.SubmissionRejected as exc:
            form.add_error(None, exc.message)
        else:
            if submission.status == Status.SENT:
                messages.success(
                    request,
                    _(
                        "Thank you for signing. With your signature the submission reached "
                        "its threshold and has been sent to the municipality."
                    ),
                )
            else:
                messages.success(request, _("Thank you: your signature is counted."))
            if request.htmx:
                return render(
                    request,
                    "petitions/detail.html#sign-panel",
                    _detail_context(request, submission),
                )
            return redirect(submission)
    context = _detail_context(request, submission, sign_form=form)
    template = "petitions/detail.html#sign-panel" if request.htmx else "petitions/detail.html"
    return render(request, template, context, status=200 if request.htmx else 400)


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@require_POST
@login_required
def withdraw(request, pk: int):
    submission = _visible(request, pk)
    try:
        services.signature_withdraw(actor=request.user, submission=submission)
    except services.SubmissionRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your signature has been withdrawn."))
    if request.htmx:
        return render(
            request, "petitions/detail.html#sign-panel", _detail_context(request, submission)
        )
    return redirect(submission)


# --- staff -----------------------------------------------------------------------------


@login_required
def staff_queue(request):
    municipality = _municipality(request)
    if not request.user.has_perm("petitions.view_staff_queue", municipality):
        raise PermissionDenied
    return render(
        request,
        "petitions/staff/queue.html",
        selectors.submissions_for_staff(municipality=municipality),
    )


@login_required
def staff_moderate(request, pk: int):
    submission = _staff_submission(request, pk, "petitions.moderate_submission")
    publish_form = PublishForm(
        initial={"signing_ends_on": services.default_signing_end()}, prefix="publish"
    )
    refuse_form = RefuseForm(prefix="refuse")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                publish_form = PublishForm(request.POST, prefix="publish")
                if publish_form.is_valid():
                    services.submission_publish(
                        actor=request.user,
                        submission=submission,
                        signing_ends_on=publish_form.cleaned_data["signing_ends_on"],
                    )
                    messages.success(request, _("The submission is open for signing."))
                    return redirect(submission)
            elif action == "refuse":
                refuse_form = RefuseForm(request.POST, prefix="refuse")
                if refuse_form.is_valid():
                    services.submission_refuse(
                        actor=request.user,
                        submission=submission,
                        reason=refuse_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("The submission is refused; the reason is public."))
                    return redirect(submission)
        except services.SubmissionRejected as exc:
            (publish_form if action == "publish" else refuse_form).add_error(None, exc.message)
    return render(
        request,
        "petitions/staff/moderate.html",
        {"submission": submission, "publish_form": publish_form, "refuse_form": refuse_form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def staff_answer(request, pk: int):
    submission = _staff_submission(request, pk, "petitions.answer_submission")
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_answer(
                actor=request.user,
                submission=submission,
                answer=form.cleaned_data["answer"],
                decision=form.cleaned_data["decision"],
            )
        except services.SubmissionRejected as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The answer is published and the signers are notified."))
            return redirect(submission)
    return render(
        request,
        "petitions/staff/answer.html",
        {"submission": submission, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _csv_safe(value: str) -> str:
    """Stop a spreadsheet from reading a typed name as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def staff_export(request, pk: int):
    submission = _staff_submission(request, pk, "petitions.export_signers")
    if request.method != "POST":
        return render(
            request,
            "petitions/staff/export.html",
            {
                "submission": submission,
                "exports": selectors.signer_exports(submission=submission)[:20],
            },
        )
    try:
        rows = services.signer_list_export(actor=request.user, submission=submission)
    except services.SubmissionRejected as exc:
        messages.error(request, exc.message)
        return redirect("petitions:staff_export", pk=submission.pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="signers-{submission.pk}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Name"), _("Surname"), _("Personal code"), _("Signed")])
    for row in rows:
        writer.writerow(
            [
                _csv_safe(row["first_name"]),
                _csv_safe(row["last_name"]),
                row["personal_code"],
                timezone.localtime(row["signed_at"]).strftime("%d.%m.%Y %H:%M"),
            ]
        )
    return response
