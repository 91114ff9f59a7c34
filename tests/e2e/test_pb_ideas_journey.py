"""A budget idea from the form to the ballot, in Latvian: a resident writes an idea, picks
its place on the map and adds a cost line, and submits it; after the deadline an officer
works through the checklist and proposes to admit it, the author answers, and the officer
makes it final. Every page is checked with axe and for CSP violations, on a phone too."""

import pytest
from django.utils import timezone

from lidzdaliba.budgeting.models import CycleStatus, Idea, IdeaReview, IdeaStatus
from lidzdaliba.core.services import PlacementError, neighbourhood_for_point
from tests.budgeting.factories import make_cycle
from tests.e2e.test_petitions_signing import log_in
from tests.petitions.conftest import make_signer, with_totp

pytestmark = pytest.mark.django_db(transaction=True)


def _check(page, axe_check, csp_clean):
    axe_check(page)
    csp_clean(page)


def test_a_resident_submits_an_idea_and_an_officer_admits_it(
    page_factory,
    live_server,
    municipality,
    neighbourhood,
    officer_factory,
    axe_check,
    csp_clean,
):
    cycle = make_cycle(municipality, status=CycleStatus.SUBMISSION, slug="lb-2027")
    author = make_signer(municipality, neighbourhood)[0]
    base = f"/budget/{cycle.slug}/ideas/"

    # given a resident on the idea form (in Latvian)
    page = page_factory()
    log_in(page, live_server, author)
    page.goto(base)
    _check(page, axe_check, csp_clean)
    page.locator(f"a[href='{base}new/']").first.click()
    page.wait_for_url(f"**{base}new/")
    assert page.locator("html").get_attribute("lang") == "lv"
    _check(page, axe_check, csp_clean)

    # when they fill it in, pick the place with a click on the map and add a cost line
    page.locator("main [name=title]").fill("Soliņi pie Liepājas ezera")
    page.locator("main [name=summary]").fill("Četri soliņi ezera krastā.")
    page.locator("main [name=description]").fill("Četri soliņi un atkritumu urna ezera takā.")
    page.locator("main [name=category]").select_option(label="Infrastructure")
    page.locator("#idea-pick-map.leaflet-container").wait_for()
    page.locator("#idea-pick-map").click()
    lat = float(page.locator("main [name=lat]").input_value())
    lon = float(page.locator("main [name=lon]").input_value())
    try:
        neighbourhood_for_point(municipality=municipality, lat=lat, lon=lon)
    except PlacementError:  # the map's centre may be at sea: type a place in the park
        page.locator(".coordinates summary").click()
        page.locator("main [name=lat]").fill("56.5110")
        page.locator("main [name=lon]").fill("21.0137")
    page.locator("main [name=address]").fill("Ezera krasts")
    page.locator("main [name=cost-0-description]").fill("Soliņi, 4 gab.")
    page.locator("main [name=cost-0-amount]").fill("1 200,50")
    page.locator("button[name=submit]").click()

    # then the idea is public with number 1, its neighbourhood and its cost
    page.wait_for_url("**/ideas/*/")
    idea = Idea.objects.get()
    assert (idea.status, idea.number, idea.cost_cents) == (IdeaStatus.SUBMITTED, 1, 120_050)
    assert idea.neighbourhood is not None
    assert "1 200,50 €" in page.locator("main").inner_text().replace("\xa0", " ")
    _check(page, axe_check, csp_clean)
    phone = page_factory(mobile=True)
    for path in (base, f"{base}{idea.pk}/"):
        phone.goto(path)
        _check(phone, axe_check, csp_clean)
    log_in(phone, live_server, author)
    phone.goto(f"{base}{idea.pk}/edit/")
    _check(phone, axe_check, csp_clean)

    # and after the deadline an officer reviews it
    cycle.status = CycleStatus.REVIEW
    cycle.submission_closes_at = timezone.now() - timezone.timedelta(hours=1)
    cycle.save()
    officer = with_totp(officer_factory("budgeting"))
    staff = page_factory()
    log_in(staff, live_server, officer)
    staff.goto(f"/budget/staff/{cycle.slug}/review/")
    _check(staff, axe_check, csp_clean)
    staff.locator(f"a[href$='/review/{idea.pk}/']").click()
    staff.wait_for_url(f"**/review/{idea.pk}/")
    _check(staff, axe_check, csp_clean)
    for check in ("legal", "ownership", "cost"):
        staff.locator(f"main [name=check-{check}][value=yes]").check()
    staff.locator("main [name=check-officer_cost]").fill("1300")
    staff.locator("main [name=check-maintenance_cost]").fill("100")
    staff.locator("form:has([name=action][value=checklist]) button[type=submit]").click()
    staff.locator(".message-success").wait_for()
    staff.locator("main [name=propose-proposal][value=admit]").check()
    staff.locator("main [name=propose-reason]").fill("Atbilst visiem nosacījumiem.")
    staff.locator("form:has([name=action][value=propose]) button[type=submit]").click()
    staff.locator(".message-success").wait_for()
    assert IdeaReview.objects.get(idea=idea).proposal == "admit"
    _check(staff, axe_check, csp_clean)

    # and the author answers on the idea's page
    page.goto(f"{base}{idea.pk}/")
    page.locator("main [name=answer]").fill("Paldies!")
    page.locator("form[action$='/answer/'] button[type=submit]").click()
    page.locator(".message-success").wait_for()
    _check(page, axe_check, csp_clean)

    # so the officer makes the decision final
    staff.reload()
    staff.locator("form:has([name=action][value=finalise]) button[type=submit]").click()
    staff.locator(".message-success").wait_for()
    idea.refresh_from_db()
    assert (idea.status, idea.ballot_cost_cents) == (IdeaStatus.ADMITTED, 130_000)
    assert idea.decision_reason == "Atbilst visiem nosacījumiem."
    staff_phone = page_factory(mobile=True)
    log_in(staff_phone, live_server, officer)
    staff_phone.goto(f"/budget/staff/{cycle.slug}/review/{idea.pk}/")
    _check(staff_phone, axe_check, csp_clean)
    phone.goto(f"{base}{idea.pk}/")
    assert "Atbilst visiem nosacījumiem." in phone.locator("main").inner_text()
    _check(phone, axe_check, csp_clean)
