"""Who may do what in the participatory budget.

Predicates take ``(user, obj)`` where ``obj`` is a cycle, any object with a ``municipality``
attribute, the municipality itself, or ``None`` (the user's own municipality). Services
check these beside the write; templates use the same permission names to hide buttons.

Other areas of the module import from here, e.g.
``from lidzdaliba.budgeting.rules import is_budget_officer``.
"""

from __future__ import annotations

import rules

from lidzdaliba.accounts.rules import is_administrator, is_officer_for

_is_officer = is_officer_for("budgeting")


@rules.predicate
def is_budget_officer(user, obj=None) -> bool:
    """A budgeting officer (group ``officers:budgeting``) or an administrator, acting for
    the municipality of ``obj``."""
    return bool(_is_officer(user, obj) or is_administrator(user, obj))


@rules.predicate
def is_cycle_editable(user, cycle=None) -> bool:
    """Categories and money may change only before voting opens."""
    from lidzdaliba.budgeting.models.cycles import PHASE_ORDER, CycleStatus

    if cycle is None:
        return True
    return PHASE_ORDER.index(cycle.status) < PHASE_ORDER.index(CycleStatus.VOTING)


rules.add_perm("budgeting.view_staff_pages", is_budget_officer)
rules.add_perm("budgeting.manage_cycle", is_budget_officer)
rules.add_perm("budgeting.move_phase", is_budget_officer)
rules.add_perm("budgeting.edit_categories", is_budget_officer & is_cycle_editable)
rules.add_perm("budgeting.review_ideas", is_budget_officer)
rules.add_perm("budgeting.enter_paper_ballots", is_budget_officer)
rules.add_perm("budgeting.confirm_results", is_budget_officer)
rules.add_perm("budgeting.manage_implementation", is_budget_officer)
