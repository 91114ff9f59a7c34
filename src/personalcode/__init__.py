"""Latvian personal codes (personas kods), without Django.

Validation uses python-stdnum's Latvian number checks (``stdnum.lv.pvn``, which validates
personal codes: old ``DDMMYY-CNNNN`` codes with their birth date and check digit, and new
``32NNNN-NNNNN`` codes that carry no birth date; python-stdnum has no separate ``lv.pk``
module). Company numbers, which that module also accepts, are refused here. The platform never stores a code: it
stores :func:`identity_key`, a keyed HMAC-SHA256 of the normalised code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from stdnum import exceptions as _stdnum_exceptions
from stdnum.exceptions import ValidationError as _StdnumError
from stdnum.lv import pvn as _pvn

__all__ = [
    "AGE_BANDS",
    "InvalidPersonalCode",
    "ParsedCode",
    "age_band",
    "age_on",
    "birth_date",
    "from_semantic_identifier",
    "identity_key",
    "normalise",
    "parse",
]


class InvalidPersonalCode(ValueError):
    """The text is not a valid Latvian personal code.

    ``reason`` says why, so that callers can word their own (translated) message:
    ``"format"`` (not 11 digits, letters, a country prefix, a company number),
    ``"checksum"`` (the check digit is wrong) or ``"date"`` (an old-format code whose
    birth date does not exist).
    """

    def __init__(self, message: str, *, reason: str = "format"):
        super().__init__(message)
        self.reason = reason


_REASONS = {
    _stdnum_exceptions.InvalidChecksum: "checksum",
    _stdnum_exceptions.InvalidComponent: "date",
}


def normalise(code: str) -> str:
    """The 11 digits of a valid code (spaces and the dash removed), or raise
    :class:`InvalidPersonalCode`."""
    text = str(code).strip()
    if text.upper().startswith("LV"):
        raise InvalidPersonalCode("A personal code has no country prefix.")
    try:
        digits = _pvn.validate(text)
    except _StdnumError as exc:
        raise InvalidPersonalCode(str(exc), reason=_REASONS.get(type(exc), "format")) from exc
    if digits[0] > "3":
        raise InvalidPersonalCode("This is a company number, not a personal code.")
    return digits


def from_semantic_identifier(value: str) -> str:
    """The 11 digits of a code given as an ETSI EN 319 412-1 semantic identifier
    (``PNOLV-010190-10001``, as Smart-ID, eParaksts and eID certificates carry it) or as a
    plain code; raise :class:`InvalidPersonalCode` if it is neither."""
    text = str(value).strip()
    if text.upper().startswith("PNOLV"):
        text = text[5:].lstrip("-: ")
    return normalise(text)


@dataclass(frozen=True)
class ParsedCode:
    """A valid code: its 11 digits and the birth date it encodes (``None`` for new codes)."""

    digits: str
    birth_date: dt.date | None

    @property
    def is_new_format(self) -> bool:
        return self.digits.startswith("32")

    def identity_key(self, *, key: str | bytes) -> str:
        """The same value as :func:`identity_key` for this code."""
        return _hmac_hex(self.digits, key)


def parse(code: str) -> ParsedCode:
    """Validate once and return the digits and birth date (faster than calling
    :func:`normalise`, :func:`birth_date` and :func:`identity_key` in turn, which matters
    when a census of many thousand rows is checked)."""
    digits = normalise(code)
    return ParsedCode(
        digits=digits, birth_date=None if digits.startswith("32") else _pvn.get_birth_date(digits)
    )


def is_new_format(code: str) -> bool:
    """True for codes issued since 1 July 2017, which start with 32 and hold no birth date."""
    return normalise(code).startswith("32")


def birth_date(code: str) -> dt.date | None:
    """The birth date an old-format code encodes, or ``None`` for a new-format code."""
    digits = normalise(code)
    if digits.startswith("32"):
        return None
    return _pvn.get_birth_date(digits)


def identity_key(code: str, *, key: str | bytes) -> str:
    """The hex HMAC-SHA256 of the normalised code under ``key``: the same person always
    gets the same key, and without ``key`` it cannot be reversed by trying all codes."""
    return _hmac_hex(normalise(code), key)


def _hmac_hex(digits: str, key: str | bytes) -> str:
    secret = key.encode() if isinstance(key, str) else key
    return hmac.new(secret, digits.encode(), hashlib.sha256).hexdigest()


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 15, "0-15"),
    (16, 17, "16-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 64, "55-64"),
    (65, 74, "65-74"),
    (75, None, "75+"),
)


def age_band(born: dt.date, day: dt.date) -> str:
    """The published age band (``"16-17"``, ``"25-34"``, …, ``"75+"``) on ``day``: coarse
    enough to appear in anonymised ballot files."""
    age = age_on(born, day)
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return AGE_BANDS[0][2]
