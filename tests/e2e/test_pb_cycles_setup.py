"""An officer (with TOTP) sets up a participatory-budget cycle with two categories in Latvian
through the browser, opens it with a reason, and a visitor finds it on the public pages.
Every page is checked with axe and for CSP violations."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from lidzdaliba.budgeting.models import Cycle, CycleStatus, PhaseChange
from lidzdaliba.core.models import AuditEvent
from tests.e2e.test_petitions_signing import log_in

pytestmark = pytest.mark.django_db(transaction=True)

FMT = "%Y-%m-%dT%H:%M"
DASHBOARD = re.compile(r"/budget/staff/liepaja-2027/(#\w+)?$")


def _fill_dates(page, start, *, submission_days):
    day = dt.timedelta(days=1)
    dates = {
        "submission_opens_at": start,
        "submission_closes_at": start + submission_days * day,
        "review_ends_at": start + 60 * day,
        "voting_opens_at": start + 70 * day,
        "voting_closes_at": start + 84 * day,
        "implementation_starts_at": start + 120 * day,
    }
    for name, value in dates.items():
        page.locator(f"main [name={name}]").fill(value.strftime(FMT))


def _submit(page):
    page.locator("main form.pb-form button[type=submit]").click()


def _add_category(page, slug, *, name, money, cap, form="approval", picks="3"):
    page.locator("a[href$='/categories/new/']").click()
    page.wait_for_url("**/categories/new/")
    page.locator("main [name=name]").fill(name)
    page.locator("main [name=slug]").fill(slug)
    page.locator("main [name=budget_cents]").fill(money)
    page.locator("main [name=cost_cap_cents]").fill(cap)
    page.locator(f"[name=ballot_form][value={form}]").check()
    if picks:
        page.locator("main [name=max_picks]").fill(picks)
    page.locator("main [name=rule][value=greedy]").check()
    _submit(page)


def test_officer_sets_up_a_cycle_with_two_categories(
    page_factory, live_server, officer_factory, municipality, axe_check, csp_clean
):
    officer = officer_factory("budgeting", totp=True)
    page = page_factory()
    log_in(page, live_server, officer)

    # given the officer's cycle list
    page.goto("/budget/staff/")
    assert page.locator("html").get_attribute("lang") == "lv"
    axe_check(page)
    page.locator("a[href$='/budget/staff/new/']").click()
    page.wait_for_url("**/budget/staff/new/")
    axe_check(page)

    # when they type the cycle with a too-short idea submission
    page.locator("main [name=title]").fill("Liepājas līdzdalības budžets 2027")
    page.locator("main [name=slug]").fill("liepaja-2027")
    page.locator("main [name=description]").fill("Iedzīvotāji lemj, kā izlietot daļu budžeta.")
    page.locator("main [name=total_budget_cents]").fill("257 226,00")
    page.locator("main [name=reserve_cents]").fill("22 024,47")
    page.locator("main [name=revenue_year1_cents]").fill("60 000 000")
    page.locator("main [name=revenue_year2_cents]").fill("63 000 000")
    page.locator("main [name=revenue_year3_cents]").fill("66 000 000")
    # the legal minimum appears while typing (0.5 % of 63 000 000 €)
    assert "315" in page.locator("#pb-legal-minimum").inner_text()
    start = timezone.localtime() + dt.timedelta(days=3)
    _fill_dates(page, start, submission_days=20)
    _submit(page)

    # then the form explains the 30-day minimum, and nothing is stored
    page.locator(".form-errors").wait_for()
    assert "30" in page.locator("main").inner_text()
    assert not Cycle.objects.exists()
    axe_check(page)

    # when they fix the closing date
    _fill_dates(page, start, submission_days=35)
    _submit(page)
    page.wait_for_url(DASHBOARD)
    cycle = Cycle.objects.get()
    assert (cycle.total_budget_cents, cycle.reserve_cents) == (257_226_00, 22_024_47)
    assert cycle.status == CycleStatus.DRAFT
    # the dashboard shows the legal minimum and warns that the total is below it
    assert "315\xa0000,00\xa0€" in page.locator(".pb-money").inner_text()
    assert page.locator(".pb-warning").count() == 1
    axe_check(page)

    # and add two categories: infrastructure and events
    _add_category(
        page, "infrastruktura", name="Infrastruktūras projekti", money="185 000", cap="50 000"
    )
    page.wait_for_url(DASHBOARD)
    axe_check(page)
    # an events category with more money than is left is refused with the sums
    _add_category(page, "pasakumi", name="Pasākumu projekti", money="60 000", cap="10 000")
    page.locator(".form-errors").wait_for()
    # 185 000 + 60 000 + the reserve 22 024,47 = 267 024,47 € > 257 226,00 €
    assert "267\xa0024,47\xa0€" in page.locator("main .errorlist").inner_text()
    axe_check(page)
    page.locator("main [name=budget_cents]").fill("50 201,53")
    _submit(page)
    page.wait_for_url(DASHBOARD)
    assert list(cycle.categories.values_list("slug", "budget_cents")) == [
        ("infrastruktura", 185_000_00),
        ("pasakumi", 50_201_53),
    ]

    # and a theme
    page.locator("a[href$='/themes/new/']").click()
    page.wait_for_url("**/themes/new/")
    axe_check(page)
    page.locator("main [name=name]").fill("Sports un rotaļu laukumi")
    page.locator("main [name=category]").select_option(label="Infrastruktūras projekti")
    _submit(page)
    page.wait_for_url(DASHBOARD)

    # and open idea submission early, with a reason
    page.locator("main [name=to_status]").select_option("submission")
    page.locator("main [name=reason]").fill("Domes lēmums Nr. 12: pieteikšanās sākas agrāk.")
    page.locator("form.pb-move button[type=submit]").click()
    page.locator(".message-success").wait_for()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SUBMISSION
    change = PhaseChange.objects.get()
    assert (change.changed_by_id, change.to_status) == (officer.pk, "submission")
    assert AuditEvent.objects.filter(verb="budget.phase_changed", actor=officer).count() == 1
    assert AuditEvent.objects.filter(verb="budget.category_created").count() == 2
    axe_check(page)
    page.locator("a[href$='/edit/']").first.click()
    page.wait_for_url("**/edit/")
    axe_check(page)
    csp_clean(page)

    # then a visitor on a phone finds it on the public pages
    visitor = page_factory(mobile=True)
    visitor.goto("/budget/")
    assert "Liepājas līdzdalības budžets 2027" in visitor.locator("main").inner_text()
    axe_check(visitor)
    visitor.locator("a[href='/budget/liepaja-2027/']").first.click()
    visitor.wait_for_url("**/budget/liepaja-2027/")
    text = visitor.locator("main").inner_text()
    assert "185\xa0000,00\xa0€" in text
    assert "Domes lēmums Nr. 12" in text
    assert start.strftime("%d.%m.%Y.") in text
    axe_check(visitor)
    visitor.locator("a[href='/budget/liepaja-2027/statistics/']").first.click()
    visitor.wait_for_url("**/statistics/")
    axe_check(visitor)
    visitor.goto("/en/budget/liepaja-2027/")
    assert visitor.locator("html").get_attribute("lang") == "en"
    axe_check(visitor)
    csp_clean(visitor)


def test_public_and_staff_pages_of_a_finished_cycle_pass_axe(
    page_factory, live_server, officer_factory, municipality, axe_check, csp_clean
):
    from tests.budgeting.factories import make_ballot_projects, make_cycle

    cycle = make_cycle(municipality, status=CycleStatus.FINISHED, slug="liepaja-2025")
    make_ballot_projects(cycle, {"infrastruktura": [40_000, 60_000], "pasakumi": [9_000]})
    make_cycle(municipality, status=CycleStatus.VOTING, slug="liepaja-2026")
    page = page_factory()
    for path in ("/budget/", "/budget/liepaja-2025/", "/budget/liepaja-2025/statistics/"):
        page.goto(path)
        axe_check(page)
    log_in(page, live_server, officer_factory("budgeting", totp=True))
    for path in (
        "/budget/staff/",
        "/budget/staff/liepaja-2025/",
        f"/budget/staff/liepaja-2025/categories/{cycle.categories.first().pk}/",
    ):
        page.goto(path)
        axe_check(page)
    csp_clean(page)
