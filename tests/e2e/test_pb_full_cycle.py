"""The whole participatory-budget cycle in the browser, in Latvian.

An officer sets the cycle up; the schedule opens idea submission; a resident submits an
idea; after the deadline the officer reviews and admits it; residents vote online and one
person on paper at a client-service centre; voting closes and the count runs; the results
page explains every project; the municipality confirms the results; the officer reports
progress on the funded project and the public sees it. Between phases "time passes": the
test moves the cycle's dates back, as the real calendar would, and the schedule (the
``budgeting_phases`` command) changes the phase.
"""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from lidzdaliba.budgeting.models import (
    Ballot,
    Cycle,
    CycleStatus,
    Idea,
    IdeaStatus,
    Implementation,
    Tally,
)
from tests.budgeting.conftest import voter_code
from tests.budgeting.factories import make_idea
from tests.e2e.test_petitions_signing import log_in
from tests.petitions.conftest import make_signer

pytestmark = pytest.mark.django_db(transaction=True)

FMT = "%Y-%m-%dT%H:%M"
DAY = dt.timedelta(days=1)
SLUG = "lb-2028"
DASHBOARD = re.compile(rf"/budget/staff/{SLUG}/(#\w+)?$")


def _time_passes(cycle: Cycle, *, into: str) -> Cycle:
    """Shift every date of ``cycle`` back so that now lies one hour into phase ``into``, then
    let the schedule move the phase."""
    starts = {
        CycleStatus.REVIEW: cycle.submission_closes_at,
        CycleStatus.VOTING: cycle.voting_opens_at,
        CycleStatus.RESULTS: cycle.voting_closes_at,
    }
    shift = starts[into] - (timezone.now() - dt.timedelta(hours=1))
    fields = [
        "submission_opens_at",
        "submission_closes_at",
        "review_ends_at",
        "voting_opens_at",
        "voting_closes_at",
        "implementation_starts_at",
        "finished_at",
    ]
    for name in fields:
        if getattr(cycle, name):
            setattr(cycle, name, getattr(cycle, name) - shift)
    cycle.save(update_fields=fields)
    call_command("budgeting_phases")
    cycle.refresh_from_db()
    assert cycle.status == into
    return cycle


def _check(page, axe_check, csp_clean):
    axe_check(page)
    csp_clean(page)


