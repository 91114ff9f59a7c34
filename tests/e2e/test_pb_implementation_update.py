"""An officer reports progress on a funded project in Latvian (status "works", 40 %, a
photo) and the public pages show it; every page is checked with axe and for CSP
violations."""

import pytest

from lidzdaliba.budgeting.models import IdeaFollow, Implementation, ImplementationUpdate
from lidzdaliba.budgeting.services.implementation import (
    implementation_create_for_winners,
    maintenance_cost_record,
)
from lidzdaliba.core.models import Notification
from lidzdaliba.core.services import attachments_of
from tests.budgeting.impl_helpers import make_counted_cycle, photo_upload
from tests.e2e.test_petitions_signing import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_updates_a_project_and_the_public_sees_it(
    page_factory, live_server, municipality, officer_factory, tmp_path, axe_check, csp_clean
):
    cycle, projects = make_counted_cycle(municipality)
    implementation_create_for_winners(cycle)
    idea = projects["infrastruktura"][0]
    follower = UserFactory(municipality=municipality)
    IdeaFollow.objects.create(idea=idea, user=follower)
    officer = officer_factory("budgeting", totp=True)
    maintenance_cost_record(
        actor=officer,
        idea=projects["pasakumi"][0],
        year=cycle.voting_closes_at.year,
        amount_cents=420_00,
    )
    photo = tmp_path / "darbi.jpg"
    photo.write_bytes(photo_upload().read())

    # the officer opens the cycle's projects (Latvian pages: no language prefix)
    page = page_factory()
    log_in(page, live_server, officer)
    page.goto(f"/budget/staff/{cycle.slug}/projects/")
    axe_check(page)
    csp_clean(page)
    page.locator(f"a[href$='/projects/{idea.pk}/']").click()
    page.wait_for_url(f"**/budget/staff/{cycle.slug}/projects/{idea.pk}/")
    assert page.locator("html").get_attribute("lang") == "lv"
    axe_check(page)

    # a progress over 100 % is refused with a message, nothing stored
    page.locator("[name=status]").select_option("works")
    page.locator("[name=progress]").fill("140")
    page.locator("form.pb-impl-form button[type=submit]").click()
    page.locator(".form-errors").wait_for()
    axe_check(page)
    assert not ImplementationUpdate.objects.exists()

    # status "works", 40 %, a photo and a public text
    page.locator("[name=status]").select_option("works")
    page.locator("[name=progress]").fill("40")
    page.locator("[name=text]").fill("Uzstādīts žogs un vārti; sākti zemes darbi.")
    page.locator("[name=photos]").set_input_files(str(photo))
    page.locator("[name=photo_alt]").fill("Jaunais žogs pie laukuma")
    page.locator("form.pb-impl-form button[type=submit]").click()
    page.locator(".message-success").wait_for()
    implementation = Implementation.objects.get(idea=idea)
    assert (implementation.status, implementation.progress) == ("works", 40)
    update = ImplementationUpdate.objects.get()
    assert attachments_of(target=update).count() == 1
    assert Notification.objects.filter(recipient=follower).count() == 1
    axe_check(page)
    csp_clean(page)

    # a visitor sees it on the public list
    visitor = page_factory()
    visitor.goto(f"/budget/{cycle.slug}/projects/")
    card = visitor.locator(".pb-impl-card", has_text=idea.title)
    assert card.locator("progress").get_attribute("value") == "40"
    assert "Uzstādīts žogs un vārti" in card.inner_text()
    axe_check(visitor)
    csp_clean(visitor)
    # and in the idea page's implementation section, with the photo
    visitor.goto(f"/budget/{cycle.slug}/ideas/{idea.pk}/")
    section = visitor.locator(".pb-impl-section")
    assert section.locator("progress").get_attribute("value") == "40"
    assert section.locator("img[alt='Jaunais žogs pie laukuma']").count() == 1
    axe_check(visitor)
    csp_clean(visitor)
    # and the maintenance report
    visitor.goto(f"/budget/{cycle.slug}/projects/")
    visitor.locator("a[href$='/projects/maintenance/']").click()
    visitor.locator("table.pb-maintenance").wait_for()
    assert "420,00" in visitor.locator("table.pb-maintenance").inner_text()
    axe_check(visitor)
    csp_clean(visitor)
