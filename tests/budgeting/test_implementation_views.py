import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from lidzdaliba.budgeting.models import Implementation, ImplementationUpdate, MaintenanceCost
from lidzdaliba.budgeting.services.implementation import (
    implementation_create_for_winners,
    implementation_update,
    maintenance_cost_record,
)
from lidzdaliba.core.models import Notification

from .impl_helpers import make_counted_cycle, photo_upload

pytestmark = pytest.mark.django_db
# maintenance years are allowed from the cycle's voting year to next year
YEAR = timezone.localdate().year

PROJECTS = "/budget/pb-counted/projects/"
STAFF = "/budget/staff/pb-counted/projects/"


@pytest.fixture
def counted(municipality):
    cycle, projects = make_counted_cycle(municipality)
    implementation_create_for_winners(cycle)
    return cycle, projects


@pytest.fixture
def officer(officer_factory):
    return officer_factory("budgeting", totp=True)


@pytest.fixture
def progressed(counted, officer):
    _cycle, projects = counted
    implementation = Implementation.objects.get(idea=projects["infrastruktura"][0])
    implementation_update(
        actor=officer,
        implementation=implementation,
        status="works",
        progress=40,
        actual_cost_cents=12_345_67,
        text="Uzstādīts žogs.",
        photos=[photo_upload()],
    )
    maintenance_cost_record(
        actor=officer, idea=implementation.idea, year=YEAR, amount_cents=1_284_35
    )
    return implementation


def test_the_public_list_shows_status_progress_costs_and_the_latest_update(client, progressed):
    response = client.get(PROJECTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<progress class="progress" max="100" value="40"' in html
    assert "12\xa0345,67\xa0€" in html  # actual cost, Latvian format
    assert "40\xa0000,00\xa0€" in html  # planned cost
    assert "Uzstādīts žogs." in html
    assert "Infrastructure project 1" in html
    assert "Events project 1" in html  # every funded project is listed
    assert "Infrastructure project 3" not in html  # not funded
    assert 'style="' not in html


def test_the_list_in_english(client, progressed):
    html = client.get("/en" + PROJECTS).content.decode()
    assert "Funded projects" in html
    assert "Works under way" in html
    assert "€12,345.67" in html


def test_the_list_filters_by_status(client, progressed):
    html = client.get("/en" + PROJECTS + "?status=works").content.decode()
    assert "Infrastructure project 1" in html
    assert "Events project 1" not in html
    html = client.get("/en" + PROJECTS + "?status=done").content.decode()
    assert "No funded project has this status." in html
    # an unknown status shows everything
    html = client.get("/en" + PROJECTS + "?status=<script>").content.decode()
    assert "Events project 1" in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]


def test_an_unknown_cycle_is_404(client, counted):
    assert client.get("/budget/nope/projects/").status_code == 404
    assert client.get("/budget/nope/projects/maintenance/").status_code == 404


