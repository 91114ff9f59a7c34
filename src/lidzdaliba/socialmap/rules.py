"""Who may do what on the social map (``rules`` predicates and permissions).

* ``socialmap.moderate`` — moderators, social-map officers and administrators of the
  municipality: approve or reject changes, merge duplicates, resolve reports.
* ``socialmap.represent`` — an approved representative of the organisation (``obj``), or a
  moderator: propose changes to its entry and confirm that it is still right.
"""

import rules

from lidzdaliba.accounts.rules import (
    is_administrator,
    is_moderator,
    is_officer_for,
    is_org_representative,
)

can_moderate = is_moderator | is_officer_for("socialmap") | is_administrator


@rules.predicate
def represents(user, organisation) -> bool:
    """An approved representative of ``organisation`` (never of "any" organisation)."""
    return organisation is not None and is_org_representative(user, organisation)


@rules.predicate
def moderates(user, obj) -> bool:
    """Moderates the municipality that ``obj`` (an organisation, entry or municipality)
    belongs to."""
    return can_moderate(user, obj)


rules.add_perm("socialmap.moderate", moderates)
rules.add_perm("socialmap.represent", represents | moderates)

# The taxonomy of needs is managed by moderators in the admin (model permissions through the
# rules backend, so no group needs Django permissions assigned by hand).
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"socialmap.{_action}_need", moderates)
rules.add_perm("socialmap.view_changerequest", moderates)
rules.add_perm("socialmap.view_outdatedreport", moderates)
rules.add_perm("socialmap.change_outdatedreport", moderates)