def test_the_whole_cycle_in_latvian(
    page_factory,
    live_server,
    municipality,
    neighbourhood,
    officer_factory,
    axe_check,
    csp_clean,
):
    officer = officer_factory("budgeting", totp=True)
    staff = page_factory()
    log_in(staff, live_server, officer)

    # 1. set-up: the officer creates the cycle and its category
    staff.goto("/budget/staff/new/")
    assert staff.locator("html").get_attribute("lang") == "lv"
    staff.locator("main [name=title]").fill("Līdzdalības budžets 2028")
    staff.locator("main [name=slug]").fill(SLUG)
    staff.locator("main [name=description]").fill("Iedzīvotāji lemj par 60 000 €.")
    staff.locator("main [name=total_budget_cents]").fill("60 000")
    staff.locator("main [name=reserve_cents]").fill("10 000")
    start = timezone.localtime() - dt.timedelta(minutes=5)
    dates = {
        "submission_opens_at": start,
        "submission_closes_at": start + 31 * DAY,
        "review_ends_at": start + 60 * DAY,
        "voting_opens_at": start + 61 * DAY,
        "voting_closes_at": start + 75 * DAY,
        "implementation_starts_at": start + 100 * DAY,
    }
    for name, value in dates.items():
        staff.locator(f"main [name={name}]").fill(value.strftime(FMT))
    staff.locator("main form.pb-form button[type=submit]").click()
    staff.wait_for_url(DASHBOARD)
    staff.locator("a[href$='/categories/new/']").click()
    staff.wait_for_url("**/categories/new/")
    staff.locator("main [name=name]").fill("Infrastruktūra")
    staff.locator("main [name=slug]").fill("infrastruktura")
    staff.locator("main [name=budget_cents]").fill("50 000")
    staff.locator("main [name=cost_cap_cents]").fill("30 000")
    staff.locator("[name=ballot_form][value=approval]").check()
    staff.locator("main [name=max_picks]").fill("2")
    staff.locator("main [name=rule][value=greedy]").check()
    staff.locator("main form.pb-form button[type=submit]").click()
    staff.wait_for_url(DASHBOARD)
    _check(staff, axe_check, csp_clean)
    cycle = Cycle.objects.get(slug=SLUG)
    category = cycle.categories.get()

    # 2. the schedule opens idea submission (the public page moves it when due)
    visitor = page_factory(mobile=True)
    visitor.goto(f"/budget/{SLUG}/")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SUBMISSION
    _check(visitor, axe_check, csp_clean)

    # 3. a resident submits an idea with a place and a cost line
    author, _code = make_signer(municipality, neighbourhood)
    resident = page_factory()
    log_in(resident, live_server, author)
    resident.goto(f"/budget/{SLUG}/ideas/new/")
    resident.locator("main [name=title]").fill("Suņu pastaigu laukums Karostā")
    resident.locator("main [name=summary]").fill("Iežogots laukums suņiem ar soliņiem.")
    resident.locator("main [name=description]").fill("Žogs, vārti, soliņi un atkritumu urnas.")
    resident.locator("main [name=category]").select_option(label="Infrastruktūra")
    resident.locator(".coordinates summary").click()
    resident.locator("main [name=lat]").fill("56.5110")
    resident.locator("main [name=lon]").fill("21.0137")
    resident.locator("main [name=address]").fill("Atmodas bulvāris")
    resident.locator("main [name=cost-0-description]").fill("Žogs un vārti")
    resident.locator("main [name=cost-0-amount]").fill("24 000")
    resident.locator("button[name=submit]").click()
    resident.wait_for_url("**/ideas/*/")
    idea = Idea.objects.get(title="Suņu pastaigu laukums Karostā")
    assert idea.status == IdeaStatus.SUBMITTED
    _check(resident, axe_check, csp_clean)
    # two more ideas came in by other residents (their own journeys are tested elsewhere)
    rival = make_idea(cycle, category, title="Āra trenažieri", cost_eur=20_000, number=2)
    third = make_idea(cycle, category, title="Jauns rotaļu laukums", cost_eur=15_000, number=3)

    # 4. review: submission closed, the officer admits the idea, the author answers
    cycle = _time_passes(cycle, into=CycleStatus.REVIEW)
    staff.goto(f"/budget/staff/{SLUG}/review/")
    staff.locator(f"a[href$='/review/{idea.pk}/']").click()
    staff.wait_for_url(f"**/review/{idea.pk}/")
    for check in ("legal", "ownership", "cost"):
        staff.locator(f"main [name=check-{check}][value=yes]").check()
    staff.locator("main [name=check-officer_cost]").fill("25 000")
    staff.locator("main [name=check-maintenance_cost]").fill("800")
    staff.locator("form:has([name=action][value=checklist]) button[type=submit]").click()
    staff.locator(".message-success").wait_for()
    staff.locator("main [name=propose-proposal][value=admit]").check()
    staff.locator("main [name=propose-reason]").fill("Zeme pieder pašvaldībai, izmaksas reālas.")
    staff.locator("form:has([name=action][value=propose]) button[type=submit]").click()
    staff.locator(".message-success").wait_for()
    resident.goto(f"/budget/{SLUG}/ideas/{idea.pk}/")
    resident.locator("main [name=answer]").fill("Paldies, piekrītam.")
    resident.locator("form[action$='/answer/'] button[type=submit]").click()
    resident.locator(".message-success").wait_for()
    staff.reload()
    staff.locator("form:has([name=action][value=finalise]) button[type=submit]").click()
    staff.locator(".message-success").wait_for()
    _check(staff, axe_check, csp_clean)
    idea.refresh_from_db()
    assert (idea.status, idea.ballot_cost_cents) == (IdeaStatus.ADMITTED, 25_000_00)

    # 5. voting: two residents online, one person on paper
    cycle = _time_passes(cycle, into=CycleStatus.VOTING)
    resident.goto(f"/budget/{SLUG}/vote/infrastruktura/")
    resident.locator(f"label[for=idea-{idea.pk}]").click()
    resident.locator("#ballot-status .vote-counted").wait_for()
    resident.locator(f"label[for=idea-{third.pk}]").click()
    resident.wait_for_function(
        f"document.querySelector('#idea-{third.pk}').checked"
        " && document.querySelector('#ballot-status .vote-counted') !== null"
    )
    receipt = resident.locator("#ballot-status .receipt-code").inner_text()
    _check(resident, axe_check, csp_clean)

    neighbour, _ = make_signer(municipality, neighbourhood)
    phone = page_factory(mobile=True)
    log_in(phone, live_server, neighbour)
    phone.goto(f"/budget/{SLUG}/vote/infrastruktura/")
    phone.locator(f"label[for=idea-{idea.pk}]").click()
    phone.locator("#ballot-status .vote-counted").wait_for()
    phone.locator(f"label[for=idea-{third.pk}]").click()
    phone.wait_for_function(f"document.querySelector('#idea-{third.pk}').checked")
    _check(phone, axe_check, csp_clean)

    staff.goto(f"/budget/staff/{SLUG}/paper/")
    staff.locator("input[name=personal_code]").fill(voter_code(dt.date(1961, 3, 14)))
    staff.locator(f"input[value='{rival.pk}']").check()
    staff.locator("input[name=id_document_checked]").check()
    staff.locator("form.paper-form button[type=submit]").click()
    staff.locator(".message-success").wait_for()
    _check(staff, axe_check, csp_clean)
    assert Ballot.objects.filter(cycle=cycle).count() == 3
    # results stay hidden while voting is open
    visitor.goto(f"/budget/{SLUG}/results/")
    assert "Suņu pastaigu laukums Karostā" not in visitor.locator("main").inner_text()

    # 6. voting closes: the schedule starts the count, the results explain every project
    cycle = _time_passes(cycle, into=CycleStatus.RESULTS)
    tally = Tally.objects.get(category=category)
    assert tally.status == Tally.Status.DONE
    # 50 000 €: the dog park (3 votes, 25 000 €), the playground (2 votes, 15 000 €);
    # the outdoor gym (1 vote, 20 000 €) does not fit in the 10 000 € left
    assert tally.winners == [idea.project_id, third.project_id]
    visitor.goto(f"/budget/{SLUG}/results/")
    main = visitor.locator("main").inner_text()
    assert "Suņu pastaigu laukums Karostā" in main
    assert "Āra trenažieri" in main
    _check(visitor, axe_check, csp_clean)
    visitor.goto(f"/budget/{SLUG}/receipt/")
    visitor.locator("main input[name=code], main input[name=receipt]").first.fill(receipt)
    visitor.locator("main form button[type=submit]").first.click()
    visitor.wait_for_load_state()
    assert (
        Ballot.objects.get(receipt_code=receipt).public_id in visitor.locator("main").inner_text()
    )
    _check(visitor, axe_check, csp_clean)

    # 7. the municipality confirms the results: the funded projects get implementations
    staff.goto(f"/budget/staff/{SLUG}/results/")
    staff.locator("main input[name=decision]").fill("Liepājas domes lēmums Nr. 123/2028")
    staff.locator("form:has([name=action][value=confirm]) button[type=submit]").click()
    staff.wait_for_load_state()
    cycle.refresh_from_db()
    assert cycle.results_confirmed_at is not None
    _check(staff, axe_check, csp_clean)
    implementation = Implementation.objects.get(idea=idea)

    # 8. implementation: the officer reports progress, the public sees it
    staff.goto(f"/budget/staff/{SLUG}/projects/{idea.pk}/")
    staff.locator("[name=status]").select_option("works")
    staff.locator("[name=progress]").fill("40")
    staff.locator("[name=text]").fill("Uzstādīts žogs; sākti zemes darbi.")
    staff.locator("form.pb-impl-form button[type=submit]").click()
    staff.locator(".message-success").wait_for()
    implementation.refresh_from_db()
    assert (implementation.status, implementation.progress) == ("works", 40)
    visitor.goto(f"/budget/{SLUG}/projects/")
    card = visitor.locator(".pb-impl-card", has_text="Suņu pastaigu laukums Karostā")
    assert card.locator("progress").get_attribute("value") == "40"
    _check(visitor, axe_check, csp_clean)
