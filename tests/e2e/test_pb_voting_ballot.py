"""Participatory-budget voting in the browser, in Latvian: a verified resident votes on a
phone, sees the money left change with each tick, is refused when over the money, sees the
"counted" state with a receipt and changes the vote; an officer enters a paper ballot;
anyone reads the turnout. Every page is checked with axe and for CSP violations."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from lidzdaliba.budgeting.models import Ballot, BallotChoice
from tests.budgeting.conftest import voter_code
from tests.budgeting.factories import make_ballot_projects, make_cycle

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, user):
    """Put a session of ``user`` into the browser (the login form has its own tests)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


@pytest.fixture
def cycle(municipality):
    """Voting open; infrastructure is a knapsack ballot of 185 000 €."""
    cycle = make_cycle(municipality, slug="pb-balsot", ballot_form="knapsack", max_picks=None)
    make_ballot_projects(
        cycle, {"infrastruktura": [40_000, 60_000, 90_000], "pasakumi": [10_000, 20_000]}
    )
    return cycle


def money(amount: str):
    """The lv money text, whatever space character separates the thousands."""
    return re.compile(r"^" + amount.replace(" ", r"\s") + r"\s€$")


def chosen():
    return set(BallotChoice.objects.values_list("idea__title", flat=True))


def test_resident_votes_on_a_phone_and_changes_the_vote(
    page_factory, live_server, cycle, verified_resident, axe_check, csp_clean
):
    page = page_factory(mobile=True)
    log_in(page, live_server, verified_resident)
    infra = list(cycle.ideas.filter(category__slug="infrastruktura").order_by("number"))

    # the overview lists both categories, none voted yet
    page.goto("/budget/pb-balsot/vote/")
    assert page.locator(".vote-categories > li").count() == 2
    axe_check(page)
    page.locator(".vote-categories a").first.click()
    page.wait_for_url("**/budget/pb-balsot/vote/infrastruktura/")
    status = page.locator("#ballot-status")
    assert status.locator(".vote-counted").count() == 0
    money_left = status.locator(".ballot-left strong")
    expect(money_left).to_have_text(money("185 000,00"))
    axe_check(page)

    # when they tick the first project, it is saved and the money left drops
    page.locator(f"label[for=idea-{infra[0].pk}]").click()
    status.locator(".vote-counted").wait_for()
    expect(money_left).to_have_text(money("145 000,00"))
    ballot = Ballot.objects.get()
    assert status.locator(".receipt-code").inner_text() == ballot.receipt_code
    assert chosen() == {infra[0].title}
    axe_check(page)

    # and the second
    page.locator(f"label[for=idea-{infra[1].pk}]").click()
    expect(money_left).to_have_text(money("85 000,00"))
    assert chosen() == {infra[0].title, infra[1].title}

    # the third would go over the money: refused, nothing saved, the box is cleared
    page.locator(f"label[for=idea-{infra[2].pk}]").click()
    page.locator("#ballot-form .ballot-error").wait_for()
    expect(page.locator("#ballot-form .ballot-error")).to_be_focused()
    assert not page.locator(f"#idea-{infra[2].pk}").is_checked()
    assert page.locator(f"#idea-{infra[0].pk}").is_checked()
    assert chosen() == {infra[0].title, infra[1].title}
    axe_check(page)

    # they change their mind: the first out, the third in
    page.locator(f"label[for=idea-{infra[0].pk}]").click()
    expect(money_left).to_have_text(money("125 000,00"))
    page.locator(f"label[for=idea-{infra[2].pk}]").click()
    expect(money_left).to_have_text(money("35 000,00"))
    assert chosen() == {infra[1].title, infra[2].title}
    assert Ballot.objects.count() == 1
    assert Ballot.objects.get().receipt_code == ballot.receipt_code

    # after a reload the counted state and the choices are still there
    page.reload()
    assert page.locator("#ballot-status .vote-counted").count() == 1
    assert page.locator(f"#idea-{infra[2].pk}").is_checked()
    page.goto("/budget/pb-balsot/vote/")
    assert page.locator(".vote-categories .is-counted").count() == 1
    axe_check(page)
    csp_clean(page)


