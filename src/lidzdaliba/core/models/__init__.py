"""Core models: the municipality and its places, the SDG taxonomy, and shared services."""

from .attachments import Attachment
from .audit import AuditEvent
from .comments import Comment, CommentFlag
from .notifications import (
    NOTIFICATION_KINDS,
    Notification,
    NotificationKind,
    NotificationPreference,
    notification_kind_register,
)
from .places import Municipality, Neighbourhood
from .sdg import SdgGoal, SdgTaggable, SdgTarget

__all__ = [
    "NOTIFICATION_KINDS",
    "Attachment",
    "AuditEvent",
    "Comment",
    "CommentFlag",
    "Municipality",
    "Neighbourhood",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "SdgGoal",
    "SdgTaggable",
    "SdgTarget",
    "notification_kind_register",
]
