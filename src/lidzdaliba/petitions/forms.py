"""Forms of the collective-submission pages (thin: the rules live in ``services``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CollectiveSubmission, Decision


class SubmissionForm(forms.ModelForm):
    class Meta:
        model = CollectiveSubmission
        fields = [
            "title",
            "demand",
            "justification",
            "representative_name",
            "representative_email",
            "representative_phone",
            "representative_address",
        ]
        widgets = {
            "demand": forms.Textarea(attrs={"rows": 6}),
            "justification": forms.Textarea(attrs={"rows": 6}),
            "representative_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "representative_phone": forms.TextInput(attrs={"autocomplete": "tel"}),
        }
        help_texts = {
            "representative_name": _(
                "The person the municipality answers to; their name is published with the "
                "submission."
            ),
            "representative_email": _("Published with the submission, as the law requires."),
        }


class SignForm(forms.Form):
    first_name = forms.CharField(
        label=_("Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Surname"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    personal_code = forms.CharField(
        label=_("Personal code"),
        max_length=20,
        help_text=_(
            "The code your residency was verified with. It is stored encrypted, shown only "
            "to the municipality's officers for checking the signatures, and deleted after "
            "the answer."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    declared_eligible = forms.BooleanField(
        label=_(
            "I declare that I am a citizen of Latvia and have my declared residence or "
            "registered real estate in this municipality."
        ),
        required=False,
    )


class PublishForm(forms.Form):
    signing_ends_on = forms.DateField(
        label=_("Signing ends on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_signing_ends_on(self):
        value = self.cleaned_data["signing_ends_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("The signing period must end after today."))
        return value


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Public reason for refusing"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=_("The municipality's answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
