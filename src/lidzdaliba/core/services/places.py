from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lidzdaliba.core import geo
from lidzdaliba.core.models import Municipality, Neighbourhood

from .audit import audit_record


class PlacementError(ValueError):
    """A point lies outside the municipality; ``message`` is translated for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _neighbourhood_index(municipality: Municipality) -> geo.AreaIndex:
    rows = Neighbourhood.objects.filter(municipality=municipality).values_list("pk", "boundary")
    return geo.area_index(rows)


def neighbourhood_for_point(*, municipality: Municipality, lat: float, lon: float) -> Neighbourhood:
    """The neighbourhood of ``municipality`` that contains the point.

    Raises :class:`PlacementError` when the point is outside every neighbourhood (which is
    how "outside the municipality" is decided: the neighbourhoods tile its territory).
    """
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise PlacementError(_("The location is not a valid pair of coordinates.")) from exc
    pk = _neighbourhood_index(municipality).locate(lat, lon)
    if pk is None:
        raise PlacementError(
            _("This place is outside %(municipality)s. Choose a place inside its borders.")
            % {"municipality": municipality.name}
        )
    return Neighbourhood.objects.get(pk=pk)


@transaction.atomic
def municipality_update(*, actor: Any, municipality: Municipality, **fields: Any) -> Municipality:
    """Change a municipality's settings and record what changed."""
    changed = {}
    for name, value in fields.items():
        old = getattr(municipality, name)
        if old != value:
            changed[name] = {"from": str(old), "to": str(value)}
            setattr(municipality, name, value)
    municipality.full_clean()
    municipality.save()
    if changed:
        audit_record(actor=actor, verb="municipality.updated", target=municipality, data=changed)
    return municipality
