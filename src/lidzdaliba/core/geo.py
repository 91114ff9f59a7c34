"""Pure geometry helpers (no Django): GeoJSON polygons and point-in-polygon lookups.

Coordinates follow GeoJSON: ``[longitude, latitude]`` in WGS 84.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry


class GeometryError(ValueError):
    """The GeoJSON is not a valid Polygon or MultiPolygon."""


def shape_from_geojson(data: Mapping[str, Any] | None) -> BaseGeometry:
    """Return a valid shapely polygon for a GeoJSON geometry (or Feature), or raise."""
    if not isinstance(data, Mapping):
        raise GeometryError("GeoJSON must be an object.")
    if data.get("type") == "Feature":
        data = data.get("geometry")
        if not isinstance(data, Mapping):
            raise GeometryError("The feature has no geometry.")
    if data.get("type") not in {"Polygon", "MultiPolygon"}:
        raise GeometryError("Only Polygon and MultiPolygon boundaries are accepted.")
    try:
        geometry = shape(data)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise GeometryError(f"Invalid coordinates: {exc}") from exc
    if geometry.is_empty or not geometry.is_valid:
        raise GeometryError(f"Invalid polygon: {shapely.is_valid_reason(geometry)}")
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise GeometryError("Coordinates must be longitude, latitude in degrees.")
    return geometry


@dataclass(frozen=True)
class Area:
    key: Any
    geometry: BaseGeometry


class AreaIndex:
    """Finds which of a set of areas contains a point (areas are few: a linear scan of
    prepared geometries after a bounding-box test is faster than building an R-tree)."""

    def __init__(self, areas: Iterable[tuple[Any, Mapping[str, Any]]]):
        self._areas = []
        for key, geojson in areas:
            geometry = shape_from_geojson(geojson)
            shapely.prepare(geometry)
            self._areas.append(Area(key, geometry))

    def locate(self, lat: float, lon: float) -> Any | None:
        """The key of the first area that contains (or touches) the point, else None."""
        point = Point(lon, lat)
        for area in self._areas:
            if area.geometry.intersects(point):
                return area.key
        return None

    def union_contains(self, lat: float, lon: float) -> bool:
        return self.locate(lat, lon) is not None


@lru_cache(maxsize=64)
def _cached_index(fingerprint: tuple[tuple[Any, str], ...]) -> AreaIndex:
    import json

    return AreaIndex((key, json.loads(text)) for key, text in fingerprint)


def area_index(areas: Iterable[tuple[Any, Mapping[str, Any]]]) -> AreaIndex:
    """An :class:`AreaIndex`, cached by content so repeated lookups skip the parsing."""
    import json

    fingerprint = tuple((key, json.dumps(geojson, sort_keys=True)) for key, geojson in areas)
    return _cached_index(fingerprint)
