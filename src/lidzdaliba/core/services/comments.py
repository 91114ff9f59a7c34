"""Comments on any content, flags, and their moderation (every moderation action audited)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lidzdaliba.accounts import roles
from lidzdaliba.core.models import Comment, CommentFlag

from .audit import audit_record
from .notifications import notify
from .ratelimit import count_in_window

BODY_MAX_LENGTH = 5000
DEFAULT_RATE_LIMIT = (10, 600)  # comments, seconds


class CommentRejected(ValueError):
    """The action was refused and nothing changed; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CommentTarget:
    model: type[models.Model]
    may_comment: Callable[[Any, models.Model], bool] | None = None
    may_view: Callable[[Any, models.Model], bool] | None = None


COMMENT_TARGETS: dict[str, CommentTarget] = {}


def comment_target_register(
    model: type[models.Model],
    *,
    may_comment: Callable[[Any, models.Model], bool] | None = None,
    may_view: Callable[[Any, models.Model], bool] | None = None,
) -> None:
    """Allow comments on ``model``'s objects (modules call this in ``AppConfig.ready``).

    ``may_comment(user, obj)``, when given, must also allow a comment (e.g. "only while the
    idea is open for discussion"); the signed-in check always applies. ``may_view(user,
    obj)``, when given, must allow reading the comments (e.g. not on a draft); without it
    the comments are as public as the object's page.
    """
    key = f"{model._meta.app_label}.{model._meta.model_name}"
    COMMENT_TARGETS[key] = CommentTarget(model=model, may_comment=may_comment, may_view=may_view)


def comments_visible(*, user: Any, target: models.Model) -> bool:
    """Whether ``user`` may read the comments on ``target`` (a registered target)."""
    registered = COMMENT_TARGETS.get(comment_target_key(target))
    if registered is None:
        return False
    return registered.may_view is None or bool(registered.may_view(user, target))


def comment_target_key(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def comment_target_get(*, key: str, object_id: str) -> models.Model:
    """The commentable object ``key`` (``app_label.model``) ``object_id``; raises
    ``LookupError`` for a model that does not take comments or a missing object."""
    target = COMMENT_TARGETS.get(key)
    if target is None:
        raise LookupError(key)
    try:
        return target.model._default_manager.get(pk=object_id)
    except (target.model.DoesNotExist, ValueError) as exc:
        raise LookupError(key) from exc


def _rate_limit() -> tuple[int, int]:
    return getattr(settings, "COMMENT_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def _rate_check(actor: Any) -> None:
    """At most N comments per window per person (a fixed window in the shared cache)."""
    limit, window = _rate_limit()
    key = f"core:comment-rate:{actor.pk}:{int(time.time() // window)}"
    if count_in_window(key, seconds=window) > limit:
        minutes = max(1, window // 60)
        raise CommentRejected(
            ngettext(
                "You have written many comments in a short time. Please wait a minute and "
                "try again.",
                "You have written many comments in a short time. Please wait %(minutes)d "
                "minutes and try again.",
                minutes,
            )
            % {"minutes": minutes}
        )


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise CommentRejected(_("Write something before sending."))
    if len(body) > BODY_MAX_LENGTH:
        raise CommentRejected(
            _("A comment can be at most %(max)d characters long.") % {"max": BODY_MAX_LENGTH}
        )
    return body


def comment_post(*, actor: Any, target: models.Model, body: str) -> Comment:
    """Publish ``actor``'s plain-text comment on ``target``.

    Refuses (:class:`PermissionDenied`) anonymous people, content that does not take
    comments and anything the model's ``may_comment`` refuses; refuses
    (:class:`CommentRejected`) empty or too long text and more than the rate limit
    (``COMMENT_RATE_LIMIT``, default 10 comments in 10 minutes per person).
    """
    if not actor or not rules.has_perm("core.post_comment", actor):
        raise PermissionDenied(_("Log in to comment."))
    registered = COMMENT_TARGETS.get(comment_target_key(target))
    if (
        registered is None
        or not comments_visible(user=actor, target=target)
        or (registered.may_comment and not registered.may_comment(actor, target))
    ):
        raise PermissionDenied(_("Comments are closed here."))
    body = _clean_body(body)
    _rate_check(actor)
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        municipality=getattr(target, "municipality", None),
        author=actor,
        body=body,
    )


@transaction.atomic
def comment_edit(*, actor: Any, comment: Comment, body: str) -> Comment:
    """Let the author correct their visible comment; ``edited_at`` tells readers."""
    if not actor or not rules.has_perm("core.edit_comment", actor, comment):
        raise PermissionDenied(_("You can only edit your own visible comments."))
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


def _moderators_of(municipality: Any):
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[roles.MODERATORS])
        .distinct()
    )
    if municipality is not None:
        users = users.filter(Q(municipality=municipality) | Q(municipality__isnull=True))
    return users


