from django.db import models
from django.utils.translation import gettext_lazy as _


class SdgGoal(models.Model):
    """One of the 17 UN Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    colour = models.CharField(_("colour"), max_length=7, help_text=_("Hex colour, e.g. #E5243B"))

    class Meta:
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class SdgTarget(models.Model):
    """A target under a goal: a UN target (``municipality`` empty) or a local one."""

    goal = models.ForeignKey(SdgGoal, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("code"), max_length=12, help_text=_("e.g. 11.7 or 11.L1"))
    title = models.TextField(_("title"))
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_sdg_targets",
        verbose_name=_("municipality (local targets only)"),
    )

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ["goal__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(municipality__isnull=True),
                name="sdg_un_target_code_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"], name="sdg_local_target_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_local(self) -> bool:
        return self.municipality_id is not None


class SdgTaggable(models.Model):
    """Mixin for any content that can be tagged with SDG goals and targets.

    ``sdg_goals`` is what lists and reports filter on; tagging a target implies its goal
    (``core.services.sdg_tags_set`` keeps the two consistent).
    """

    sdg_goals = models.ManyToManyField(
        SdgGoal, blank=True, related_name="+", verbose_name=_("sustainable development goals")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="+", verbose_name=_("SDG targets")
    )

    class Meta:
        abstract = True
