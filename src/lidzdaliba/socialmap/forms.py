from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import selectors, validation
from .models import Service


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    need = forms.ChoiceField(label=_("What do you need help with?"), required=False)
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)
    language = forms.ChoiceField(label=_("Language of service"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    accessible = forms.BooleanField(label=_("Step-free entrance"), required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(type="search", autocomplete="off")
        self.fields["need"].choices = [("", _("Any need"))] + [
            (n.slug, n.name) for n in selectors.needs_of(municipality=municipality)
        ]
        self.fields["neighbourhood"].choices = [("", _("Anywhere in the city"))] + [
            (n.slug, n.name) for n in selectors.neighbourhoods_of(municipality=municipality)
        ]
        self.fields["language"].choices = [("", _("Any language")), *validation.LANGUAGE_CHOICES]

    def filters(self) -> selectors.Filters:
        if not self.is_valid():
            return selectors.Filters()
        return selectors.Filters(**self.cleaned_data)


class PlainTextField(forms.CharField):
    """Text without HTML tags."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(validation.plain_text)


def _lang_suffix() -> str:
    return (get_language() or "lv").split("-")[0]


class ServiceForm(forms.Form):
    """A proposal for a service; translated fields are for the page's language."""

    TRANSLATED = (
        "name",
        "description",
        "eligibility",
        "application_process",
        "required_documents",
        "fees_description",
        "accessibility",
        "transportation",
    )

    name = PlainTextField(label=_("Name of the service"), max_length=250)
    description = PlainTextField(
        label=_("What help is given"), widget=forms.Textarea(attrs={"rows": 4})
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs it answers"), widget=forms.CheckboxSelectMultiple
    )
    eligibility = PlainTextField(
        label=_("Who it is for"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum age"), required=False, min_value=0, max_value=120
    )
    maximum_age = forms.IntegerField(
        label=_("Maximum age"), required=False, min_value=0, max_value=120
    )
    application_process = PlainTextField(
        label=_("How to apply"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required_documents = PlainTextField(
        label=_("Documents needed"),
        required=False,
        help_text=_("One document per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_free = forms.BooleanField(label=_("Free of charge"), required=False)
    fees_description = PlainTextField(label=_("Costs, if any"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages of service"),
        choices=validation.LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hours = forms.CharField(
        label=_("Opening hours"),
        required=False,
        max_length=300,
        help_text=_(
            "Days and hours, e.g. MO-FR 09:00-17:00; SA 10:00-14:00. Leave empty if by appointment."
        ),
    )
    address = PlainTextField(label=_("Street address"), max_length=250)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, initial="LV-3401")
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, help_text=_("For example 56.5110")
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, help_text=_("For example 21.0136")
    )
    step_free = forms.BooleanField(label=_("Step-free entrance"), required=False)
    accessibility = PlainTextField(label=_("Accessibility details"), required=False)
    transportation = PlainTextField(label=_("Public transport"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False)
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")
    status = forms.ChoiceField(label=_("Status"), choices=Service.Status.choices)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = [
            (n.slug, n.name) for n in selectors.needs_of(municipality=municipality)
        ]
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_phone(self):
        return validation.phone(self.cleaned_data["phone"])

    def clean_hours(self):
        validation.opening_hours(self.cleaned_data["hours"])
        return self.cleaned_data["hours"]

    @classmethod
    def initial_from(cls, values: dict) -> dict:
        lang = _lang_suffix()
        initial = dict(values)
        for field in cls.TRANSLATED:
            initial[field] = values.get(f"{field}_{lang}") or ""
        return initial

    def payload(self) -> dict:
        lang = _lang_suffix()
        data = dict(self.cleaned_data)
        for field in self.TRANSLATED:
            data[f"{field}_{lang}"] = data.pop(field)
        for key in ("latitude", "longitude"):
            if key in data:
                data[key] = str(data[key])
        return data


class ProviderForm(forms.Form):
    TRANSLATED = ("name", "description")

    name = PlainTextField(label=_("Name of the organisation"), max_length=250)
    description = PlainTextField(
        label=_("What the organisation does"), widget=forms.Textarea(attrs={"rows": 4})
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    registration_number = forms.CharField(
        label=_("Registration number"), required=False, max_length=20
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"

    def clean_phone(self):
        return validation.phone(self.cleaned_data["phone"])

    initial_from = classmethod(ServiceForm.initial_from.__func__)
    payload = ServiceForm.payload


class OutdatedForm(forms.Form):
    message = PlainTextField(
        label=_("What is out of date?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example a new phone number, other opening hours, or the service has closed."
        ),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS 3.0 file"),
        help_text=_(
            "JSON (full services, a page of them, or organisations with their services) or "
            "the tabular datapackage as a zip."
        ),
    )


class MergeForm(forms.Form):
    keep = forms.UUIDField(label=_("Keep this organisation (HSDS id)"))
    duplicate = forms.UUIDField(label=_("Merge this duplicate into it (HSDS id)"))
