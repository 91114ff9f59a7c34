"""Forms of the idea pages (thin: the rules live in ``services.ideas``)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lidzdaliba.core.forms import SdgTagsField

from ..models import Category, Idea, Theme
from ..models.ideas import PUBLIC_IDEA_STATUSES, IdeaStatus

_EURO = re.compile(r"^\d+([.,]\d{1,2})?$")


def parse_euros(text: str) -> int | None:
    """``"1 200,50"`` / ``"1200.50"`` / ``"1200"`` → cents; ``None`` for an empty value;
    ``ValueError`` for anything else."""
    compact = re.sub(r"[\s\u00a0€]", "", text or "")
    if not compact:
        return None
    if not _EURO.match(compact):
        raise ValueError(compact)
    try:
        return int((Decimal(compact.replace(",", ".")) * 100).to_integral_value())
    except InvalidOperation as exc:  # pragma: no cover - the pattern rules it out
        raise ValueError(compact) from exc


def euros(cents: int | None) -> str:
    """Cents as the amount a person would type: ``"1200,50"``."""
    if cents is None:
        return ""
    whole, part = divmod(int(cents), 100)
    return f"{whole},{part:02d}" if part else str(whole)


class EuroField(forms.CharField):
    """An amount in euros typed as ``1 200,50`` (or with a dot); cleans to integer cents."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return euros(value) if isinstance(value, int) else value

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_euros(value)
        except ValueError:
            raise ValidationError(
                _("Write an amount in euros, for example 1200 or 1200,50."), code="invalid"
            ) from None


class CostLineForm(forms.Form):
    description = forms.CharField(label=_("Item"), max_length=200, required=False)
    amount = EuroField(label=_("Amount, €"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("amount") and not (data.get("description") or "").strip():
            self.add_error("description", _("Say what this amount is for."))
        if (data.get("description") or "").strip() and not data.get("amount"):
            self.add_error("amount", _("Give the amount for this item."))
        return data


def cost_formset(*, data=None, lines=(), extra: int = 3) -> forms.BaseFormSet:
    """The cost lines (existing ones first) with ``extra`` empty rows; works without JS: a
    "more lines" button re-renders the form with more empty rows."""
    initial = [{"description": line.description, "amount": line.amount_cents} for line in lines]
    formset_class = forms.formset_factory(CostLineForm, extra=extra, max_num=30, absolute_max=30)
    return formset_class(data=data, initial=initial or None, prefix="cost")


def cost_lines_of(formset) -> list[tuple[str, int]]:
    return [
        ((f.cleaned_data.get("description") or "").strip(), f.cleaned_data.get("amount") or 0)
        for f in formset.forms
        if f.cleaned_data
        and ((f.cleaned_data.get("description") or "").strip() or f.cleaned_data.get("amount"))
    ]


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.category.name}: {obj.name}" if obj.category_id else obj.name


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        help_text=_("One or two sentences: they are shown in lists and on the ballot."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label=_("Description"),
        help_text=_("What should be done, where, for whom, and why."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    theme = ThemeChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False)
    address = forms.CharField(
        label=_("Address or place"),
        max_length=300,
        required=False,
        help_text=_("For example: Graudu iela 10, or the park by the lake."),
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    coauthors = forms.CharField(
        label=_("Co-authors"),
        required=False,
        help_text=_(
            "E-mail addresses of people with an account here, one per line. Co-authors may "
            "change the idea too."
        ),
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Submit on behalf of"),
        queryset=None,
        required=False,
        empty_label=pgettext_lazy("submit on behalf of", "Myself"),
    )
    age_declared = forms.BooleanField(label="", required=False)
    sdg = SdgTagsField(required=False)
    photo = forms.ImageField(
        label=_("Add a photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP. Location data in the photo is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label=_("What the photo shows"),
        max_length=300,
        required=False,
        help_text=_("A few words for people who cannot see the photo."),
    )

    def __init__(
        self,
        *args: Any,
        cycle,
        organisations=(),
        ask_age: bool = False,
        is_author: bool = True,
        instance: Idea | None = None,
        **kwargs: Any,
    ):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "summary": instance.summary,
                "description": instance.description,
                "category": instance.category_id,
                "theme": instance.theme_id,
                "address": instance.address,
                "lat": instance.lat,
                "lon": instance.lon,
                "coauthors": "\n".join(u.email for u in instance.coauthors.all()),
                "organisation": instance.organisation_id,
                "sdg": SdgTagsField.initial_for(instance),
            }
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.instance = instance
        self.fields["category"].queryset = cycle.categories.all()
        self.fields["theme"].queryset = cycle.themes.select_related("category")
        self.fields["sdg"].set_municipality(cycle.municipality)
        if organisations:
            self.fields["organisation"].queryset = type(organisations[0]).objects.filter(
                pk__in=[o.pk for o in organisations]
            )
        if not organisations or not is_author:
            del self.fields["organisation"]
        if ask_age:
            self.fields["age_declared"].label = _("I am %(age)d years old or more.") % {
                "age": cycle.min_age
            }
            self.ask_age = True
        else:
            del self.fields["age_declared"]
        if not is_author:
            self.fields["coauthors"].disabled = True
            self.fields["coauthors"].help_text = _("Only the author may change the co-authors.")

    ask_age = False

    def clean(self):
        data = super().clean()
        if self.ask_age and not data.get("organisation") and not data.get("age_declared"):
            self.add_error(
                "age_declared",
                _("Confirm that you are %(age)d years old or more.") % {"age": self.cycle.min_age},
            )
        category, theme = data.get("category"), data.get("theme")
        if category and theme and theme.category_id not in (None, category.pk):
            self.add_error(
                "theme",
                _("The theme “%(theme)s” does not belong to the category “%(category)s”.")
                % {"theme": theme.name, "category": category.name},
            )
        if data.get("photo") and not (data.get("photo_alt") or "").strip():
            self.add_error(
                "photo_alt", _("Describe the photo in a few words for people who cannot see it.")
            )
        return data

    def coauthor_emails(self) -> list[str]:
        return [e for e in re.split(r"[\s,;]+", self.cleaned_data.get("coauthors") or "") if e]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in ("title", "summary", "description", "category", "theme", "address")
        } | {"lat": data.get("lat"), "lon": data.get("lon")}


class IdeaFilterForm(forms.Form):
    """Filters of the public list; every choice is written out by the template."""

    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)
    theme = ThemeChoiceField(label=_("Theme"), queryset=None, required=False)
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, cycle, categories, themes, neighbourhoods, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = cycle.categories.all()
        self.fields["category"].choices_list = [("", _("All"))] + [
            (str(c.pk), c.name) for c in categories
        ]
        self.fields["theme"].queryset = cycle.themes.all()
        self.fields["theme"].choices_list = [("", _("All"))] + [(str(t.pk), t.name) for t in themes]
        self.fields["neighbourhood"].queryset = cycle.municipality.neighbourhoods.all()
        self.fields["neighbourhood"].choices_list = [("", _("All"))] + [
            (str(n.pk), n.name) for n in neighbourhoods
        ]
        statuses = [("", _("All"))] + [(s.value, s.label) for s in PUBLIC_IDEA_STATUSES]
        self.fields["status"].choices = statuses
        self.fields["status"].choices_list = statuses

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw the idea? (shown publicly, optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer to the proposed decision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


__all__ = [
    "AnswerForm",
    "CostLineForm",
    "IdeaFilterForm",
    "IdeaForm",
    "IdeaStatus",
    "WithdrawForm",
    "cost_formset",
    "cost_lines_of",
    "parse_euros",
]
