from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    """A plain-text comment on any content. Moderators may hide it with a public reason,
    which is then shown in place of the text. Written through ``core.services``."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.CharField(_("public reason for hiding"), max_length=300, blank=True)
    open_flag_count = models.PositiveIntegerField(_("open flags"), default=0)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]
        permissions = [("moderate_comment", "Can hide and unhide comments")]

    def __str__(self) -> str:
        return f"{self.author or '—'}: {self.body[:60]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class CommentFlag(models.Model):
    """A signed-in user's report that a comment breaks the rules; one per user and comment.
    Resolved when a moderator hides the comment or dismisses the flags."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("flagged"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment flag")
        verbose_name_plural = _("comment flags")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="one_flag_per_user_per_comment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.comment_id}"
