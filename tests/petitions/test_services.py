"""Collective submissions: drafting, moderation, signing, threshold, answer, signer data."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lidzdaliba.core.models import AuditEvent, Notification
from lidzdaliba.petitions import crypto, services
from lidzdaliba.petitions.models import CollectiveSubmission, Decision, Signature, Status
from lidzdaliba.petitions.services import SubmissionRejected, add_months

from .conftest import TEXT, new_code, reload, sign


def verbs(submission):
    return list(
        AuditEvent.objects.filter(target_id=str(submission.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


# --- drafting and moderation -----------------------------------------------------------


def test_a_resident_drafts_a_submission_and_the_text_is_kept_as_typed(author, municipality):
    # when
    submission = services.submission_create(
        actor=author, municipality=municipality, **{**TEXT, "demand": "<script>x()</script>"}
    )
    # then
    submission = reload(submission)
    assert submission.status == Status.DRAFT
    assert submission.demand == "<script>x()</script>"
    assert submission.author == author
    assert verbs(submission) == ["petition.drafted"]


def test_an_incomplete_draft_is_refused_and_nothing_is_stored(author, municipality):
    with pytest.raises(SubmissionRejected, match="representative"):
        services.submission_create(
            actor=author, municipality=municipality, **{**TEXT, "representative_email": " "}
        )
    assert not CollectiveSubmission.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="petition.").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("representative_email", "not-an-address", "e-mail"),
        ("title", "x" * 201, "title"),
    ],
)
def test_a_draft_with_invalid_fields_is_refused(author, municipality, field, value, message):
    with pytest.raises(SubmissionRejected, match=message):
        services.submission_create(
            actor=author, municipality=municipality, **{**TEXT, field: value}
        )
    assert not CollectiveSubmission.objects.exists()


def test_anonymous_cannot_draft(anonymous, municipality):
    with pytest.raises(PermissionDenied):
        services.submission_create(actor=anonymous, municipality=municipality, **TEXT)
    assert not CollectiveSubmission.objects.exists()


def test_only_the_author_edits_and_only_a_draft(draft, author, verified_resident):
    # someone else is refused
    with pytest.raises(PermissionDenied):
        services.submission_update(actor=verified_resident, submission=draft, title="Cits")
    assert reload(draft).title == TEXT["title"]
    # the author may edit the draft
    services.submission_update(actor=author, submission=draft, title="Jauns virsraksts")
    assert reload(draft).title == "Jauns virsraksts"
    # but not once it is with the moderators
    services.submission_submit(actor=author, submission=draft)
    with pytest.raises(PermissionDenied):
        services.submission_update(actor=author, submission=draft, title="Vēlāk")
    assert reload(draft).title == "Jauns virsraksts"


def test_submitting_for_review_notifies_the_moderators(draft, author, moderator):
    services.submission_submit(actor=author, submission=draft)
    assert reload(draft).status == Status.IN_REVIEW
    assert Notification.objects.filter(recipient=moderator, kind="petitions.staff").exists()


def test_a_moderator_publishes_with_the_municipalitys_threshold(in_review, moderator, municipality):
    # given
    municipality.collective_submission_threshold = 670
    municipality.save()
    # when
    services.submission_publish(actor=moderator, submission=in_review)
    # then
    submission = reload(in_review)
    assert submission.status == Status.SIGNING
    assert submission.threshold == 670
    assert submission.signing_ends_on == services.default_signing_end()
    assert submission.published_at is not None
    # and a later change of the setting does not move the goal
    municipality.collective_submission_threshold = 1000
    municipality.save()
    assert reload(in_review).threshold == 670


@pytest.mark.parametrize(
    ("_case", "who"),
    [("a resident", "verified_resident"), ("the author", "author"), ("an officer", "officer")],
)
def test_only_moderators_publish(request, in_review, petitions_officer, _case, who):
    actor = petitions_officer if who == "officer" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.submission_publish(actor=actor, submission=in_review)
    assert reload(in_review).status == Status.IN_REVIEW


def test_publishing_needs_a_threshold(in_review, moderator, municipality):
    municipality.collective_submission_threshold = 0
    municipality.save()
    with pytest.raises(SubmissionRejected, match="threshold"):
        services.submission_publish(actor=moderator, submission=in_review)
    assert reload(in_review).status == Status.IN_REVIEW


def test_a_signing_period_ending_today_is_refused(in_review, moderator):
    with pytest.raises(SubmissionRejected, match="after today"):
        services.submission_publish(
            actor=moderator, submission=in_review, signing_ends_on=timezone.localdate()
        )
    assert reload(in_review).status == Status.IN_REVIEW


def test_a_draft_cannot_skip_moderation(draft, moderator):
    with pytest.raises(SubmissionRejected, match="cannot become"):
        services.submission_publish(actor=moderator, submission=draft)
    assert reload(draft).status == Status.DRAFT


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_refusal_without_a_reason_is_refused(in_review, moderator, reason):
    with pytest.raises(SubmissionRejected, match="reason"):
        services.submission_refuse(actor=moderator, submission=in_review, reason=reason)
    submission = reload(in_review)
    assert submission.status == Status.IN_REVIEW
    assert submission.refusal_reason == ""
    assert "petition.refused" not in verbs(submission)


def test_a_refusal_with_a_reason_is_public_and_tells_the_author(in_review, moderator, author):
    services.submission_refuse(
        actor=moderator, submission=in_review, reason="Jautājums nav pašvaldības kompetencē."
    )
    submission = reload(in_review)
    assert submission.status == Status.REFUSED
    assert submission.is_public
    assert submission.refusal_reason == "Jautājums nav pašvaldības kompetencē."
    assert Notification.objects.filter(recipient=author, kind="petitions.own").exists()


# --- signing ---------------------------------------------------------------------------


def test_a_verified_resident_signs_and_the_code_is_stored_encrypted(signing, signer_factory):
    # given
    user, code = signer_factory(full_name="Jānis Bērziņš")
    # when
    signature = sign(signing, user, code)
    # then
    assert reload(signing).signature_count == 1
    assert signing.signature_count == 1
    stored = bytes(Signature.objects.get(pk=signature.pk).signer_data)
    assert code.encode() not in stored
    assert code.replace("-", "").encode() not in stored
    assert b"Berzins" not in stored
    assert b"B\xc4\x93rzi" not in stored
    assert crypto.decrypt(stored) == crypto.SignerData("Jānis", "Bērziņš", code)
    assert verbs(signing)[-1] == "petition.signed"


def test_the_code_is_accepted_without_the_dash(signing, signer_factory):
    user, code = signer_factory()
    sign(signing, user, code.replace("-", ""))
    assert reload(signing).signature_count == 1


def test_signing_twice_is_refused(signing, signer_factory):
    # given
    user, code = signer_factory()
    sign(signing, user, code)
    # when / then
    with pytest.raises(SubmissionRejected, match="already signed"):
        sign(signing, user, code)
    assert reload(signing).signature_count == 1
    assert Signature.objects.filter(submission=signing).count() == 1


def test_one_person_cannot_sign_from_two_accounts(signing, signer_factory):
    # given two accounts verified with the same personal code
    first, code = signer_factory()
    second, _ = signer_factory(code=code)
    sign(signing, first, code)
    # when / then
    with pytest.raises(SubmissionRejected, match="another account"):
        sign(signing, second, code)
    assert reload(signing).signature_count == 1
    assert Signature.objects.filter(submission=signing).count() == 1


@pytest.mark.parametrize(
    ("_case", "overrides", "message"),
    [
        ("no declaration", {"declared_eligible": False}, "Latvian citizen"),
        ("no surname", {"last_name": "  "}, "name and surname"),
        ("an invalid code", {"personal_code": "123456-12345"}, "not a valid personal code"),
        ("another person's code", {"personal_code": "OTHER"}, "verified with"),
    ],
)
def test_a_signature_with_bad_input_is_refused(signing, signer_factory, _case, overrides, message):
    # given
    user, code = signer_factory()
    if overrides.get("personal_code") == "OTHER":
        overrides = {"personal_code": new_code()}
    # when / then
    with pytest.raises(SubmissionRejected, match=message):
        sign(signing, user, code, **overrides)
    assert reload(signing).signature_count == 0
    assert not Signature.objects.exists()
    assert "petition.signed" not in verbs(signing)


def test_signing_without_verified_residency_is_refused(signing, resident):
    with pytest.raises(SubmissionRejected, match="Verify your residency"):
        sign(signing, resident, new_code())
    assert reload(signing).signature_count == 0
    assert not Signature.objects.exists()


def test_signing_with_an_expired_residency_is_refused(signing, signer_factory):
    user, code = signer_factory()
    user.residencies.update(expires_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(SubmissionRejected, match="Verify your residency"):
        sign(signing, user, code)
    assert not Signature.objects.exists()


def test_a_resident_of_another_municipality_cannot_sign(signing, signer_factory):
    from lidzdaliba.core.models import Municipality

    user, code = signer_factory()
    other = Municipality.objects.create(
        slug="liv", name="Līvāni", map_center_lat=56.35, map_center_lon=26.17
    )
    user.residencies.update(municipality=other)
    with pytest.raises(SubmissionRejected, match="Verify your residency"):
        sign(signing, user, code)
    assert not Signature.objects.exists()


def test_a_person_under_16_cannot_sign(signing, signer_factory):
    # given a resident born in 2015
    user, code = signer_factory(code=new_code("15-2"))
    # when / then
    with pytest.raises(SubmissionRejected, match="16"):
        sign(signing, user, code)
    assert not Signature.objects.exists()


def test_a_person_turning_16_today_may_sign(signing, signer_factory):
    today = timezone.localdate()
    user, code = signer_factory(born=today.replace(year=today.year - 16))
    user.residencies.update(birth_date=today.replace(year=today.year - 16))
    sign(signing, user, code)
    assert reload(signing).signature_count == 1


def test_signing_after_the_end_date_is_refused(signing, signer_factory):
    user, code = signer_factory()
    later = signing.signing_ends_on + dt.timedelta(days=1, hours=12)
    with time_machine.travel(later), pytest.raises(SubmissionRejected, match="Signing ended"):
        sign(signing, user, code)
    assert not Signature.objects.exists()


def test_a_submission_in_review_cannot_be_signed(in_review, signer_factory):
    user, code = signer_factory()
    with pytest.raises(SubmissionRejected, match="not collecting"):
        sign(in_review, user, code)
    assert not Signature.objects.exists()


def test_reaching_the_threshold_sends_the_submission(signing, signer_factory, petitions_officer):
    # given two of three signatures
    for _ in range(2):
        sign(signing, *signer_factory())
    assert reload(signing).status == Status.SIGNING
    # when the third person signs
    sign(signing, *signer_factory())
    # then it goes to the municipality, with three months to answer
    submission = reload(signing)
    assert submission.status == Status.SENT
    assert submission.sent_at is not None
    today = timezone.localdate()
    assert submission.answer_due_on == add_months(today, 3)
    assert verbs(submission).count("petition.sent") == 1
    assert Notification.objects.filter(recipient=petitions_officer).exists()
    # and nobody can sign any more
    with pytest.raises(SubmissionRejected, match="not collecting"):
        sign(signing, *signer_factory())
    assert reload(signing).signature_count == 3


def test_a_signer_withdraws_before_submission(signing, signer_factory):
    # given
    user, code = signer_factory()
    sign(signing, user, code)
    # when
    services.signature_withdraw(actor=user, submission=signing)
    # then
    assert reload(signing).signature_count == 0
    assert not Signature.objects.exists()
    assert verbs(signing)[-1] == "petition.signature_withdrawn"
    # and may sign again
    sign(signing, user, code)
    assert reload(signing).signature_count == 1


def test_withdrawing_from_the_other_account_of_the_same_person(signing, signer_factory):
    first, code = signer_factory()
    second, _ = signer_factory(code=code)
    sign(signing, first, code)
    services.signature_withdraw(actor=second, submission=signing)
    assert reload(signing).signature_count == 0


def test_withdrawing_without_a_signature_is_refused(signing, signer_factory):
    user, _code = signer_factory()
    sign(signing, *signer_factory())
    with pytest.raises(SubmissionRejected, match="not signed"):
        services.signature_withdraw(actor=user, submission=signing)
    assert reload(signing).signature_count == 1


def test_withdrawing_after_submission_is_refused(signing, signer_factory):
    # given a signer and a submission that went to the municipality
    signers = [signer_factory() for _ in range(3)]
    for user, code in signers:
        sign(signing, user, code)
    assert reload(signing).status == Status.SENT
    # when / then
    with pytest.raises(SubmissionRejected, match="can no longer be withdrawn"):
        services.signature_withdraw(actor=signers[0][0], submission=signing)
    assert reload(signing).signature_count == 3
    assert Signature.objects.filter(submission=signing).count() == 3


# --- closing and answering -------------------------------------------------------------


def test_below_the_threshold_at_the_end_it_becomes_an_ordinary_submission(
    signing, signer_factory, author
):
    # given one signature of three
    sign(signing, *signer_factory())
    end = signing.signing_ends_on
    # when the daily job runs on the last day, nothing happens
    assert services.submissions_close_due(today=end) == 0
    # and the day after, it closes, with a month to answer
    assert services.submissions_close_due(today=end + dt.timedelta(days=1)) == 1
    submission = reload(signing)
    assert submission.status == Status.CLOSED
    assert submission.handled_as_ordinary
    assert submission.answer_due_on == add_months(end + dt.timedelta(days=1), 1)
    assert Notification.objects.filter(recipient=author, kind="petitions.own").exists()
    # running again changes nothing
    assert services.submissions_close_due(today=end + dt.timedelta(days=2)) == 0


def test_an_officer_answers_and_the_signers_are_notified(sent, petitions_officer):
    # when
    services.submission_answer(
        actor=petitions_officer,
        submission=sent,
        answer="Apgaismojums tiks uzstādīts 2027. gadā.",
        decision=Decision.GRANTED,
    )
    # then
    submission = reload(sent)
    assert submission.status == Status.ANSWERED
    assert submission.answered_in_time is True
    assert submission.answered_by == petitions_officer
    signers = [s.signer for s in Signature.objects.filter(submission=sent)]
    for signer in signers:
        assert Notification.objects.filter(recipient=signer, kind="petitions.signed").exists()


def test_an_ordinary_submission_can_be_answered_too(signing, petitions_officer):
    services.submissions_close_due(today=signing.signing_ends_on + dt.timedelta(days=1))
    services.submission_answer(
        actor=petitions_officer, submission=signing, answer="Atbilde.", decision="not_granted"
    )
    assert reload(signing).status == Status.ANSWERED


@pytest.mark.parametrize(
    ("answer", "decision", "message"),
    [("", "granted", "answer"), ("Atbilde", "", "decision"), ("Atbilde", "maybe", "decision")],
)
def test_an_answer_without_text_or_decision_is_refused(
    sent, petitions_officer, answer, decision, message
):
    with pytest.raises(SubmissionRejected, match=message):
        services.submission_answer(
            actor=petitions_officer, submission=sent, answer=answer, decision=decision
        )
    submission = reload(sent)
    assert submission.status == Status.SENT
    assert submission.answer == ""


def test_only_officers_answer(sent, moderator, verified_resident):
    for actor in (moderator, verified_resident):
        with pytest.raises(PermissionDenied):
            services.submission_answer(
                actor=actor, submission=sent, answer="Atbilde", decision="granted"
            )
    assert reload(sent).status == Status.SENT


def test_a_submission_still_collecting_cannot_be_answered(signing, petitions_officer):
    with pytest.raises(SubmissionRejected, match="cannot become"):
        services.submission_answer(
            actor=petitions_officer, submission=signing, answer="Atbilde", decision="granted"
        )
    assert reload(signing).status == Status.SIGNING


# --- the signer list -------------------------------------------------------------------


def test_an_officer_exports_the_signer_list_and_it_is_audited(sent, petitions_officer):
    # when
    rows = services.signer_list_export(actor=petitions_officer, submission=sent)
    # then
    assert len(rows) == 3
    assert all(row["personal_code"][6] == "-" for row in rows)
    event = AuditEvent.objects.get(verb="petition.signers_exported")
    assert event.actor == petitions_officer
    assert event.data == {"rows": 3}


@pytest.mark.parametrize("who", ["moderator", "verified_resident", "anonymous"])
def test_nobody_else_exports_the_signer_list(request, sent, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.signer_list_export(actor=actor, submission=sent)
    assert not AuditEvent.objects.filter(verb="petition.signers_exported").exists()


def test_the_signer_list_is_not_exported_while_signing(signing, petitions_officer):
    with pytest.raises(SubmissionRejected, match="once signing has ended"):
        services.signer_list_export(actor=petitions_officer, submission=signing)
    assert not AuditEvent.objects.filter(verb="petition.signers_exported").exists()


def test_signer_data_is_deleted_after_the_answer_and_retention(sent, petitions_officer):
    # given an answered submission
    services.submission_answer(
        actor=petitions_officer, submission=sent, answer="Atbilde", decision="granted"
    )
    # when the job runs within the retention period, nothing is deleted
    assert services.signer_data_purge() == 0
    assert not Signature.objects.filter(signer_data=b"").exists()
    # and after it, the encrypted data goes but the count stays
    later = timezone.now() + dt.timedelta(days=services.retention_days() + 1)
    assert services.signer_data_purge(now=later) == 1
    assert Signature.objects.filter(submission=sent).count() == 3
    assert all(bytes(s.signer_data) == b"" for s in Signature.objects.all())
    assert reload(sent).signature_count == 3
    assert services.signer_data_purge(now=later) == 0
    with pytest.raises(SubmissionRejected, match="deleted"):
        services.signer_list_export(actor=petitions_officer, submission=sent)


def test_the_signer_key_can_be_rotated(settings, signing, signer_factory):
    # given a signature under the old key
    settings.PETITION_SIGNER_KEY = ["old key"]
    user, code = signer_factory()
    sign(signing, user, code)
    # when a new key comes first and the rows are rotated
    settings.PETITION_SIGNER_KEY = ["new key", "old key"]
    assert services.signer_key_rotate() == 1
    # then the new key alone opens them
    settings.PETITION_SIGNER_KEY = "new key"
    assert crypto.decrypt(Signature.objects.get().signer_data).personal_code == code
    settings.PETITION_SIGNER_KEY = ["old key"]
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(Signature.objects.get().signer_data)


def test_a_fernet_key_is_used_as_given(settings):
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    settings.PETITION_SIGNER_KEY = key
    token = crypto.encrypt(crypto.SignerData("A", "B", "010190-10001"))
    assert Fernet(key.encode()).decrypt(token)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 11, 21), 3, dt.date(2027, 2, 21)),
        (dt.date(2028, 11, 30), 3, dt.date(2029, 2, 28)),
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_the_data_export_lists_signatures_without_the_code(sent):
    from lidzdaliba.accounts import gdpr

    signature = Signature.objects.filter(submission=sent).first()
    data = gdpr.collect(signature.signer)["collective_submissions"]
    assert data["signed"][0]["submission"] == sent.title
    assert data["signed"][0]["name_surname_and_personal_code_stored_encrypted"] is True
    assert not re.search(r"\d{6}-?\d{5}", json.dumps(data))
