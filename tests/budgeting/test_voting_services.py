"""Voting rules: ballot forms and their limits, who may vote, deadlines, one ballot per
person (also across accounts and channels), receipts, and nothing partial after a crash."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lidzdaliba.accounts.models import CensusImport, CensusRecord
from lidzdaliba.budgeting.models import Ballot, BallotChoice, CycleStatus, IdeaStatus
from lidzdaliba.budgeting.services import voting as services
from lidzdaliba.core.models import AuditEvent, Notification

from .conftest import voter_code
from .factories import make_ballot_projects, make_idea

pytestmark = pytest.mark.django_db


def projects(cycle, slug):
    return list(cycle.ideas.filter(category__slug=slug).order_by("number"))


def save(user, cycle, slug, chosen, points=None):
    category = cycle.categories.get(slug=slug)
    choices = {idea.pk: (points or {}).get(idea.pk, 1) for idea in chosen}
    if points:
        choices = dict(points)
    return services.ballot_save(user=user, cycle=cycle, category=category, choices=choices)


def stored(user_or_ballot, cycle=None, slug=None):
    rows = BallotChoice.objects.all()
    if slug:
        rows = rows.filter(category__slug=slug)
    return dict(rows.values_list("idea_id", "points"))


def configure(cycle, slug, **fields):
    category = cycle.categories.get(slug=slug)
    for name, value in fields.items():
        setattr(category, name, value)
    category.save()
    return category


# --- ballot forms -------------------------------------------------------------------------


def test_approval_allows_up_to_max_picks_and_refuses_more(voting_cycle, verified_resident):
    # given a ballot of three picks at most
    infra = projects(voting_cycle, "infrastruktura")
    ballot = save(verified_resident, voting_cycle, "infrastruktura", infra[:3])
    assert ballot.created
    assert stored(verified_resident) == {p.pk: 1 for p in infra[:3]}
    # when four are chosen
    with pytest.raises(services.BallotRejected, match="at most 3 projects"):
        save(verified_resident, voting_cycle, "infrastruktura", infra)
    # then nothing changed
    assert stored(verified_resident) == {p.pk: 1 for p in infra[:3]}
    assert Ballot.objects.get().revision == 1


def test_single_allows_one_project_or_none(voting_cycle, verified_resident):
    configure(voting_cycle, "pasakumi", ballot_form="single")
    events = projects(voting_cycle, "pasakumi")
    with pytest.raises(services.BallotRejected, match="one project only"):
        save(verified_resident, voting_cycle, "pasakumi", events[:2])
    assert not Ballot.objects.exists()
    save(verified_resident, voting_cycle, "pasakumi", events[1:2])
    assert stored(verified_resident) == {events[1].pk: 1}
    # choosing none empties the category but keeps the ballot (not counted)
    ballot = save(verified_resident, voting_cycle, "pasakumi", [])
    assert stored(verified_resident) == {}
    assert Ballot.objects.filter(pk=ballot.pk, revision=2).exists()


def test_knapsack_refuses_projects_over_the_category_money(voting_cycle, verified_resident):
    # given 185 000 € and projects of 40 000, 60 000, 90 000, 30 000 €
    configure(voting_cycle, "infrastruktura", ballot_form="knapsack", max_picks=None)
    infra = projects(voting_cycle, "infrastruktura")
    save(verified_resident, voting_cycle, "infrastruktura", [infra[0], infra[1], infra[3]])
    # when 40 000 + 60 000 + 90 000 = 190 000 € is chosen
    with pytest.raises(services.BallotRejected) as refused:
        save(verified_resident, voting_cycle, "infrastruktura", infra[:3])
    # then the message names both sums and nothing changed
    assert "190" in refused.value.message
    assert "185" in refused.value.message
    assert set(stored(verified_resident)) == {infra[0].pk, infra[1].pk, infra[3].pk}
    # exactly the money is allowed
    configure(voting_cycle, "infrastruktura", budget_cents=190_000_00)
    save(verified_resident, voting_cycle, "infrastruktura", infra[:3])
    assert set(stored(verified_resident)) == {p.pk for p in infra[:3]}


def test_cumulative_points_sum_to_at_most_the_category_points(voting_cycle, verified_resident):
    configure(voting_cycle, "pasakumi", ballot_form="cumulative", points=10)
    a, b, c = projects(voting_cycle, "pasakumi")
    with pytest.raises(services.BallotRejected, match="11 points but have 10"):
        save(verified_resident, voting_cycle, "pasakumi", [], points={a.pk: 6, b.pk: 5})
    with pytest.raises(services.BallotRejected, match="negative"):
        save(verified_resident, voting_cycle, "pasakumi", [], points={a.pk: 11, b.pk: -1})
    assert not BallotChoice.objects.exists()
    save(verified_resident, voting_cycle, "pasakumi", [], points={a.pk: 6, b.pk: 4, c.pk: 0})
    assert stored(verified_resident) == {a.pk: 6, b.pk: 4}


def test_only_admitted_projects_of_the_category_may_be_chosen(voting_cycle, verified_resident):
    infra = voting_cycle.categories.get(slug="infrastruktura")
    draft = make_idea(voting_cycle, infra, title="Submitted only", status=IdeaStatus.SUBMITTED)
    event = projects(voting_cycle, "pasakumi")[0]
    for idea in (draft, event):
        with pytest.raises(services.BallotRejected, match="not on this ballot"):
            save(verified_resident, voting_cycle, "infrastruktura", [idea])
    assert not Ballot.objects.exists()


def test_choices_in_other_categories_are_kept(voting_cycle, verified_resident):
    infra, events = projects(voting_cycle, "infrastruktura"), projects(voting_cycle, "pasakumi")
    first = save(verified_resident, voting_cycle, "infrastruktura", infra[:2])
    second = save(verified_resident, voting_cycle, "pasakumi", events[:1])
    assert first.pk == second.pk
    assert not second.created
    assert second.revision == 2
    assert first.receipt_code == second.receipt_code
    assert set(stored(verified_resident)) == {infra[0].pk, infra[1].pk, events[0].pk}


# --- when and who -----------------------------------------------------------------------


def test_a_page_left_open_over_the_deadline_is_refused(voting_cycle, verified_resident):
    # given the closing time passed while the phase has not moved yet
    voting_cycle.voting_closes_at = timezone.now() - dt.timedelta(minutes=1)
    voting_cycle.save()
    with pytest.raises(services.BallotRejected, match="Voting closed"):
        save(
            verified_resident,
            voting_cycle,
            "infrastruktura",
            projects(voting_cycle, "infrastruktura")[:1],
        )
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("status", [CycleStatus.REVIEW, CycleStatus.RESULTS])
def test_no_voting_outside_the_voting_phase(cycle_factory, verified_resident, status):
    cycle = cycle_factory(status, slug=f"pb-{status}")
    make_ballot_projects(cycle, {"infrastruktura": [10_000]})
    with pytest.raises(services.BallotRejected):
        save(verified_resident, cycle, "infrastruktura", projects(cycle, "infrastruktura"))
    assert not Ballot.objects.exists()


def test_unverified_resident_may_not_vote(voting_cycle, resident):
    ok, reason = services.voter_eligibility(resident, voting_cycle)
    assert not ok
    assert "Verify your residence" in reason
    with pytest.raises(services.BallotRejected, match="verified residence"):
        save(resident, voting_cycle, "infrastruktura", projects(voting_cycle, "infrastruktura")[:1])
    assert not Ballot.objects.exists()


def test_under_sixteen_may_not_vote(voting_cycle, voter_factory):
    today = timezone.localdate()
    young, _code = voter_factory(born=today.replace(year=today.year - 15))
    adult, _code = voter_factory(born=today.replace(year=today.year - 16) - dt.timedelta(days=1))
    assert services.voter_eligibility(young, voting_cycle) == (
        False,
        "Only people aged 16 or over may vote.",
    )
    assert services.voter_eligibility(adult, voting_cycle) == (True, "")
    with pytest.raises(services.BallotRejected, match="16 or over"):
        save(young, voting_cycle, "infrastruktura", projects(voting_cycle, "infrastruktura")[:1])
    assert not Ballot.objects.exists()


def test_neighbourhood_category_is_for_its_residents_only(
    voting_cycle, voter_factory, municipality
):
    other = municipality.neighbourhoods.exclude(slug="karosta").first()
    category = configure(voting_cycle, "pasakumi", neighbourhood=other)
    karosta_voter, _code = voter_factory()
    local_voter, _code = voter_factory(neighbourhood_=other)
    ok, reason = services.voter_eligibility(karosta_voter, voting_cycle, category)
    assert not ok
    assert other.name in reason
    with pytest.raises(services.BallotRejected, match=other.name):
        save(karosta_voter, voting_cycle, "pasakumi", projects(voting_cycle, "pasakumi")[:1])
    save(local_voter, voting_cycle, "pasakumi", projects(voting_cycle, "pasakumi")[:1])
    assert Ballot.objects.get().voter == local_voter


# --- one ballot per person --------------------------------------------------------------


def test_two_accounts_of_one_person_share_one_ballot(voting_cycle, voter_factory):
    first, code = voter_factory()
    second, _code = voter_factory(code=code)
    infra = projects(voting_cycle, "infrastruktura")
    save(first, voting_cycle, "infrastruktura", infra[:2])
    ballot = save(second, voting_cycle, "infrastruktura", infra[2:3])
    assert Ballot.objects.count() == 1
    assert not ballot.created
    assert stored(None) == {infra[2].pk: 1}


def test_receipt_code_and_public_id(voting_cycle, verified_resident):
    ballot = save(
        verified_resident,
        voting_cycle,
        "infrastruktura",
        projects(voting_cycle, "infrastruktura")[:1],
    )
    stored_ballot = Ballot.objects.get()
    assert stored_ballot.receipt_code == ballot.receipt_code
    assert len(ballot.receipt_code) == 19
    assert ballot.receipt_code.count("-") == 3
    assert set(ballot.receipt_code.replace("-", "")) <= set(services.RECEIPT_ALPHABET)
    assert stored_ballot.public_id == services.public_id_for(ballot.receipt_code)
    assert len(stored_ballot.public_id) == 12
    assert stored_ballot.neighbourhood.slug == "karosta"
    assert stored_ballot.age_band
    typed = ballot.receipt_code.lower().replace("-", " ").replace("0", "o")
    assert services.receipt_code_normalise(typed) == ballot.receipt_code
    assert services.receipt_code_normalise("nonsense") == ""


def test_receipt_is_sent_in_app_and_by_email_on_first_cast_and_change(
    voting_cycle, verified_resident, django_capture_on_commit_callbacks
):
    infra = projects(voting_cycle, "infrastruktura")
    with django_capture_on_commit_callbacks(execute=True):
        ballot = save(verified_resident, voting_cycle, "infrastruktura", infra[:1])
    receipt = Notification.objects.get(recipient=verified_resident, kind="budgeting.receipt")
    assert ballot.receipt_code in receipt.body
    assert infra[0].title in receipt.body
    assert receipt.title == "Your vote is counted"
    assert len(mail.outbox) == 1
    assert ballot.receipt_code in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        save(verified_resident, voting_cycle, "infrastruktura", infra[1:2])
    latest = Notification.objects.filter(kind="budgeting.receipt").latest("pk")
    assert latest.title == "Your vote was changed"
    assert infra[1].title in latest.body
    assert Ballot.objects.get().receipt_sent_revision == 2
    # no audit row per online ballot
    assert not AuditEvent.objects.filter(verb__startswith="budgeting.ballot").exists()


def test_a_crash_mid_ballot_leaves_the_old_choices(voting_cycle, verified_resident):
    # given a counted ballot
    infra = projects(voting_cycle, "infrastruktura")
    save(verified_resident, voting_cycle, "infrastruktura", infra[:2])
    # when the insert of the new choices fails after the old ones were deleted
    with (
        mock.patch.object(services, "_choices_insert", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        save(verified_resident, voting_cycle, "infrastruktura", infra[2:3])
    # then the old ballot is whole: same choices, same revision
    assert stored(verified_resident) == {infra[0].pk: 1, infra[1].pk: 1}
    assert Ballot.objects.get().revision == 1


# --- paper ballots ------------------------------------------------------------------------


@pytest.fixture
def officer(officer_factory):
    return officer_factory("budgeting")


def enter(officer, cycle, code, chosen, **kwargs):
    by_category = {}
    for idea in chosen:
        by_category.setdefault(idea.category_id, {})[idea.pk] = 1
    options = {"id_document_checked": True, **kwargs}
    return services.paper_ballot_enter(
        officer=officer, cycle=cycle, category_choices=by_category, personal_code=code, **options
    )


def test_paper_ballot_is_entered_and_audited_without_the_code(voting_cycle, officer, neighbourhood):
    code = voter_code()
    chosen = projects(voting_cycle, "infrastruktura")[:2] + projects(voting_cycle, "pasakumi")[:1]
    ballot = enter(officer, voting_cycle, code, chosen, neighbourhood=neighbourhood)
    assert ballot.channel == Ballot.Channel.PAPER
    assert ballot.entered_by == officer
    assert ballot.age_band == "35-44"
    assert BallotChoice.objects.filter(ballot=ballot).count() == 3
    event = AuditEvent.objects.get(verb="budgeting.paper_ballot_entered")
    assert code not in str(event.data)
    assert code.replace("-", "") not in str(event.data)
    assert ballot.identity_key not in str(event.data)


def test_paper_ballot_needs_the_id_check_and_a_valid_code(voting_cycle, officer):
    chosen = projects(voting_cycle, "infrastruktura")[:1]
    with pytest.raises(services.BallotRejected, match="identity document"):
        enter(officer, voting_cycle, voter_code(), chosen, id_document_checked=False)
    with pytest.raises(services.BallotRejected, match="not a valid personal code"):
        enter(officer, voting_cycle, "123456-12345", chosen)
    with pytest.raises(services.BallotRejected, match="no birth date"):
        enter(officer, voting_cycle, voter_code(new_format=True), chosen)
    with pytest.raises(services.BallotRejected, match=r"more than|at most"):
        enter(officer, voting_cycle, voter_code(), projects(voting_cycle, "infrastruktura"))
    assert not Ballot.objects.exists()
    ballot = enter(
        officer, voting_cycle, voter_code(new_format=True), chosen, birth_date=dt.date(2000, 5, 5)
    )
    assert ballot.pk


def test_paper_ballot_after_the_close_tells_the_officer_nothing_was_saved(voting_cycle, officer):
    voting_cycle.voting_closes_at = timezone.now() - dt.timedelta(minutes=1)
    voting_cycle.save()
    chosen = projects(voting_cycle, "infrastruktura")[:1]
    with pytest.raises(services.BallotRejected, match="Nothing was saved") as refused:
        enter(officer, voting_cycle, voter_code(), chosen)
    assert "Your ballot" not in refused.value.message
    assert not Ballot.objects.exists()


def test_paper_ballot_refuses_the_young(voting_cycle, officer):
    today = timezone.localdate()
    code = voter_code(today.replace(year=today.year - 15))
    with pytest.raises(services.BallotRejected, match="16 or over"):
        enter(officer, voting_cycle, code, projects(voting_cycle, "pasakumi")[:1])
    assert not Ballot.objects.exists()


def test_only_budget_officers_enter_paper_ballots(voting_cycle, verified_resident):
    with pytest.raises(PermissionDenied):
        enter(verified_resident, voting_cycle, voter_code(), projects(voting_cycle, "pasakumi")[:1])
    assert not Ballot.objects.exists()


def test_paper_after_online_is_refused(voting_cycle, officer, voter_factory):
    user, code = voter_factory()
    save(user, voting_cycle, "infrastruktura", projects(voting_cycle, "infrastruktura")[:1])
    with pytest.raises(services.BallotRejected, match="already voted online"):
        enter(officer, voting_cycle, code, projects(voting_cycle, "pasakumi")[:1])
    assert Ballot.objects.count() == 1
    assert BallotChoice.objects.count() == 1


def test_online_after_paper_is_refused(voting_cycle, officer, voter_factory):
    user, code = voter_factory()
    paper = enter(officer, voting_cycle, code, projects(voting_cycle, "pasakumi")[:1])
    with pytest.raises(services.BallotRejected, match="client-service centre"):
        save(user, voting_cycle, "infrastruktura", projects(voting_cycle, "infrastruktura")[:1])
    assert list(Ballot.objects.values_list("pk", "revision")) == [(paper.pk, 1)]
    assert BallotChoice.objects.count() == 1


def test_paper_twice_is_refused(voting_cycle, officer):
    code = voter_code()
    enter(officer, voting_cycle, code, projects(voting_cycle, "pasakumi")[:1])
    with pytest.raises(services.BallotRejected, match="already been entered"):
        enter(officer, voting_cycle, code, projects(voting_cycle, "pasakumi")[1:2])
    assert Ballot.objects.count() == 1


def test_paper_ballot_checks_the_census_when_there_is_one(
    voting_cycle, officer, municipality, neighbourhood
):
    # given a census with one resident
    listed = voter_code()
    census = CensusImport.objects.create(municipality=municipality, file_name="census.csv")
    from django.conf import settings

    import personalcode

    CensusRecord.objects.create(
        municipality=municipality,
        identity_key=personalcode.identity_key(listed, key=settings.PERSONAL_CODE_HMAC_KEY),
        neighbourhood=neighbourhood,
        birth_date=dt.date(1990, 1, 1),
        census_import=census,
    )
    chosen = projects(voting_cycle, "pasakumi")[:1]
    # a person not in it is refused, the listed one gets their neighbourhood from it
    with pytest.raises(services.BallotRejected, match="register of residents"):
        enter(officer, voting_cycle, voter_code(), chosen)
    ballot = enter(officer, voting_cycle, listed, chosen)
    assert ballot.neighbourhood_id == neighbourhood.pk


def test_paper_ballot_accepts_a_verified_resident_missing_from_the_census(
    voting_cycle, officer, municipality, voter_factory
):
    CensusImport.objects.create(municipality=municipality, file_name="census.csv")
    CensusRecord.objects.create(
        municipality=municipality,
        identity_key="x" * 64,
        birth_date=dt.date(1980, 1, 1),
        census_import=CensusImport.objects.get(),
    )
    _user, code = voter_factory()
    ballot = enter(officer, voting_cycle, code, projects(voting_cycle, "pasakumi")[:1])
    assert ballot.neighbourhood.slug == "karosta"


def test_receipts_are_coalesced_with_the_database_task_queue(
    voting_cycle, verified_resident, settings
):
    # given the production task backend (a row per task, in the ballot's transaction)
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    infra = projects(voting_cycle, "infrastruktura")
    # when a voter ticks three boxes in a row
    for n in range(1, 4):
        save(verified_resident, voting_cycle, "infrastruktura", infra[:n])
    # then one receipt task is waiting, due a little later
    task = DBTaskResult.objects.get()
    assert task.run_after > timezone.now()
    assert not Notification.objects.exists()
    # when it runs, it describes the settled ballot; the next change owes a new receipt
    assert services.ballot_receipt_send.call(Ballot.objects.get().pk) is True
    assert Ballot.objects.get().receipt_sent_revision == 3
    assert infra[2].title in Notification.objects.get().body
    save(verified_resident, voting_cycle, "infrastruktura", infra[:1])
    assert DBTaskResult.objects.count() == 2
