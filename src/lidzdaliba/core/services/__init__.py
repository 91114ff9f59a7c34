"""Writes shared by every module: audit records, places, SDG tags, attachments, comments,
notifications."""

from .attachments import (
    AttachmentRejected,
    CheckedFile,
    attachment_add,
    attachment_check,
    attachment_remove,
    attachments_of,
)
from .audit import audit_record
from .comments import (
    CommentRejected,
    comment_edit,
    comment_flag,
    comment_flags_dismiss,
    comment_hide,
    comment_post,
    comment_target_register,
    comment_unhide,
    comments_for_moderation,
    comments_of,
    comments_visible,
)
from .notifications import (
    notification_mark_read,
    notification_preferences_of,
    notification_preferences_set,
    notifications_mark_all_read,
    notifications_unread_count,
    notify,
)
from .places import PlacementError, municipality_update, neighbourhood_for_point
from .sdg import (
    SdgTargetError,
    sdg_local_target_create,
    sdg_local_target_delete,
    sdg_local_target_update,
    sdg_tags_set,
)

__all__ = [
    "AttachmentRejected",
    "CheckedFile",
    "CommentRejected",
    "PlacementError",
    "SdgTargetError",
    "attachment_add",
    "attachment_check",
    "attachment_remove",
    "attachments_of",
    "audit_record",
    "comment_edit",
    "comment_flag",
    "comment_flags_dismiss",
    "comment_hide",
    "comment_post",
    "comment_target_register",
    "comment_unhide",
    "comments_for_moderation",
    "comments_of",
    "comments_visible",
    "municipality_update",
    "neighbourhood_for_point",
    "notification_mark_read",
    "notification_preferences_of",
    "notification_preferences_set",
    "notifications_mark_all_read",
    "notifications_unread_count",
    "notify",
    "sdg_local_target_create",
    "sdg_local_target_delete",
    "sdg_local_target_update",
    "sdg_tags_set",
]
