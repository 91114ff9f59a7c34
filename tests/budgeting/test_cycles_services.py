"""Cycle set-up, money checks, the legal minimum, and phases on schedule and by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from lidzdaliba.budgeting.models import Category, Cycle, CycleStatus, PhaseChange, Theme
from lidzdaliba.budgeting.services import cycles as services
from lidzdaliba.budgeting.services.cycles import legal_minimum_cents
from lidzdaliba.core.models import AuditEvent

from .factories import make_idea

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
EURO = 100


def cycle_fields(start=None, **overrides):
    start = start or timezone.now() + 10 * DAY
    fields = {
        "slug": "liepaja-2027",
        "title": "Liepājas līdzdalības budžets 2027",
        "description": "Iedzīvotāji lemj.",
        "total_budget_cents": 257_226_00,
        "reserve_cents": 22_024_47,
        "submission_opens_at": start,
        "submission_closes_at": start + 30 * DAY,
        "review_ends_at": start + 60 * DAY,
        "voting_opens_at": start + 70 * DAY,
        "voting_closes_at": start + 84 * DAY,
        "implementation_starts_at": start + 120 * DAY,
        "finished_at": start + 500 * DAY,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def officer(officer_factory):
    return officer_factory("budgeting")


@pytest.fixture
def draft(officer, municipality):
    return services.cycle_create(actor=officer, municipality=municipality, **cycle_fields())


def category_fields(**overrides):
    fields = {
        "slug": "infrastruktura",
        "name": "Infrastruktūras projekti",
        "budget_cents": 185_000_00,
        "cost_cap_cents": 50_000_00,
        "ballot_form": "approval",
        "max_picks": 3,
        "rule": "greedy",
    }
    fields.update(overrides)
    return fields


# --- legal minimum -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        # Liepāja-sized revenue: 0.5 % of the average of 60, 63 and 66 million euros
        ((60_000_000_00, 63_000_000_00, 66_000_000_00), 315_000_00),
        # exact to the cent: 100 + 100 + 101 cents → 301 / 600 → rounds up to 1 cent
        ((100, 100, 101), 1),
        # an average that is not a whole cent rounds up: (1 000 001 * 3) / 600 = 5000.005
        ((1_000_001, 1_000_001, 1_000_001), 5001),
        ((600, 0, 0), 1),
        ((0, 0, 0), 0),
        ((60_000_000_00, None, 66_000_000_00), None),
    ],
)
def test_legal_minimum_is_half_a_percent_of_the_three_year_average_rounded_up(years, expected):
    assert legal_minimum_cents(*years) == expected


# --- set-up ------------------------------------------------------------------------------


def test_an_officer_sets_up_a_cycle_with_an_audit_record(officer, municipality):
    cycle = services.cycle_create(actor=officer, municipality=municipality, **cycle_fields())
    assert cycle.status == CycleStatus.DRAFT
    assert cycle.title_lv == "Liepājas līdzdalības budžets 2027"
    assert cycle.reserve_cents == 22_024_47
    event = AuditEvent.objects.get(verb="budget.cycle_created")
    assert event.actor == officer
    assert event.target_id == str(cycle.pk)


@pytest.mark.parametrize("who", ["anonymous", "verified_resident", "moderator"])
def test_only_budget_officers_and_administrators_set_up_cycles(request, who, municipality):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.cycle_create(actor=user, municipality=municipality, **cycle_fields())
    assert not Cycle.objects.exists()


def test_an_administrator_may_set_up_a_cycle(administrator, municipality):
    services.cycle_create(actor=administrator, municipality=municipality, **cycle_fields())
    assert Cycle.objects.count() == 1


def test_an_officer_of_another_module_may_not(officer_factory, municipality):
    with pytest.raises(PermissionDenied):
        services.cycle_create(
            actor=officer_factory("petitions"), municipality=municipality, **cycle_fields()
        )


def test_idea_submission_shorter_than_30_days_is_refused_with_the_length(officer, municipality):
    start = timezone.now() + DAY
    with pytest.raises(ValidationError) as exc:
        services.cycle_create(
            actor=officer,
            municipality=municipality,
            **cycle_fields(start, submission_closes_at=start + 21 * DAY),
        )
    message = exc.value.message_dict["submission_closes_at"][0]
    assert "at least 30 days" in message
    assert "21 days" in message
    assert not Cycle.objects.exists()


def test_exactly_30_days_of_submission_is_enough(officer, municipality):
    start = timezone.now() + DAY
    services.cycle_create(
        actor=officer,
        municipality=municipality,
        **cycle_fields(start, submission_closes_at=start + 30 * DAY),
    )
    assert Cycle.objects.count() == 1


def test_dates_out_of_order_are_refused_on_the_date_at_fault(officer, municipality):
    start = timezone.now() + DAY
    with pytest.raises(ValidationError) as exc:
        services.cycle_create(
            actor=officer,
            municipality=municipality,
            **cycle_fields(
                start, voting_opens_at=start + 50 * DAY, review_ends_at=start + 60 * DAY
            ),
        )
    errors = exc.value.message_dict
    assert list(errors) == ["voting_opens_at"]
    assert "must not be before" in errors["voting_opens_at"][0]


def test_voting_must_close_after_it_opens(officer, municipality):
    start = timezone.now() + DAY
    with pytest.raises(ValidationError) as exc:
        services.cycle_create(
            actor=officer,
            municipality=municipality,
            **cycle_fields(start, voting_closes_at=start + 70 * DAY),
        )
    assert "close after it opens" in exc.value.message_dict["voting_closes_at"][0]


def test_missing_required_dates_are_named(officer, municipality):
    with pytest.raises(ValidationError) as exc:
        services.cycle_create(
            actor=officer, municipality=municipality, **cycle_fields(voting_opens_at=None)
        )
    assert exc.value.message_dict["voting_opens_at"] == ["Give this date."]


@pytest.mark.parametrize("slug", ["staff", "vote", "results", "statistics"])
def test_path_words_cannot_be_a_cycles_short_name(officer, municipality, slug):
    with pytest.raises(ValidationError) as exc:
        services.cycle_create(actor=officer, municipality=municipality, **cycle_fields(slug=slug))
    assert "reserved" in exc.value.message_dict["slug"][0]


def test_a_short_name_is_unique_per_municipality(officer, municipality, draft):
    with pytest.raises(ValidationError) as exc:
        services.cycle_create(actor=officer, municipality=municipality, **cycle_fields())
    assert "already uses" in exc.value.message_dict["slug"][0]
    assert Cycle.objects.count() == 1


def test_reserve_cannot_exceed_the_total(officer, municipality):
    with pytest.raises(ValidationError) as exc:
        services.cycle_create(
            actor=officer,
            municipality=municipality,
            **cycle_fields(total_budget_cents=10_000_00, reserve_cents=10_000_01),
        )
    assert "reserve" in exc.value.message_dict["reserve_cents"][0]


def test_update_records_what_changed(officer, draft):
    services.cycle_update(actor=officer, cycle=draft, reserve_cents=25_000_00)
    draft.refresh_from_db()
    assert draft.reserve_cents == 25_000_00
    event = AuditEvent.objects.get(verb="budget.cycle_updated")
    assert event.data["changes"] == {"reserve_cents": [22_024_47, 25_000_00]}


def test_refused_update_changes_nothing(officer, draft):
    with pytest.raises(ValidationError):
        services.cycle_update(
            actor=officer,
            cycle=draft,
            reserve_cents=1,
            submission_closes_at=draft.submission_opens_at + 5 * DAY,
        )
    draft.refresh_from_db()
    assert draft.reserve_cents == 22_024_47
    assert not AuditEvent.objects.filter(verb="budget.cycle_updated").exists()


# --- money of categories -----------------------------------------------------------------


def test_categories_and_reserve_must_fit_within_the_total(officer, draft):
    # total 257 226,00; reserve 22 024,47 → 235 201,53 for categories
    services.category_create(actor=officer, cycle=draft, **category_fields())
    with pytest.raises(ValidationError) as exc:
        services.category_create(
            actor=officer,
            cycle=draft,
            **category_fields(slug="pasakumi", name="Pasākumi", budget_cents=50_201_54),
        )
    message = exc.value.message_dict["budget_cents"][0]
    assert "235\xa0201,54\xa0€" in message or "€235,201.54" in message
    assert "€257,226.00" in message
    services.category_create(
        actor=officer,
        cycle=draft,
        **category_fields(slug="pasakumi", name="Pasākumi", budget_cents=50_201_53),
    )
    assert draft.categories.count() == 2


def test_lowering_the_total_below_the_categories_is_refused(officer, draft):
    services.category_create(actor=officer, cycle=draft, **category_fields())
    with pytest.raises(ValidationError) as exc:
        services.cycle_update(actor=officer, cycle=draft, total_budget_cents=200_000_00)
    assert "more than the total money" in exc.value.message_dict["total_budget_cents"][0]
    draft.refresh_from_db()
    assert draft.total_budget_cents == 257_226_00


def test_cost_cap_above_the_category_money_is_refused(officer, draft):
    with pytest.raises(ValidationError) as exc:
        services.category_create(
            actor=officer, cycle=draft, **category_fields(cost_cap_cents=185_000_01)
        )
    assert "cost_cap_cents" in exc.value.message_dict
    assert not Category.objects.exists()


def test_ballot_forms_normalise_their_settings(officer, draft):
    single = services.category_create(
        actor=officer, cycle=draft, **category_fields(ballot_form="single", max_picks=5)
    )
    assert single.max_picks == 1
    with pytest.raises(ValidationError) as exc:
        services.category_create(
            actor=officer,
            cycle=draft,
            **category_fields(slug="c", ballot_form="cumulative", points=None, budget_cents=1),
        )
    assert "points" in exc.value.message_dict
    cumulative = services.category_create(
        actor=officer,
        cycle=draft,
        **category_fields(
            slug="c", ballot_form="cumulative", points=10, budget_cents=100, cost_cap_cents=None
        ),
    )
    assert (cumulative.points, cumulative.max_picks) == (10, None)


def test_a_neighbourhood_category_needs_a_neighbourhood_of_this_municipality(
    officer, draft, neighbourhood
):
    category = services.category_create(
        actor=officer, cycle=draft, **category_fields(neighbourhood=neighbourhood, rule="mes-add1")
    )
    assert category.neighbourhood == neighbourhood
    assert category.rule == "mes-add1"


def test_categories_are_frozen_once_voting_opens(officer, cycle_factory):
    cycle = cycle_factory(CycleStatus.VOTING)
    category = cycle.categories.first()
    with pytest.raises(ValidationError) as exc:
        services.category_update(actor=officer, category=category, budget_cents=1_00)
    assert "voting has opened" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.category_delete(actor=officer, category=category)
    category.refresh_from_db()
    assert category.budget_cents == 185_000_00


def test_a_category_with_ideas_is_not_removed(officer, cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION)
    category = cycle.categories.first()
    make_idea(cycle, category, status="submitted")
    with pytest.raises(ValidationError) as exc:
        services.category_delete(actor=officer, category=category)
    assert "has ideas" in exc.value.messages[0]
    assert Category.objects.filter(pk=category.pk).exists()


def test_category_update_and_delete_are_audited(officer, draft):
    category = services.category_create(actor=officer, cycle=draft, **category_fields())
    services.category_update(actor=officer, category=category, budget_cents=180_000_00)
    services.category_delete(actor=officer, category=category)
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="budget.category").values_list("verb", flat=True)
    )
    assert sorted(verbs) == [
        "budget.category_created",
        "budget.category_deleted",
        "budget.category_updated",
    ]


def test_themes(officer, draft):
    category = services.category_create(actor=officer, cycle=draft, **category_fields())
    theme = services.theme_create(actor=officer, cycle=draft, name="Parki", category=category)
    assert theme.name_lv == "Parki"
    services.theme_update(actor=officer, theme=theme, name="Parki un skvēri", name_en="Parks")
    theme.refresh_from_db()
    assert (theme.name_lv, theme.name_en) == ("Parki un skvēri", "Parks")
    services.theme_delete(actor=officer, theme=theme)
    assert not Theme.objects.exists()


def test_a_theme_cannot_use_another_cycles_category(officer, draft, cycle_factory):
    other = cycle_factory(CycleStatus.SUBMISSION, slug="other")
    with pytest.raises(ValidationError):
        services.theme_create(
            actor=officer, cycle=draft, name="X", category=other.categories.first()
        )


# --- open or not -------------------------------------------------------------------------


def test_submission_is_open_by_status_and_dates(cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION)
    assert services.submission_is_open(cycle)
    # a tab left open past the deadline, before the schedule moved the phase
    assert not services.submission_is_open(cycle, cycle.submission_closes_at)
    assert not services.submission_is_open(cycle, cycle.submission_opens_at - DAY)
    cycle.status = CycleStatus.REVIEW
    assert not services.submission_is_open(cycle, cycle.submission_opens_at + DAY)


def test_voting_is_open_by_status_and_dates(cycle_factory):
    cycle = cycle_factory(CycleStatus.VOTING)
    assert services.voting_is_open(cycle)
    assert services.voting_is_open(cycle, cycle.voting_closes_at - dt.timedelta(seconds=1))
    assert not services.voting_is_open(cycle, cycle.voting_closes_at)
    cycle.status = CycleStatus.RESULTS
    assert not services.voting_is_open(cycle, cycle.voting_opens_at + DAY)


# --- schedule ----------------------------------------------------------------------------


def _steps(cycle):
    return list(
        PhaseChange.objects.filter(cycle=cycle)
        .order_by("id")
        .values_list("from_status", "to_status", "changed_by", "reason")
    )


def test_the_schedule_moves_a_cycle_when_its_date_passes(officer, draft):
    services.category_create(actor=officer, cycle=draft, **category_fields())
    assert services.cycle_advance_on_schedule(draft.submission_opens_at - DAY) == 0
    assert services.cycle_advance_on_schedule(draft.submission_opens_at) == 1
    draft.refresh_from_db()
    assert draft.status == CycleStatus.SUBMISSION
    assert _steps(draft) == [("draft", "submission", None, "")]
    event = AuditEvent.objects.get(verb="budget.phase_changed")
    assert event.actor is None
    assert event.data == {"from": "draft", "to": "submission", "reason": "", "schedule": True}


def test_the_schedule_takes_several_steps_and_is_idempotent(cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION)
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.DRAFT)
    later = cycle.voting_opens_at + DAY
    assert services.cycle_advance_on_schedule(later) == 3
    assert services.cycle_advance_on_schedule(later) == 0
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.VOTING
    assert [s[:2] for s in _steps(cycle)] == [
        ("draft", "submission"),
        ("submission", "review"),
        ("review", "voting"),
    ]
    assert AuditEvent.objects.filter(verb="budget.phase_changed").count() == 3


def test_a_cycle_without_categories_does_not_open(draft):
    assert services.cycle_advance_on_schedule(draft.voting_closes_at + DAY) == 0
    draft.refresh_from_db()
    assert draft.status == CycleStatus.DRAFT


def test_entering_results_enqueues_the_count(cycle_factory, monkeypatch):
    from lidzdaliba.budgeting.services import tally

    counted = []
    monkeypatch.setattr(tally, "tally_enqueue", lambda cycle, **kw: counted.append(cycle.pk))
    cycle = cycle_factory(CycleStatus.VOTING)
    services.cycle_advance_on_schedule(cycle.voting_closes_at + DAY)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.RESULTS
    assert counted == [cycle.pk]


def test_implementation_waits_for_the_confirmed_result(cycle_factory, monkeypatch):
    from lidzdaliba.budgeting.services import tally

    monkeypatch.setattr(tally, "tally_enqueue", lambda cycle, **kw: None)
    cycle = cycle_factory(CycleStatus.RESULTS)
    when = cycle.implementation_starts_at + DAY
    assert services.cycle_advance_on_schedule(when) == 0
    Cycle.objects.filter(pk=cycle.pk).update(results_confirmed_at=timezone.now())
    assert services.cycle_advance_on_schedule(when) == 1
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.IMPLEMENTATION


def test_the_management_command_runs_the_schedule(cycle_factory, capsys):
    cycle = cycle_factory(CycleStatus.SUBMISSION)
    Cycle.objects.filter(pk=cycle.pk).update(submission_closes_at=timezone.now() - DAY)
    call_command("budgeting_phases")
    assert "phase steps: 1" in capsys.readouterr().out
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.REVIEW


def test_a_step_taken_by_another_runner_is_not_recorded_twice(cycle_factory):
    cycle = cycle_factory(CycleStatus.SUBMISSION)
    stale = Cycle.objects.get(pk=cycle.pk)
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.REVIEW)  # the other runner
    assert services._step(stale, CycleStatus.REVIEW, actor=None, reason="") is False
    assert not PhaseChange.objects.exists()


# --- moving by hand ----------------------------------------------------------------------


def test_an_officer_moves_a_phase_back_with_a_reason(officer, cycle_factory):
    cycle = cycle_factory(CycleStatus.REVIEW)
    services.cycle_move(
        cycle, CycleStatus.SUBMISSION, actor=officer, reason="Termiņš pagarināts līdz 15.03."
    )
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SUBMISSION
    assert _steps(cycle) == [("review", "submission", officer.pk, "Termiņš pagarināts līdz 15.03.")]
    event = AuditEvent.objects.get(verb="budget.phase_changed")
    assert event.actor == officer
    assert event.data["reason"] == "Termiņš pagarināts līdz 15.03."


@pytest.mark.parametrize(
    ("to_status", "reason", "field"),
    [
        ("voting", "   ", "reason"),
        ("review", "Because.", "to_status"),  # already there
        ("bogus", "Because.", "to_status"),
    ],
)
def test_a_move_without_reason_or_to_a_bad_phase_is_refused(
    officer, cycle_factory, to_status, reason, field
):
    cycle = cycle_factory(CycleStatus.REVIEW)
    with pytest.raises(ValidationError) as exc:
        services.cycle_move(cycle, to_status, actor=officer, reason=reason)
    assert field in exc.value.message_dict
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.REVIEW
    assert not PhaseChange.objects.exists()


def test_residents_cannot_move_phases(verified_resident, cycle_factory):
    cycle = cycle_factory(CycleStatus.REVIEW)
    with pytest.raises(PermissionDenied):
        services.cycle_move(cycle, "voting", actor=verified_resident, reason="Please.")
    assert not PhaseChange.objects.exists()


def test_a_cycle_without_categories_cannot_be_opened_by_hand(officer, draft):
    with pytest.raises(ValidationError) as exc:
        services.cycle_move(draft, "submission", actor=officer, reason="Start.")
    assert "category" in exc.value.message_dict["to_status"][0]
