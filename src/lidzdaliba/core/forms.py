"""Forms and form fields shared by every module: SDG tags, comments, attachments,
notification preferences, audit log filters."""

from __future__ import annotations

from typing import Any, NamedTuple

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from lidzdaliba.core.models import SdgGoal, SdgTarget


class SdgTags(NamedTuple):
    """What :class:`SdgTagsField` cleans to; pass it on to ``services.sdg_tags_set``."""

    goals: list[SdgGoal]
    targets: list[SdgTarget]


def _goal_value(goal: SdgGoal) -> str:
    return f"goal-{goal.pk}"


def _target_value(target: SdgTarget) -> str:
    return f"target-{target.pk}"


class SdgTagsWidget(forms.CheckboxSelectMultiple):
    """Checkboxes grouped by goal: one ``<fieldset>`` per goal with a legend, a checkbox
    for the goal as a whole, and its targets in a disclosure that opens when one of them
    is ticked. Works without JavaScript and with a keyboard."""

    template_name = "core/widgets/sdg_tags.html"
    use_fieldset = True

    class Media:
        css = {"all": ["core/social.css"]}

    def __init__(self, *args, goals: list[SdgGoal] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals or []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = {str(v) for v in (value or [])}
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        groups = []
        for goal in self.goals:
            targets = [
                {
                    "target": target,
                    "value": _target_value(target),
                    "id": f"{base_id}_t{target.pk}",
                    "checked": _target_value(target) in selected,
                }
                for target in goal.targets.all()
            ]
            groups.append(
                {
                    "goal": goal,
                    "value": _goal_value(goal),
                    "id": f"{base_id}_g{goal.pk}",
                    "checked": _goal_value(goal) in selected,
                    "targets": targets,
                    "open": any(t["checked"] for t in targets),
                }
            )
        context["widget"]["groups"] = groups
        return context


class SdgTagsField(forms.MultipleChoiceField):
    """Pick SDG goals and targets (UN targets plus the municipality's local ones).

    Cleans to :class:`SdgTags`. Use ``SdgTagsField.initial_for(obj)`` to show the tags an
    object already has::

        class IdeaForm(forms.ModelForm):
            sdg = SdgTagsField(required=False)

            def __init__(self, *args, municipality=None, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["sdg"].set_municipality(municipality)
                self.initial["sdg"] = SdgTagsField.initial_for(self.instance)
    """

    widget = SdgTagsWidget

    def __init__(self, *, municipality=None, **kwargs):
        kwargs.setdefault("label", _("Sustainable development goals"))
        kwargs.setdefault(
            "help_text",
            _("Tick the goals this contributes to; open a goal to pick its targets."),
        )
        super().__init__(**kwargs)
        self.set_municipality(municipality)

    def set_municipality(self, municipality) -> None:
        """Offer the UN targets and ``municipality``'s local targets. The goals are read
        (two queries) the first time the form is rendered or validated."""
        self._municipality = municipality
        self._goals = None

    def _load(self) -> None:
        from lidzdaliba.core.selectors import sdg_goals_with_targets

        if self._goals is not None:
            return
        goals = list(sdg_goals_with_targets(municipality=self._municipality))
        self._goals = {_goal_value(g): g for g in goals}
        self._targets = {_target_value(t): t for g in goals for t in g.targets.all()}
        self.widget.goals = goals

    def get_bound_field(self, form, field_name):
        self._load()
        return super().get_bound_field(form, field_name)

    def valid_value(self, value) -> bool:
        self._load()
        return value in self._goals or value in self._targets

    @staticmethod
    def initial_for(obj) -> list[str]:
        """The field's value for an object that already has tags."""
        if obj is None or obj.pk is None:
            return []
        return [_goal_value(g) for g in obj.sdg_goals.all()] + [
            _target_value(t) for t in obj.sdg_targets.all()
        ]

    def clean(self, value) -> SdgTags:
        self._load()
        values = super().clean(value) or []
        goals = [self._goals[v] for v in values if v in self._goals]
        targets = [self._targets[v] for v in values if v in self._targets]
        return SdgTags(goals=goals, targets=targets)

    def has_changed(self, initial, data) -> bool:
        return set(map(str, initial or [])) != set(map(str, data or []))


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Plain text. Be kind and stay on topic: moderators hide comments that break the rules."
        ),
    )


class HideCommentForm(forms.Form):
    reason = forms.CharField(
        label=_("Public reason for hiding"),
        max_length=300,
        help_text=_("Shown to everyone in place of the comment."),
    )


class AttachmentForm(forms.Form):
    """Upload one file; pass ``file`` and ``alt_text`` to ``services.attachment_add`` and
    show its ``AttachmentRejected.message`` as the ``file`` field's error."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("A photo (JPEG, PNG, WebP) or a PDF document."),
    )
    alt_text = forms.CharField(
        label=_("Description of the image"),
        max_length=300,
        required=False,
        help_text=_("What the image shows, for people who cannot see it."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ATTACHMENT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large: the limit is %(limit)s.")
                % {"limit": filesizeformat(limit)}
            )
        return upload


class AuditFilterForm(forms.Form):
    verb = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"list": "audit-verbs", "autocomplete": "off"}),
        help_text=_("The start of the action's name, e.g. “comment.” for every comment action."),
    )
    actor = forms.CharField(
        label=_("Who"), required=False, max_length=200, help_text=_("Part of the e-mail address.")
    )
    target_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, target_types=(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = [("", _("Any")), *target_types]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
