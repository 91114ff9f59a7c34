"""Citizen reports in the browser: reporting on a 360 × 740 phone, an officer handling a
report, and the reporter's answer to the four-week follow-up. Every page is checked with
axe-core and for CSP violations."""

import datetime as dt
import io
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from PIL import Image

from lidzdaliba.reports import services
from lidzdaliba.reports.demo import load_reports_setup
from lidzdaliba.reports.models import Report, Status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """Anonymous reports are rate-limited per address; every journey starts afresh."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def phone_page(browser, live_server):
    """A 360 × 740 touch phone, offline except for the test server."""
    host = urlparse(live_server.url).netloc
    context = browser.new_context(
        locale="lv-LV",
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if urlparse(route.request.url).netloc == host else route.abort()
        ),
    )
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()


def login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def photo_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (90, 90, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_resident_reports_a_pothole_on_a_phone(phone_page, municipality, axe_check, csp_clean):
    # given Liepāja's categories and an open pothole right in the centre of the map
    categories = load_reports_setup(municipality)
    lat, lon = municipality.map_center
    existing = services.report_submit(
        actor=None,
        municipality=municipality,
        category=categories["pothole"],
        lat=lat,
        lon=lon,
        description="Bedre pie krustojuma",
        answers={"size": "small"},
    )
    page = phone_page
    # when an anonymous visitor opens the form on a phone
    page.goto("/reports/new/")
    axe_check(page)
    page.locator("select[name=category]").select_option("pothole")
    # only the pothole's extra question is shown
    size = page.locator("select[name=q_pothole__size]")
    assert size.is_visible()
    assert not page.locator("[data-questions-for=street-lighting]").is_visible()
    size.select_option("large")
    # they tap the map at its centre: the pin sets the coordinates
    page.locator("#pick-map").scroll_into_view_if_needed()
    page.locator("#pick-map").click()
    page.wait_for_function("document.querySelector('[name=lat]').value !== ''")
    # and are offered the nearby pothole
    page.locator("#nearby-live").get_by_role("link", name=re.compile(f"#{existing.pk}")).wait_for()
    axe_check(page)
    page.locator("textarea[name=description]").fill("Vēl viena bedre <b>blakus</b>")
    page.locator("input[name=photos]").set_input_files(
        [{"name": "bedre.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    page.locator("form.report-form button[type=submit]").click()
    # then the report is stored and shown, with the description as text
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = Report.objects.exclude(pk=existing.pk).get()
    assert report.category.code == "pothole"
    assert report.answers == {"size": "large"}
    assert report.neighbourhood.slug == "vecliepaja"
    assert page.locator(".report-description").inner_text() == "Vēl viena bedre <b>blakus</b>"
    assert page.locator(".photo-list img").count() == 1
    assert page.locator("html").evaluate("e => e.scrollWidth") <= 360
    axe_check(page)
    csp_clean(page)


def test_reporting_without_javascript_map_still_works_by_address(
    phone_page, municipality, axe_check
):
    load_reports_setup(municipality)
    page = phone_page
    page.goto("/reports/new/")
    page.locator("select[name=category]").select_option("waste")
    page.locator("input[name=address]").fill("Graudu iela 10")
    page.locator("textarea[name=description]").fill("Pārpildīts konteiners")
    page.locator("form.report-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    assert Report.objects.get().address == "Graudu iela 10"
    # a pin outside the city is refused with a message next to the form
    page.goto("/reports/new/")
    page.locator("select[name=category]").select_option("waste")
    page.locator("details.coordinates summary").click()
    page.locator("input[name=lat]").fill("56.5")
    page.locator("input[name=lon]").fill("20.8")
    page.locator("textarea[name=description]").fill("Jūrā")
    page.locator("form.report-form button[type=submit]").click()
    page.locator("#form-errors").wait_for()
    assert municipality.name_lv in page.locator("#form-errors").inner_text()
    assert Report.objects.count() == 1
    axe_check(page)


def test_officer_handles_a_report(
    page, live_server, municipality, officer_factory, axe_check, csp_clean
):
    # given a new report and an officer of the reports module
    categories = load_reports_setup(municipality)
    report = services.report_submit(
        actor=None,
        municipality=municipality,
        category=categories["greenery"],
        lat=56.52,
        lon=21.03,
        description="Nolūzis zars virs ietves",
        email="r@example.lv",
    )
    officer = officer_factory("reports")
    login(page, live_server, officer)
    # when the officer opens the environment department's queue
    page.goto("/reports/staff/queue/?department=environment")
    axe_check(page)
    page.get_by_role("link", name=re.compile(f"#{report.pk}")).click()
    axe_check(page)
    # adds an internal note, assigns themselves, then resolves with a template
    page.locator("textarea[name=note]").fill("Brigāde informēta")
    with page.expect_navigation():  # plain POST forms: each step loads a new page
        page.locator("form[action$='/handle/note/'] button").click()
    page.locator("select[name=assignee]").select_option(str(officer.pk))
    with page.expect_navigation():
        page.locator("form[action$='/handle/assign/'] button").click()
    page.locator("select[name=status]").select_option("resolved")
    page.locator("details", has=page.locator("[data-template-target]")).locator("summary").click()
    # the template is filled in by a (deferred) script: wait for it rather than racing it
    page.locator("[data-template-target]").first.click()
    page.wait_for_function("document.querySelector('#id_reply').value !== ''")
    assert page.locator("#id_reply").input_value()
    page.locator("form[action$='/handle/transition/'] button[type=submit]").click()
    # then
    page.locator(".messages").wait_for()
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert report.assignee == officer
    assert report.public_reply
    assert page.locator(".timeline .internal").filter(has_text="Brigāde informēta").count() == 1
    assert any(m.to == ["r@example.lv"] for m in mail.outbox)
    axe_check(page)
    csp_clean(page)


def test_reporter_says_it_is_not_fixed_after_four_weeks(
    phone_page, municipality, axe_check, officer_factory
):
    # given a report resolved 29 days ago
    categories = load_reports_setup(municipality)
    report = services.report_submit(
        actor=None,
        municipality=municipality,
        category=categories["playground"],
        lat=56.52,
        lon=21.03,
        description="Salauztas šūpoles",
        email="mamma@example.lv",
    )
    services.report_transition(
        actor=officer_factory("reports"), report=report, to="resolved", reply="Salabots"
    )
    Report.objects.filter(pk=report.pk).update(resolved_at=timezone.now() - dt.timedelta(days=29))
    mail.outbox.clear()
    # when the daily check runs and the reporter follows the e-mailed link
    call_command("reports_followup")
    (message,) = [m for m in mail.outbox if m.to == ["mamma@example.lv"]]
    link = re.search(r"https?://\S+/followup/\S+/", message.body).group(0)
    page = phone_page
    page.goto(urlparse(link).path)
    axe_check(page)
    page.get_by_role("button", name=re.compile("Nē|No,")).click()
    # then the report is open again and its timeline says why
    page.locator(".messages").wait_for()
    report.refresh_from_db()
    assert report.status == Status.ASSIGNED
    assert page.locator(".timeline li").last.inner_text()
    axe_check(page)


@pytest.mark.parametrize(
    "path", ["/reports/", "/reports/statistics/", "/reports/alerts/", "/en/reports/"]
)
def test_public_report_pages_are_accessible(page, municipality, axe_check, csp_clean, path):
    from lidzdaliba.reports.demo import load_reports_demo

    load_reports_demo(municipality, count=40)
    page.goto(path)
    if path.endswith("/reports/"):
        # the clustered map loads the reports' points (no tiles needed)
        page.locator("#reports-map .leaflet-marker-icon").first.wait_for()
    axe_check(page)
    csp_clean(page)


@pytest.fixture
def officer_factory(officer_factory):
    """Officers here use staff pages, so they have their authenticator app set up."""
    return lambda module, **kwargs: officer_factory(module, **{"totp": True, **kwargs})
