"""Collective submissions in the browser: a resident signs on a phone (first with a wrong
personal code, then with the right one, reaching the threshold); a visitor reads the public
pages. Every page is checked with axe and for CSP violations."""

import functools

import pytest
from django.conf import settings
from django.test import Client

from lidzdaliba.petitions import services
from lidzdaliba.petitions.models import CollectiveSubmission, Signature, Status
from tests.petitions.conftest import TEXT, make_signer, new_code, sign

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
def signer_factory(municipality, neighbourhood):
    return functools.partial(make_signer, municipality, neighbourhood)


@pytest.fixture
def author(signer_factory):
    return signer_factory()[0]


@pytest.fixture
def open_submission(municipality, author, moderator, signer_factory):
    """Collecting signatures, threshold 3, two signed already."""
    municipality.collective_submission_threshold = 3
    municipality.save()
    submission = services.submission_create(actor=author, municipality=municipality, **TEXT)
    services.submission_submit(actor=author, submission=submission)
    services.submission_publish(actor=moderator, submission=submission)
    for _ in range(2):
        sign(submission, *signer_factory())
    return submission


def test_resident_signs_on_a_phone_and_the_submission_is_sent(
    page_factory, live_server, open_submission, signer_factory, axe_check, csp_clean
):
    # given a verified resident on a phone
    user, code = signer_factory(full_name="Jānis Bērziņš")
    page = page_factory(mobile=True)
    log_in(page, live_server, user)

    # when they open the list and the submission
    page.goto("/submissions/")
    axe_check(page)
    page.get_by_role("link", name=open_submission.title).click()
    page.wait_for_url(f"**/submissions/{open_submission.pk}/")
    assert page.locator("progress").get_attribute("value") == "2"
    axe_check(page)

    # and sign with somebody else's personal code
    panel = page.locator("#sign-panel")
    panel.locator("input[name=first_name]").fill("Jānis")
    panel.locator("input[name=last_name]").fill("Bērziņš")
    panel.locator("input[name=personal_code]").fill(new_code())
    panel.locator("input[name=declared_eligible]").check()
    panel.locator("button[type=submit]").click()

    # then they are told why, and nothing is stored
    page.locator("#sign-panel .form-errors").wait_for()
    page.wait_for_function("document.activeElement.classList.contains('form-errors')")
    assert not Signature.objects.filter(signer=user).exists()
    axe_check(page)

    # when they correct the code
    page.locator("#sign-panel input[name=personal_code]").fill(code)
    page.locator("#sign-panel input[name=declared_eligible]").check()
    page.locator("#sign-panel button[type=submit]").click()

    # then the panel shows the new count, and the third signature sent the submission
    page.locator("#sign-panel .message-success").wait_for()
    assert page.locator("progress").get_attribute("value") == "3"
    submission = CollectiveSubmission.objects.get(pk=open_submission.pk)
    assert submission.status == Status.SENT
    assert Signature.objects.filter(signer=user).count() == 1
    axe_check(page)
    csp_clean(page)

    # and after a reload the page says the resident signed, without a withdraw button
    page.reload()
    assert page.locator("#sign-panel form").count() == 0
    assert code not in page.content()


def test_resident_withdraws_a_signature(
    page, live_server, open_submission, signer_factory, axe_check
):
    # given a resident who signed a submission that needs ten signatures
    CollectiveSubmission.objects.filter(pk=open_submission.pk).update(threshold=10)
    open_submission.refresh_from_db()
    user, code = signer_factory()
    sign(open_submission, user, code)
    log_in(page, live_server, user)
    page.goto(f"/en/submissions/{open_submission.pk}/")
    # when they withdraw
    page.get_by_role("button", name="Withdraw my signature").click()
    # then the form to sign is back and the count went down
    page.locator("#sign-panel input[name=personal_code]").wait_for()
    assert CollectiveSubmission.objects.get(pk=open_submission.pk).signature_count == 2
    axe_check(page)


def test_public_pages_have_no_accessibility_violations(
    page, municipality, open_submission, axe_check, csp_clean
):
    from lidzdaliba.petitions.demo import load_petitions_demo

    demo = load_petitions_demo(municipality)
    paths = [
        "/submissions/",
        "/en/submissions/?status=answered",
        "/submissions/statistics/",
        f"/submissions/{demo[1].pk}/",
        f"/ru/submissions/{demo[2].pk}/",
        f"/uk/submissions/{open_submission.pk}/",
    ]
    for path in paths:
        page.goto(path)
        axe_check(page)
        csp_clean(page)
