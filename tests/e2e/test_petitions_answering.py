"""A collective submission from draft to answer in the browser: a resident drafts it and
sends it to the moderators, a moderator publishes it, residents sign until the threshold,
an officer downloads the signer list and publishes the answer, and a signer is notified.
Every page is checked with axe and for CSP violations."""

import datetime as dt
import functools

import pytest
from django.utils import timezone

from lidzdaliba.core.models import AuditEvent, Notification
from lidzdaliba.petitions.models import CollectiveSubmission, Decision, Status
from tests.e2e.test_petitions_signing import log_in
from tests.petitions.conftest import TEXT, make_signer, sign, with_totp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signer_factory(municipality, neighbourhood):
    return functools.partial(make_signer, municipality, neighbourhood)


def test_from_draft_to_published_answer(
    page_factory,
    live_server,
    municipality,
    moderator,
    officer_factory,
    signer_factory,
    axe_check,
    csp_clean,
):
    municipality.collective_submission_threshold = 2
    municipality.save()
    # given a resident who drafts a submission, with markup in the demand
    page = page_factory()
    author = signer_factory()[0]
    log_in(page, live_server, author)
    page.goto("/en/submissions/")
    page.get_by_role("link", name="Draft a collective submission").first.click()
    axe_check(page)
    page.locator("button[type=submit]").last.click()  # empty: every field is explained
    page.locator(".form-errors").wait_for()
    axe_check(page)
    for name, value in {**TEXT, "demand": "<b>Gaisma</b> Karostas ielā"}.items():
        page.locator(f"[name={name}]").fill(value)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/en/submissions/*/")
    submission = CollectiveSubmission.objects.get()
    assert page.locator(".petition-text").first.inner_text().startswith("<b>Gaisma</b>")
    axe_check(page)
    # when they send it to the moderators
    page.get_by_role("button", name="Send to the moderators").click()
    page.locator(".message-success").wait_for()
    assert CollectiveSubmission.objects.get().status == Status.IN_REVIEW
    page.goto("/en/submissions/mine/")
    assert page.locator("main").get_by_text("Waiting for moderation").count() == 1
    axe_check(page)

    # and a moderator publishes it
    moderator_page = page_factory()
    log_in(moderator_page, live_server, with_totp(moderator))
    moderator_page.goto("/en/submissions/staff/")
    axe_check(moderator_page)
    moderator_page.get_by_role("link", name=TEXT["title"]).click()
    moderator_page.get_by_role("button", name="Refuse").click()  # without a reason
    moderator_page.get_by_text("Give the public reason for refusing the submission.").wait_for()
    axe_check(moderator_page)
    ends = timezone.localdate() + dt.timedelta(days=30)
    moderator_page.locator("[name=publish-signing_ends_on]").fill(ends.isoformat())
    moderator_page.get_by_role("button", name="Publish").click()
    moderator_page.wait_for_url(f"**/submissions/{submission.pk}/")
    submission.refresh_from_db()
    assert submission.status == Status.SIGNING
    assert submission.signing_ends_on == ends

    # and two residents sign, reaching the threshold
    signers = [signer_factory() for _ in range(2)]
    for user, code in signers:
        sign(submission, user, code)
    submission.refresh_from_db()
    assert submission.status == Status.SENT

    # then an officer downloads the signer list for the legal check
    officer = with_totp(officer_factory("petitions"))
    officer_page = page_factory()
    log_in(officer_page, live_server, officer)
    officer_page.goto("/en/submissions/staff/")
    officer_page.get_by_role("link", name=TEXT["title"]).click()
    officer_page.wait_for_url(f"**/staff/{submission.pk}/answer/")
    axe_check(officer_page)
    officer_page.get_by_role("link", name="Signer list for the legal check").click()
    axe_check(officer_page)
    with officer_page.expect_download() as download_info:
        officer_page.get_by_role("button", name="Download the list").click()
    csv_text = download_info.value.path().read_text(encoding="utf-8-sig")
    rows = csv_text.strip().splitlines()
    assert len(rows) == 3
    assert AuditEvent.objects.filter(verb="petition.signers_exported").get().data == {"rows": 2}

    # and publishes the answer
    officer_page.goto(f"/en/submissions/staff/{submission.pk}/answer/")
    officer_page.get_by_role("button", name="Publish the answer").click()  # nothing chosen
    officer_page.locator(".form-errors").wait_for()
    axe_check(officer_page)
    officer_page.get_by_label("Partly granted").check()
    officer_page.locator("[name=answer]").fill("Apgaismojumu uzstādīs 2027. gadā.")
    officer_page.get_by_role("button", name="Publish the answer").click()
    officer_page.wait_for_url(f"**/submissions/{submission.pk}/")
    submission.refresh_from_db()
    assert submission.status == Status.ANSWERED
    assert submission.decision == Decision.PARTLY_GRANTED
    axe_check(officer_page)
    csp_clean(officer_page)

    # and the signers are told, and anyone can read the answer
    assert Notification.objects.filter(recipient=signers[0][0], kind="petitions.signed").exists()
    visitor = page_factory(mobile=True)
    visitor.goto(f"/submissions/{submission.pk}/")
    assert "Apgaismojumu uzstādīs 2027. gadā." in visitor.locator("main").inner_text()
    axe_check(visitor)
    csp_clean(visitor)
