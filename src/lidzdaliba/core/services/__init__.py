"""Writes shared by every module: audit records, places, SDG tags."""

from .audit import audit_record
from .places import PlacementError, municipality_update, neighbourhood_for_point
from .sdg import sdg_tags_set

__all__ = [
    "PlacementError",
    "audit_record",
    "municipality_update",
    "neighbourhood_for_point",
    "sdg_tags_set",
]
