"""Demo data and the daily management commands."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from lidzdaliba.petitions.demo import load_petitions_demo
from lidzdaliba.petitions.models import CollectiveSubmission, Signature, Status

from .conftest import sign


def test_demo_has_three_submissions_at_different_stages(municipality):
    # when loaded twice
    load_petitions_demo(municipality)
    submissions = load_petitions_demo(municipality)
    # then
    assert CollectiveSubmission.objects.count() == 3
    assert [s.status for s in submissions] == [Status.SIGNING, Status.SENT, Status.ANSWERED]
    for submission in submissions:
        assert Signature.objects.filter(submission=submission).count() == (
            submission.signature_count
        )
    assert submissions[1].signature_count == municipality.collective_submission_threshold
    assert submissions[2].answered_in_time is True


def test_a_demo_resident_can_sign_the_demo_submission(municipality, neighbourhood):
    from tests.conftest import make_resident

    signing = load_petitions_demo(municipality)[0]
    anna = make_resident(municipality, neighbourhood, code="010190-10001")
    sign(signing, anna, "010190-10001")
    assert CollectiveSubmission.objects.get(pk=signing.pk).signature_count == 213


def test_the_daily_command_purges_old_signer_data(sent, petitions_officer):
    from lidzdaliba.petitions import services

    services.submission_answer(
        actor=petitions_officer, submission=sent, answer="Atbilde", decision="granted"
    )
    CollectiveSubmission.objects.filter(pk=sent.pk).update(
        answered_at=timezone.now() - dt.timedelta(days=services.retention_days() + 1)
    )
    call_command("petitions_daily")
    assert all(bytes(s.signer_data) == b"" for s in Signature.objects.filter(submission=sent))


def test_the_daily_command_closes_a_submission_below_threshold(signing, signer_factory):
    sign(signing, *signer_factory())
    CollectiveSubmission.objects.filter(pk=signing.pk).update(
        signing_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    call_command("petitions_daily")
    assert CollectiveSubmission.objects.get(pk=signing.pk).status == Status.CLOSED


def test_the_rotate_command(settings, signing, signer_factory):
    settings.PETITION_SIGNER_KEY = ["old"]
    sign(signing, *signer_factory())
    settings.PETITION_SIGNER_KEY = ["new", "old"]
    call_command("petitions_rotate_signer_key")
    call_command("petitions_purge_signer_data")
    settings.PETITION_SIGNER_KEY = "new"
    from lidzdaliba.petitions import crypto

    assert crypto.decrypt(Signature.objects.get().signer_data).first_name
