"""Collective submissions (kolektīvie iesniegumi) and their signatures.

A signature is unique per (submission, identity key): the identity key is the keyed hash of
the signer's personal code taken from their verified residency, so that two accounts of one
person cannot sign twice; the database refuses the duplicate. What the municipality needs
for its legal check (name, surname, personal code) is kept only encrypted
(``petitions.crypto``), decrypted only for the officers' export, and deleted after the
retention period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lidzdaliba.core.models import SdgTaggable


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("collective submission", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("collective submission", "Waiting for moderation")
    SIGNING = "signing", pgettext_lazy("collective submission", "Collecting signatures")
    SENT = "sent", pgettext_lazy("collective submission", "Sent to the municipality")
    ANSWERED = "answered", pgettext_lazy("collective submission", "Answered")
    REFUSED = "refused", pgettext_lazy("collective submission", "Refused by a moderator")
    CLOSED = (
        "closed",
        pgettext_lazy(
            "collective submission", "Below the threshold: handled as an ordinary submission"
        ),
    )


TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.IN_REVIEW},
    Status.IN_REVIEW: {Status.SIGNING, Status.REFUSED},
    Status.SIGNING: {Status.SENT, Status.CLOSED},
    Status.SENT: {Status.ANSWERED},
    Status.CLOSED: {Status.ANSWERED},
    Status.ANSWERED: set(),
    Status.REFUSED: set(),
}
"""Which status may follow which; ``services`` refuses every other move."""

PUBLIC_STATUSES = (Status.SIGNING, Status.SENT, Status.ANSWERED, Status.REFUSED, Status.CLOSED)


class Decision(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    NOT_GRANTED = "not_granted", _("Not granted")


class CollectiveSubmission(SdgTaggable, models.Model):
    """A collective submission: drafted by a resident, checked by a moderator, signed by
    residents, sent to the municipality when enough have signed, and answered."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="collective_submissions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collective_submissions",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    demand = models.TextField(
        _("demand"), help_text=_("What the signers ask the municipality to do.")
    )
    justification = models.TextField(_("justification"), help_text=_("Why, in short."))
    representative_name = models.CharField(_("authorised representative"), max_length=150)
    representative_email = models.EmailField(_("representative's e-mail"))
    representative_phone = models.CharField(_("representative's phone"), max_length=40, blank=True)
    representative_address = models.CharField(
        _("representative's postal address"), max_length=300, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    threshold = models.PositiveIntegerField(
        _("signatures needed"),
        help_text=_("The municipality's threshold when signing opened."),
        null=True,
        blank=True,
    )
    signature_count = models.PositiveIntegerField(_("signatures"), default=0)
    signing_ends_on = models.DateField(_("signing ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted for moderation"), null=True, blank=True)
    published_at = models.DateTimeField(_("published for signing"), null=True, blank=True)
    refused_at = models.DateTimeField(_("refused"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    sent_at = models.DateTimeField(_("sent to the municipality"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed below the threshold"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer due by"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answer = models.TextField(_("answer"), blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    signer_data_purged_at = models.DateTimeField(
        _("signers' personal data deleted"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("collective submission")
        verbose_name_plural = _("collective submissions")
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="petition_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | (~Q(answer="") & ~Q(decision="")),
                name="petition_answer_has_text_and_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def reached_threshold(self) -> bool:
        return self.sent_at is not None

    @property
    def handled_as_ordinary(self) -> bool:
        return self.closed_at is not None

    @property
    def progress_percent(self) -> int:
        """Share of the threshold reached, 0–100 (capped)."""
        if not self.threshold:
            return 0
        return min(100, int(100 * self.signature_count / self.threshold))

    @property
    def signatures_missing(self) -> int:
        return max(0, (self.threshold or 0) - self.signature_count)

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_at is None or self.answer_due_on is None:
            return None
        return timezone.localdate(self.answered_at) <= self.answer_due_on

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in (Status.SENT, Status.CLOSED)
            and self.answer_due_on is not None
            and timezone.localdate() > self.answer_due_on
        )


class Signature(models.Model):
    """One person's signature. ``identity_key`` comes from the signer's residency; the
    encrypted ``signer_data`` holds name, surname and personal code for the municipality's
    check and is emptied after the retention period."""

    submission = models.ForeignKey(
        CollectiveSubmission, on_delete=models.CASCADE, related_name="signatures"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collective_submission_signatures",
    )
    identity_key = models.CharField(max_length=64)
    signer_data = models.BinaryField(default=b"", blank=True, editable=False)
    declared_eligible = models.BooleanField(
        _("declared Latvian citizenship and residence or real estate in the municipality"),
        default=False,
    )
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "identity_key"], name="one_signature_per_person"
            ),
            models.CheckConstraint(
                condition=Q(declared_eligible=True), name="signature_declared_eligible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.identity_key[:8]}…"
