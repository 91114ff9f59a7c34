"""Core models: the municipality and its places, the SDG taxonomy, and shared services."""

from .audit import AuditEvent
from .places import Municipality, Neighbourhood
from .sdg import SdgGoal, SdgTaggable, SdgTarget

__all__ = [
    "AuditEvent",
    "Municipality",
    "Neighbourhood",
    "SdgGoal",
    "SdgTaggable",
    "SdgTarget",
]
