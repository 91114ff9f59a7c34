"""Errors the accounts services raise; ``message`` is translated and meant for the user."""

from __future__ import annotations


class AccountsError(Exception):
    """Base class: the action was refused and nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(AccountsError):
    """The actor lacks the permission for this action."""


class CensusImportRefused(AccountsError):
    """The census file cannot be imported; ``errors`` lists ``{"line", "message"}``."""

    def __init__(self, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.errors = errors or []


class VerificationFailed(AccountsError):
    """The residency could not be verified; ``code`` says why (``"format"``,
    ``"checksum"``, ``"not_found"``, ``"rate_limited"``, ``"in_use"``, ``"other_person"``,
    ``"no_municipality"``)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


class InvalidInput(AccountsError):
    """A value given to a service is not acceptable."""
