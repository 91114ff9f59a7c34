"""Money as integer cents, shown in the active locale's format: ``184 937,53 €`` in lv."""

from decimal import Decimal

from django.utils import formats, translation
from django.utils.numberformat import format as number_format


def format_money(cents: int | None, *, language: str | None = None, decimals: int = 2) -> str:
    """Format integer cents as euros in ``language`` (the active one by default)."""
    if cents is None:
        return ""
    language = language or translation.get_language() or "lv"
    amount = Decimal(int(cents)) / 100
    with translation.override(language):
        decimal_sep = formats.get_format("DECIMAL_SEPARATOR", language)
        thousand_sep = formats.get_format("THOUSAND_SEPARATOR", language)
    text = number_format(
        amount,
        decimal_sep,
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=thousand_sep,
        force_grouping=True,
    )
    return f"€{text}" if language == "en" else f"{text}\xa0€"
