"""The home page's participatory-budget card says what a resident can do right now."""

import pytest

from lidzdaliba.budgeting.models import CycleStatus

pytestmark = pytest.mark.django_db


def test_home_offers_voting_while_a_cycle_votes(client, cycle_factory):
    cycle_factory(CycleStatus.VOTING, slug="balso")
    page = client.get("/en/").content.decode()
    assert 'href="/en/budget/balso/vote/"' in page
    assert "voting is open until" in page


def test_home_offers_an_idea_form_while_ideas_are_accepted(client, cycle_factory):
    cycle_factory(CycleStatus.SUBMISSION, slug="idejas")
    page = client.get("/en/").content.decode()
    assert 'href="/en/budget/idejas/ideas/new/"' in page
    assert "/vote/" not in page


def test_home_card_says_nothing_of_cycles_in_preparation(client, cycle_factory):
    cycle_factory(CycleStatus.DRAFT, slug="gatavo")
    page = client.get("/en/").content.decode()
    assert "gatavo" not in page
    assert 'href="/en/budget/"' in page


def test_home_card_costs_one_query_whatever_the_cycles(
    client, cycle_factory, django_assert_max_num_queries
):
    client.get("/en/")  # warm the per-host caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/en/")
    for n, status in enumerate([CycleStatus.VOTING, CycleStatus.SUBMISSION, CycleStatus.RESULTS]):
        cycle_factory(status, slug=f"c{n}")
    with django_assert_max_num_queries(len(before)):
        client.get("/en/")
