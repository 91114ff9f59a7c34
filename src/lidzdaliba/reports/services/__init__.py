"""Every write to citizen reports: submitting, supporting, handling, merging, hiding and the
four-week follow-up. Each runs in a transaction and records an audit event."""

from .alerts import alerts_for, area_alert_confirm, area_alert_subscribe, area_alert_unsubscribe
from .common import (
    FOLLOWUP_AFTER,
    FOLLOWUP_SALT,
    MAX_DESCRIPTION,
    MAX_PHOTOS,
    TRANSITIONS,
    ReportRejected,
)
from .followup import (
    followup_token,
    report_followup_answer,
    report_for_followup_token,
    reports_followup_send,
)
from .handling import report_assign, report_hide, report_merge, report_note_add, report_transition
from .personal_data import personal_data_erase, personal_data_of
from .submit import department_for, report_submit, report_support

__all__ = [
    "FOLLOWUP_AFTER",
    "FOLLOWUP_SALT",
    "MAX_DESCRIPTION",
    "MAX_PHOTOS",
    "TRANSITIONS",
    "ReportRejected",
    "alerts_for",
    "area_alert_confirm",
    "area_alert_subscribe",
    "area_alert_unsubscribe",
    "department_for",
    "followup_token",
    "personal_data_erase",
    "personal_data_of",
    "report_assign",
    "report_followup_answer",
    "report_for_followup_token",
    "report_hide",
    "report_merge",
    "report_note_add",
    "report_submit",
    "report_support",
    "report_transition",
    "reports_followup_send",
]
