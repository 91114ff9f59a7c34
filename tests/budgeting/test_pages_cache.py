"""The public budget pages render their shared part once per change of its data
(``lidzdaliba.budgeting.cache``): a cached page costs few queries whatever the number of
ideas, a change shows at once (saved models, and writes that send no signal), nothing of
one visitor reaches another, and the pages' schedule check still moves a cycle on time."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lidzdaliba.budgeting import cache as pb_cache
from lidzdaliba.budgeting.models import (
    Cycle,
    CycleStatus,
    Idea,
    IdeaStatus,
    Implementation,
    ProjectResult,
    Tally,
)

from .factories import make_idea
from .results_factories import counted_cycle

pytestmark = pytest.mark.django_db


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _without_tokens(html: str) -> str:
    """The page without its CSRF token (new on each response, never in a fragment)."""
    return re.sub(r'content="[A-Za-z0-9]{64}"', "", html)


# --- queries of a cached page -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "path", "hit_queries"),
    [
        (CycleStatus.SUBMISSION, "/en/budget/c/ideas/", 7),
        (CycleStatus.SUBMISSION, "/en/budget/c/", 4),
        (CycleStatus.SUBMISSION, "/en/budget/c/statistics/", 4),
        (CycleStatus.REVIEW, "/en/budget/c/", 3),
        (CycleStatus.REVIEW, "/en/budget/c/statistics/", 3),
    ],
)
def test_a_cached_page_costs_few_queries_whatever_the_number_of_ideas(
    client, cycle_factory, django_assert_max_num_queries, status, path, hit_queries
):
    cycle = cycle_factory(status, slug="c")
    infra = cycle.categories.get(slug="infrastruktura")
    for n in range(30):
        make_idea(cycle, infra, status=IdeaStatus.SUBMITTED, number=n + 1, title=f"Idea {n}")
    client.get(path)  # renders and stores the fragment
    with django_assert_max_num_queries(hit_queries):
        html = _html(client, path)
    assert "Idea 29" in html or "30" in html


def test_a_counted_cycle_s_results_and_check_pages_cost_few_queries_when_cached(
    client, municipality, django_assert_max_num_queries
):
    counted_cycle(municipality, slug="c")
    for path in ("/en/budget/c/results/", "/en/budget/c/check/"):
        first = _html(client, path)
        with django_assert_max_num_queries(4):
            assert _without_tokens(_html(client, path)) == _without_tokens(first)


def test_the_funded_projects_list_costs_few_queries_when_cached(
    client, municipality, django_assert_max_num_queries
):
    cycle = counted_cycle(municipality, slug="c")
    for idea in Idea.objects.filter(cycle=cycle, result__selected=True):
        Implementation.objects.create(idea=idea, planned_cost_cents=100, progress=10)
    first = _html(client, "/en/budget/c/projects/")
    with django_assert_max_num_queries(3):
        assert _without_tokens(_html(client, "/en/budget/c/projects/")) == _without_tokens(first)


# --- a change shows at once ---------------------------------------------------------------


def test_the_pages_change_when_an_idea_or_a_category_changes(client, cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    infra = cycle.categories.get(slug="infrastruktura")
    idea = make_idea(cycle, infra, status=IdeaStatus.SUBMITTED, number=1, title="Benches")
    assert "Benches" in _html(client, "/en/budget/c/ideas/")

    idea.title = "Benches by the sea"
    idea.save()
    assert "Benches by the sea" in _html(client, "/en/budget/c/ideas/")

    assert "Streets and parks" not in _html(client, "/en/budget/c/")
    infra.name_en = "Streets and parks"
    infra.save()
    assert "Streets and parks" in _html(client, "/en/budget/c/")  # a category card
    assert "Streets and parks" in _html(client, "/en/budget/c/ideas/")  # the filter


def test_the_idea_list_and_figures_change_when_an_idea_is_submitted_without_a_signal(
    client, cycle_factory
):
    """Submission numbers the idea with ``QuerySet.update`` (no ``post_save``)."""
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    infra = cycle.categories.get(slug="infrastruktura")
    draft = make_idea(cycle, infra, status=IdeaStatus.DRAFT, title="Fountain")
    assert "Fountain" not in _html(client, "/en/budget/c/ideas/")
    assert "1 idea" not in _html(client, "/en/budget/c/ideas/")
    before = _html(client, "/en/budget/c/statistics/")

    Idea.objects.filter(pk=draft.pk).update(status=IdeaStatus.SUBMITTED, number=1)

    html = _html(client, "/en/budget/c/ideas/")
    assert "1. Fountain" in html
    assert "1 idea" in html
    assert _html(client, "/en/budget/c/statistics/") != before


def test_the_results_change_when_the_municipality_confirms_them(
    client, municipality, budget_officer
):
    from lidzdaliba.budgeting.services.tally import results_confirm

    cycle = counted_cycle(municipality, slug="c")
    assert "Not yet confirmed" in _html(client, "/en/budget/c/results/")

    results_confirm(cycle, actor=budget_officer, decision="Council decision no. 7")

    assert "Council decision no. 7" in _html(client, "/en/budget/c/results/")


def test_the_results_change_when_the_count_is_run_again(client, municipality):
    """A rerun replaces the rows in bulk (no signals); the tally's finish time moves."""
    cycle = counted_cycle(municipality, slug="c")
    assert "Recounted" not in _html(client, "/en/budget/c/results/")
    check = _html(client, "/en/budget/c/check/")

    ProjectResult.objects.filter(tally__cycle=cycle).update(sentence_en="Recounted.")
    Tally.objects.filter(cycle=cycle).update(
        finished_at=timezone.now() + dt.timedelta(seconds=5), num_ballots=777
    )

    assert "Recounted." in _html(client, "/en/budget/c/results/")
    assert "777" in _html(client, "/en/budget/c/check/") != check


