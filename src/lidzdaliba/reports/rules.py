"""Who may do what with citizen reports.

Anyone may report and support (an account is optional). Officers of the ``reports`` module
and administrators handle reports of their own municipality; moderators may also hide
abusive ones. Services check these permissions beside the write.
"""

from __future__ import annotations

import rules

from lidzdaliba.accounts.rules import is_administrator, is_moderator, is_officer_for

is_reports_officer = is_officer_for("reports")

can_handle = is_reports_officer | is_administrator
"""Officers of the reports module and administrators, for their own municipality."""

rules.add_perm("reports.handle_report", can_handle)
rules.add_perm("reports.view_internal", can_handle)
rules.add_perm("reports.hide_report", can_handle | is_moderator)
