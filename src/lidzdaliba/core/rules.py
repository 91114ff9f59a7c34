"""Who may do what with the shared parts of the platform: audit log, comments, SDG targets.

Predicates take ``(user, obj)``. Staff roles are the Django groups named in
``accounts.roles``; a superuser counts as an administrator everywhere. Services check these
permissions beside the write; templates use the same permission names to hide buttons.
"""

from __future__ import annotations

import rules

from lidzdaliba.accounts import roles


@rules.predicate
def is_signed_in(user) -> bool:
    """An active, signed-in account."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


is_administrator = is_signed_in & (rules.is_group_member(roles.ADMINISTRATORS) | rules.is_superuser)
"""Member of the ``administrators`` group, or a superuser."""

is_moderator = is_signed_in & (rules.is_group_member(roles.MODERATORS) | is_administrator)
"""Member of the ``moderators`` group; administrators may moderate too."""


@rules.predicate
def serves_municipality(user, obj=None) -> bool:
    """Staff act for their own municipality (that of ``obj``, which is a municipality or
    has one); superusers, and objects of no municipality, are not restricted."""
    from lidzdaliba.core.models import Municipality

    if obj is None or getattr(user, "is_superuser", False):
        return True
    municipality_id = (
        obj.pk if isinstance(obj, Municipality) else getattr(obj, "municipality_id", None)
    )
    return municipality_id is None or municipality_id == getattr(user, "municipality_id", None)


@rules.predicate
def is_comment_author(user, comment) -> bool:
    """The comment was written by ``user``."""
    return comment is not None and getattr(user, "pk", None) == comment.author_id


@rules.predicate
def is_visible_comment(user, comment) -> bool:
    """The comment is not hidden by a moderator."""
    return comment is not None and comment.hidden_at is None


# Posting, flagging and editing are about the person, not their rank: a superuser gets no
# bypass (services check these with ``rules.has_perm``, templates with ``test_rule``).
can_post_comment = is_signed_in
can_flag_comment = is_signed_in & ~is_comment_author & is_visible_comment
can_edit_comment = is_signed_in & is_comment_author & is_visible_comment
for _name, _predicate in (
    ("core.post_comment", can_post_comment),
    ("core.flag_comment", can_flag_comment),
    ("core.edit_comment", can_edit_comment),
):
    rules.add_perm(_name, _predicate)
    rules.add_rule(_name, _predicate)

rules.add_perm("core.view_audit_log", is_administrator)
rules.add_perm("core.manage_local_sdg_targets", is_administrator & serves_municipality)
rules.add_perm("core.moderate_comment", is_moderator & serves_municipality)
rules.add_perm("core.view_moderation_queue", is_moderator)
