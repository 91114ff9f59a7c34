"""Every social-map page in every language passes axe (WCAG 2.1 A/AA) with a clean CSP."""

import pytest
from django.test import Client
from django.utils import timezone

from lidzdaliba.accounts.models import Organisation, OrganisationMembership
from lidzdaliba.socialmap.demo import load_socialmap_demo
from lidzdaliba.socialmap.models import Provider, Service
from tests.factories import UserFactory


def login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["", "/en", "/ru", "/uk"])
def test_public_pages_are_accessible(page, municipality, axe_check, csp_clean, lang):
    load_socialmap_demo(municipality)
    service = Service.objects.get(name_en="Night shelter")
    provider = Provider.objects.get(name_en="Liepāja City Social Service")
    for path in (
        "/help/?need=housing&open_now=on",
        f"/help/services/{service.pk}/",
        f"/help/organisations/{provider.pk}/",
        "/help/print/?neighbourhood=karosta&large=1",
    ):
        page.goto(lang + path)
        axe_check(page)
    csp_clean(page)


@pytest.mark.django_db(transaction=True)
def test_organisation_and_staff_pages_are_accessible(
    page_factory, live_server, municipality, moderator, axe_check, csp_clean
):
    from allauth.mfa.totp.internal.auth import TOTP

    load_socialmap_demo(municipality)
    organisation = Organisation.objects.get(municipality=municipality, slug="apeirons")
    rep = UserFactory(municipality=municipality)
    OrganisationMembership.objects.create(
        user=rep, organisation=organisation, role="representative", approved_at=timezone.now()
    )
    page = page_factory(mobile=True)
    login(page, live_server, rep)
    for path in ("/help/manage/", "/help/manage/apeirons/", "/help/manage/apeirons/services/new/"):
        page.goto(path)
        axe_check(page)
    page.locator("main form button[type=submit]").click()
    axe_check(page)  # the form with its errors
    csp_clean(page)
    TOTP.activate(moderator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    staff = page_factory()
    login(staff, live_server, moderator)
    for path in ("/help/staff/", "/help/staff/import/"):
        staff.goto(path)
        axe_check(staff)
    csp_clean(staff)
