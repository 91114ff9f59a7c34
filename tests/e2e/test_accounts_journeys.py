"""A resident signs up, confirms the e-mail, verifies residence and edits the profile; an
administrator logs in with a second factor and changes the municipality. In lv and en.

Locators use field names and URLs, not visible text, so the same journey runs in every
language; the checked outcome is what the database holds afterwards.
"""

import re
import time
from urllib.parse import unquote, urlparse

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail

import personalcode
from lidzdaliba.accounts.models import CensusImport, CensusRecord, Residency, User
from lidzdaliba.core.demo.load import (
    DEMO_ADMIN_TOTP_SECRET,
    DEMO_PASSWORD,
    load_organisations,
    load_people,
)
from lidzdaliba.core.models import AuditEvent, Municipality

PREFIX = {"lv": "", "en": "/en"}
CODE = "220705-20000"


def census_with(municipality, code, slug):
    census = CensusImport.objects.create(
        municipality=municipality, file_name="test.csv", status=CensusImport.Status.SUCCEEDED
    )
    CensusRecord.objects.create(
        municipality=municipality,
        identity_key=personalcode.identity_key(code, key=settings.PERSONAL_CODE_HMAC_KEY),
        neighbourhood=municipality.neighbourhoods.get(slug=slug),
        birth_date=personalcode.birth_date(code),
        census_import=census,
    )


def submit(page, field=None):
    """Click the submit button of the form holding ``field`` (else the page's main form)."""
    form = f"main form:has([name={field}])" if field else "main form"
    page.locator(f"{form} button[type=submit]").first.click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_resident_signs_up_verifies_residence_and_edits_profile(
    page_factory, municipality, axe_check, csp_clean, lang
):
    # given a census that holds the resident's personal code, and a phone
    census_with(municipality, CODE, "ezerkrasts")
    page = page_factory(mobile=True)
    prefix = PREFIX[lang]
    mail.outbox.clear()

    # when they sign up
    page.goto(f"{prefix}/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == lang
    axe_check(page)
    page.fill("input[name=email]", f"liene.{lang}@example.lv")
    page.fill("input[name=password1]", "Jura-krasts-2026")
    page.fill("input[name=password2]", "Jura-krasts-2026")
    submit(page, "email")
    page.wait_for_load_state()

    # then a confirmation e-mail arrives; following its link confirms and logs them in
    deadline = time.monotonic() + 10
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    axe_check(page)
    submit(page)
    page.wait_for_url(re.compile(r"/accounts/profile/"))

    # when they verify their residence with the personal code
    page.goto(f"{prefix}/accounts/verify/")
    axe_check(page)
    page.fill("input[name=personal_code]", "220705-00000")  # a mistyped code first
    submit(page, "personal_code")
    assert page.locator(".errorlist").count() >= 1
    assert not Residency.objects.filter(user__email=f"liene.{lang}@example.lv").exists()
    page.fill("input[name=personal_code]", CODE)
    submit(page, "personal_code")
    page.wait_for_url(re.compile(r"/accounts/profile/"))

    # then the profile shows their neighbourhood from the register
    residency = Residency.objects.get(user__email=f"liene.{lang}@example.lv")
    assert residency.neighbourhood.slug == "ezerkrasts"
    assert getattr(residency.neighbourhood, f"name_{lang}") in page.locator("main").inner_text()
    axe_check(page)

    # when they edit their name
    page.goto(f"{prefix}/accounts/profile/edit/")
    page.fill("input[name=full_name]", "Liene Jūrmala")
    submit(page, "full_name")
    page.wait_for_url(re.compile(r"/accounts/profile/$"))
    assert User.objects.get(email=f"liene.{lang}@example.lv").full_name == "Liene Jūrmala"
    assert "Liene Jūrmala" in page.locator("main").inner_text()
    csp_clean(page)


def totp_now(secret):
    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_administrator_logs_in_with_totp_and_changes_the_municipality(
    page, municipality, axe_check, lang
):
    # given the demo administrator, whose authenticator holds the demo secret
    load_organisations(municipality)
    load_people(municipality)
    prefix = PREFIX[lang]

    # when they log in with password and the second factor
    page.goto(f"{prefix}/accounts/login/")
    axe_check(page)
    page.fill("input[name=login]", "admin@liepaja.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    submit(page, "login")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    axe_check(page)
    page.fill("input[name=code]", totp_now(DEMO_ADMIN_TOTP_SECRET))
    submit(page, "code")
    page.wait_for_url(lambda url: "/2fa/" not in url)

    # then the administration opens, and they change the municipality's phone number
    page.goto(f"/admin/core/municipality/{municipality.pk}/change/")
    assert page.locator("input[name=contact_phone]").count() == 1
    page.fill("input[name=contact_phone]", "+371 63400000")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/core/municipality/$"))
    assert Municipality.objects.get(pk=municipality.pk).contact_phone == "+371 63400000"
    assert AuditEvent.objects.filter(verb="municipality.updated").exists()


@pytest.mark.django_db(transaction=True)
def test_staff_without_a_second_factor_cannot_open_the_administration(page, municipality):
    # given an officer who has not set up TOTP yet
    load_organisations(municipality)
    load_people(municipality)
    page.goto("/en/accounts/login/")
    page.fill("input[name=login]", "officer@liepaja.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    submit(page, "login")
    page.wait_for_load_state()
    # when they open the administration
    page.goto("/admin/")
    # then they are sent to set up the authenticator app first (allauth may ask for the
    # password again before that sensitive step)
    assert "/accounts/2fa/totp/activate/" in unquote(page.url)
    assert "/admin/" not in urlparse(page.url).path
