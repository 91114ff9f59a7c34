from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lidzdaliba.accounts.models import User
from lidzdaliba.core.models import Neighbourhood


class VerifyForm(forms.Form):
    personal_code = forms.CharField(
        label=_("Personal code"),
        max_length=20,
        help_text=_("11 digits, for example 010190-10001. It is used once and not stored."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "neighbourhood"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = settings.LANGUAGES
        neighbourhoods = Neighbourhood.objects.none()
        if municipality is not None:
            neighbourhoods = Neighbourhood.objects.filter(municipality=municipality)
        self.fields["neighbourhood"].queryset = neighbourhoods.order_by("name")
        self.fields["neighbourhood"].help_text = _(
            "Once your residence is verified, the neighbourhood from the residents' register "
            "is used instead."
        )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm_email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Your account has no password: type your e-mail address to confirm."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.has_usable_password():
            del self.fields["confirm_email"]
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["confirm_email"].required = True


class CensusUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Census file (CSV)"),
        help_text=_(
            "Columns: personal_code; neighbourhood (short name or name in any language) or "
            "lat and lon; birth_date (needed for codes starting 32: 31.12.1990 or "
            "1990-12-31); address is allowed and ignored. Separated by ; or , in UTF-8."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RevokeAllForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, initial=_("A new census was imported.")
    )
    confirm = forms.BooleanField(
        label=_("Yes, revoke every verified residence; residents must verify again.")
    )