def test_voting_works_without_javascript(browser, live_server, cycle, verified_resident, axe_check):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        log_in(page, live_server, verified_resident)
        event = cycle.ideas.filter(category__slug="pasakumi").order_by("number").first()
        page.goto("/budget/pb-balsot/vote/pasakumi/")
        page.locator(f"#idea-{event.pk}").check()
        page.locator("#ballot-form button[type=submit]").click()
        page.locator("#ballot-status .vote-counted").wait_for()
        assert chosen() == {event.title}
        assert page.locator(".receipt-code").inner_text() == Ballot.objects.get().receipt_code
    finally:
        context.close()


def test_officer_enters_a_paper_ballot_and_the_turnout_counts_it(
    page_factory, live_server, cycle, officer_factory, axe_check, csp_clean
):
    officer = officer_factory("budgeting", totp=True)
    page = page_factory()
    log_in(page, live_server, officer)
    event = cycle.ideas.filter(category__slug="pasakumi").order_by("number").first()

    page.goto("/budget/staff/pb-balsot/paper/")
    axe_check(page)
    page.locator("input[name=personal_code]").fill(voter_code())
    page.locator(f"input[value='{event.pk}']").check()
    # forgetting the ID check is refused with a message
    page.locator("form.paper-form button[type=submit]").click()
    page.locator(".form-errors").wait_for()
    assert not Ballot.objects.exists()
    axe_check(page)
    page.locator("input[name=id_document_checked]").check()
    page.locator("form.paper-form button[type=submit]").click()
    page.locator(".message-success").wait_for()
    ballot = Ballot.objects.get()
    assert ballot.channel == "paper"
    assert ballot.receipt_code in page.locator(".message-success").inner_text()
    assert re.search(r"\b1\b", page.locator(".paper-count").inner_text())
    axe_check(page)
    csp_clean(page)

    page.goto("/budget/pb-balsot/turnout/")
    assert page.locator(".turnout-total strong").inner_text() == "1"
    axe_check(page)
    csp_clean(page)


def test_vote_pages_before_and_after_voting_are_clear_and_accessible(
    page_factory, live_server, municipality, cycle, resident, axe_check, csp_clean
):
    from lidzdaliba.budgeting.models import CycleStatus

    make_cycle(municipality, slug="pb-drizi", status=CycleStatus.SUBMISSION)
    closed = make_cycle(municipality, slug="pb-beidzies", status=CycleStatus.RESULTS)
    make_ballot_projects(closed, {"infrastruktura": [40_000], "pasakumi": [10_000]})
    page = page_factory()

    page.goto("/en/budget/pb-drizi/vote/")
    expect(page.locator(".vote-notice")).to_contain_text("Voting has not opened yet")
    expect(page.get_by_role("link", name="See the ideas submitted so far")).to_be_visible()
    assert page.get_by_role("link", name="Log in to vote").count() == 0
    axe_check(page)
    page.goto("/en/budget/pb-drizi/turnout/")
    assert page.locator("table").count() == 0
    axe_check(page)

    page.goto("/en/budget/pb-beidzies/vote/")
    expect(page.locator(".vote-notice")).to_contain_text("Voting closed on")
    expect(page.get_by_role("link", name="Final turnout")).to_be_visible()
    assert page.get_by_role("link", name="Log in to vote").count() == 0
    axe_check(page)

    # an account without a verified residence: no empty status box on the ballot
    log_in(page, live_server, resident)
    page.goto("/budget/pb-balsot/vote/pasakumi/")
    expect(page.locator(".vote-notice .button")).to_be_visible()
    assert page.locator("#ballot-status").count() == 0
    axe_check(page)
    csp_clean(page)
