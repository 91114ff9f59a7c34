"""Forms of the voting pages (thin: the ballot rules live in ``services.voting``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lidzdaliba.core.money import format_money

from ..models.cycles import BallotForm


def choices_from_post(*, category, data, project_ids) -> dict[int, int]:
    """``{idea pk: points}`` from the ballot form of ``category``.

    Approval and knapsack ballots send checkboxes ``idea`` (one value per chosen project),
    single-choice ballots one radio ``idea`` (empty: none), cumulative ballots a number
    ``points-<pk>`` per project. Raises ``ValidationError`` with a translated message when a
    value cannot be read."""
    form = category.ballot_form
    try:
        if form == BallotForm.CUMULATIVE:
            choices = {}
            for pk in project_ids:
                raw = (data.get(f"points-{pk}") or "").strip()
                if raw:
                    choices[pk] = int(raw)
            return choices
        if form == BallotForm.SINGLE:
            raw = (data.get("idea") or "").strip()
            return {int(raw): 1} if raw else {}
        return {int(raw): 1 for raw in data.getlist("idea") if raw.strip()}
    except ValueError:
        raise ValidationError(_("Enter whole numbers of points.")) from None


def _project_label(idea) -> str:
    return f"{idea.title} — {format_money(idea.ballot_cost_cents or 0)}"


class PaperBallotForm(forms.Form):
    """A paper ballot as staff type it in; a choice field per category (``cat-<pk>``), or
    for cumulative ballots a points field per project (``cat-<pk>-<idea pk>``)."""

    personal_code = forms.CharField(
        label=gettext_lazy("Personal code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Birth date"),
        required=False,
        help_text=gettext_lazy(
            "Only for personal codes starting with 32 (they hold no birth date): as in the "
            "identity document."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    neighbourhood = forms.ModelChoiceField(
        label=gettext_lazy("Neighbourhood where the voter lives"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Leave empty to take it from the register of residents."),
    )
    id_document_checked = forms.BooleanField(
        label=gettext_lazy("I checked the voter's identity document"),
        required=True,
        error_messages={"required": gettext_lazy("Check the identity document first.")},
    )

    def __init__(self, *args, cycle, categories, projects_by_category, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = cycle.municipality.neighbourhoods.order_by("name")
        self.category_fields: list[tuple] = []
        for category in categories:
            projects = projects_by_category.get(category.pk, [])
            names = []
            if category.ballot_form == BallotForm.CUMULATIVE:
                for idea in projects:
                    name = f"cat-{category.pk}-{idea.pk}"
                    self.fields[name] = forms.IntegerField(
                        label=_project_label(idea), required=False, min_value=0
                    )
                    names.append(name)
            elif category.ballot_form == BallotForm.SINGLE:
                name = f"cat-{category.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    label=category.name,
                    choices=[("", _("No project"))]
                    + [(str(i.pk), _project_label(i)) for i in projects],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect,
                )
                names.append(name)
            else:
                name = f"cat-{category.pk}"
                self.fields[name] = forms.TypedMultipleChoiceField(
                    label=category.name,
                    choices=[(str(i.pk), _project_label(i)) for i in projects],
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
                names.append(name)
            self.category_fields.append((category, [self[n] for n in names]))

    def category_choices(self) -> dict[int, dict[int, int]]:
        """``{category pk: {idea pk: points}}`` from the cleaned data."""
        data = self.cleaned_data
        out: dict[int, dict[int, int]] = {}
        for category, bound in self.category_fields:
            choices: dict[int, int] = {}
            for field in bound:
                value = data.get(field.name)
                if category.ballot_form == BallotForm.CUMULATIVE:
                    if value:
                        choices[int(field.name.rsplit("-", 1)[1])] = value
                elif category.ballot_form == BallotForm.SINGLE:
                    if value:
                        choices[value] = 1
                else:
                    for pk in value or []:
                        choices[pk] = 1
            out[category.pk] = choices
        return out
