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

from stdnum.exceptions import ValidationError as _StdnumError
from stdnum.lv import pvn as _pvn

__all__ = [
    "AGE_BANDS",
    "InvalidPersonalCode",
    "age_band",
    "age_on",
    "birth_date",
    "identity_key",
    "normalise",
]


class InvalidPersonalCode(ValueError):
    """The text is not a valid Latvian personal code."""


def normalise(code: str) -> str:
    """The 11 digits of a valid code (spaces and the dash removed), or raise
    :class:`InvalidPersonalCode`."""
    text = str(code).strip()
    if text.upper().startswith("LV"):
        raise InvalidPersonalCode("A personal code has no country prefix.")
    try:
        digits = _pvn.validate(text)
    except _StdnumError as exc:
        raise InvalidPersonalCode(str(exc)) from exc
    if digits[0] > "3":
        raise InvalidPersonalCode("This is a company number, not a personal code.")
    return digits


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
    secret = key.encode() if isinstance(key, str) else key
    return hmac.new(secret, normalise(code).encode(), hashlib.sha256).hexdigest()


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
