"""Forms of the cycle set-up pages (thin: the rules live in ``services.cycles``).

Field names are the service's keyword names, so a ``ValidationError`` keyed by field from
the service lands on the right field (``form.add_error(None, exc)``). Money is typed in
euros (``184 937,53`` or ``184937.53``) and cleaned to integer cents by ``EuroField``,
which other areas may reuse.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ..models.cycles import PHASE_ORDER, BallotForm, CountingRule, CycleStatus, Submitters
from ..services.cycles import REQUIRED_DATE_FIELDS, legal_minimum_cents

MAX_CENTS = 10**14  # a trillion euros: anything above is a typing mistake
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_euros(text: str) -> int:
    """``"184 937,53"``, ``"184937.53 €"``, ``"1.234,5"`` → cents. Raises ``ValueError``."""
    text = _SPACES.sub("", str(text)).replace("€", "").replace("EUR", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    amount = Decimal(text)
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(text)
    return int(amount * 100)


class EuroField(forms.CharField):
    """A sum of money typed in euros, cleaned to integer euro cents (``None`` if empty)."""

    default_error_messages = {
        "invalid": _("Give a sum in euros, e.g. 12 500 or 12 500,50."),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": 24})

    def prepare_value(self, value):
        if isinstance(value, int):
            euros = Decimal(value) / 100
            text = f"{euros:.2f}"
            if text.endswith(".00"):
                text = text[:-3]
            return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            cents = parse_euros(value[:40])
        except (ValueError, InvalidOperation) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if cents > MAX_CENTS:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return cents


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


DATE_LABELS = {
    "submission_opens_at": _("Idea submission opens"),
    "submission_closes_at": _("Idea submission closes"),
    "review_ends_at": _("Review of ideas ends"),
    "voting_opens_at": _("Voting opens"),
    "voting_closes_at": _("Voting closes"),
    "implementation_starts_at": _("Implementation starts"),
    "finished_at": _("The cycle ends"),
}


class CycleForm(forms.Form):
    title = forms.CharField(label=_("Title (in Latvian)"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    slug = forms.SlugField(
        label=_("Short name for the address"),
        max_length=60,
        help_text=_("Latin letters, digits and hyphens, e.g. liepaja-2026."),
    )
    description = forms.CharField(
        label=_("Description (in Latvian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    total_budget_cents = EuroField(label=_("Total money (€)"))
    reserve_cents = EuroField(
        label=_("Reserve for unforeseen costs (€)"),
        required=False,
        help_text=_("Part of the total kept aside; the categories share the rest."),
    )
    revenue_year1_cents = EuroField(
        label=_("Income and real-estate tax revenue, three years ago (€)"), required=False
    )
    revenue_year2_cents = EuroField(
        label=_("Income and real-estate tax revenue, two years ago (€)"), required=False
    )
    revenue_year3_cents = EuroField(
        label=_("Income and real-estate tax revenue, last year (€)"),
        required=False,
        help_text=_(
            # xgettext:no-python-format
            "With the three years' actual revenue the legal minimum is computed: 0.5 % of "
            "their average."
        ),
    )
    submission_opens_at = forms.DateTimeField(widget=DateTimeLocalInput())
    submission_closes_at = forms.DateTimeField(
        widget=DateTimeLocalInput(), help_text=_("At least 30 days after submission opens.")
    )
    review_ends_at = forms.DateTimeField(widget=DateTimeLocalInput())
    voting_opens_at = forms.DateTimeField(widget=DateTimeLocalInput())
    voting_closes_at = forms.DateTimeField(widget=DateTimeLocalInput())
    implementation_starts_at = forms.DateTimeField(widget=DateTimeLocalInput(), required=False)
    finished_at = forms.DateTimeField(widget=DateTimeLocalInput(), required=False)
    submitters = forms.ChoiceField(
        label=_("Who may submit ideas"),
        choices=Submitters.choices,
        initial=Submitters.PEOPLE_AND_NGOS,
    )
    min_age = forms.IntegerField(
        label=_("Minimum age to submit and vote"), min_value=16, max_value=120, initial=16
    )
    vote_in_own_neighbourhood_only = forms.BooleanField(
        label=_("Residents vote only in the categories of their own neighbourhood"),
        required=False,
    )
    author_answer_days = forms.IntegerField(
        label=_("Days an author has to answer a review decision"),
        min_value=0,
        max_value=60,
        initial=7,
    )

    def __init__(self, *args, cycle=None, **kwargs):
        if cycle is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(cycle)
        super().__init__(*args, **kwargs)
        for name, label in DATE_LABELS.items():
            self.fields[name].label = label
            self.fields[name].required = name in REQUIRED_DATE_FIELDS

    @staticmethod
    def initial_for(cycle) -> dict:
        names = [n for n in CycleForm.base_fields if n not in ("title", "description")]
        data = {name: getattr(cycle, name) for name in names}
        # the Latvian text, or what the page shows when it is missing (the fallback)
        data["title"] = cycle.title_lv or cycle.title
        data["description"] = cycle.description_lv or cycle.description
        data["title_en"] = cycle.title_en or ""
        data["description_en"] = cycle.description_en or ""
        return data

    def clean_reserve_cents(self):
        return self.cleaned_data.get("reserve_cents") or 0

    def legal_minimum(self) -> int | None:
        """The legal minimum from the typed (or stored) revenue, for the form's hint."""
        source = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        years = [
            source.get(n, self.initial.get(n))
            for n in ("revenue_year1_cents", "revenue_year2_cents", "revenue_year3_cents")
        ]
        return legal_minimum_cents(*years)

    def below_legal_minimum(self) -> bool:
        minimum = self.legal_minimum()
        source = getattr(self, "cleaned_data", None) or self.initial
        total = source.get("total_budget_cents")
        return minimum is not None and total is not None and total < minimum

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}

    def groups(self) -> list[tuple[str, list]]:
        """The fields in fieldsets: (legend, bound fields)."""
        return [(str(legend), [self[name] for name in names]) for legend, names in self.GROUPS]

    GROUPS = (
        (_("Name and description"), ("title", "title_en", "slug", "description", "description_en")),
        (_("Phases"), tuple(DATE_LABELS)),
        (
            _("Money"),
            (
                "total_budget_cents",
                "reserve_cents",
                "revenue_year1_cents",
                "revenue_year2_cents",
                "revenue_year3_cents",
            ),
        ),
        (
            _("Who may take part"),
            ("submitters", "min_age", "vote_in_own_neighbourhood_only", "author_answer_days"),
        ),
    )


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name (in Latvian)"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    slug = forms.SlugField(
        label=_("Short name for the address"),
        max_length=60,
        help_text=_("Latin letters, digits and hyphens, e.g. infrastruktura."),
    )
    description = forms.CharField(
        label=_("Description (in Latvian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Planning unit"),
        queryset=None,
        required=False,
        empty_label=_("The whole municipality"),
    )
    budget_cents = EuroField(label=_("Money of the category (€)"))
    cost_cap_cents = EuroField(
        label=_("Largest cost of one project (€)"),
        required=False,
        help_text=_("Empty: up to the category's money."),
    )
    ballot_form = forms.ChoiceField(
        label=_("Ballot"), choices=BallotForm.choices, widget=forms.RadioSelect
    )
    max_picks = forms.IntegerField(
        label=_("Projects a voter may choose"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("For “approve up to”; empty means no limit."),
    )
    points = forms.IntegerField(
        label=_("Points a voter shares"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("For cumulative ballots."),
    )
    rule = forms.ChoiceField(
        label=_("Counting rule"), choices=CountingRule.choices, widget=forms.RadioSelect
    )
    min_votes = forms.IntegerField(
        label=_("Minimum votes to be funded"),
        min_value=1,
        required=False,
        help_text=_("Empty: no threshold."),
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, required=False)

    def __init__(self, *args, cycle, category=None, **kwargs):
        if category is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{n: getattr(category, n) for n in self.base_fields if n != "neighbourhood"},
                "name": category.name_lv or category.name,
                "description": category.description_lv or category.description,
                "name_en": category.name_en or "",
                "neighbourhood": category.neighbourhood_id,
            }
        kwargs.setdefault("initial", {}).setdefault("ballot_form", BallotForm.APPROVAL)
        kwargs["initial"].setdefault("rule", CountingRule.GREEDY)
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = cycle.municipality.neighbourhoods.filter(
            is_planning_unit=True
        ).order_by("name")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("position") is None:
            data.pop("position", None)
        return data


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("Name (in Latvian)"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=None, required=False, empty_label=_("Any category")
    )

    def __init__(self, *args, cycle, theme=None, **kwargs):
        if theme is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": theme.name_lv or theme.name,
                "name_en": theme.name_en or "",
                "category": theme.category_id,
            }
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = cycle.categories.order_by("position", "id")

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class PhaseMoveForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Move to the phase"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Public: it is recorded with the change."),
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s, CycleStatus(s).label) for s in PHASE_ORDER if s != cycle.status
        ]
