"""Forms of the results pages: the receipt lookup and the officers' confirmation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        help_text=_("As shown after voting and in the receipt, e.g. 7K3M-Q9XA-2PDE-H4WN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ConfirmResultsForm(forms.Form):
    decision = forms.CharField(
        label=_("Council decision confirming the results"),
        max_length=200,
        help_text=_("E.g. the decision's number and date."),
    )
