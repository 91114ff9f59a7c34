"""Every write of the accounts app: one place where its rules run (inside transactions)."""

from .census import (
    census_file_check,
    census_file_check_structure,
    census_import_run,
    census_import_start,
)
from .errors import AccountsError, CensusImportRefused, InvalidInput, NotAllowed, VerificationFailed
from .people import (
    account_delete,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    membership_approve,
    profile_update,
)
from .residency import (
    ATTEMPTS_PER_HOUR,
    identity_key_for_code,
    residencies_revoke_all,
    residency_revoke,
    residency_verify_code,
    residency_verify_identity,
    verification_attempts_left,
)
from .roles import ROLE_PERMISSIONS, roles_ensure

__all__ = [
    "ATTEMPTS_PER_HOUR",
    "ROLE_PERMISSIONS",
    "AccountsError",
    "CensusImportRefused",
    "InvalidInput",
    "NotAllowed",
    "VerificationFailed",
    "account_delete",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "census_file_check",
    "census_file_check_structure",
    "census_import_run",
    "census_import_start",
    "identity_key_for_code",
    "membership_approve",
    "profile_update",
    "residencies_revoke_all",
    "residency_revoke",
    "residency_verify_code",
    "residency_verify_identity",
    "roles_ensure",
    "verification_attempts_left",
]
