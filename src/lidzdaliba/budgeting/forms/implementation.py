"""Forms of the officers' implementation pages. They check shapes; the rules live in
``services.implementation``."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import ImplementationStatus
from ..services.implementation import MAX_PHOTOS

_SPACES = re.compile(r"[\s\u00a0\u202f']")


def euros_to_cents(text: str) -> int:
    """``"184 937,53"``, ``"184937.53"`` or ``"€1,200"`` → cents; ``ValueError`` otherwise."""
    value = _SPACES.sub("", str(text)).replace("€", "").replace("EUR", "")
    if "," in value and "." in value:
        # the last separator is the decimal one: 1.234,56 or 1,234.56
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif "," in value:
        head, _sep, tail = value.rpartition(",")
        value = f"{head.replace(',', '')}.{tail}" if len(tail) <= 2 else value.replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", value):
        raise ValueError(text)
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern rules this out
        raise ValueError(text) from exc
    return int(amount * 100)


def cents_to_input(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"{cents // 100},{cents % 100:02d}"


class EuroField(forms.CharField):
    """An amount in euros typed as people type it (``1 234,56``), cleaned to cents."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return cents_to_input(value)
        return value

    def clean(self, value: Any) -> int | None:
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            cents = euros_to_cents(value)
        except ValueError:
            raise ValidationError(
                _("Write an amount in euros, for example 1 234,56."), code="invalid"
            ) from None
        if cents < 0:
            raise ValidationError(_("A cost is an amount of 0 € or more."), code="negative")
        if cents > 10**13:
            raise ValidationError(_("The amount is too large."), code="too_large")
        return cents


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ImplementationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ImplementationStatus.choices)
    progress = forms.IntegerField(
        label=_("Progress, %"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric"}),
    )
    planned_cost = EuroField(label=_("Planned cost, €"))
    actual_cost = EuroField(
        label=_("Actual cost so far, €"),
        required=False,
        help_text=_("Leave empty until there are invoices."),
    )
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DateInput())
    planned_end = forms.DateField(label=_("Planned completion"), required=False, widget=DateInput())
    actual_end = forms.DateField(
        label=_("Completed on"),
        required=False,
        widget=DateInput(),
        help_text=_("Required when the project is done."),
    )
    cancel_reason = forms.CharField(
        label=_("Reason for cancelling"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the project is cancelled; it is public."),
    )
    text = forms.CharField(
        label=_("Public update"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened and what comes next. Followers and voters are notified."),
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label=_("What the photos show"),
        required=False,
        max_length=300,
        help_text=_("A short description for people who cannot see them."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = gettext(
            "Up to %(count)d photos (JPEG, PNG or WebP). Location data in them is removed."
        ) % {"count": MAX_PHOTOS}

    @classmethod
    def initial_for(cls, implementation: Any) -> dict[str, Any]:
        return {
            "status": implementation.status,
            "progress": implementation.progress,
            "planned_cost": implementation.planned_cost_cents,
            "actual_cost": implementation.actual_cost_cents,
            "planned_start": implementation.planned_start,
            "planned_end": implementation.planned_end,
            "actual_end": implementation.actual_end,
            "cancel_reason": implementation.cancel_reason,
        }

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "progress": data["progress"],
            "planned_cost_cents": data["planned_cost"],
            "actual_cost_cents": data["actual_cost"],
            "planned_start": data["planned_start"],
            "planned_end": data["planned_end"],
            "actual_end": data["actual_end"],
            "cancel_reason": data["cancel_reason"],
            "text": data["text"],
            "photos": data["photos"],
            "photo_alt": data["photo_alt"],
        }


# Field names of the service's errors → the form's fields.
SERVICE_FIELDS = {
    "planned_cost_cents": "planned_cost",
    "actual_cost_cents": "actual_cost",
    "amount_cents": "amount",
}


class MaintenanceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    amount = EuroField(label=_("Maintenance cost that year, €"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("E.g. what the upkeep included."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
