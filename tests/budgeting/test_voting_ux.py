"""Voting pages as a visitor reads them in each phase: before voting opens, while it is open,
after it closed; what an anonymous visitor, an unverified account and a voter are told."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from lidzdaliba.budgeting.models import CycleStatus
from lidzdaliba.budgeting.services import voting as services

from .factories import make_ballot_projects

pytestmark = pytest.mark.django_db

VOTE = "/budget/pb-voting/vote/"
INFRA = "/budget/pb-voting/vote/infrastruktura/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def ideas(cycle, slug):
    return list(cycle.ideas.filter(category__slug=slug).order_by("number"))


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"budgeting:{name}", args=args)


def when(moment, lang):
    with translation.override(lang):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@pytest.fixture
def closed_cycle(cycle_factory):
    cycle = cycle_factory(CycleStatus.RESULTS, slug="pb-closed")
    make_ballot_projects(cycle, {"infrastruktura": [40_000, 60_000], "pasakumi": [10_000]})
    return cycle


@pytest.fixture
def upcoming_cycle(cycle_factory):
    return cycle_factory(CycleStatus.SUBMISSION, slug="pb-soon")


# 1. no empty status box for an account that cannot vote ---------------------------------


def test_ballot_page_of_an_unverified_account_has_no_empty_status_box(
    client, voting_cycle, resident
):
    client.force_login(resident)
    page = client.get("/en" + INFRA).content.decode()
    assert "Verify your residence" in page
    assert 'id="ballot-status"' not in page


def test_ballot_page_of_a_voter_keeps_the_status_box(client, voting_cycle, verified_resident):
    client.force_login(verified_resident)
    page = client.get("/en" + INFRA).content.decode()
    assert 'id="ballot-status"' in page


# 2. a closed vote page -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_closed_vote_page_says_when_it_closed_and_links_results_and_turnout(
    client, closed_cycle, lang
):
    prefix = "/en" if lang == "en" else ""
    page = client.get(f"{prefix}/budget/pb-closed/vote/").content.decode()
    assert "was not changed" not in page
    assert "netika mainīts" not in page
    assert when(closed_cycle.voting_closes_at, lang) in page
    assert f'href="{url("results", "pb-closed", lang=lang)}"' in page
    assert f'href="{url("turnout", "pb-closed", lang=lang)}"' in page
    assert "login/?next=" not in page
    if lang == "en":
        assert "Voting closed on" in page
        assert "Final turnout" in page
        assert "Log in to vote" not in page
        assert "Turnout so far" not in page
        assert "Not voted yet" not in page
    else:
        assert "Piesakieties, lai balsotu" not in page
        assert "Līdzšinējā aktivitāte" not in page


def test_closed_ballot_page_does_not_say_the_visitor_changed_nothing(client, closed_cycle):
    page = client.get("/en/budget/pb-closed/vote/infrastruktura/").content.decode()
    assert "Voting closed on" in page
    assert "was not changed" not in page
    assert "Log in to vote" not in page
    assert "Turnout so far" not in page


def test_vote_page_past_its_closing_time_is_closed_too(client, voting_cycle):
    voting_cycle.voting_closes_at = timezone.now() - dt.timedelta(hours=1)
    voting_cycle.save()
    page = client.get("/en" + VOTE).content.decode()
    assert "Voting closed on" in page
    assert "was not changed" not in page
    assert "Final turnout" in page
    assert "Log in to vote" not in page


# 3. a vote page before voting opens ------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_vote_page_before_voting_says_when_it_opens_and_links_the_ideas(
    client, upcoming_cycle, lang
):
    prefix = "/en" if lang == "en" else ""
    page = client.get(f"{prefix}/budget/pb-soon/vote/").content.decode()
    assert when(upcoming_cycle.voting_opens_at, lang) in page
    assert f'href="{url("ideas", "pb-soon", lang=lang)}"' in page
    assert f'href="{url("turnout", "pb-soon", lang=lang)}"' not in page
    assert "login/?next=" not in page
    if lang == "en":
        assert "Voting has not opened yet: it opens on" in page
        assert "Log in to vote" not in page
        assert "Turnout so far" not in page
    else:
        assert "Balsošana vēl nav sākusies" in page


# 4. turnout before voting opens ----------------------------------------------------------


def test_turnout_before_voting_says_so_without_empty_tables(client, upcoming_cycle):
    page = client.get("/en/budget/pb-soon/turnout/").content.decode()
    assert "Voting has not opened yet: it opens on" in page
    assert when(upcoming_cycle.voting_opens_at, "en") in page
    assert "<table" not in page
    assert "people have voted" not in page


def test_turnout_while_open_shows_tables_once_someone_voted(
    client, voting_cycle, verified_resident
):
    page = client.get("/en/budget/pb-voting/turnout/").content.decode()
    assert "<strong>0</strong> people have voted." in page
    assert "<table" not in page  # no tables of zeros
    services.ballot_save(
        user=verified_resident,
        cycle=voting_cycle,
        category=voting_cycle.categories.get(slug="pasakumi"),
        choices={ideas(voting_cycle, "pasakumi")[0].pk: 1},
    )
    page = client.get("/en/budget/pb-voting/turnout/").content.decode()
    assert page.count("<table") == 2
    assert "Voting has not opened yet" not in page


# 5. the anonymous visitor is told who may vote, once -------------------------------------


@pytest.mark.parametrize("path", [VOTE, INFRA])
def test_anonymous_visitor_is_told_who_may_vote(client, voting_cycle, path):
    page = client.get("/en" + path).content.decode()
    assert "Log in to vote." not in page
    assert page.count("Log in to vote") == 1  # the button
    text = re.sub(r"\s+", " ", page)
    name = voting_cycle.municipality.name
    assert f"Only verified residents of {name} aged 16 or more may vote" in text
    assert text.count("Only verified residents") == 1


# 6. the receipt code leads to the receipt lookup, once on the overview -------------------


def test_receipt_code_links_to_the_lookup_and_shows_once(client, voting_cycle, verified_resident):
    client.force_login(verified_resident)
    receipt_url = url("receipt", "pb-voting")
    infra, events = ideas(voting_cycle, "infrastruktura"), ideas(voting_cycle, "pasakumi")
    body = client.post("/en" + INFRA, {"idea": [infra[0].pk]}, **HTMX).content.decode()
    assert f'href="{receipt_url}"' in body
    assert "published file" in body
    ballot = services.ballot_save(
        user=verified_resident,
        cycle=voting_cycle,
        category=voting_cycle.categories.get(slug="pasakumi"),
        choices={events[0].pk: 1},
    )
    page = client.get("/en" + INFRA).content.decode()
    assert f'href="{receipt_url}"' in page
    page = client.get("/en" + VOTE).content.decode()
    assert page.count("Your vote is counted") == 2
    assert page.count(ballot.receipt_code) == 1
    assert f'href="{receipt_url}"' in page
    assert "published file" in page


# 7. no quote marks around a title in the template ----------------------------------------


@pytest.mark.parametrize("path", [VOTE, INFRA, "/budget/pb-voting/turnout/"])
@pytest.mark.parametrize("prefix", ["/en", ""])
def test_headings_carry_no_english_quotes(client, voting_cycle, verified_resident, path, prefix):
    client.force_login(verified_resident)
    page = client.get(prefix + path).content.decode()
    assert voting_cycle.title in page
    assert "“" not in page
    assert "”" not in page
