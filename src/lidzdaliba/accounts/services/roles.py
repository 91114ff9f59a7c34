"""Staff groups and their Django permissions."""

from __future__ import annotations

from fnmatch import fnmatchcase

from django.db import transaction

from lidzdaliba.accounts import roles

# "app_label.codename" patterns (fnmatch) each group is given. Patterns for apps that are
# not installed simply match nothing; running ``roles_ensure()`` again after a new module's
# migrations gives its groups the new permissions.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    roles.ADMINISTRATORS: (
        "accounts.*",
        "core.*",
        *(f"{module}.*" for module in roles.MODULES),
        "auth.view_group",
        "mfa.view_authenticator",
        "account.view_emailaddress",
    ),
    roles.MODERATORS: (
        "accounts.view_user",
        "accounts.view_organisation",
        "accounts.view_organisationmembership",
        "core.view_auditevent",
        "*.moderate_*",
        *(f"{module}.view_*" for module in roles.MODULES),
    ),
    **{
        roles.officer_group(module): (
            f"{module}.*",
            "accounts.view_organisation",
            "core.view_neighbourhood",
            "core.view_municipality",
        )
        for module in roles.MODULES
    },
}


def _permission_names(permission_model) -> dict[str, int]:
    rows = permission_model.objects.values_list("pk", "content_type__app_label", "codename")
    return {f"{app}.{codename}": pk for pk, app, codename in rows}


def roles_ensure(*, group_model=None, permission_model=None) -> dict[str, int]:
    """Create every staff group (``roles.STAFF_GROUPS``) and give it exactly the
    permissions of :data:`ROLE_PERMISSIONS` that exist; idempotent.

    Returns ``{group name: number of permissions}``. The model arguments let a data
    migration pass its historical models.
    """
    if group_model is None or permission_model is None:
        from django.contrib.auth.models import Group, Permission

        group_model, permission_model = Group, Permission
    available = _permission_names(permission_model)
    counts = {}
    with transaction.atomic():
        for name in roles.STAFF_GROUPS:
            group, _ = group_model.objects.get_or_create(name=name)
            patterns = ROLE_PERMISSIONS.get(name, ())
            wanted = [
                pk
                for full_name, pk in available.items()
                if any(fnmatchcase(full_name, pattern) for pattern in patterns)
            ]
            group.permissions.set(wanted)
            counts[name] = len(wanted)
    return counts