@transaction.atomic
def comment_flag(*, actor: Any, comment: Comment, reason: str = "") -> CommentFlag:
    """Report a comment to the moderators, once per person and comment.

    Refuses (:class:`PermissionDenied`) anonymous people, the author and hidden comments,
    and (:class:`CommentRejected`) a second flag by the same person. Moderators get an
    in-app notification.
    """
    if not actor or not rules.has_perm("core.flag_comment", actor, comment):
        raise PermissionDenied(_("You cannot report this comment."))
    try:
        with transaction.atomic():
            flag = CommentFlag.objects.create(
                comment=comment, user=actor, reason=(reason or "").strip()[:300]
            )
    except IntegrityError as exc:
        raise CommentRejected(_("You have already reported this comment.")) from exc
    Comment.objects.filter(pk=comment.pk).update(open_flag_count=F("open_flag_count") + 1)
    comment.refresh_from_db(fields=["open_flag_count"])
    from django.urls import reverse

    notify(
        recipients=_moderators_of(comment.municipality),
        kind="comment.flagged",
        title=gettext_lazy("A comment was reported for moderation"),
        body=comment.body[:300],
        url=reverse("core:moderation"),
    )
    return flag


def _require_moderator(actor: Any, comment: Comment) -> None:
    if not actor or not actor.has_perm("core.moderate_comment", comment):
        raise PermissionDenied(_("Only moderators can do this."))


def _lock(comment: Comment) -> None:
    """Lock the row until the transaction ends and reload ``comment`` from it."""
    list(Comment.objects.select_for_update().filter(pk=comment.pk).values_list("pk", flat=True))
    comment.refresh_from_db()


def _resolve_flags(comment: Comment) -> int:
    resolved = CommentFlag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    comment.open_flag_count = 0
    return resolved


@transaction.atomic
def comment_hide(*, actor: Any, comment: Comment, reason: str) -> Comment:
    """Hide a comment; readers see "Hidden by a moderator: <reason>" instead of the text.

    Moderators only (:class:`PermissionDenied`); the public reason is required and a
    hidden comment cannot be hidden again (:class:`CommentRejected`). Resolves open flags,
    records ``comment.hidden`` and tells the author.
    """
    _require_moderator(actor, comment)
    reason = (reason or "").strip()
    if not reason:
        raise CommentRejected(_("Give the public reason for hiding the comment."))
    if len(reason) > 300:
        raise CommentRejected(_("The reason can be at most 300 characters long."))
    _lock(comment)
    if comment.is_hidden:
        raise CommentRejected(_("This comment is already hidden."))
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = reason
    flags = _resolve_flags(comment)
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "open_flag_count"])
    audit_record(
        actor=actor,
        verb="comment.hidden",
        target=comment,
        municipality=comment.municipality,
        data={"reason": reason, "flags_resolved": flags, "on": str(comment.content_type_id)},
    )
    notify(
        recipients=[comment.author] if comment.author else [],
        kind="comment.hidden",
        title=gettext_lazy("A moderator hid your comment"),
        body=lambda: _("Reason: %(reason)s") % {"reason": reason},
    )
    return comment


@transaction.atomic
def comment_unhide(*, actor: Any, comment: Comment) -> Comment:
    """Show a hidden comment again. Moderators only; records ``comment.unhidden`` with the
    reason it had been hidden for, and tells the author."""
    _require_moderator(actor, comment)
    _lock(comment)
    if not comment.is_hidden:
        raise CommentRejected(_("This comment is not hidden."))
    previous = comment.hidden_reason
    comment.hidden_at = None
    comment.hidden_by = None
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_record(
        actor=actor,
        verb="comment.unhidden",
        target=comment,
        municipality=comment.municipality,
        data={"previous_reason": previous},
    )
    notify(
        recipients=[comment.author] if comment.author else [],
        kind="comment.unhidden",
        title=gettext_lazy("A moderator restored your comment"),
    )
    return comment


@transaction.atomic
def comment_flags_dismiss(*, actor: Any, comment: Comment) -> int:
    """Close the open flags on a comment that stays visible. Moderators only; records
    ``comment.flags_dismissed``. Returns how many flags were closed."""
    _require_moderator(actor, comment)
    dismissed = _resolve_flags(comment)
    Comment.objects.filter(pk=comment.pk).update(open_flag_count=0)
    if dismissed:
        audit_record(
            actor=actor,
            verb="comment.flags_dismissed",
            target=comment,
            municipality=comment.municipality,
            data={"flags": dismissed},
        )
    return dismissed


def comments_of(*, target: models.Model) -> models.QuerySet[Comment]:
    """The comments on ``target``, oldest first, with their authors (a read; one query)."""
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("author")


def comments_for_moderation(*, municipality: Any = None) -> models.QuerySet[Comment]:
    """The moderation queue: comments with open flags first (most flags first), then the
    newest. Restricted to ``municipality`` when given."""
    comments = Comment.objects.select_related("author", "content_type", "hidden_by")
    if municipality is not None:
        comments = comments.filter(Q(municipality=municipality) | Q(municipality__isnull=True))
    return comments.order_by(
        F("open_flag_count").desc(), F("hidden_at").asc(nulls_first=True), "-created_at", "-id"
    )
