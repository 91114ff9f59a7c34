"""Comments and notifications pages. Every form works as a plain POST; with htmx the
comment section is swapped in place (``core/_comments.html#comments``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lidzdaliba.core.forms import CommentForm
from lidzdaliba.core.models import Comment, Notification
from lidzdaliba.core.services import comments as comment_services
from lidzdaliba.core.services import notifications as notification_services


def safe_next(request, fallback: str = "/") -> str:
    """The ``next`` URL of the request if it points back to this site, else ``fallback``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _target_url(target) -> str:
    get_url = getattr(target, "get_absolute_url", None)
    return get_url() if callable(get_url) else "/"


def comments_context(request, target, *, form=None, error: str = "", notice: str = "") -> dict:
    """What ``core/_comments.html#comments`` needs to show the comments on ``target``."""
    key = comment_services.comment_target_key(target)
    section_id = f"comments-{key.replace('.', '-')}-{target.pk}"
    next_url = safe_next(request, fallback="")
    if not next_url and getattr(request, "htmx", False) and request.htmx.current_url_abs_path:
        next_url = request.htmx.current_url_abs_path  # the page the section is shown on
    if not next_url:
        next_url = request.get_full_path() if request.method == "GET" else _target_url(target)
    if form is None:
        form = CommentForm()
    form.auto_id = f"{section_id}-%s"
    return {
        "target": target,
        "section_id": section_id,
        "comments": list(comment_services.comments_of(target=target)),
        "form": form,
        "post_url": reverse("core:comments", args=[key, target.pk]),
        "next": next_url.split("#")[0],
        "error": error,
        "notice": notice,
    }


def _section_or_redirect(request, target, *, form=None, error="", notice="", anchor=""):
    if request.htmx:
        context = comments_context(request, target, form=form, error=error, notice=notice)
        return render(request, "core/_comments.html#comments", context)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return HttpResponseRedirect(safe_next(request, _target_url(target)).split("#")[0] + anchor)


@require_http_methods(["GET", "POST"])
def comments(request, target_key: str, object_id: str):
    """GET: the comment section of one object (for htmx refreshes). POST: write a comment."""
    try:
        target = comment_services.comment_target_get(key=target_key, object_id=object_id)
    except LookupError:
        raise Http404 from None
    if not comment_services.comments_visible(user=request.user, target=target):
        raise Http404
    if request.method == "GET":
        return render(request, "core/_comments.html#comments", comments_context(request, target))
    if not request.user.is_authenticated:
        return redirect_to_login(safe_next(request, _target_url(target)))
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _section_or_redirect(
            request, target, form=form, error=_("The comment was not sent: see the errors below.")
        )
    try:
        comment = comment_services.comment_post(
            actor=request.user, target=target, body=form.cleaned_data["body"]
        )
    except (comment_services.CommentRejected, PermissionDenied) as exc:
        message = getattr(exc, "message", "") or str(exc)
        return _section_or_redirect(request, target, form=form, error=message)
    return _section_or_redirect(
        request, target, notice=_("Your comment was published."), anchor=f"#comment-{comment.pk}"
    )


def _comment_action(request, pk: int, action, notice: str, **kwargs):
    comment = get_object_or_404(Comment.objects.select_related("content_type"), pk=pk)
    target = comment.content_object
    try:
        action(actor=request.user, comment=comment, **kwargs)
    except comment_services.CommentRejected as exc:
        error, notice = exc.message, ""
    except PermissionDenied as exc:
        if not request.htmx and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        error, notice = str(exc) or _("You may not do this."), ""
    else:
        error = ""
    if target is None:  # the content is gone; only the queue can show the comment
        if error:
            messages.error(request, error)
        return redirect(safe_next(request, reverse("core:moderation")))
    return _section_or_redirect(
        request, target, error=error, notice=notice, anchor=f"#comment-{comment.pk}"
    )


@require_POST
@login_required
def comment_flag(request, pk: int):
    return _comment_action(
        request,
        pk,
        comment_services.comment_flag,
        _("Thank you. The moderators will look at the comment."),
        reason=request.POST.get("reason", ""),
    )


@require_POST
@login_required
def comment_edit(request, pk: int):
    return _comment_action(
        request,
        pk,
        comment_services.comment_edit,
        _("Your comment was changed."),
        body=request.POST.get("body", ""),
    )


@require_POST
@login_required
def comment_hide(request, pk: int):
    return _comment_action(
        request,
        pk,
        comment_services.comment_hide,
        _("The comment is hidden."),
        reason=request.POST.get("reason", ""),
    )


@require_POST
@login_required
def comment_unhide(request, pk: int):
    return _comment_action(
        request, pk, comment_services.comment_unhide, _("The comment is shown again.")
    )


@require_POST
@login_required
def comment_dismiss_flags(request, pk: int):
    return _comment_action(
        request,
        pk,
        comment_services.comment_flags_dismiss,
        _("The reports were closed; the comment stays visible."),
    )


@login_required
def notification_list(request):
    rows = Notification.objects.filter(recipient=request.user, show_in_app=True)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    unread = notification_services.notifications_unread_count(user=request.user)
    return render(request, "core/notifications.html", {"page": page, "unread": unread})


@require_POST
@login_required
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_services.notification_mark_read(actor=request.user, notification=notification)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect(safe_next(request, reverse("core:notifications")))


@require_POST
@login_required
def notifications_read_all(request):
    count = notification_services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("core:notifications")


class PreferencesForm(forms.Form):
    """Two checkboxes per registered kind: ``<kind>:in_app`` and ``<kind>:email``."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = []
        for kind, in_app, email in choices:
            app_name, email_name = f"{kind.key}:in_app", f"{kind.key}:email"
            self.fields[app_name] = forms.BooleanField(
                label=_("In the platform"), required=False, initial=in_app
            )
            self.fields[email_name] = forms.BooleanField(
                label=_("By e-mail"), required=False, initial=email
            )
            self.kinds.append((kind, self[app_name], self[email_name]))

    def preferences(self) -> dict[str, tuple[bool, bool]]:
        return {
            kind.key: (
                self.cleaned_data[f"{kind.key}:in_app"],
                self.cleaned_data[f"{kind.key}:email"],
            )
            for kind, _app, _email in self.kinds
        }


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    choices = notification_services.notification_preferences_of(user=request.user)
    form = PreferencesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        notification_services.notification_preferences_set(
            actor=request.user, preferences=form.preferences()
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("core:notification_preferences")
    return render(request, "core/notification_preferences.html", {"form": form})
