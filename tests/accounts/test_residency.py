import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from lidzdaliba.accounts import services
from lidzdaliba.accounts.models import CensusImport, CensusRecord, Residency
from lidzdaliba.accounts.selectors import residency_active
from lidzdaliba.core.models import AuditEvent
from tests.factories import UserFactory

from .conftest import NOT_IN_CENSUS, key


def test_code_in_census_verifies_with_census_neighbourhood(resident, municipality, census):
    # when a resident enters a personal code that is in the census
    residency = services.residency_verify_code(
        user=resident, municipality=municipality, code="150385-10009"
    )
    # then they are verified, with the census neighbourhood and birth date, for a year
    assert residency.method == Residency.Method.CENSUS
    assert residency.neighbourhood.slug == "karosta"
    assert residency.birth_date == dt.date(1985, 3, 15)
    assert residency.identity_key == key("150385-10009")
    expected = timezone.now() + dt.timedelta(days=settings.RESIDENCY_VALID_DAYS)
    assert abs((residency.expires_at - expected).total_seconds()) < 5
    resident.refresh_from_db()
    assert resident.neighbourhood.slug == "karosta"
    assert residency_active(user=resident, municipality=municipality) == residency
    assert residency.age_band == "35-44" or residency.age_band == "45-54"
    assert residency.is_adult_16
    event = AuditEvent.objects.get(verb="residency.verified")
    assert event.actor == resident
    assert "150385" not in repr(event.data)


@pytest.mark.parametrize(
    ("_case", "code", "reason"),
    [
        ("mistyped digit", "150385-10008", "checksum"),
        ("impossible date", "310285-10005", "checksum"),
        ("letters", "my code", "format"),
        ("too short", "150385", "format"),
        ("not in census", NOT_IN_CENSUS, "not_found"),
    ],
)
def test_unverifiable_code_is_refused_with_reason(
    _case, code, reason, resident, municipality, census
):
    with pytest.raises(services.VerificationFailed) as exc:
        services.residency_verify_code(user=resident, municipality=municipality, code=code)
    assert exc.value.code == reason
    assert exc.value.message
    assert not Residency.objects.exists()
    resident.refresh_from_db()
    assert resident.neighbourhood is None
    assert not AuditEvent.objects.exists()


def test_attempts_are_limited_per_user(resident, municipality, census):
    # given a resident who tried five codes that are not in the census
    for _ in range(services.ATTEMPTS_PER_HOUR):
        with pytest.raises(services.VerificationFailed):
            services.residency_verify_code(
                user=resident, municipality=municipality, code=NOT_IN_CENSUS
            )
    # when they try a sixth time, even with a right code
    with pytest.raises(services.VerificationFailed) as exc:
        services.residency_verify_code(
            user=resident, municipality=municipality, code="010190-10001"
        )
    # then they are refused
    assert exc.value.code == "rate_limited"
    assert not Residency.objects.exists()
    assert services.verification_attempts_left(user=resident) == 0
    # and another user is not affected
    other = UserFactory(municipality=municipality)
    services.residency_verify_code(user=other, municipality=municipality, code="010190-10001")


def test_under_sixteen_is_verified_but_not_adult(resident, municipality):
    # given a 12-year-old in the census
    born = timezone.localdate() - dt.timedelta(days=12 * 366)
    census_import = CensusImport.objects.create(municipality=municipality, file_name="c.csv")
    CensusRecord.objects.create(
        municipality=municipality,
        identity_key=key("320000-10011"),
        neighbourhood=municipality.neighbourhoods.first(),
        birth_date=born,
        census_import=census_import,
    )
    residency = services.residency_verify_code(
        user=resident, municipality=municipality, code="32000010011"
    )
    assert residency.age_band == "0-15"
    assert residency.is_adult_16 is False


def test_code_already_used_by_another_account_is_refused(
    municipality, neighbourhood, census, resident
):
    from tests.conftest import make_resident

    holder = make_resident(municipality, neighbourhood, code="010190-10001")
    with pytest.raises(services.VerificationFailed) as exc:
        services.residency_verify_code(
            user=resident, municipality=municipality, code="010190-10001"
        )
    assert exc.value.code == "in_use"
    assert residency_active(user=holder, municipality=municipality) is not None
    assert not Residency.objects.filter(user=resident).exists()


