"""Every write on the social map: proposals from organisations, moderation, confirmation,
reports of outdated information, merging duplicates. Each runs in a transaction and
records an audit event; permissions are checked here (``socialmap/rules.py``).

``base`` (errors, permissions), ``entries`` (checking and writing an entry's values),
``changes`` (propose, approve, refuse), ``upkeep`` (confirm, stale, reports, merge).
"""

from .base import (
    LANGS,
    EntryInvalid,
    SocialMapError,
    confirm_months,
    months_before,
    outdated_grace_days,
)
from .changes import change_approve, change_reject, change_submit
from .entries import (
    provider_values,
    provider_values_clean,
    service_values,
    service_values_clean,
    service_write,
)
from .upkeep import (
    outdated_report,
    outdated_resolve,
    provider_merge,
    service_confirm,
    services_flag_stale,
)

__all__ = [
    "LANGS",
    "EntryInvalid",
    "SocialMapError",
    "change_approve",
    "change_reject",
    "change_submit",
    "confirm_months",
    "months_before",
    "outdated_grace_days",
    "outdated_report",
    "outdated_resolve",
    "provider_merge",
    "provider_values",
    "provider_values_clean",
    "service_confirm",
    "service_values",
    "service_values_clean",
    "service_write",
    "services_flag_stale",
]
