"""Who may do what: the roles as ``rules`` predicates, and the accounts permissions.

Roles that follow from data (resident, verified resident, organisation representative) are
predicates over the database; staff roles are Django groups (``roles.py``). Services check
these permissions beside the write; templates use the same names to hide buttons.

Predicates take ``(user, obj)``. Where ``obj`` is a municipality, an object with a
``municipality`` attribute, or ``None`` (then the user's own municipality is meant), the
check is about that municipality.
"""

from __future__ import annotations

import rules

from lidzdaliba.accounts import roles


def _municipality_of(user, obj):
    from lidzdaliba.core.models import Municipality

    if obj is None:
        return getattr(user, "municipality", None)
    if isinstance(obj, Municipality):
        return obj
    return getattr(obj, "municipality", None)


def _in_group(user, name: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cache = getattr(user, "_group_names_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._group_names_cache = cache
    return name in cache


def _serves(user, obj) -> bool:
    """Staff act for their own municipality; superusers for every one."""
    if user.is_superuser:
        return True
    municipality = _municipality_of(user, obj)
    return municipality is None or municipality.pk == user.municipality_id


@rules.predicate
def is_resident(user) -> bool:
    """Any signed-in, active account."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_verified_resident(user, obj=None) -> bool:
    """An active account with a valid (not revoked, not expired) residency in the
    municipality of ``obj`` (or the user's own municipality)."""
    from lidzdaliba.accounts.selectors import residency_active

    if not is_resident(user):
        return False
    return residency_active(user=user, municipality=_municipality_of(user, obj)) is not None


@rules.predicate
def is_moderator(user, obj=None) -> bool:
    """Member of the moderators group, for their own municipality."""
    return _in_group(user, roles.MODERATORS) and _serves(user, obj)


@rules.predicate
def is_administrator(user, obj=None) -> bool:
    """A municipality administrator (group ``administrators``) acting for their own
    municipality, or a superuser."""
    if not is_resident(user):
        return False
    if user.is_superuser:
        return True
    return _in_group(user, roles.ADMINISTRATORS) and _serves(user, obj)


def is_officer_for(module: str) -> rules.Predicate:
    """A predicate: member of ``officers:<module>`` (raises ``ValueError`` for an unknown
    module), acting for their own municipality."""
    group = roles.officer_group(module)

    @rules.predicate(name=f"is_officer_for_{module}")
    def check(user, obj=None) -> bool:
        return _in_group(user, group) and _serves(user, obj)

    return check


@rules.predicate
def is_org_representative(user, organisation=None) -> bool:
    """An approved representative of ``organisation`` (of any organisation when ``None``)."""
    from lidzdaliba.accounts.models import OrganisationMembership

    if not is_resident(user):
        return False
    memberships = OrganisationMembership.objects.filter(
        user=user,
        role=OrganisationMembership.Role.REPRESENTATIVE,
        approved_at__isnull=False,
    )
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return memberships.exists()


@rules.predicate
def is_self(user, other=None) -> bool:
    """The object is the user's own account."""
    return other is not None and getattr(other, "pk", None) == getattr(user, "pk", object())


@rules.predicate
def is_staff_member(user, obj=None) -> bool:
    """Any staff role: administrator, moderator or officer of any module."""
    return (
        is_administrator(user, obj)
        or is_moderator(user, obj)
        or any(_in_group(user, roles.officer_group(m)) for m in roles.MODULES)
    )


# Permissions of this app. Object: the municipality (or an object that has one).
rules.add_perm("accounts.verify_residency", is_resident)
rules.add_perm("accounts.import_census", is_administrator)
rules.add_perm("accounts.view_census", is_administrator)
rules.add_perm("accounts.revoke_residency", is_administrator)
rules.add_perm("accounts.manage_api_tokens", is_administrator)
rules.add_perm("accounts.approve_membership", is_administrator | is_moderator)
rules.add_perm("accounts.act_for_organisation", is_org_representative)
rules.add_perm("accounts.edit_profile", is_self & is_resident)
rules.add_perm("accounts.view_staff_pages", is_staff_member)