def test_the_funded_projects_change_when_a_project_progresses(client, municipality):
    cycle = counted_cycle(municipality, slug="c")
    idea = Idea.objects.filter(cycle=cycle, result__selected=True).first()
    implementation = Implementation.objects.create(idea=idea, planned_cost_cents=100)
    assert "123,456.78" not in _html(client, "/en/budget/c/projects/")

    implementation.actual_cost_cents = 123_456_78
    implementation.save()

    assert "123,456.78" in _html(client, "/en/budget/c/projects/")


def test_ballots_do_not_bump_the_generation_but_turnout_figures_follow_the_minute(
    client, voting_cycle, monkeypatch
):
    from .results_factories import cast

    ideas = list(Idea.objects.filter(cycle=voting_cycle, status=IdeaStatus.ADMITTED)[:1])
    before = pb_cache.generation()
    cast(voting_cycle, ideas, times=3)
    assert pb_cache.generation() == before

    path = f"/en/budget/{voting_cycle.slug}/statistics/"
    assert "3 people voted" in _html(client, path)
    cast(voting_cycle, ideas, times=2)
    later = timezone.now() + dt.timedelta(minutes=1)
    monkeypatch.setattr(pb_cache, "minute", lambda now=None: later.strftime("%Y%m%d%H%M"))
    assert "5 people voted" in _html(client, path)


# --- nothing of one visitor reaches another ----------------------------------------------


def test_a_cached_list_holds_nothing_of_the_visitor_who_filled_it(
    client, cycle_factory, verified_resident
):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    infra = cycle.categories.get(slug="infrastruktura")
    make_idea(cycle, infra, status=IdeaStatus.SUBMITTED, number=1, title="Benches")
    client.force_login(verified_resident)
    mine = _html(client, "/en/budget/c/ideas/")
    assert "My ideas" in mine

    client.logout()
    anonymous = _html(client, "/en/budget/c/ideas/")
    assert "Benches" in anonymous
    assert "My ideas" not in anonymous
    assert verified_resident.email not in anonymous