def test_e_identification_moves_the_residency_to_the_proven_account(
    municipality, neighbourhood, census, resident
):
    from tests.conftest import make_resident

    holder = make_resident(municipality, neighbourhood, code="010190-10001")
    services.residency_verify_identity(
        user=resident,
        municipality=municipality,
        identity_key=key("010190-10001"),
        method=Residency.Method.EID,
    )
    assert residency_active(user=holder, municipality=municipality) is None
    assert residency_active(user=resident, municipality=municipality).method == "eid"


def test_verifying_again_renews_and_another_persons_code_is_refused(resident, municipality, census):
    first = services.residency_verify_code(
        user=resident, municipality=municipality, code="010190-10001"
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=100)):
        renewed = services.residency_verify_code(
            user=resident, municipality=municipality, code="010190-10001"
        )
        assert renewed.pk == first.pk
        assert renewed.expires_at > first.expires_at
        with pytest.raises(services.VerificationFailed) as exc:
            services.residency_verify_code(
                user=resident, municipality=municipality, code="150385-10009"
            )
        assert exc.value.code == "other_person"
    assert Residency.objects.filter(user=resident).count() == 1
    assert AuditEvent.objects.filter(verb="residency.renewed").count() == 1


def test_residency_expires_and_can_be_verified_again(resident, municipality, census):
    services.residency_verify_code(user=resident, municipality=municipality, code="010190-10001")
    later = timezone.now() + dt.timedelta(days=settings.RESIDENCY_VALID_DAYS + 1)
    with time_machine.travel(later):
        assert residency_active(user=resident, municipality=municipality) is None
        services.residency_verify_code(
            user=resident, municipality=municipality, code="150385-10009"
        )
        assert residency_active(user=resident, municipality=municipality).neighbourhood.slug == (
            "karosta"
        )


def test_administrator_revokes_one_residency_with_reason(
    administrator, verified_resident, municipality
):
    residency = Residency.objects.get(user=verified_resident)
    services.residency_revoke(actor=administrator, residency=residency, reason="Moved away")
    residency.refresh_from_db()
    assert residency.revoked_at is not None
    assert residency.revoked_reason == "Moved away"
    assert residency_active(user=verified_resident, municipality=municipality) is None
    event = AuditEvent.objects.get(verb="residency.revoked")
    assert event.actor == administrator
    assert event.data == {"reason": "Moved away"}


@pytest.mark.parametrize(
    ("_case", "who", "reason", "error"),
    [
        ("moderator may not", "moderator", "x", services.NotAllowed),
        ("resident may not", "verified_resident", "x", services.NotAllowed),
        ("reason is required", "administrator", "  ", services.InvalidInput),
    ],
)
def test_revoke_refused(request, _case, who, reason, error, verified_resident):
    actor = request.getfixturevalue(who)
    residency = Residency.objects.get(user=verified_resident)
    with pytest.raises(error):
        services.residency_revoke(actor=actor, residency=residency, reason=reason)
    residency.refresh_from_db()
    assert residency.revoked_at is None
    assert not AuditEvent.objects.exists()


def test_revoke_all_after_new_census(administrator, municipality, neighbourhood):
    from tests.conftest import make_resident

    a = make_resident(municipality, neighbourhood, code="010190-10001")
    b = make_resident(municipality, neighbourhood, code="150385-10009")
    count = services.residencies_revoke_all(
        actor=administrator, municipality=municipality, reason="New census 2027"
    )
    assert count == 2
    for user in (a, b):
        assert residency_active(user=user, municipality=municipality) is None
    assert AuditEvent.objects.get(verb="residency.revoked_all").data["count"] == 2


def test_revoke_all_refused_for_moderator(moderator, municipality, verified_resident):
    with pytest.raises(services.NotAllowed):
        services.residencies_revoke_all(actor=moderator, municipality=municipality, reason="x")
    assert residency_active(user=verified_resident, municipality=municipality) is not None


def test_anonymous_cannot_verify(anonymous, municipality, census):
    with pytest.raises(services.NotAllowed):
        services.residency_verify_code(
            user=anonymous, municipality=municipality, code="010190-10001"
        )
    assert not Residency.objects.exists()
    assert not AuditEvent.objects.exists()
