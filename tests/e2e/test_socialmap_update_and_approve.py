"""An organisation's representative updates a service; a moderator approves it; the public
page shows the new hours and the change history. (In English, to quote the messages.)"""

import pytest
from django.test import Client
from django.utils import timezone

from lidzdaliba.accounts.models import Organisation, OrganisationMembership
from lidzdaliba.socialmap.demo import load_socialmap_demo
from lidzdaliba.socialmap.models import ChangeRequest, Service
from tests.factories import UserFactory


def login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.django_db(transaction=True)
def test_organisation_updates_a_service_and_moderator_approves(
    page_factory, live_server, municipality, moderator, axe_check, csp_clean
):
    # given the demo map, a representative of Liepājas Novada fonds and a moderator with 2FA
    from allauth.mfa.totp.internal.auth import TOTP

    load_socialmap_demo(municipality)
    organisation = Organisation.objects.get(municipality=municipality, slug="liepajas-novada-fonds")
    rep = UserFactory(municipality=municipality)
    OrganisationMembership.objects.create(
        user=rep, organisation=organisation, role="representative", approved_at=timezone.now()
    )
    TOTP.activate(moderator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    service = Service.objects.get(name_en="Volunteer sign-up")
    # when the representative opens the service form from their page
    page = page_factory(mobile=True)
    login(page, live_server, rep)
    page.goto("/en/help/manage/")
    axe_check(page)
    page.locator(f"a[href$='/manage/{organisation.slug}/services/{service.pk}/']").click()
    axe_check(page)
    # and types impossible hours
    page.fill("#id_hours", "MO-FR 18:00-10:00")
    page.get_by_role("button", name="Send for review").click()
    # then the form says what is wrong and nothing is stored
    assert "closing time is not after the opening time" in page.locator("main").inner_text()
    assert not ChangeRequest.objects.exists()
    axe_check(page)
    # when they correct the hours and send
    page.fill("#id_hours", "MO-FR 10:00-18:00; SA 10:00-13:00")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/help/manage/")
    # then it waits for review and the public page is unchanged
    change = ChangeRequest.objects.get()
    assert change.status == "pending"
    assert Service.objects.get(pk=service.pk).hours == "MO-FR 10:00-17:00"
    # when the moderator approves it in the queue
    mod_page = page_factory()
    login(mod_page, live_server, moderator)
    mod_page.goto("/en/help/staff/")
    axe_check(mod_page)
    assert "hours" in mod_page.locator("main").inner_text()
    mod_page.get_by_role("button", name="Approve").click()
    mod_page.wait_for_load_state()
    # then the service shows the new hours and its change history, to anyone
    public = page_factory(mobile=True)
    public.goto(f"/en/help/services/{service.pk}/")
    text = public.locator("main").inner_text()
    assert "10:00–18:00" in text
    assert "10:00–13:00" in text
    assert "hours" in public.locator("#history-heading + ul").inner_text()
    axe_check(public)
    csp_clean(public)