def test_the_fragment_key_follows_the_language(client, cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    infra = cycle.categories.get(slug="infrastruktura")
    infra.name_en, infra.name_lv = "Infrastructure EN", "Infrastruktūra LV"
    infra.save()
    make_idea(cycle, infra, status=IdeaStatus.SUBMITTED, number=1)
    assert "Infrastructure EN" in _html(client, "/en/budget/c/ideas/")
    assert "Infrastruktūra LV" in _html(client, "/budget/c/ideas/")


# --- the schedule check -----------------------------------------------------------------


def test_the_pages_still_move_a_cycle_when_its_date_passes(client, cycle_factory, monkeypatch):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    _html(client, "/en/budget/c/")  # remembers the next phase date
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SUBMISSION

    later = cycle.submission_closes_at + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _html(client, "/en/budget/c/")

    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.REVIEW


def test_the_schedule_check_costs_no_query_until_the_next_date(client, cycle_factory):
    cycle_factory(CycleStatus.SUBMISSION, slug="c")
    with CaptureQueriesContext(connection) as first:
        _html(client, "/en/budget/")
    with CaptureQueriesContext(connection) as second:
        _html(client, "/en/budget/")
    dates = [q["sql"] for q in first.captured_queries if "submission_closes_at" in q["sql"]]
    assert len(dates) == 2  # the schedule's dates, then the list of cycles
    assert len(second.captured_queries) == len(first.captured_queries) - 1


def test_a_cycle_with_dates_changed_without_a_signal_moves_within_a_minute(
    client, cycle_factory, monkeypatch
):
    cycle = cycle_factory(CycleStatus.SUBMISSION, slug="c")
    _html(client, "/en/budget/c/")
    Cycle.objects.filter(pk=cycle.pk).update(
        submission_closes_at=timezone.now() - dt.timedelta(hours=1)
    )
    later = timezone.now() + dt.timedelta(seconds=pb_cache.SCHEDULE_SECONDS + 1)
    monkeypatch.setattr(pb_cache.cache, "get", _expired(pb_cache.cache.get))
    monkeypatch.setattr(timezone, "now", lambda: later)
    _html(client, "/en/budget/c/")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.REVIEW


def _expired(get):
    """The cache as it is after ``SCHEDULE_SECONDS``: the remembered date is gone."""

    def wrapped(key, *args, **kwargs):
        if key.startswith("budgeting:schedule:"):
            return None
        return get(key, *args, **kwargs)

    return wrapped


def test_the_maintenance_table_changes_when_a_cost_is_recorded(
    client, municipality, django_assert_max_num_queries
):
    from lidzdaliba.budgeting.models import MaintenanceCost

    cycle = counted_cycle(municipality, slug="c")
    idea = Idea.objects.filter(cycle=cycle, result__selected=True).first()
    MaintenanceCost.objects.create(idea=idea, year=2024, amount_cents=1_000_00)
    first = _html(client, "/en/budget/c/projects/maintenance/")
    assert "2025" not in first
    with django_assert_max_num_queries(3):
        assert _without_tokens(_html(client, "/en/budget/c/projects/maintenance/")) == (
            _without_tokens(first)
        )

    MaintenanceCost.objects.create(idea=idea, year=2025, amount_cents=2_345_67)

    assert "2,345.67" in _html(client, "/en/budget/c/projects/maintenance/")


@pytest.mark.django_db(transaction=True)
def test_a_change_gives_a_new_generation_again_at_commit():
    """A page rendered from the old data while a change is not yet committed must not keep
    its fragment: the generation changes once more when the change commits."""
    from django.db import transaction

    from lidzdaliba.budgeting import cache as pb_cache

    with transaction.atomic():
        pb_cache.budget_changed()
        during = pb_cache.generation()
    assert pb_cache.generation() != during