def test_the_maintenance_report(client, progressed, officer):
    maintenance_cost_record(
        actor=officer, idea=progressed.idea, year=YEAR + 1, amount_cents=100_00, note="Elektrība"
    )
    response = client.get("/en" + PROJECTS + "maintenance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<th scope="col" class="num">{YEAR + 1}</th>' in html
    assert "€1,284.35" in html
    assert "€1,384.35" in html  # the project's and the overall total
    lv = client.get(PROJECTS + "maintenance/").content.decode()
    assert "1\xa0384,35\xa0€" in lv


def test_the_section_of_the_idea_page(progressed, rf):
    with translation.override("en"):
        html = render_to_string("budgeting/implementation/_section.html", {"idea": progressed.idea})
    assert "Implementation" in html
    assert 'value="40"' in html
    assert "Uzstādīts žogs." in html
    assert "<img" in html
    assert 'alt="Photo 1 of the works' in html
    assert "€1,284.35" in html


def test_the_section_is_empty_for_an_idea_without_implementation(counted):
    _cycle, projects = counted
    html = render_to_string(
        "budgeting/implementation/_section.html", {"idea": projects["infrastruktura"][2]}
    )
    assert html.strip() == ""


def test_public_pages_use_a_constant_number_of_queries(
    client, counted, officer, django_assert_max_num_queries
):
    cycle, _projects = counted
    for implementation in Implementation.objects.filter(idea__cycle=cycle):
        implementation_update(actor=officer, implementation=implementation, progress=10)
        implementation_update(actor=officer, implementation=implementation, text="Vēl.")
        maintenance_cost_record(
            actor=officer, idea=implementation.idea, year=YEAR, amount_cents=100
        )
    with django_assert_max_num_queries(8):
        assert client.get(PROJECTS).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(PROJECTS + "maintenance/").status_code == 200
    client.force_login(officer)
    with django_assert_max_num_queries(16):
        assert client.get(STAFF).status_code == 200


def test_residents_and_other_officers_cannot_open_staff_pages(
    client, counted, verified_resident, officer_factory
):
    _cycle, projects = counted
    idea = projects["infrastruktura"][0]
    assert client.get(STAFF).status_code == 302  # to the login page
    client.force_login(verified_resident)
    assert client.get(STAFF).status_code == 403
    assert client.get(f"{STAFF}{idea.pk}/").status_code == 403
    client.force_login(officer_factory("reports", totp=True))
    assert client.post(f"{STAFF}{idea.pk}/", {"progress": 50}).status_code == 403
    assert Implementation.objects.get(idea=idea).progress == 0


def test_staff_without_a_second_factor_are_sent_to_set_it_up(client, counted, officer_factory):
    client.force_login(officer_factory("budgeting"))
    response = client.get(STAFF)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/")


def _form(**changes):
    data = {
        "action": "update",
        "status": "works",
        "progress": "40",
        "planned_cost": "40 000,00",
        "actual_cost": "",
        "planned_start": "",
        "planned_end": "",
        "actual_end": "",
        "cancel_reason": "",
        "text": "Darbi sākušies.",
        "photo_alt": "",
    }
    data.update(changes)
    return data


def test_an_officer_updates_a_project_with_a_photo(client, counted, officer):
    _cycle, projects = counted
    idea = projects["infrastruktura"][0]
    client.force_login(officer)
    page = client.get(f"/en{STAFF}")
    assert f"{STAFF}{idea.pk}/" in page.content.decode()
    response = client.post(
        f"{STAFF}{idea.pk}/",
        {**_form(actual_cost="1 234,50"), "photos": [photo_upload()]},
    )
    assert response.status_code == 302
    implementation = Implementation.objects.get(idea=idea)
    assert (implementation.status, implementation.progress) == ("works", 40)
    assert implementation.actual_cost_cents == 1_234_50
    update = ImplementationUpdate.objects.get()
    assert update.text == "Darbi sākušies."
    from lidzdaliba.core.services import attachments_of

    assert attachments_of(target=update).count() == 1
    page = client.get(f"/en{STAFF}{idea.pk}/").content.decode()
    assert "Darbi sākušies." in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"progress": "140"}, "Ensure this value is less than or equal to 100."),
        ({"status": "done", "progress": "90"}, "A finished project is 100 % done."),
        ({"status": "done", "progress": "100"}, "Give the date the project was completed."),
        ({"status": "cancelled"}, "Say publicly why the project is cancelled."),
        ({"actual_cost": "-5"}, "A cost is an amount of 0 € or more."),
        ({"actual_cost": "abc"}, "Write an amount in euros"),
    ],
)
def test_bad_input_shows_a_message_and_changes_nothing(client, counted, officer, changes, message):
    _cycle, projects = counted
    idea = projects["infrastruktura"][0]
    client.force_login(officer)
    response = client.post(f"/en{STAFF}{idea.pk}/", _form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Implementation.objects.get(idea=idea).progress == 0
    assert not ImplementationUpdate.objects.exists()
    assert not Notification.objects.exists()


def test_an_officer_records_a_maintenance_cost(client, counted, officer):
    _cycle, projects = counted
    idea = projects["infrastruktura"][0]
    client.force_login(officer)
    data = {
        "action": "maintenance",
        "maintenance-year": str(YEAR),
        "maintenance-amount": "1 284,35",
        "maintenance-note": "Pļaušana",
    }
    assert client.post(f"{STAFF}{idea.pk}/", data).status_code == 302
    data["maintenance-amount"] = "1 300"
    assert client.post(f"{STAFF}{idea.pk}/", data).status_code == 302
    cost = MaintenanceCost.objects.get()
    assert (cost.year, cost.amount_cents) == (YEAR, 1_300_00)
    response = client.post(f"/en{STAFF}{idea.pk}/", {**data, "maintenance-year": "1990"})
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 2000." in response.content.decode()


def test_an_unfunded_idea_has_no_staff_page(client, counted, officer):
    _cycle, projects = counted
    client.force_login(officer)
    assert client.get(f"{STAFF}{projects['infrastruktura'][2].pk}/").status_code == 404


def test_a_done_project_in_latvian(client, counted, officer):
    _cycle, projects = counted
    idea = projects["pasakumi"][0]
    implementation = Implementation.objects.get(idea=idea)
    implementation_update(
        actor=officer,
        implementation=implementation,
        status="done",
        progress=100,
        actual_end=dt.date(2025, 8, 9),
    )
    html = client.get(PROJECTS).content.decode()
    assert 'value="100"' in html
    assert "09.08.2025" in html


def test_the_section_takes_a_fixed_number_of_queries(
    counted, officer, django_assert_max_num_queries
):
    _cycle, projects = counted
    idea = projects["infrastruktura"][0]
    implementation = Implementation.objects.get(idea=idea)
    for progress in (10, 20, 30, 40):
        implementation_update(
            actor=officer,
            implementation=implementation,
            progress=progress,
            photos=[photo_upload(), photo_upload()],
        )
    maintenance_cost_record(actor=officer, idea=idea, year=YEAR, amount_cents=100)
    idea = type(idea).objects.select_related("cycle").get(pk=idea.pk)
    with django_assert_max_num_queries(5):
        html = render_to_string("budgeting/implementation/_section.html", {"idea": idea})
    assert html.count("<img") == 8
