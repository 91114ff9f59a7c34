"""Pages of collective submissions: public list/detail/statistics, drafting, signing, staff."""

import datetime as dt

import pytest
from django.utils import timezone

from lidzdaliba.core.models import AuditEvent
from lidzdaliba.petitions import services
from lidzdaliba.petitions.models import CollectiveSubmission, Signature, Status

from .conftest import TEXT, reload, sign, with_totp


def test_the_list_shows_published_submissions_only(client, signing, draft, municipality):
    # given a signing submission and someone else's draft
    other = services.submission_create(
        actor=draft.author, municipality=municipality, **{**TEXT, "title": "Slepens melnraksts"}
    )
    # when
    response = client.get("/submissions/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert signing.title in html
    assert other.title not in html
    assert 'max="3" value="0"' in html


def test_the_list_filters_by_status(client, signing):
    assert signing.title in client.get("/submissions/?status=signing").content.decode()
    assert signing.title not in client.get("/submissions/?status=answered").content.decode()
    assert client.get("/submissions/?status=<script>").status_code == 200


def test_the_detail_page_escapes_html(client, author, municipality, moderator):
    # given a submission with markup in every text field
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    submission = services.submission_create(
        actor=author,
        municipality=municipality,
        **{
            **TEXT,
            "title": evil,
            "demand": evil,
            "justification": evil,
            "representative_name": evil,
        },
    )
    services.submission_submit(actor=author, submission=submission)
    services.submission_publish(actor=moderator, submission=submission)
    # when
    html = client.get(f"/submissions/{submission.pk}/").content.decode()
    # then
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_draft_is_visible_only_to_its_author_and_staff(
    client, draft, verified_resident, moderator
):
    url = f"/submissions/{draft.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(verified_resident)
    assert client.get(url).status_code == 404
    client.force_login(draft.author)
    assert client.get(url).status_code == 200
    client.force_login(moderator)
    assert client.get(url).status_code == 200


def test_a_resident_drafts_and_sends_to_the_moderators(client, author):
    client.force_login(author)
    # when the form is sent without the representative
    response = client.post("/submissions/new/", {**TEXT, "representative_name": ""})
    assert response.status_code == 200
    assert not CollectiveSubmission.objects.exists()
    # and then complete
    response = client.post("/submissions/new/", TEXT)
    submission = CollectiveSubmission.objects.get()
    assert response.status_code == 302
    assert submission.status == Status.DRAFT
    # then the author sends it to the moderators
    response = client.post(f"/submissions/{submission.pk}/submit/")
    assert response.status_code == 302
    assert reload(submission).status == Status.IN_REVIEW
    # and can no longer edit it
    assert client.get(f"/submissions/{submission.pk}/edit/").status_code == 403


def test_signing_through_the_page(client, signing, signer_factory):
    # given
    user, code = signer_factory(full_name="Jānis Bērziņš")
    client.force_login(user)
    page = client.get(f"/submissions/{signing.pk}/").content.decode()
    assert 'name="personal_code"' in page
    # when
    response = client.post(
        f"/submissions/{signing.pk}/sign/",
        {
            "first_name": "Jānis",
            "last_name": "Bērziņš",
            "personal_code": code,
            "declared_eligible": "on",
        },
    )
    # then
    assert response.status_code == 302
    assert reload(signing).signature_count == 1
    page = client.get(f"/submissions/{signing.pk}/").content.decode()
    assert "Withdraw" in page or "Atsaukt" in page
    assert code not in page


def test_signing_with_a_wrong_code_shows_why_and_stores_nothing(client, signing, signer_factory):
    from .conftest import new_code

    user, _code = signer_factory()
    client.force_login(user)
    response = client.post(
        f"/en/submissions/{signing.pk}/sign/",
        {
            "first_name": "A",
            "last_name": "B",
            "personal_code": new_code(),
            "declared_eligible": "on",
        },
    )
    assert response.status_code == 400
    assert "This is not the personal code your residency was verified with." in (
        response.content.decode()
    )
    assert not Signature.objects.exists()


def test_signing_with_htmx_returns_the_panel(client, signing, signer_factory):
    user, code = signer_factory()
    client.force_login(user)
    response = client.post(
        f"/en/submissions/{signing.pk}/sign/",
        {"first_name": "A", "last_name": "B", "personal_code": code, "declared_eligible": "on"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="sign-panel"')
    assert "your signature is counted" in html
    assert "<strong>1</strong> signature of 3 needed" in html


def test_an_unverified_resident_is_told_to_verify(client, signing, resident):
    client.force_login(resident)
    html = client.get(f"/en/submissions/{signing.pk}/").content.decode()
    assert "Verify your residency to sign." in html
    assert 'name="personal_code"' not in html


def test_withdrawing_through_the_page(client, signing, signer_factory):
    user, code = signer_factory()
    sign(signing, user, code)
    client.force_login(user)
    assert client.post(f"/submissions/{signing.pk}/withdraw/").status_code == 302
    assert reload(signing).signature_count == 0


def test_a_moderator_refusal_needs_a_reason(client, in_review, moderator):
    client.force_login(with_totp(moderator))
    url = f"/en/submissions/staff/{in_review.pk}/moderate/"
    response = client.post(url, {"action": "refuse", "refuse-reason": ""})
    assert response.status_code == 400
    assert "Give the public reason for refusing the submission." in response.content.decode()
    assert reload(in_review).status == Status.IN_REVIEW
    response = client.post(url, {"action": "refuse", "refuse-reason": "Ārpus kompetences."})
    assert response.status_code == 302
    assert reload(in_review).status == Status.REFUSED
    assert "Ārpus kompetences." in client.get(f"/submissions/{in_review.pk}/").content.decode()


def test_a_moderator_publishes(client, in_review, moderator):
    client.force_login(with_totp(moderator))
    ends = timezone.localdate() + dt.timedelta(days=60)
    response = client.post(
        f"/submissions/staff/{in_review.pk}/moderate/",
        {"action": "publish", "publish-signing_ends_on": ends.isoformat()},
    )
    assert response.status_code == 302
    submission = reload(in_review)
    assert submission.status == Status.SIGNING
    assert submission.signing_ends_on == ends


def test_residents_cannot_open_staff_pages(client, sent, verified_resident):
    client.force_login(verified_resident)
    for path in ("staff/", f"staff/{sent.pk}/answer/", f"staff/{sent.pk}/signers/"):
        assert client.get(f"/submissions/{path}").status_code == 403
    assert client.post(f"/submissions/staff/{sent.pk}/signers/").status_code == 403
    assert not AuditEvent.objects.filter(verb="petition.signers_exported").exists()


def test_an_officer_answers_through_the_page(client, sent, petitions_officer):
    client.force_login(with_totp(petitions_officer))
    url = f"/submissions/staff/{sent.pk}/answer/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "granted", "answer": ""})
    assert response.status_code == 400
    assert reload(sent).status == Status.SENT
    response = client.post(url, {"decision": "granted", "answer": "Darīsim."})
    assert response.status_code == 302
    assert reload(sent).status == Status.ANSWERED
    assert "Darīsim." in client.get(f"/submissions/{sent.pk}/").content.decode()


def test_an_officer_downloads_the_signer_list(client, sent, petitions_officer):
    # given
    client.force_login(with_totp(petitions_officer))
    codes = {
        services.signer_list_export(actor=petitions_officer, submission=sent)[0]["personal_code"]
    }
    # when
    response = client.post(f"/submissions/staff/{sent.pk}/signers/")
    # then
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    assert len(body.strip().splitlines()) == 4
    assert codes.pop() in body
    assert AuditEvent.objects.filter(verb="petition.signers_exported").count() == 2
    # and the page lists the downloads
    page = client.get(f"/en/submissions/staff/{sent.pk}/signers/").content.decode()
    assert petitions_officer.email in page
    assert "3 rows" in page


def test_a_name_typed_as_a_formula_is_neutralised_in_the_csv(
    client, signing, signer_factory, petitions_officer
):
    for i in range(3):
        user, code = signer_factory()
        sign(signing, user, code, first_name="=HYPERLINK(1)" if i == 0 else "Anna")
    client.force_login(with_totp(petitions_officer))
    body = client.post(f"/submissions/staff/{signing.pk}/signers/").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_statistics_page(client, sent, signing):
    html = client.get("/en/submissions/statistics/").content.decode()
    assert "Reached the threshold" in html


@pytest.mark.parametrize("path", ["/submissions/", "/submissions/statistics/"])
def test_list_pages_use_a_constant_number_of_queries(
    client, municipality, author, moderator, django_assert_max_num_queries, path
):
    # given many published submissions
    for i in range(30):
        submission = services.submission_create(
            actor=author, municipality=municipality, **{**TEXT, "title": f"Iesniegums {i}"}
        )
        services.submission_submit(actor=author, submission=submission)
        services.submission_publish(actor=moderator, submission=submission)
    client.get(path)
    # when / then
    with django_assert_max_num_queries(4):
        response = client.get(path)
    assert response.status_code == 200


def test_list_page_queries_for_a_signed_in_user(
    client, municipality, author, moderator, django_assert_max_num_queries
):
    for i in range(25):
        submission = services.submission_create(
            actor=author, municipality=municipality, **{**TEXT, "title": f"Iesniegums {i}"}
        )
        services.submission_submit(actor=author, submission=submission)
        services.submission_publish(actor=moderator, submission=submission)
    client.force_login(author)
    client.get("/submissions/")
    with django_assert_max_num_queries(9):
        assert client.get("/submissions/").status_code == 200


# --- API -------------------------------------------------------------------------------


def test_api_lists_and_shows_published_submissions(client, signing, author, municipality):
    draft = services.submission_create(actor=author, municipality=municipality, **TEXT)
    data = client.get("/api/submissions/").json()
    assert [item["id"] for item in data["items"]] == [signing.pk]
    assert data["items"][0]["threshold"] == 3
    detail = client.get(f"/api/submissions/{signing.pk}").json()
    assert detail["demand"] == TEXT["demand"]
    assert "signatures" not in detail
    assert client.get(f"/api/submissions/{draft.pk}").status_code == 404
    stats = client.get("/api/submissions/statistics").json()
    assert stats["signing"] == 1
