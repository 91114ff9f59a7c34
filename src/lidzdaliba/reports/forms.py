"""Forms for reporting, filtering and handling. They check shapes; the rules live in
``reports.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Category, CategoryQuestion, Department, ResponseTemplate, Status
from .services import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class CodeChoiceField(forms.ModelChoiceField):
    """Chooses by code; a value PostgreSQL cannot even compare (NUL) is an invalid choice."""

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ReportForm(forms.Form):
    category = CodeChoiceField(
        label=_("What is the problem?"),
        queryset=Category.objects.none(),
        empty_label=_("Choose a category"),
        to_field_name="code",
    )
    lat = forms.FloatField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, localize=False
    )
    lon = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, localize=False
    )
    address = forms.CharField(
        label=_("Address or description of the place"),
        required=False,
        max_length=300,
        help_text=_("For example: Graudu iela 10, by the bus stop."),
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 5 photos (JPEG, PNG or WebP). Location data in them is removed."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    email = forms.EmailField(
        label=_("E-mail for updates"),
        required=False,
        help_text=_("Optional. It is never shown publicly."),
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    show_name = forms.BooleanField(
        label=_("Show my name with the report"),
        required=False,
        help_text=_("Reports are anonymous in public unless you tick this."),
    )
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, municipality: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from .selectors import categories_for

        self.categories = list(categories_for(municipality=municipality))
        self.fields["category"].queryset = categories_for(municipality=municipality)
        self.fields["address"].widget.attrs.update(
            {"list": "report-streets", "autocomplete": "off"}
        )
        self.fields["lat"].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        self.fields["lon"].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        if user is not None and user.is_authenticated:
            self.fields["email"].initial = user.email
            self.fields["name"].initial = getattr(user, "full_name", "")
        self.question_fields: list[tuple[Category, list[forms.BoundField]]] = []
        for category in self.categories:
            bound = []
            for question in category.questions.all():
                name = f"q_{category.code}__{question.code}"
                self.fields[name] = _question_field(question)
                bound.append(self[name])
            if bound:
                self.question_fields.append((category, bound))

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(_("You can add at most 5 photos."))
        return photos

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            raise ValidationError(_("Give both latitude and longitude, or put a pin on the map."))
        if lat is None and not (data.get("address") or "").strip():
            self.add_error("address", _("Put a pin on the map or type the address of the problem."))
        return data

    def answers(self) -> dict[str, Any]:
        category = self.cleaned_data["category"]
        prefix = f"q_{category.code}__"
        return {
            name.removeprefix(prefix): value
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix)
        }


def _question_field(question: CategoryQuestion) -> forms.Field:
    common = {
        "label": question.label,
        "help_text": question.help_text,
        # Required-ness depends on the chosen category: the service checks it.
        "required": False,
    }
    choices = [(str(v.get("key")), v.get("name", v.get("key"))) for v in question.values or []]
    match question.datatype:
        case CategoryQuestion.Datatype.SINGLE:
            return forms.ChoiceField(choices=[("", "—"), *choices], **common)
        case CategoryQuestion.Datatype.MULTI:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        case CategoryQuestion.Datatype.NUMBER:
            return forms.DecimalField(**common)
        case CategoryQuestion.Datatype.TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
        case _:
            return forms.CharField(max_length=1000, **common)


def _neighbourhoods(municipality: Any):
    # Boundaries are large GeoJSON documents a choice list does not need.
    return municipality.neighbourhoods.defer("boundary")


class SupportForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail"), required=False)


class FilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)
    date_from = forms.DateField(
        label=_("Reported from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Reported until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.code, c.name)
            for c in Category.objects.filter(municipality=municipality).defer("description")
        ]
        self.fields["status"].choices = [
            ("", _("All statuses")),
            ("open", _("Open")),
            ("closed", _("Resolved or closed")),
            *Status.choices,
        ]
        self.fields["neighbourhood"].choices = [("", _("All neighbourhoods"))] + [
            (n.slug, n.name) for n in _neighbourhoods(municipality)
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    reply = forms.CharField(
        label=_("Public reply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the report and sent to the reporter and supporters."),
    )

    def __init__(self, *args: Any, allowed: list[Status], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in allowed]


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    assignee = forms.ModelChoiceField(
        label=_("Officer"), queryset=None, required=False, empty_label=_("Nobody yet")
    )

    def __init__(self, *args: Any, municipality: Any, officers: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
        self.fields["assignee"].queryset = officers


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Number of the report this one duplicates"), min_value=1)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), max_length=300)


class AlertForm(forms.Form):
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    email = forms.EmailField(label=_("Your e-mail"))

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from .selectors import categories_for

        self.fields["neighbourhood"].choices = [
            (n.slug, n.name) for n in _neighbourhoods(municipality)
        ]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.code, c.name) for c in categories_for(municipality=municipality)
        ]


def template_choices(municipality: Any) -> list[ResponseTemplate]:
    return list(ResponseTemplate.objects.filter(municipality=municipality))
