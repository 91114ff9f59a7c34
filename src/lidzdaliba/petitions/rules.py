"""Who may do what with collective submissions.

Predicates take ``(user, submission)`` (or the municipality for ``create``). Services check
these permissions beside the write; templates use the same names to hide buttons. Whether
a verified resident may *sign* also depends on age and the signing period: the service
checks those and explains a refusal.
"""

from __future__ import annotations

import rules

from lidzdaliba.accounts.rules import (
    is_administrator,
    is_moderator,
    is_officer_for,
    is_resident,
    is_verified_resident,
)

is_petitions_officer = is_officer_for("petitions")


@rules.predicate
def is_author(user, submission) -> bool:
    """``user`` drafted the submission (a signed-in account; a deleted author is nobody)."""
    return (
        submission is not None
        and submission.author_id is not None
        and getattr(user, "is_authenticated", False)
        and user.pk == submission.author_id
    )


@rules.predicate
def is_draft(user, submission) -> bool:
    return submission is not None and submission.status == "draft"


@rules.predicate
def is_public(user, submission) -> bool:
    """Published: signing, sent, answered, refused or closed."""
    return submission is not None and submission.is_public


@rules.predicate
def is_signing(user, submission) -> bool:
    return submission is not None and submission.status == "signing"


can_moderate = is_moderator | is_administrator
can_handle = is_petitions_officer | is_administrator

rules.add_perm("petitions.create_submission", is_resident)
rules.add_perm("petitions.edit_submission", is_author & is_draft)
rules.add_perm("petitions.view_submission", is_public | is_author | can_moderate | can_handle)
rules.add_perm("petitions.moderate_submission", can_moderate)
rules.add_perm("petitions.sign_submission", is_verified_resident & is_signing)
rules.add_perm("petitions.answer_submission", can_handle)
rules.add_perm("petitions.export_signers", can_handle)
rules.add_perm("petitions.view_staff_queue", can_moderate | can_handle)
