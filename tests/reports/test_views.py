"""Report pages: the reporting form, public list/detail/feeds/statistics, officer pages."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lidzdaliba.reports import services
from lidzdaliba.reports.models import Report, Status

from .conftest import AT_SEA, KAROSTA, jpeg_with_gps


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def form_data(**kwargs):
    data = {
        "category": "waste",
        "lat": str(KAROSTA[0]),
        "lon": str(KAROSTA[1]),
        "description": "Izgāztuve pie meža",
        "email": "",
    }
    data.update(kwargs)
    return data


def test_anonymous_reporting_through_the_form(client, categories):
    # when
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post("/reports/new/", form_data(photos=[photo], email="x@example.lv"))
    # then
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/"
    assert report.reporter_email == "x@example.lv"
    page = client.get(response["Location"]).content.decode()
    assert "Izgāztuve pie meža" in page
    assert "x@example.lv" not in page  # the e-mail is never public


def test_extra_questions_of_the_chosen_category(client, categories):
    response = client.post(
        "/reports/new/",
        form_data(
            category="accessibility", **{"q_accessibility__affected": ["wheelchair", "pram"]}
        ),
    )
    assert response.status_code == 302
    assert Report.objects.get().answers == {"affected": ["wheelchair", "pram"]}
    page = client.get(response["Location"]).content.decode()
    assert "Wheelchair users" in page or "Ratiņkrēsla lietotāji" in page


def test_required_question_is_asked_for(client, categories):
    response = client.post("/reports/new/", form_data(category="pothole"))
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_pin_outside_the_municipality_is_refused_with_a_clear_message(
    client, municipality, categories
):
    response = client.post("/reports/new/", form_data(lat=AT_SEA[0], lon=AT_SEA[1]))
    assert response.status_code == 400
    assert municipality.name in response.content.decode()
    assert not Report.objects.exists()


def test_typed_address_is_located(client, categories):
    response = client.post(
        "/reports/new/", form_data(lat="", lon="", address="Graudu iela 10, pie veikala")
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.neighbourhood.slug == "vecliepaja"
    assert report.address == "Graudu iela 10, pie veikala"


def test_unknown_address_asks_for_a_pin(client, categories):
    response = client.post("/reports/new/", form_data(lat="", lon="", address="Nekurienes 1"))
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_no_place_at_all_is_refused(client, categories):
    response = client.post("/reports/new/", form_data(lat="", lon=""))
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_30_mb_photo_gives_a_clear_message_and_stores_nothing(client, categories, settings):
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (30 * 1024 * 1024))
    response = client.post("/reports/new/", form_data(photos=[big]))
    assert response.status_code == 400
    assert "big.jpg" in response.content.decode()
    assert not Report.objects.exists()


def test_renamed_executable_gives_a_clear_message(client, categories):
    exe = SimpleUploadedFile("kaķis.jpg", b"MZ\x90\x00" + b"\x00" * 100, "image/jpeg")
    response = client.post("/reports/new/", form_data(photos=[exe]))
    assert response.status_code == 400
    assert "JPEG" in response.content.decode()
    assert not Report.objects.exists()


def test_nearby_reports_are_offered_before_saving(client, make_report):
    # given an open waste report at the same place
    existing = make_report()
    # when
    response = client.post("/reports/new/", form_data())
    # then it is offered, nothing new is stored
    page = response.content.decode()
    assert f"/reports/{existing.pk}/support/" in page
    assert Report.objects.count() == 1
    assert 'name="confirm_new" value="on"' in page or "confirm_new" in page
    # and "no, it is new" saves it
    response = client.post("/reports/new/", form_data(confirm_new="on"))
    assert response.status_code == 302
    assert Report.objects.count() == 2


def test_joining_a_nearby_report_adds_a_supporter(client, make_report):
    existing = make_report()
    response = client.post(f"/reports/{existing.pk}/support/", {"email": "j@example.lv"})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.support_count == 1


def test_nearby_fragment(client, make_report):
    existing = make_report()
    response = client.get(f"/reports/nearby/?category=waste&lat={KAROSTA[0]}&lon={KAROSTA[1]}")
    assert f"/reports/{existing.pk}/" in response.content.decode()
    assert client.get("/reports/nearby/?category=waste&lat=x&lon=1").status_code == 400


def test_script_in_description_is_escaped(client, make_report):
    report = make_report(description="<script>alert('x')</script>")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_hidden_report_is_gone_from_public_pages(client, make_report, moderator):
    report = make_report()
    services.report_hide(actor=moderator, report=report, reason="Spam")
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert f"/reports/{report.pk}/" not in client.get("/reports/").content.decode()
    assert f"/reports/{report.pk}/" not in client.get("/reports/feed.rss").content.decode()


@pytest.fixture
def many_reports(make_report, reports_officer):
    def make(n):
        for i in range(n):
            report = make_report(
                category=["waste", "greenery", "vandalism"][i % 3],
                lat=56.55 + i / 10000,
                lon=20.99,
                client_ip=None,
            )
            if i % 4 == 0:
                services.report_transition(
                    actor=reports_officer, report=report, to="resolved", reply="x"
                )

    return make


def test_list_filters(client, many_reports):
    many_reports(12)
    page = client.get("/reports/?category=greenery").content.decode()
    assert page.count('class="report-item"') == 4
    page = client.get("/reports/?status=resolved").content.decode()
    assert page.count('class="report-item"') == 3
    page = client.get("/reports/?neighbourhood=tosmare").content.decode()
    assert page.count('class="report-item"') == 0
    today = timezone.localdate().isoformat()
    page = client.get(f"/reports/?date_from={today}&date_to={today}").content.decode()
    assert page.count('class="report-item"') == 12


@pytest.mark.parametrize(
    "query", ["date_from=2026-02-30", "date_from=2026-03-10&date_to=2026-03-01", "date_to=vakar"]
)
def test_malformed_date_range_shows_a_message(client, many_reports, query):
    many_reports(3)
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/reports/",
        "/reports/map.geojson",
        "/reports/feed.rss",
        "/reports/feed.atom",
        "/reports/statistics/",
    ],
)
def test_public_pages_use_a_constant_number_of_queries(
    client, many_reports, url, django_assert_max_num_queries
):
    many_reports(3)
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    many_reports(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_queue_is_for_officers(client, reports_officer, resident, many_reports):
    many_reports(4)
    client.force_login(resident)
    assert client.get("/reports/staff/queue/").status_code == 403
    client.force_login(reports_officer)
    response = client.get("/reports/staff/queue/")
    assert response.status_code == 200
    assert response.content.decode().count("<tr") == 1 + 3


def test_queue_per_department_and_overdue(
    client, reports_officer, make_report, django_assert_max_num_queries
):
    waste = make_report(category="waste", lat=56.52, lon=21.03)
    make_report(category="vandalism", lat=56.52, lon=21.03)
    Report.objects.filter(pk=waste.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(reports_officer)
    page = client.get("/reports/staff/queue/?department=environment").content.decode()
    assert page.count("<tr") == 2
    with django_assert_max_num_queries(12):
        page = client.get("/reports/staff/queue/?overdue=1").content.decode()
    assert page.count("<tr") == 2
    assert f"#{waste.pk}" in page


def test_officer_handles_a_report_on_its_page(client, reports_officer, make_report):
    report = make_report()
    client.force_login(reports_officer)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "/handle/transition/" in page
    client.post(f"/reports/staff/{report.pk}/handle/note/", {"note": "Slepena piezīme"})
    client.post(
        f"/reports/staff/{report.pk}/handle/transition/", {"status": "resolved", "reply": "Sakopts"}
    )
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    client.logout()
    public = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Sakopts" in public
    assert "Slepena piezīme" not in public


def test_resident_cannot_post_handling(client, resident, make_report):
    report = make_report()
    client.force_login(resident)
    response = client.post(
        f"/reports/staff/{report.pk}/handle/transition/", {"status": "resolved", "reply": "x"}
    )
    assert response.status_code == 403
    assert Report.objects.get().status == Status.RECEIVED


def test_followup_page_reopens(client, make_report, reports_officer):
    report = make_report(email="r@example.lv")
    services.report_transition(actor=reports_officer, report=report, to="resolved", reply="x")
    Report.objects.filter(pk=report.pk).update(resolved_at=timezone.now() - dt.timedelta(days=30))
    services.reports_followup_send()
    url = f"/reports/{report.pk}/followup/{services.followup_token(report)}/"
    assert client.get(url).status_code == 200
    assert client.get(f"/reports/{report.pk}/followup/forged/").status_code == 404
    client.post(url, {"fixed": "no"})
    assert Report.objects.get().status == Status.ASSIGNED


def test_feeds_and_statistics(client, many_reports):
    many_reports(6)
    rss = client.get("/reports/feed.rss?neighbourhood=karosta")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert rss.content.count(b"<item>") == 6
    atom = client.get("/reports/feed.atom")
    assert atom.content.count(b"<entry>") == 6
    stats = client.get("/reports/statistics/").content.decode()
    assert "<table>" in stats


def test_alert_subscription_page(client, categories):
    response = client.post("/reports/alerts/", {"neighbourhood": "karosta", "email": "w@ex.lv"})
    assert response.status_code == 302


def test_pages_in_english(client, make_report):
    report = make_report()
    page = client.get(f"/en/reports/{report.pk}/").content.decode()
    assert '<html lang="en">' in page
    assert "Waste" in page


def test_moderator_hides_abuse_from_the_report_page(client, moderator, make_report):
    report = make_report(description="Rupjības")
    client.force_login(moderator)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "/handle/hide/" in page
    assert "/handle/transition/" not in page
    response = client.post(
        f"/reports/staff/{report.pk}/handle/hide/", {"reason": "Rupjības"}, follow=True
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.is_hidden
    client.logout()
    assert client.get(f"/reports/{report.pk}/").status_code == 404


def test_officer_merges_and_assigns_on_the_page(client, reports_officer, make_report):
    original = make_report()
    duplicate = make_report(email="d@example.lv")
    client.force_login(reports_officer)
    client.post(
        f"/reports/staff/{original.pk}/handle/assign/",
        {"department": original.department_id, "assignee": reports_officer.pk},
    )
    client.post(f"/reports/staff/{duplicate.pk}/handle/merge/", {"into": original.pk})
    response = client.post(
        f"/reports/staff/{original.pk}/handle/merge/", {"into": 999999}, follow=True
    )
    assert "message-error" in response.content.decode()  # no such report: nothing merged
    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert original.status == Status.ASSIGNED
    assert original.assignee == reports_officer
    assert duplicate.status == Status.DUPLICATE
    assert duplicate.duplicate_of == original
    assert original.support_count == 1


@pytest.mark.parametrize(
    "url",
    [
        "/reports/nearby/?category=wa%00ste&lat=56.5&lon=21",
        "/reports/feed.rss?neighbourhood=a%00",
        "/reports/?category=a%00&date_from=%00",
        "/reports/staff/queue/?department=%00",
    ],
)
def test_nul_characters_in_queries_are_harmless(client, reports_officer, categories, url):
    client.force_login(reports_officer)
    assert client.get(url).status_code in (200, 400)


def test_nul_in_the_category_is_an_invalid_choice(client, categories):
    response = client.post("/reports/new/", form_data(category="wa\x00ste"))
    assert response.status_code == 400
    assert not Report.objects.exists()
