"""Second factor for staff, log-in lockout, and sign-up without account enumeration."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from lidzdaliba.accounts.models import User
from tests.factories import PASSWORD, UserFactory

from .conftest import TOTP_SECRET, with_totp


def _current_totp() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


@pytest.mark.parametrize(
    "path", ["/admin/", "/accounts/staff/census/", "/en/accounts/staff/census/"]
)
def test_staff_without_totp_is_sent_to_totp_setup(client, administrator, path):
    # given an administrator who has not set up an authenticator app
    client.force_login(administrator)
    # when they open a staff page
    response = client.get(path)
    # then they are sent to set up TOTP first, and come back afterwards
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert f"next={path}" in response["Location"]


def test_resident_is_not_asked_for_a_second_factor(client, verified_resident):
    client.force_login(verified_resident)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_staff_with_totp_reaches_admin(client, administrator):
    client.force_login(with_totp(administrator))
    assert client.get("/admin/").status_code == 200


def test_login_with_totp_asks_for_the_code(client, administrator):
    # given an administrator with TOTP
    with_totp(administrator)
    # when they log in with their password
    response = client.post(
        reverse("account_login"), {"login": administrator.email, "password": PASSWORD}
    )
    # then they are asked for the code and are not logged in yet
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    # a wrong code is refused
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    # when they give the current code, they are in
    done = client.post(reverse("mfa_authenticate"), {"code": _current_totp()})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(administrator.pk)
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_login(client, resident):
    # given five failed attempts for one account
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": resident.email, "password": "wrong-password"}
        )
    # then the lockout page is shown
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    # and even the right password does not log in now: allauth's own rate limit refuses
    response = client.post(
        reverse("account_login"), {"login": resident.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    # and when that (cache-based) limit is gone, django-axes still refuses
    cache.clear()
    response = client.post(
        reverse("account_login"), {"login": resident.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(failures_since_start__gte=5)
    assert attempt.username == resident.email
    # and another account from the same address is not locked out
    other = UserFactory()
    response = client.post(reverse("account_login"), {"login": other.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_a_failure_then_success_does_not_lock(client, resident):
    client.post(reverse("account_login"), {"login": resident.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": resident.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_signup_with_a_taken_email_creates_nobody(client, resident):
    # given an account with this e-mail
    before = User.objects.count()
    # when someone signs up with the same e-mail (in other case)
    response = client.post(
        reverse("account_signup"),
        {
            "email": resident.email.upper(),
            "password1": "Another-Good-Pass-77",
            "password2": "Another-Good-Pass-77",
        },
    )
    # then, as with any sign-up, they are told an e-mail is on its way (no enumeration)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    # and no second account exists; the owner is told by e-mail instead
    assert User.objects.count() == before
    assert User.objects.filter(email__iexact=resident.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]


def test_signup_creates_an_account(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.lv",
            "password1": "Another-Good-Pass-77",
            "password2": "Another-Good-Pass-77",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="new@example.lv").exists()
