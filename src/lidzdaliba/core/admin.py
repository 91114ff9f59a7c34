"""Administration of the core. Every change goes through the services, so the admin
records the same audit events as the rest of the platform."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from lidzdaliba.core import geo
from lidzdaliba.core.models import (
    Attachment,
    AuditEvent,
    Comment,
    CommentFlag,
    Municipality,
    Neighbourhood,
    Notification,
    SdgGoal,
    SdgTarget,
)
from lidzdaliba.core.services import audit_record, municipality_update
from lidzdaliba.core.services import comments as comment_services
from lidzdaliba.core.services import sdg as sdg_services
from lidzdaliba.core.services.attachments import attachment_remove

LANGUAGES = ("lv", "en", "ru", "uk")


def _changes(form) -> dict:
    return {
        name: {"from": str(form.initial.get(name, "")), "to": str(form.cleaned_data.get(name, ""))}
        for name in form.changed_data
    }


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MunicipalityForm(forms.ModelForm):
    """The admin adds the model and fields; this only checks the content languages."""

    def clean_languages(self):
        languages = self.cleaned_data.get("languages") or []
        known = {code for code, _name in settings.LANGUAGES}
        if not isinstance(languages, list) or not all(isinstance(c, str) for c in languages):
            raise ValidationError(gettext('Write a list of language codes, e.g. ["lv", "en"].'))
        unknown = sorted(set(languages) - known)
        if unknown:
            raise ValidationError(
                gettext("Unknown language codes: %(codes)s. Use %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(sorted(known))}
            )
        return languages


@admin.register(Municipality)
class MunicipalityAdmin(TranslationAdmin):
    form = MunicipalityForm
    list_display = ("name", "slug", "domain", "population")
    search_fields = ("name", "slug", "domain")

    def save_model(self, request, obj, form, change):
        if not change:
            with transaction.atomic():
                obj.full_clean()
                obj.save()
                audit_record(actor=request.user, verb="municipality.created", target=obj)
            return
        stored = Municipality.objects.get(pk=obj.pk)
        fields = {name: getattr(obj, name) for name in form.changed_data}
        municipality_update(actor=request.user, municipality=stored, **fields)


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(TranslationAdmin):
    """The boundary is validated by ``Neighbourhood.clean`` (``geo.shape_from_geojson``)."""

    list_display = ("name", "municipality", "slug", "population", "is_planning_unit")
    list_filter = ("municipality", "is_planning_unit")
    search_fields = ("name", "slug")
    readonly_fields = ("boundary_check",)
    list_select_related = ("municipality",)

    @admin.display(description=_("boundary check"))
    def boundary_check(self, obj):
        """The boundary's size and a point-in-polygon check: the point inside the boundary
        must be placed in this neighbourhood (it would not if another one overlapped)."""
        if obj is None or obj.pk is None:
            return "—"
        try:
            shape = geo.shape_from_geojson(obj.boundary)
        except geo.GeometryError as exc:
            return str(exc)
        point = shape.representative_point()
        index = geo.area_index(
            Neighbourhood.objects.filter(municipality_id=obj.municipality_id).values_list(
                "pk", "boundary"
            )
        )
        found = index.locate(point.y, point.x)
        if found == obj.pk:
            verdict = gettext("the point is placed in this neighbourhood.")
        elif found is None:
            verdict = gettext("the point is outside every neighbourhood.")
        else:
            other = Neighbourhood.objects.get(pk=found)
            verdict = gettext("the point is placed in %(other)s: the boundaries overlap.") % {
                "other": other.name
            }
        minx, miny, maxx, maxy = shape.bounds
        return format_html_join(
            "",
            "<p>{}</p>",
            [
                (gettext("Type: %(type)s.") % {"type": shape.geom_type},),
                (
                    gettext("Extent: latitude %(s).5f–%(n).5f, longitude %(w).5f–%(e).5f.")
                    % {"s": miny, "n": maxy, "w": minx, "e": maxx},
                ),
                (
                    gettext("Check point %(lat).5f, %(lon).5f: %(verdict)s")
                    % {"lat": point.y, "lon": point.x, "verdict": verdict},
                ),
            ],
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            obj.full_clean()
            obj.save()
            audit_record(
                actor=request.user,
                verb="neighbourhood.updated" if change else "neighbourhood.created",
                target=obj,
                data=_changes(form) if change else {},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, verb="neighbourhood.deleted", target=obj)
            obj.delete()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(SdgGoal)
class SdgGoalAdmin(ReadOnlyAdmin):
    list_display = ("number", "name", "colour")
    ordering = ("number",)


class SdgTargetForm(forms.ModelForm):
    """Local targets only: the goal follows from the code (``11.L1`` → goal 11)."""

    class Meta:
        model = SdgTarget
        fields = ("municipality", "code", *(f"title_{lang}" for lang in LANGUAGES))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "municipality" in self.fields:
            self.fields["municipality"].required = True
        if "title_lv" in self.fields:
            self.fields["title_lv"].required = True

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        match = sdg_services.LOCAL_TARGET_CODE.match(code)
        if not match:
            raise ValidationError(
                gettext(
                    "A local target's code is the goal number, “.L” and a number, for example 11.L1."
                )
            )
        self.instance.goal = SdgGoal.objects.get(number=int(match["goal"]))
        return code


@admin.register(SdgTarget)
class SdgTargetAdmin(TranslationAdmin):
    form = SdgTargetForm
    list_display = ("code", "goal", "short_title", "municipality")
    list_filter = ("goal", ("municipality", admin.EmptyFieldListFilter))
    search_fields = ("code", "title")
    list_select_related = ("goal", "municipality")

    @admin.display(description=_("title"))
    def short_title(self, obj):
        return obj.title[:120]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("municipality", "code")
        return ()

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_local:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_local:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        titles = {lang: form.cleaned_data.get(f"title_{lang}") or "" for lang in LANGUAGES}
        if change:
            stored = SdgTarget.objects.get(pk=obj.pk)
            sdg_services.sdg_local_target_update(actor=request.user, target=stored, title=titles)
        else:
            created = sdg_services.sdg_local_target_create(
                actor=request.user, municipality=obj.municipality, code=obj.code, title=titles
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        sdg_services.sdg_local_target_delete(actor=request.user, target=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset.filter(municipality__isnull=False):
            self.delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "actor_label",
        "verb",
        "target_type",
        "target_label",
        "municipality",
    )
    list_filter = ("municipality", "target_type")
    search_fields = ("verb", "actor_label", "target_label")
    date_hierarchy = "created_at"
    list_select_related = ("target_type", "municipality")
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "kind",
        "size",
        "content_type",
        "object_id",
        "uploaded_by",
        "created_at",
    )
    list_filter = ("kind", "content_type")
    search_fields = ("original_name", "sha256", "alt_text")
    fields = (
        "preview",
        "alt_text",
        "original_name",
        "kind",
        "mime_type",
        "size",
        "width",
        "height",
        "sha256",
        "content_type",
        "object_id",
        "uploaded_by",
        "created_at",
    )
    readonly_fields = tuple(f for f in fields if f != "alt_text")
    list_select_related = ("content_type", "uploaded_by")

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if obj.is_image and obj.thumbnail:
            return format_html('<img src="{}" alt="{}">', obj.thumbnail.url, obj.alt_text)
        return format_html('<a href="{}">{}</a>', obj.file.url, obj.original_name or obj.file.name)

    def has_add_permission(self, request):
        return False  # files arrive through the modules' forms, which check them

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            obj.save(update_fields=["alt_text"])
            audit_record(
                actor=request.user,
                verb="attachment.updated",
                target=obj.content_object,
                municipality=obj.municipality,
                data={"attachment": obj.pk, **_changes(form)},
            )

    def delete_model(self, request, obj):
        attachment_remove(actor=request.user, attachment=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class HideActionForm(ActionForm):
    reason = forms.CharField(label=_("Public reason (for hiding)"), required=False, max_length=300)


class CommentFlagInline(admin.TabularInline):
    model = CommentFlag
    extra = 0
    fields = ("user", "reason", "created_at", "resolved_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class HiddenFilter(admin.SimpleListFilter):
    title = _("hidden")
    parameter_name = "hidden"

    def lookups(self, request, model_admin):
        return (("yes", _("Hidden")), ("no", _("Visible")), ("flagged", _("Reported")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(hidden_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(hidden_at__isnull=True)
        if self.value() == "flagged":
            return queryset.filter(open_flag_count__gt=0)
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("short_body", "author", "created_at", "open_flag_count", "hidden_reason")
    list_filter = (HiddenFilter, "content_type")
    search_fields = ("body", "author__email", "hidden_reason")
    list_select_related = ("author",)
    readonly_fields = (
        "content_type",
        "object_id",
        "municipality",
        "author",
        "body",
        "created_at",
        "edited_at",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
        "open_flag_count",
    )
    inlines = (CommentFlagInline,)
    action_form = HideActionForm
    actions = ("hide_with_reason", "unhide", "dismiss_flags")
    ordering = ("-open_flag_count", "-created_at")

    @admin.display(description=_("text"))
    def short_body(self, obj):
        return obj.body[:80]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # hide with a public reason instead

    def _each(self, request, queryset, action, done_message, **kwargs):
        """Run ``action`` on each comment; ``done_message(count)`` reports the successes."""
        done = 0
        for comment in queryset:
            try:
                action(actor=request.user, comment=comment, **kwargs)
            except (comment_services.CommentRejected, PermissionDenied) as exc:
                message = getattr(exc, "message", "") or str(exc) or gettext("Not allowed.")
                self.message_user(request, f"{comment.pk}: {message}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Hide with the public reason given above"))
    def hide_with_reason(self, request, queryset):
        reason = request.POST.get("reason", "")
        if not reason.strip():
            self.message_user(request, gettext("Write the public reason first."), messages.ERROR)
            return
        self._each(
            request,
            queryset,
            comment_services.comment_hide,
            lambda n: (
                ngettext("%(count)d comment hidden.", "%(count)d comments hidden.", n)
                % {"count": n}
            ),
            reason=reason,
        )

    @admin.action(description=_("Show again"))
    def unhide(self, request, queryset):
        self._each(
            request,
            queryset,
            comment_services.comment_unhide,
            lambda n: (
                ngettext("%(count)d comment shown again.", "%(count)d comments shown again.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Close the reports, keep visible"))
    def dismiss_flags(self, request, queryset):
        self._each(
            request,
            queryset,
            comment_services.comment_flags_dismiss,
            lambda n: (
                ngettext(
                    "Reports closed on %(count)d comment.",
                    "Reports closed on %(count)d comments.",
                    n,
                )
                % {"count": n}
            ),
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__email", "title")
    list_select_related = ("recipient",)
