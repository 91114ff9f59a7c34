"""Administration of people, organisations, census imports, residencies and API tokens.

Every change with business rules goes through ``services`` (approving a representative,
revoking a residency, creating a token), so the admin obeys the same permissions and
leaves the same audit trail as the staff pages.
"""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lidzdaliba.accounts import services
from lidzdaliba.accounts.models import (
    ApiToken,
    CensusImport,
    Organisation,
    OrganisationMembership,
    Residency,
    User,
)


class ResidencyInline(admin.TabularInline):
    model = Residency
    extra = 0
    can_delete = False
    fields = [
        "municipality",
        "neighbourhood",
        "method",
        "verified_at",
        "expires_at",
        "revoked_at",
        "revoked_reason",
    ]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "approved_at"]
    readonly_fields = ["approved_at"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "municipality", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "municipality"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    filter_horizontal = ["groups", "user_permissions"]
    readonly_fields = ["last_login", "date_joined", "password_status"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "preferred_language", "password_status"]}),
        (_("Place"), {"fields": ["municipality", "neighbourhood"]}),
        (
            _("Roles"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    inlines = [ResidencyInline, MembershipInline]

    @admin.display(description=_("password"))
    def password_status(self, obj):
        if obj.pk and obj.has_usable_password():
            return _("set (people change it themselves, or reset it by e-mail)")
        return _("none (e-identification or a reset e-mail is needed)")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "registration_number"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name", "registration_number"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "approved_at", "created_at"]
    list_filter = ["role", ("approved_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["approved_at"]
    actions = ["approve"]

    @admin.action(description=_("Approve the selected memberships"))
    def approve(self, request, queryset):
        approved = 0
        for membership in queryset.filter(approved_at__isnull=True):
            try:
                services.membership_approve(actor=request.user, membership=membership)
            except services.AccountsError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                approved += 1
        self.message_user(
            request,
            ngettext("%(count)d membership approved.", "%(count)d memberships approved.", approved)
            % {"count": approved},
        )


@admin.register(CensusImport)
class CensusImportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "municipality",
        "status",
        "imported_rows",
        "total_rows",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["status", "municipality"]
    exclude = ["pending_file"]
    readonly_fields = [
        "municipality",
        "uploaded_by",
        "file_name",
        "status",
        "total_rows",
        "processed_rows",
        "imported_rows",
        "errors",
        "created_at",
        "finished_at",
        "staff_page",
    ]

    @admin.display(description=_("import page"))
    def staff_page(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("accounts:census_import", args=[obj.pk]),
            _("Progress and error report"),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pending_file")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RevokeReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


@admin.register(Residency)
class ResidencyAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "municipality",
        "neighbourhood",
        "method",
        "verified_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["method", "municipality", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name"]
    exclude = ["identity_key"]
    readonly_fields = [
        "user",
        "municipality",
        "neighbourhood",
        "birth_date",
        "method",
        "verified_at",
        "expires_at",
        "revoked_at",
        "revoked_reason",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected residencies…"))
    def revoke(self, request, queryset):
        form = RevokeReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            revoked = 0
            for residency in queryset.filter(revoked_at__isnull=True):
                try:
                    services.residency_revoke(
                        actor=request.user, residency=residency, reason=form.cleaned_data["reason"]
                    )
                except services.AccountsError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                    return None
                revoked += 1
            self.message_user(
                request,
                ngettext("%(count)d residency revoked.", "%(count)d residencies revoked.", revoked)
                % {"count": revoked},
            )
            return None
        return TemplateResponse(
            request,
            "admin/accounts/residency/revoke.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Revoke residencies"),
                "form": form,
                "residencies": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__email"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name"]
        return ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, plain_key = services.api_token_create(
            actor=request.user, user=form.cleaned_data["user"], name=form.cleaned_data["name"]
        )
        obj.pk = token.pk
        obj.prefix, obj.key_hash = token.prefix, token.key_hash
        self.message_user(
            request,
            _("The token is %(key)s — copy it now: it is shown only this once.")
            % {"key": plain_key},
            messages.WARNING,
        )

    def save_related(self, request, form, formsets, change):
        """Nothing to save: the service stored the token."""

    def log_addition(self, request, obj, message):
        """The service recorded the creation in the audit log."""

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(actor=request.user, token=token)
        self.message_user(request, _("The selected tokens have been revoked."))
