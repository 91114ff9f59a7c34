"""Writes shared by every module: audit records, places, SDG tags, attachments, comments,
notifications."""

from .audit import audit_record
from .places import PlacementError, municipality_update, neighbourhood_for_point
from .sdg import (
    SdgTargetError,
    sdg_local_target_create,
    sdg_local_target_delete,
    sdg_local_target_update,
    sdg_tags_set,
)

__all__ = [
    "PlacementError",
    "SdgTargetError",
    "audit_record",
    "municipality_update",
    "neighbourhood_for_point",
    "sdg_local_target_create",
    "sdg_local_target_delete",
    "sdg_local_target_update",
    "sdg_tags_set",
]
