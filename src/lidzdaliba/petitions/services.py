"""Every write about collective submissions: the one place where their rules run.

Each service runs in a transaction, checks the permission beside the write, moves the status
only along ``models.TRANSITIONS`` and leaves an audit record. Refusals raise
``SubmissionRejected`` (or ``PermissionDenied``) with a translated message, and nothing is
stored.

Dates, all settings with defaults:

* ``PETITION_SIGNING_DAYS`` (180): default length of the signing period a moderator sets.
* ``PETITION_ANSWER_MONTHS`` (3): time the municipality has to answer a submission that
  reached the threshold (the council decides on a collective submission within three
  months).
* ``PETITION_ORDINARY_ANSWER_MONTHS`` (1): answer time of a submission that stayed below the
  threshold and is handled as an ordinary submission (Iesniegumu likums, one month).
* ``PETITION_SIGNER_DATA_RETENTION_DAYS`` (90): how long the encrypted names and personal
  codes are kept after the answer, for appeals; then ``signer_data_purge`` deletes them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import personalcode
from lidzdaliba.accounts import roles
from lidzdaliba.accounts.selectors import residency_active
from lidzdaliba.core.models import notification_kind_register
from lidzdaliba.core.services import audit_record, notify

from . import crypto
from .models import TRANSITIONS, CollectiveSubmission, Decision, Signature, Status

notification_kind_register(
    "petitions.own", gettext_lazy("News about a collective submission I drafted")
)
notification_kind_register(
    "petitions.signed", gettext_lazy("The answer to a collective submission I signed")
)
notification_kind_register(
    "petitions.staff", gettext_lazy("Collective submissions to moderate or answer"), email=False
)

EDITABLE_FIELDS = (
    "title",
    "demand",
    "justification",
    "representative_name",
    "representative_email",
    "representative_phone",
    "representative_address",
)
REQUIRED_FIELDS = (
    "title",
    "demand",
    "justification",
    "representative_name",
    "representative_email",
)


class SubmissionRejected(Exception):
    """The action is not allowed now; ``message`` says why (translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- dates -----------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_signing_end(today: dt.date | None = None) -> dt.date:
    days = getattr(settings, "PETITION_SIGNING_DAYS", 180)
    return (today or timezone.localdate()) + dt.timedelta(days=days)


def _answer_months(*, ordinary: bool) -> int:
    if ordinary:
        return getattr(settings, "PETITION_ORDINARY_ANSWER_MONTHS", 1)
    return getattr(settings, "PETITION_ANSWER_MONTHS", 3)


def retention_days() -> int:
    return getattr(settings, "PETITION_SIGNER_DATA_RETENTION_DAYS", 90)


# --- helpers ---------------------------------------------------------------------------


def _require(actor: Any, perm: str, submission: Any, message: str | None = None) -> None:
    if not actor.has_perm(perm, submission):
        raise PermissionDenied(message or _("You may not do this."))


def _locked(submission: CollectiveSubmission) -> CollectiveSubmission:
    """The submission's row, locked until the transaction ends (signers, the threshold and
    status changes are serialised on it)."""
    return CollectiveSubmission.objects.select_for_update().get(pk=submission.pk)


def _move(submission: CollectiveSubmission, to: str) -> None:
    if to not in TRANSITIONS[submission.status]:
        raise SubmissionRejected(
            _("A submission that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": Status(submission.status).label,
                "target": Status(to).label,
            }
        )
    submission.status = to


def _copy_into(target: CollectiveSubmission, source: CollectiveSubmission) -> None:
    """Let the caller's instance reflect what was saved."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _url(submission: CollectiveSubmission) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return submission.get_absolute_url()


def _staff(municipality, group: str):
    return get_user_model().objects.filter(
        groups__name=group, municipality=municipality, is_active=True
    )


def _clean_text(fields: dict[str, Any]) -> dict[str, str]:
    cleaned = {}
    for name in EDITABLE_FIELDS:
        if name in fields:
            cleaned[name] = str(fields[name] or "").strip()
    return cleaned


def _check_complete(submission: CollectiveSubmission) -> None:
    missing = [
        str(CollectiveSubmission._meta.get_field(name).verbose_name)
        for name in REQUIRED_FIELDS
        if not getattr(submission, name).strip()
    ]
    if missing:
        raise SubmissionRejected(
            _("Fill in: %(fields)s.") % {"fields": ", ".join(missing)},
        )
    try:
        submission.clean_fields(exclude=_NOT_TYPED)
    except ValidationError as exc:
        raise SubmissionRejected(
            " ".join(
                f"{CollectiveSubmission._meta.get_field(name).verbose_name}: {message}"
                for name, messages in exc.message_dict.items()
                for message in messages
            )
        ) from None


_NOT_TYPED = [
    f.name for f in CollectiveSubmission._meta.get_fields() if f.name not in EDITABLE_FIELDS
]


# --- drafting and moderation -----------------------------------------------------------


@transaction.atomic
def submission_create(*, actor: Any, municipality, **fields: Any) -> CollectiveSubmission:
    """A new draft by ``actor`` (any signed-in account) with the given text fields
    (``EDITABLE_FIELDS``); the text is stored as typed and always shown escaped."""
    _require(actor, "petitions.create_submission", municipality)
    submission = CollectiveSubmission(
        municipality=municipality, author=actor, status=Status.DRAFT, **_clean_text(fields)
    )
    _check_complete(submission)
    submission.save()
    audit_record(actor=actor, verb="petition.drafted", target=submission)
    return submission


@transaction.atomic
def submission_update(
    *, actor: Any, submission: CollectiveSubmission, **fields: Any
) -> CollectiveSubmission:
    """Change the text of the author's own draft."""
    locked = _locked(submission)
    _require(
        actor,
        "petitions.edit_submission",
        locked,
        _("Only the author may change a submission, and only while it is a draft."),
    )
    for name, value in _clean_text(fields).items():
        setattr(locked, name, value)
    _check_complete(locked)
    locked.save()
    audit_record(actor=actor, verb="petition.edited", target=locked)
    _copy_into(submission, locked)
    return submission


@transaction.atomic
def submission_submit(*, actor: Any, submission: CollectiveSubmission) -> CollectiveSubmission:
    """The author sends the draft to the moderators (draft → in review)."""
    locked = _locked(submission)
    _require(
        actor,
        "petitions.edit_submission",
        locked,
        _("Only the author may send a draft for moderation."),
    )
    _check_complete(locked)
    _move(locked, Status.IN_REVIEW)
    locked.submitted_at = timezone.now()
    locked.save()
    audit_record(actor=actor, verb="petition.submitted", target=locked)
    notify(
        recipients=_staff(locked.municipality, roles.MODERATORS),
        kind="petitions.staff",
        title=gettext_lazy("A collective submission waits for moderation"),
        body=locked.title,
        url=_url(locked),
    )
    _copy_into(submission, locked)
    return submission


@transaction.atomic
def submission_publish(
    *,
    actor: Any,
    submission: CollectiveSubmission,
    signing_ends_on: dt.date | None = None,
) -> CollectiveSubmission:
    """A moderator opens the submission for signing until ``signing_ends_on`` (default:
    ``PETITION_SIGNING_DAYS`` from today). The municipality's current threshold is fixed
    for this submission."""
    locked = _locked(submission)
    _require(actor, "petitions.moderate_submission", locked)
    today = timezone.localdate()
    ends = signing_ends_on or default_signing_end(today)
    if ends <= today:
        raise SubmissionRejected(_("The signing period must end after today."))
    if locked.municipality.collective_submission_threshold < 1:
        raise SubmissionRejected(
            _("Set the municipality's signature threshold (at least 1) before publishing.")
        )
    _move(locked, Status.SIGNING)
    locked.published_at = timezone.now()
    locked.signing_ends_on = ends
    locked.threshold = locked.municipality.collective_submission_threshold
    locked.save()
    audit_record(
        actor=actor,
        verb="petition.published",
        target=locked,
        data={"signing_ends_on": ends, "threshold": locked.threshold},
    )
    notify(
        recipients=[locked.author],
        kind="petitions.own",
        title=gettext_lazy("Your collective submission is open for signing"),
        body=locked.title,
        url=_url(locked),
    )
    _copy_into(submission, locked)
    return submission


@transaction.atomic
def submission_refuse(
    *, actor: Any, submission: CollectiveSubmission, reason: str
) -> CollectiveSubmission:
    """A moderator refuses the submission; ``reason`` is required and shown publicly."""
    locked = _locked(submission)
    _require(actor, "petitions.moderate_submission", locked)
    reason = (reason or "").strip()
    if not reason:
        raise SubmissionRejected(_("Give the public reason for refusing the submission."))
    _move(locked, Status.REFUSED)
    locked.refused_at = timezone.now()
    locked.refusal_reason = reason
    locked.save()
    audit_record(actor=actor, verb="petition.refused", target=locked, data={"reason": reason})
    notify(
        recipients=[locked.author],
        kind="petitions.own",
        title=gettext_lazy("A moderator refused your collective submission"),
        body=reason,
        url=_url(locked),
    )
    _copy_into(submission, locked)
    return submission


# --- signing ---------------------------------------------------------------------------


def _eligible_residency(*, actor: Any, submission: CollectiveSubmission):
    """The signer's residency, or raise with the reason they may not sign."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Log in to sign."))
    residency = residency_active(user=actor, municipality=submission.municipality)
    if residency is None:
        raise SubmissionRejected(
            _(
                "Only residents with a verified residence in %(municipality)s may sign. "
                "Verify your residency first."
            )
            % {"municipality": submission.municipality.name}
        )
    if personalcode.age_on(residency.birth_date, timezone.localdate()) < 16:
        raise SubmissionRejected(_("Only people aged 16 or over may sign."))
    return residency


def _check_signing_open(submission: CollectiveSubmission) -> None:
    if submission.status != Status.SIGNING:
        raise SubmissionRejected(_("This submission is not collecting signatures."))
    if submission.signing_ends_on and timezone.localdate() > submission.signing_ends_on:
        raise SubmissionRejected(
            _("Signing ended on %(date)s.")
            % {"date": date_format(submission.signing_ends_on, "SHORT_DATE_FORMAT")}
        )


@transaction.atomic
def signature_add(
    *,
    actor: Any,
    submission: CollectiveSubmission,
    first_name: str,
    last_name: str,
    personal_code: str,
    declared_eligible: bool,
) -> Signature:
    """``actor`` signs, once per person.

    Requires a valid residency in the submission's municipality, age 16+, the personal code
    that residency was verified with, a name and surname, and the signer's declaration that
    they are a Latvian citizen with declared residence or registered real estate in the
    municipality (which the platform cannot check itself). The database refuses a second
    signature of the same person (also from another account). The signature that reaches
    the threshold sends the submission to the municipality — exactly once, because signers
    are serialised on the submission's row.
    """
    locked = _locked(submission)
    residency = _eligible_residency(actor=actor, submission=locked)
    _check_signing_open(locked)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not first_name or not last_name:
        raise SubmissionRejected(_("Enter your name and surname as in your identity document."))
    if not declared_eligible:
        raise SubmissionRejected(
            _(
                "Confirm that you are a Latvian citizen with declared residence or registered "
                "real estate in %(municipality)s."
            )
            % {"municipality": locked.municipality.name}
        )
    try:
        digits = personalcode.normalise(personal_code or "")
    except personalcode.InvalidPersonalCode:
        raise SubmissionRejected(
            _("This is not a valid personal code. Check the digits and try again.")
        ) from None
    key = personalcode.identity_key(digits, key=settings.PERSONAL_CODE_HMAC_KEY)
    if not hmac.compare_digest(key, residency.identity_key):
        raise SubmissionRejected(
            _("This is not the personal code your residency was verified with.")
        )
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                submission=locked,
                signer=actor,
                identity_key=residency.identity_key,
                declared_eligible=True,
                signer_data=crypto.encrypt(
                    crypto.SignerData(
                        first_name=first_name,
                        last_name=last_name,
                        personal_code=f"{digits[:6]}-{digits[6:]}",
                    )
                ),
            )
    except IntegrityError:
        raise SubmissionRejected(
            _("You have already signed this submission (perhaps from another account).")
        ) from None
    CollectiveSubmission.objects.filter(pk=locked.pk).update(
        signature_count=F("signature_count") + 1
    )
    locked.refresh_from_db(fields=["signature_count"])
    audit_record(
        actor=actor,
        verb="petition.signed",
        target=locked,
        data={"signature_count": locked.signature_count},
    )
    if locked.threshold and locked.signature_count >= locked.threshold:
        _send(locked)
    _copy_into(submission, locked)
    return signature


def _send(submission: CollectiveSubmission) -> None:
    """Threshold reached: to the municipality, with the answer deadline (locked row)."""
    _move(submission, Status.SENT)
    submission.sent_at = timezone.now()
    submission.answer_due_on = add_months(
        timezone.localdate(submission.sent_at), _answer_months(ordinary=False)
    )
    submission.save()
    audit_record(
        actor=None,
        verb="petition.sent",
        target=submission,
        data={
            "signature_count": submission.signature_count,
            "threshold": submission.threshold,
            "answer_due_on": submission.answer_due_on,
        },
    )
    officers = _staff(submission.municipality, roles.officer_group("petitions"))
    notify(
        recipients=[submission.author, *officers],
        kind="petitions.own",
        title=gettext_lazy("A collective submission reached its threshold"),
        body=submission.title,
        url=_url(submission),
    )


@transaction.atomic
def signature_withdraw(*, actor: Any, submission: CollectiveSubmission) -> None:
    """``actor`` withdraws their signature (the one of their person, from any of their
    accounts) while the submission still collects signatures."""
    locked = _locked(submission)
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to withdraw your signature."))
    if locked.status != Status.SIGNING:
        raise SubmissionRejected(
            _(
                "The submission has already gone to the municipality (or closed): "
                "signatures can no longer be withdrawn."
            )
        )
    residency = residency_active(user=actor, municipality=locked.municipality)
    signatures = Signature.objects.filter(submission=locked)
    mine = signatures.filter(signer=actor)
    if residency is not None:
        mine = mine | signatures.filter(identity_key=residency.identity_key)
    deleted, _details = mine.delete()
    if not deleted:
        raise SubmissionRejected(_("You have not signed this submission."))
    CollectiveSubmission.objects.filter(pk=locked.pk).update(
        signature_count=F("signature_count") - deleted
    )
    locked.refresh_from_db(fields=["signature_count"])
    audit_record(
        actor=actor,
        verb="petition.signature_withdrawn",
        target=locked,
        data={"signature_count": locked.signature_count},
    )
    _copy_into(submission, locked)


# --- closing, answering ----------------------------------------------------------------


def submissions_close_due(*, today: dt.date | None = None) -> int:
    """Close every submission whose signing period ended below its threshold: it is then
    handled as an ordinary submission, to be answered within
    ``PETITION_ORDINARY_ANSWER_MONTHS``. Safe to run repeatedly (a daily job); returns how
    many were closed."""
    today = today or timezone.localdate()
    closed = 0
    due = CollectiveSubmission.objects.filter(status=Status.SIGNING, signing_ends_on__lt=today)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = CollectiveSubmission.objects.select_for_update().get(pk=pk)
            if locked.status != Status.SIGNING or locked.signing_ends_on >= today:
                continue
            _move(locked, Status.CLOSED)
            locked.closed_at = timezone.now()
            locked.answer_due_on = add_months(today, _answer_months(ordinary=True))
            locked.save()
            audit_record(
                actor=None,
                verb="petition.closed",
                target=locked,
                data={
                    "signature_count": locked.signature_count,
                    "threshold": locked.threshold,
                    "answer_due_on": locked.answer_due_on,
                },
            )
            officers = _staff(locked.municipality, roles.officer_group("petitions"))
            notify(
                recipients=[locked.author, *officers],
                kind="petitions.own",
                title=gettext_lazy(
                    "Signing ended below the threshold: handled as an ordinary submission"
                ),
                body=locked.title,
                url=_url(locked),
            )
            closed += 1
    return closed


@transaction.atomic
def submission_answer(
    *, actor: Any, submission: CollectiveSubmission, answer: str, decision: str
) -> CollectiveSubmission:
    """An officer publishes the municipality's answer and decision; the author and every
    signer with an account are notified."""
    locked = _locked(submission)
    _require(actor, "petitions.answer_submission", locked)
    answer = (answer or "").strip()
    if not answer:
        raise SubmissionRejected(_("Write the municipality's answer."))
    if decision not in Decision.values:
        raise SubmissionRejected(_("Choose the decision."))
    _move(locked, Status.ANSWERED)
    locked.answer = answer
    locked.decision = decision
    locked.answered_at = timezone.now()
    locked.answered_by = actor
    locked.save()
    audit_record(
        actor=actor,
        verb="petition.answered",
        target=locked,
        data={"decision": decision, "in_time": locked.answered_in_time},
    )
    signers = get_user_model().objects.filter(collective_submission_signatures__submission=locked)
    title = gettext_lazy("The municipality answered a collective submission")
    notify(
        recipients=[locked.author],
        kind="petitions.own",
        title=title,
        body=locked.title,
        url=_url(locked),
    )
    notify(
        recipients=signers,
        kind="petitions.signed",
        title=title,
        body=locked.title,
        url=_url(locked),
    )
    _copy_into(submission, locked)
    return submission


# --- signer data: export, retention, key rotation ---------------------------------------


@transaction.atomic
def signer_list_export(*, actor: Any, submission: CollectiveSubmission) -> list[dict]:
    """The signers' name, surname and personal code, decrypted, for the municipality's legal
    check; the only place personal codes are shown. Officers only, once signing has ended
    (sent, closed or answered) and until the data is deleted. Every export is audited
    (who, when, how many rows)."""
    locked = _locked(submission)
    _require(actor, "petitions.export_signers", locked)
    if locked.status not in (Status.SENT, Status.CLOSED, Status.ANSWERED):
        raise SubmissionRejected(_("The signer list can be exported once signing has ended."))
    if locked.signer_data_purged_at is not None:
        raise SubmissionRejected(
            _("The signers' personal data was deleted after the retention period.")
        )
    rows = []
    for signed_at, token in (
        Signature.objects.filter(submission=locked)
        .order_by("signed_at", "id")
        .values_list("signed_at", "signer_data")
    ):
        data = crypto.decrypt(token)
        rows.append(
            {
                "first_name": data.first_name,
                "last_name": data.last_name,
                "personal_code": data.personal_code,
                "signed_at": signed_at,
            }
        )
    audit_record(
        actor=actor, verb="petition.signers_exported", target=locked, data={"rows": len(rows)}
    )
    return rows


def signer_data_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the encrypted names and personal codes of submissions answered more than
    ``PETITION_SIGNER_DATA_RETENTION_DAYS`` ago (signatures and the count stay). Returns how
    many submissions were purged; safe to run repeatedly."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    purged = 0
    due = CollectiveSubmission.objects.filter(
        status=Status.ANSWERED, answered_at__lte=cutoff, signer_data_purged_at__isnull=True
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = CollectiveSubmission.objects.select_for_update().get(pk=pk)
            if locked.signer_data_purged_at is not None:
                continue
            rows = Signature.objects.filter(submission=locked).update(signer_data=b"")
            locked.signer_data_purged_at = timezone.now()
            locked.save(update_fields=["signer_data_purged_at"])
            audit_record(
                actor=None,
                verb="petition.signer_data_purged",
                target=locked,
                data={"rows": rows, "retention_days": retention_days()},
            )
            purged += 1
    return purged


def signer_key_rotate(*, batch_size: int = 500) -> int:
    """Re-encrypt every stored signer record under the first ``PETITION_SIGNER_KEY``;
    returns how many rows were rewritten."""
    rotated = 0
    queryset = Signature.objects.exclude(signer_data=b"").order_by("pk")
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).only("pk", "signer_data")[:batch_size])
        if not batch:
            return rotated
        with transaction.atomic():
            for signature in batch:
                signature.signer_data = crypto.rotate(signature.signer_data)
            Signature.objects.bulk_update(batch, ["signer_data"])
        rotated += len(batch)
        last_pk = batch[-1].pk
