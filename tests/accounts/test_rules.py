"""Roles and the permission matrix: who may do which accounts action."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from lidzdaliba.accounts import roles, services
from lidzdaliba.accounts import rules as account_rules
from lidzdaliba.accounts.models import (
    ApiToken,
    CensusImport,
    CensusRecord,
    Organisation,
    OrganisationMembership,
    Residency,
)
from lidzdaliba.core.models import AuditEvent, Municipality
from tests.conftest import make_resident
from tests.factories import UserFactory

from .conftest import csv_bytes

ROLES = [
    "anonymous",
    "resident",
    "verified_resident",
    "representative",
    "moderator",
    "officer",
    "administrator",
    "foreign_administrator",
]


@pytest.fixture
def organisation(municipality):
    return Organisation.objects.create(municipality=municipality, name="Fonds", slug="fonds")


@pytest.fixture
def representative(municipality, organisation):
    user = UserFactory(municipality=municipality)
    OrganisationMembership.objects.create(
        user=user,
        organisation=organisation,
        role=OrganisationMembership.Role.REPRESENTATIVE,
        approved_at=timezone.now(),
    )
    return user


@pytest.fixture
def officer(officer_factory):
    return officer_factory("budgeting")


@pytest.fixture
def foreign_administrator(db):
    other = Municipality.objects.create(
        slug="ventspils", name="Ventspils", map_center_lat=57.39, map_center_lon=21.56
    )
    user = UserFactory(municipality=other, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=roles.ADMINISTRATORS)[0])
    return user


@pytest.fixture
def world(municipality, neighbourhood, organisation):
    """Objects the actions act on: another resident's residency, a pending membership."""
    target = make_resident(municipality, neighbourhood, code="150385-10009")
    pending = OrganisationMembership.objects.create(
        user=UserFactory(municipality=municipality),
        organisation=organisation,
        role=OrganisationMembership.Role.REPRESENTATIVE,
    )
    return {
        "municipality": municipality,
        "target": target,
        "residency": Residency.objects.get(user=target),
        "membership": pending,
    }


def _import_census(actor, w):
    services.census_import_start(
        actor=actor,
        municipality=w["municipality"],
        file_name="c.csv",
        content=csv_bytes("personal_code,neighbourhood", "010190-10001,karosta"),
    )


def _revoke(actor, w):
    services.residency_revoke(actor=actor, residency=w["residency"], reason="test")


def _revoke_all(actor, w):
    services.residencies_revoke_all(actor=actor, municipality=w["municipality"], reason="test")


def _approve(actor, w):
    services.membership_approve(actor=actor, membership=w["membership"])


def _token(actor, w):
    services.api_token_create(actor=actor, user=w["target"], name="integration")


def _edit_other(actor, w):
    services.profile_update(actor=actor, user=w["target"], full_name="Changed By Someone")


def _state():
    return (
        CensusImport.objects.count(),
        CensusRecord.objects.count(),
        list(Residency.objects.order_by("pk").values_list("revoked_at", flat=True)),
        list(OrganisationMembership.objects.order_by("pk").values_list("approved_at", flat=True)),
        ApiToken.objects.count(),
        sorted(UserFactory._meta.model.objects.values_list("full_name", flat=True)),
        AuditEvent.objects.count(),
    )


ACTIONS = {
    "import census": (_import_census, {"administrator"}),
    "revoke a residency": (_revoke, {"administrator"}),
    "revoke all residencies": (_revoke_all, {"administrator"}),
    "approve a representative": (_approve, {"administrator", "moderator"}),
    "create an API token": (_token, {"administrator"}),
    # only the superuser (the administrator fixture is one) besides the person themself
    "edit another's profile": (_edit_other, {"administrator"}),
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(request, action, who, world):
    # given a person in a role, and the objects the action touches
    actor = request.getfixturevalue(who)
    perform, allowed_roles = ACTIONS[action]
    allowed = who in allowed_roles
    before = _state()
    # when they try the action
    if allowed:
        perform(actor, world)
        # then it happened (something was written and audited)
        assert _state() != before
        assert AuditEvent.objects.count() > before[-1]
    else:
        with pytest.raises(services.NotAllowed) as exc:
            perform(actor, world)
        # then it is refused with a message, and nothing changed
        assert exc.value.message
        assert _state() == before


@pytest.mark.parametrize(
    ("who", "verified", "represents", "moderates", "officer_budgeting", "admin"),
    [
        ("anonymous", False, False, False, False, False),
        ("resident", False, False, False, False, False),
        ("verified_resident", True, False, False, False, False),
        ("representative", False, True, False, False, False),
        ("moderator", False, False, True, False, False),
        ("officer", False, False, False, True, False),
        ("administrator", False, False, False, False, True),
        ("foreign_administrator", False, False, False, False, False),
    ],
)
def test_role_predicates(
    request,
    municipality,
    who,
    verified,
    represents,
    moderates,
    officer_budgeting,
    admin,
):
    user = request.getfixturevalue(who)
    assert account_rules.is_resident(user) is (who != "anonymous")
    assert account_rules.is_verified_resident(user, municipality) is verified
    assert account_rules.is_org_representative(user) is represents
    assert account_rules.is_moderator(user, municipality) is moderates
    assert account_rules.is_officer_for("budgeting")(user, municipality) is officer_budgeting
    assert account_rules.is_officer_for("grants")(user, municipality) is False
    assert account_rules.is_administrator(user, municipality) is admin
    assert user.has_perm("accounts.import_census", municipality) is admin


def test_unapproved_or_member_role_is_not_representative(municipality, organisation):
    pending = UserFactory(municipality=municipality)
    OrganisationMembership.objects.create(
        user=pending, organisation=organisation, role=OrganisationMembership.Role.REPRESENTATIVE
    )
    member = UserFactory(municipality=municipality)
    OrganisationMembership.objects.create(
        user=member,
        organisation=organisation,
        role=OrganisationMembership.Role.MEMBER,
        approved_at=timezone.now(),
    )
    assert not account_rules.is_org_representative(pending, organisation)
    assert not account_rules.is_org_representative(member, organisation)


def test_unknown_module_has_no_officers():
    with pytest.raises(ValueError, match="Unknown module"):
        account_rules.is_officer_for("astrology")


def test_inactive_account_has_no_role(verified_resident, municipality):
    verified_resident.is_active = False
    verified_resident.save()
    assert not account_rules.is_resident(verified_resident)
    assert not account_rules.is_verified_resident(verified_resident, municipality)


def test_roles_ensure_creates_groups_with_permissions(db):
    # given no staff groups
    Group.objects.filter(name__in=roles.STAFF_GROUPS).delete()
    # when the roles are ensured (twice: it is idempotent)
    services.roles_ensure()
    counts = services.roles_ensure()
    # then every group exists with sensible permissions
    assert set(counts) == set(roles.STAFF_GROUPS)
    admins = Group.objects.get(name=roles.ADMINISTRATORS)
    codenames = set(admins.permissions.values_list("codename", flat=True))
    assert {"change_residency", "add_censusimport", "change_organisation"} <= codenames
    moderators = set(
        Group.objects.get(name=roles.MODERATORS).permissions.values_list("codename", flat=True)
    )
    assert "view_user" in moderators
    assert "change_user" not in moderators
    assert Group.objects.filter(name__startswith=roles.OFFICER_PREFIX).count() == len(roles.MODULES)


def test_staff_groups_exist_after_migrations(db):
    assert set(
        Group.objects.filter(name__in=roles.STAFF_GROUPS).values_list("name", flat=True)
    ) == set(roles.STAFF_GROUPS)
