"""Checks shared by the forms, the services and the HSDS import, with translated messages."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from hsds_profile import hours
from lidzdaliba.core.services import PlacementError, neighbourhood_for_point

LANGUAGE_CHOICES = [
    ("lv", "latviešu"),
    ("ru", "русский"),
    ("en", "English"),
    ("uk", "українська"),
    ("de", "Deutsch"),
    ("lt", "lietuvių"),
    ("pl", "polski"),
    ("lsl", "latviešu zīmju valoda"),
]
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def plain_text(value: str) -> str:
    """``value`` if it has no HTML tags; else :class:`ValidationError`."""
    if value and _TAG.search(value):
        raise ValidationError(
            _("Write plain text: HTML tags such as <b> or <a> are not allowed here."),
            code="html",
        )
    return value


def strip_html(value: str) -> str:
    """``value`` with any HTML tags removed (for imports from other systems)."""
    return strip_tags(value or "").strip()


def phone(value: str) -> str:
    """A phone number in international format (+371 …); Latvian numbers may omit +371.

    Raises :class:`ValidationError` when ``value`` is not a possible, valid number.
    """
    if not value:
        return ""
    message = _("“%(value)s” is not a phone number. Write it like +371 63 400 000.") % {
        "value": value
    }
    try:
        number = phonenumbers.parse(value, "LV")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(message, code="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_HOURS_MESSAGES = {
    "unknown-day": lambda p: (
        _("“%(day)s” in “%(entry)s” is not a day. Use MO TU WE TH FR SA SU (or P O T C PK S SV).")
        % p
    ),
    "bad-time": lambda p: _("“%(time)s” in “%(entry)s” is not a time of day.") % p,
    "closes-before-opens": lambda p: (
        _("In “%(entry)s” the closing time is not after the opening time.") % p
    ),
    "bad-format": lambda p: (
        _(
            "“%(entry)s” cannot be read. Write days and hours like MO-FR 09:00-17:00; SA 10:00-14:00."
        )
        % p
    ),
}


def hours_message(error: hours.HoursError) -> str:
    params = {"entry": "", "day": "", "time": "", **error.params}
    return _HOURS_MESSAGES.get(error.code, _HOURS_MESSAGES["bad-format"])(params)


def opening_hours(value: str) -> list[hours.Opening]:
    """The openings in ``value``; :class:`ValidationError` with a message naming the entry
    that cannot be read."""
    try:
        return hours.parse_hours(value)
    except hours.HoursError as exc:
        raise ValidationError(hours_message(exc), code="hours") from exc


def place(*, municipality: Any, latitude: Any, longitude: Any):
    """The neighbourhood containing the point; :class:`ValidationError` when it is outside
    the municipality or not a coordinate."""
    try:
        return neighbourhood_for_point(municipality=municipality, lat=latitude, lon=longitude)
    except PlacementError as exc:
        raise ValidationError(exc.message, code="outside") from exc


def language_codes(codes: list[str]) -> str:
    """Known language codes joined with commas; :class:`ValidationError` for an unknown one."""
    unknown = [c for c in codes if c not in LANGUAGE_NAMES]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)},
            code="language",
        )
    return ",".join(dict.fromkeys(codes))
