"""Reads (statistics, signing status) and the permission rules of collective submissions."""

import datetime as dt

import pytest
from django.utils import timezone

from lidzdaliba.petitions import selectors, services
from lidzdaliba.petitions.models import CollectiveSubmission, Status

from .conftest import TEXT, sign, with_totp


def test_statistics_count_each_outcome(
    municipality, author, moderator, petitions_officer, signer_factory
):
    # given: one answered in time, one answered late, one overdue, one refused, one signing
    municipality.collective_submission_threshold = 1
    municipality.save()
    made = []
    for i in range(5):
        submission = services.submission_create(
            actor=author, municipality=municipality, **{**TEXT, "title": f"S{i}"}
        )
        services.submission_submit(actor=author, submission=submission)
        made.append(submission)
    services.submission_refuse(actor=moderator, submission=made[0], reason="Nē.")
    for submission in made[1:]:
        services.submission_publish(actor=moderator, submission=submission)
    for submission in made[1:4]:
        sign(submission, *signer_factory())
    services.submission_answer(
        actor=petitions_officer, submission=made[1], answer="Jā.", decision="granted"
    )
    services.submission_answer(
        actor=petitions_officer, submission=made[2], answer="Vēlu.", decision="not_granted"
    )
    past = timezone.localdate() - dt.timedelta(days=1)
    CollectiveSubmission.objects.filter(pk__in=[made[2].pk, made[3].pk]).update(answer_due_on=past)
    # when
    stats = selectors.submission_statistics(municipality=municipality)
    # then
    assert stats == {
        "submitted": 5,
        "published": 4,
        "signing": 1,
        "reached_threshold": 3,
        "closed_below_threshold": 0,
        "refused": 1,
        "answered": 2,
        "answered_in_time": 1,
        "overdue": 1,
    }


def test_signing_status_explains_why_not(signing, resident, signer_factory, anonymous):
    assert selectors.signing_status(user=anonymous, submission=signing)["can_sign"] is False
    assert "Log in" in selectors.signing_status(user=anonymous, submission=signing)["reason"]
    assert "Verify" in selectors.signing_status(user=resident, submission=signing)["reason"]
    user, code = signer_factory()
    assert selectors.signing_status(user=user, submission=signing)["can_sign"] is True
    sign(signing, user, code)
    status = selectors.signing_status(user=user, submission=signing)
    assert status["can_sign"] is False
    assert status["signature"] is not None


def test_the_other_account_of_a_signer_sees_the_signature(signing, signer_factory):
    first, code = signer_factory()
    second, _ = signer_factory(code=code)
    sign(signing, first, code)
    assert selectors.signature_of(user=second, submission=signing) is not None


def test_an_orphaned_draft_belongs_to_nobody(draft, anonymous):
    CollectiveSubmission.objects.filter(pk=draft.pk).update(author=None)
    draft.refresh_from_db()
    assert not anonymous.has_perm("petitions.edit_submission", draft)
    assert not anonymous.has_perm("petitions.view_submission", draft)


@pytest.mark.parametrize(
    ("who", "perms"),
    [
        ("anonymous", set()),
        ("resident", {"create_submission"}),
        ("moderator", {"create_submission", "moderate_submission", "view_staff_queue"}),
        (
            "officer",
            {"create_submission", "answer_submission", "export_signers", "view_staff_queue"},
        ),
    ],
)
def test_permission_matrix(request, municipality, petitions_officer, who, perms):
    user = petitions_officer if who == "officer" else request.getfixturevalue(who)
    names = {
        "create_submission",
        "moderate_submission",
        "answer_submission",
        "export_signers",
        "view_staff_queue",
    }
    granted = {name for name in names if user.has_perm(f"petitions.{name}", municipality)}
    assert granted == perms


def test_staff_of_another_municipality_cannot_moderate(in_review, moderator):
    from lidzdaliba.core.models import Municipality

    other = Municipality.objects.create(
        slug="liv", name="Līvāni", map_center_lat=56.35, map_center_lon=26.17
    )
    moderator.municipality = other
    moderator.save()
    assert not moderator.has_perm("petitions.moderate_submission", in_review)


def test_the_admin_lists_submissions_read_only(client, administrator, signing):
    client.force_login(with_totp(administrator))
    response = client.get("/admin/petitions/collectivesubmission/")
    assert response.status_code == 200
    assert signing.title in response.content.decode()
    assert client.get("/admin/petitions/collectivesubmission/add/").status_code == 403
    assert CollectiveSubmission.objects.get(pk=signing.pk).status == Status.SIGNING
