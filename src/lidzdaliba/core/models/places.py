from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lidzdaliba.core import geo


class Municipality(models.Model):
    """A municipality (pašvaldība): every domain row belongs to one."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    place_name = models.CharField(
        _("place name"),
        max_length=100,
        blank=True,
        help_text=_("The town or region as residents say it, e.g. Liepāja."),
    )
    domain = models.CharField(
        _("web domain"),
        max_length=200,
        blank=True,
        help_text=_("Host name this municipality is served on; empty for the default one."),
    )
    coat_of_arms = models.ImageField(_("coat of arms"), upload_to="municipality/", blank=True)
    languages = models.JSONField(_("content languages"), default=list, blank=True)
    map_center_lat = models.DecimalField(
        _("map centre latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    map_center_lon = models.DecimalField(
        _("map centre longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    map_zoom = models.PositiveSmallIntegerField(
        _("map zoom"), default=12, validators=[MinValueValidator(1), MaxValueValidator(19)]
    )
    tile_url = models.CharField(
        _("map tile URL"),
        max_length=300,
        blank=True,
        help_text=_("Template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    )
    tile_attribution = models.CharField(_("map attribution"), max_length=300, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    accessibility_statement = models.TextField(_("accessibility statement"), blank=True)
    accessibility_evaluated_on = models.DateField(
        _("date of the last accessibility evaluation"), null=True, blank=True
    )
    privacy_notice = models.TextField(_("privacy notice"), blank=True)
    collective_submission_threshold = models.PositiveIntegerField(
        _("signatures needed for a collective submission"), default=670
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.place_name or self.name

    @property
    def map_center(self) -> tuple[float, float]:
        return (float(self.map_center_lat), float(self.map_center_lon))


class Neighbourhood(models.Model):
    """A neighbourhood (apkaime) or other planning unit, with its boundary as GeoJSON."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="neighbourhoods"
    )
    slug = models.SlugField(_("short name"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    boundary = models.JSONField(
        _("boundary (GeoJSON)"),
        help_text=_("A GeoJSON Polygon or MultiPolygon in WGS 84 (longitude, latitude)."),
    )
    is_planning_unit = models.BooleanField(
        _("planning unit of the participatory budget"), default=True
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="neighbourhood_slug_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            geo.shape_from_geojson(self.boundary)
        except geo.GeometryError as exc:
            raise ValidationError({"boundary": str(exc)}) from exc
