"""Forms of the officers' review pages (thin: the rules live in ``services.review``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Idea, IdeaReview
from ..models.ideas import Check
from .ideas import EuroField, euros


class ChecklistForm(forms.Form):
    legal = forms.ChoiceField(
        label=IdeaReview._meta.get_field("legal").verbose_name,
        choices=Check.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    legal_note = forms.CharField(
        label=_("Note on legality"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ownership = forms.ChoiceField(
        label=IdeaReview._meta.get_field("ownership").verbose_name,
        choices=Check.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    ownership_note = forms.CharField(
        label=_("Note on ownership"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    cost = forms.ChoiceField(
        label=IdeaReview._meta.get_field("cost").verbose_name,
        choices=Check.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    cost_note = forms.CharField(
        label=_("Note on cost"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    officer_cost = EuroField(
        label=_("Officers' cost estimate, €"),
        required=False,
        help_text=_("Empty: the author's estimate goes on the ballot."),
    )
    maintenance_cost = EuroField(label=_("Maintenance cost per year, €"), required=False)
    maintenance_note = forms.CharField(
        label=_("Note on maintenance"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_for(cls, review: IdeaReview | None) -> dict[str, Any]:
        if review is None:
            return {}
        return {
            "legal": review.legal,
            "legal_note": review.legal_note,
            "ownership": review.ownership,
            "ownership_note": review.ownership_note,
            "cost": review.cost,
            "cost_note": review.cost_note,
            "officer_cost": euros(review.officer_cost_cents),
            "maintenance_cost": euros(review.maintenance_cost_cents),
            "maintenance_note": review.maintenance_note,
        }

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "legal": d.get("legal") or "",
            "ownership": d.get("ownership") or "",
            "cost": d.get("cost") or "",
            "legal_note": d.get("legal_note", ""),
            "ownership_note": d.get("ownership_note", ""),
            "cost_note": d.get("cost_note", ""),
            "maintenance_note": d.get("maintenance_note", ""),
            "officer_cost_cents": d.get("officer_cost"),
            "maintenance_cost_cents": d.get("maintenance_cost"),
        }


class ProposeForm(forms.Form):
    proposal = forms.ChoiceField(
        label=_("Proposed decision"),
        choices=[
            (IdeaReview.Proposal.ADMIT, IdeaReview.Proposal.ADMIT.label),
            (IdeaReview.Proposal.REJECT, IdeaReview.Proposal.REJECT.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Public reason"),
        max_length=2000,
        help_text=_("Shown on the idea's page and sent to the authors."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Idea.objects.none())
    reason = forms.CharField(
        label=_("Public reason for merging"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, candidates=None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["into"].queryset = candidates
        self.fields["into"].label_from_instance = lambda i: f"{i.number or '–'}. {i.title}"
