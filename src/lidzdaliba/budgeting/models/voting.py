"""Ballots: one per person per cycle, keyed by the person's identity key.

``identity_key`` is the HMAC of the personal code from the voter's verified residency (or,
for a paper ballot, from the ID document staff checked), so two accounts of one person, or
an online and a paper ballot of one person, collide on the unique constraint. A voter may
change their choices until voting closes; the stored choices are always the counted ones.
``public_id`` is what the published ``.pb`` file calls the voter: derived from the receipt
code by a one-way hash, so the voter can find their line and nobody else can link it to them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Ballot(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper, at a client-service centre")

    cycle = models.ForeignKey("budgeting.Cycle", on_delete=models.CASCADE, related_name="ballots")
    identity_key = models.CharField(max_length=64)
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_ballots",
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE
    )
    receipt_code = models.CharField(_("receipt code"), max_length=24, unique=True)
    public_id = models.CharField(_("voter id in the published file"), max_length=16, unique=True)
    neighbourhood = models.ForeignKey(
        "core.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    age_band = models.CharField(_("age band"), max_length=8, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    cast_at = models.DateTimeField(_("first cast"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    revision = models.PositiveIntegerField(_("changes"), default=1)
    # The receipt (e-mail and in-app) is sent by a task a little after the ballot settles,
    # so a voter ticking five boxes gets one receipt, not five: ``receipt_sent_revision``
    # is the revision the last receipt described (0: none sent yet).
    receipt_sent_revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "identity_key"], name="one_budget_ballot_per_person"
            )
        ]
        indexes = [models.Index(fields=["cycle", "neighbourhood", "age_band"])]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.public_id}"


class BallotChoice(models.Model):
    """One project chosen on a ballot (``points`` for cumulative ballots, else 1)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    category = models.ForeignKey("budgeting.Category", on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey("budgeting.Idea", on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "idea"], name="budget_choice_once")
        ]
        indexes = [models.Index(fields=["category", "idea"])]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.idea_id}"
