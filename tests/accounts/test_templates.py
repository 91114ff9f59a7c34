"""allauth's pages use the site's layout, with labelled fields and no inline code."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

from .conftest import with_totp


def _check_page(html: str) -> None:
    assert 'class="skip-link"' in html
    assert 'class="lang-switcher"' in html
    assert 'class="site-footer"' in html
    assert "style=" not in html
    assert "<style" not in html
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or 'type="application/json"' in script, script
    # every visible input has a label
    ids = re.findall(
        r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', html
    )
    for field_id in ids:
        assert f'for="{field_id}"' in html, field_id


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_entrance_pages_use_site_layout(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    _check_page(response.content.decode())


def test_login_page_in_english_has_english_lang(client, db):
    html = client.get("/en/accounts/login/").content.decode()
    assert '<html lang="en">' in html


@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "mfa_index", "socialaccount_connections"]
)
def test_manage_pages_use_site_layout(client, resident, name):
    client.force_login(resident)
    response = client.get(reverse(name))
    assert response.status_code == 200
    _check_page(response.content.decode())


def test_totp_setup_and_code_pages_use_site_layout(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("mfa_activate_totp"), follow=True)  # may ask the password
    assert response.status_code == 200
    _check_page(response.content.decode())
    client.logout()
    with_totp(administrator)
    client.post(reverse("account_login"), {"login": administrator.email, "password": PASSWORD})
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 200
    _check_page(response.content.decode())


def test_login_errors_are_announced(client, resident):
    response = client.post(reverse("account_login"), {"login": resident.email, "password": "nope"})
    html = response.content.decode()
    assert 'class="form-errors" role="alert"' in html
