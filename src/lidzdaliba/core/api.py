"""Places and SDG taxonomy API (public, read-only): ``/api/places/…``.

Names and titles come in the request's language (``Accept-Language`` or the language
cookie), Latvian by default.
"""

from __future__ import annotations

import functools
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from lidzdaliba.core import selectors
from lidzdaliba.core.services import PlacementError, neighbourhood_for_point

router = Router(tags=["places"])


class PointOut(Schema):
    lat: float
    lon: float


class MunicipalityOut(Schema):
    slug: str
    name: str
    website: str
    contact_email: str
    contact_phone: str
    address: str
    population: int | None
    languages: list[str]
    map_center: PointOut
    map_zoom: int


class NeighbourhoodOut(Schema):
    slug: str
    name: str
    population: int | None
    is_planning_unit: bool
    url: str


class LocateQuery(Schema):
    lat: float = Field(..., ge=-90, le=90, description="Latitude (WGS 84)")
    lon: float = Field(..., ge=-180, le=180, description="Longitude (WGS 84)")


class ErrorOut(Schema):
    detail: str


class TargetOut(Schema):
    code: str
    title: str
    local: bool


class GoalOut(Schema):
    number: int
    name: str
    colour: str
    targets: list[TargetOut]


def in_request_language(view):
    """Answer in the language the client asks for (language cookie, then
    ``Accept-Language``). The site's LocaleMiddleware gives every path without a language
    prefix, ``/api/`` included, the default language."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(translation.get_language_from_request(request)):
            return view(request, *args, **kwargs)

    return wrapper


def _municipality(request):
    municipality = getattr(request, "municipality", None)
    if not municipality:
        raise HttpError(404, _("No municipality is configured on this site."))
    return municipality


def _neighbourhood_out(neighbourhood) -> dict[str, Any]:
    return {
        "slug": neighbourhood.slug,
        "name": neighbourhood.name,
        "population": neighbourhood.population,
        "is_planning_unit": neighbourhood.is_planning_unit,
        "url": reverse("core:neighbourhood", args=[neighbourhood.slug]),
    }


@router.get("/municipality", response={200: MunicipalityOut, 404: ErrorOut})
@in_request_language
def municipality(request):
    """The municipality this site serves."""
    m = _municipality(request)
    return {
        "slug": m.slug,
        "name": m.name,
        "website": m.website,
        "contact_email": m.contact_email,
        "contact_phone": m.contact_phone,
        "address": m.address,
        "population": m.population,
        "languages": list(m.languages or []),
        "map_center": {"lat": float(m.map_center_lat), "lon": float(m.map_center_lon)},
        "map_zoom": m.map_zoom,
    }


@router.get("/neighbourhoods", response={200: dict[str, Any], 404: ErrorOut})
@in_request_language
def neighbourhoods(request):
    """The neighbourhoods as a GeoJSON FeatureCollection (WGS 84, RFC 7946)."""
    rows = selectors.neighbourhoods_of(municipality=_municipality(request))
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": n.slug,
                "geometry": n.boundary,
                "properties": _neighbourhood_out(n),
            }
            for n in rows
        ],
    }


@router.get("/neighbourhoods/locate", response={200: NeighbourhoodOut, 404: ErrorOut})
@in_request_language
def neighbourhood_locate(request, point: Query[LocateQuery]):
    """The neighbourhood that contains a point; 404 with a translated ``detail`` when the
    point is outside the municipality."""
    try:
        found = neighbourhood_for_point(
            municipality=_municipality(request), lat=point.lat, lon=point.lon
        )
    except PlacementError as exc:
        raise HttpError(404, exc.message) from exc
    return _neighbourhood_out(found)


@router.get("/sdg/goals", response=list[GoalOut])
@in_request_language
def sdg_goals(request):
    """The 17 goals with the UN targets and this municipality's local targets."""
    municipality = getattr(request, "municipality", None) or None
    return [
        {
            "number": goal.number,
            "name": goal.name,
            "colour": goal.colour,
            "targets": [
                {"code": t.code, "title": t.title, "local": t.is_local} for t in goal.targets.all()
            ],
        }
        for goal in selectors.sdg_goals_with_targets(municipality=municipality)
    ]
