from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification people can switch on or off, with its defaults."""

    key: str
    label: str | Promise
    in_app: bool = True
    email: bool = True


NOTIFICATION_KINDS: dict[str, NotificationKind] = {}


def notification_kind_register(
    key: str, label: str | Promise, *, in_app: bool = True, email: bool = True
) -> NotificationKind:
    """Declare a kind (modules call this at import time, e.g. in their ``services``);
    registering the same key again replaces it."""
    kind = NotificationKind(key=key, label=label, in_app=in_app, email=email)
    NOTIFICATION_KINDS[key] = kind
    return kind


notification_kind_register("general", _("Messages from the platform"))
notification_kind_register("comment.hidden", _("A moderator hid my comment"))
notification_kind_register("comment.unhidden", _("A moderator restored my comment"))
notification_kind_register("comment.flagged", _("Comments flagged for moderation"), email=False)


class Notification(models.Model):
    """One message to one person, shown in the platform and, if they want, e-mailed.

    The text is stored in the recipient's preferred language at the time it is created.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    show_in_app = models.BooleanField(_("shown in the platform"), default=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's choice for one kind; without a row the kind's defaults apply."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    in_app = models.BooleanField(_("in the platform"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"
