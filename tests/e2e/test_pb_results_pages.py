"""Participatory-budget results in the browser, in Latvian: the results page with its chart
and map, "check it yourself", and a voter finding their ballot by receipt code. Every page
is checked with axe and for CSP violations."""

import hashlib

import pytest

from lidzdaliba.budgeting.models import CycleStatus, Tally
from tests.budgeting.factories import make_cycle
from tests.budgeting.results_factories import counted_cycle

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\u00a0"


@pytest.fixture
def cycle(municipality):
    return counted_cycle(municipality, slug="liepaja-2025")


def test_results_page_shows_every_project_and_why(page, cycle, axe_check, csp_clean):
    # when a visitor opens the results
    page.goto(f"/budget/{cycle.slug}/results/")

    # then every project is listed with its votes and the reason, in Latvian
    table = page.locator("#cat-infrastruktura ~ .table-wrap table")
    assert table.locator("tbody tr").count() == 3
    row = page.locator(f"#project-{cycle.ideas_by_name['b'].pk}")
    assert (
        f"nav finansēts: kad pienāca tā kārta, bija atlikuši 8{NBSP}120{NBSP}€, bet vajadzēja 14{NBSP}900{NBSP}€"
    ) in row.inner_text()
    assert row.locator("meter").get_attribute("value") == "4"
    # the map lists the winners as text too, and Leaflet drew them
    winners = page.locator(".place-list li")
    assert winners.count() == 3
    page.locator("#pb-results-map.leaflet-container").wait_for()
    axe_check(page)
    csp_clean(page)

    # and the ballot file downloads with the published checksum
    with page.expect_download() as info:
        page.locator('a[href$="infrastruktura.pb"]').first.click()
    download = info.value
    assert download.suggested_filename == f"liepaja_{cycle.slug}_infrastruktura.pb"
    with open(download.path(), "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    assert digest == tally.file_sha256


def test_check_page(page, cycle, axe_check, csp_clean):
    page.goto(f"/budget/{cycle.slug}/check/")

    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    section = page.locator("#check-infrastruktura")
    assert tally.file_sha256 in section.inner_text()
    assert f"pbvote tally liepaja_{cycle.slug}_infrastruktura.pb --rule greedy --json" in (
        section.inner_text()
    )
    axe_check(page)
    csp_clean(page)


def test_voter_finds_their_ballot_by_receipt_code(page, cycle, axe_check, csp_clean):
    ballot = cycle.cast_ballots[0]
    page.goto(f"/budget/{cycle.slug}/receipt/")
    axe_check(page)

    # a typo first: an unknown code
    page.locator("input[name=code]").fill("AAAA-BBBB-CCCC-DDDD")
    page.locator("main button[type=submit]").click()
    page.locator(".pb-receipt-result").wait_for()
    assert page.locator(".pb-receipt-result code").count() == 0
    axe_check(page)

    # then their own code, typed in lower case without dashes
    page.locator("input[name=code]").fill(ballot.receipt_code.replace("-", "").lower())
    page.locator("main button[type=submit]").click()
    page.locator(".pb-receipt-result pre").first.wait_for()
    text = page.locator(".pb-receipt-result").inner_text()
    assert ballot.public_id in text
    a, b, c = (cycle.ideas_by_name[k].pk for k in ("a", "b", "c"))
    assert f"{ballot.public_id};{a},{b},{c};" in text
    axe_check(page)
    csp_clean(page)


def test_results_wait_for_the_close(page, municipality, axe_check, csp_clean):
    cycle = make_cycle(municipality, status=CycleStatus.VOTING, slug="open")
    page.goto(f"/budget/{cycle.slug}/results/")
    assert page.locator(".pb-results-waiting time").count() == 1
    axe_check(page)
    csp_clean(page)


def test_officer_confirms_the_results(
    page, live_server, cycle, officer_factory, axe_check, csp_clean
):
    from django.conf import settings
    from django.test import Client

    officer = officer_factory("budgeting", totp=True)
    client = Client()
    client.force_login(officer)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"/budget/staff/{cycle.slug}/results/")
    axe_check(page)

    page.locator("input[name=decision]").fill("Domes lēmums Nr. 7/12, 2025. gada 3. jūlijā")
    page.locator("form:has(input[value=confirm]) button[type=submit]").click()

    page.locator(".message-success").wait_for()
    cycle.refresh_from_db()
    assert cycle.results_decision == "Domes lēmums Nr. 7/12, 2025. gada 3. jūlijā"
    axe_check(page)
    csp_clean(page)
    page.goto(f"/budget/{cycle.slug}/results/")
    assert "Nr. 7/12" in page.locator(".pb-confirmation").inner_text()
