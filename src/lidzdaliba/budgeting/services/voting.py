"""Voting: who may vote, saving an online ballot, entering a paper ballot, receipts.

One ballot per person per cycle: ``Ballot`` is unique on ``(cycle, identity_key)``, the HMAC
of the personal code, so two accounts of one person share one ballot and a person with a
paper ballot cannot also vote online (nor the other way round).

Saving an online ballot is one transaction of three statements:

1. an *upsert* of the ``Ballot`` row (``INSERT … ON CONFLICT (cycle, identity_key) DO
   UPDATE … WHERE channel = 'online' RETURNING …``). It creates the ballot or bumps its
   revision and, in the same statement, takes the row lock, so concurrent saves for one
   person queue on that row instead of racing a get-or-create. A paper ballot of the same
   person makes the ``WHERE`` false: no row comes back and the save is refused;
2. a ``DELETE`` of the person's choices in that category;
3. one bulk ``INSERT`` of the new choices.

Any failure rolls all three back, so the stored choices are always a complete earlier or
later ballot, never a mix. The last save to commit wins.

An empty ballot in a category deletes that category's choices and keeps the ``Ballot`` row
(with its receipt code): a ballot without choices is not counted and not in turnout.

Receipts: a voter ticking five boxes saves five times; one receipt (in-app, and by e-mail
if they want e-mails) is sent by the task ``ballot_receipt_send`` a little after the first
save that the last receipt did not describe (``BUDGET_RECEIPT_DELAY_SECONDS``, default
60; at once when the task backend cannot defer). No audit row is written per online
ballot (the ballot row itself records when and how often it changed); every paper
ballot is audited, without the personal code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

import personalcode
from lidzdaliba.accounts.selectors import residency_active
from lidzdaliba.core.models import notification_kind_register
from lidzdaliba.core.money import format_money
from lidzdaliba.core.services import audit_record, notify

from ..models import Ballot, BallotChoice, Category, Cycle, Idea, IdeaStatus
from ..models.cycles import BallotForm
from .cycles import voting_is_open

notification_kind_register(
    "budgeting.receipt", gettext_lazy("Receipts of my participatory-budget vote")
)

RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
_RECEIPT_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


class BallotRejected(Exception):
    """The ballot cannot be saved or entered; ``message`` says why (translated). Nothing was
    stored."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- receipt codes ----------------------------------------------------------------------


def receipt_code_new() -> str:
    """A random receipt code a person can read out and type: four groups of four Crockford
    base32 characters (80 random bits), e.g. ``7K3M-Q9XA-2PDE-H4WN``."""
    bits = int.from_bytes(secrets.token_bytes(10), "big")
    chars = "".join(RECEIPT_ALPHABET[(bits >> (5 * i)) & 31] for i in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def receipt_code_normalise(text: str) -> str:
    """``text`` as a receipt code is stored (upper case, dashes every four characters),
    forgiving spaces, missing dashes and the letters O, I, L typed for 0, 1, 1. Returns ``""``
    if it cannot be a receipt code."""
    chars = "".join(c for c in str(text).upper() if c.isalnum()).translate(_RECEIPT_TYPOS)
    if len(chars) != 16 or any(c not in RECEIPT_ALPHABET for c in chars):
        return ""
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def public_id_for(receipt_code: str) -> str:
    """The voter's id in the published ``.pb`` file: the first 12 hex digits of the SHA-256
    of the receipt code. Knowing the code, a voter finds their line; the id alone does not
    lead back to the code or the person."""
    return hashlib.sha256(receipt_code.encode()).hexdigest()[:12]


# --- rules ------------------------------------------------------------------------------


def voting_closed_message(cycle: Cycle, *, paper: bool = False) -> str:
    """Why a ballot cannot be saved now (translated); ``paper``: said to the officer who
    enters a paper ballot, not to the voter."""
    now = timezone.now()
    if cycle.voting_opens_at and now < cycle.voting_opens_at:
        return _("Voting has not opened yet: it opens on %(date)s.") % {
            "date": date_format(timezone.localtime(cycle.voting_opens_at), "DATETIME_FORMAT")
        }
    if cycle.voting_closes_at and now >= cycle.voting_closes_at:
        if paper:
            return _("Voting closed on %(date)s. Nothing was saved.") % {
                "date": date_format(timezone.localtime(cycle.voting_closes_at), "DATETIME_FORMAT")
            }
        return _("Voting closed on %(date)s. Your ballot was not changed.") % {
            "date": date_format(timezone.localtime(cycle.voting_closes_at), "DATETIME_FORMAT")
        }
    return _("Voting is not open in this participatory budget.")


_UNKNOWN: Any = object()


def _eligible_residency(user: Any, cycle: Cycle, category: Category | None, residency=_UNKNOWN):
    """The user's residency that lets them vote in ``category``, or raise ``BallotRejected``
    with the reason. ``residency``: the user's active residency when the caller has it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise BallotRejected(_("Log in to vote."))
    if residency is _UNKNOWN:
        residency = residency_active(user=user, municipality=cycle.municipality)
    if residency is None:
        raise BallotRejected(
            _(
                "Only residents of %(municipality)s with a verified residence may vote. "
                "Verify your residence first."
            )
            % {"municipality": cycle.municipality.name}
        )
    return _check_residency(residency, cycle, category)


def _check_residency(residency, cycle: Cycle, category: Category | None):
    if personalcode.age_on(residency.birth_date, timezone.localdate()) < cycle.min_age:
        raise BallotRejected(
            _("Only people aged %(age)d or over may vote.") % {"age": cycle.min_age}
        )
    if (
        category is not None
        and category.neighbourhood_id is not None
        and residency.neighbourhood_id != category.neighbourhood_id
    ):
        raise BallotRejected(
            _("Only residents of %(neighbourhood)s may vote in this category.")
            % {"neighbourhood": category.neighbourhood.name}
        )
    return residency


def voter_eligibility(
    user: Any, cycle: Cycle, category: Category | None = None, *, residency: Any = _UNKNOWN
):
    """``(ok, reason)``: whether ``user`` may vote in ``category`` of ``cycle`` (any category
    when ``None``) and, if not, why (translated).

    A voter needs a valid verified residency in the cycle's municipality, to be at least
    ``cycle.min_age`` today and, in a category with a neighbourhood (a planning unit), to
    live in that neighbourhood. Categories of the whole municipality are open to every
    resident, also when ``cycle.vote_in_own_neighbourhood_only`` is set: that setting means
    a cycle whose neighbourhood categories are only for their own residents, which the
    category's neighbourhood already says. Whether voting is open is not part of this (see
    ``voting_is_open``). ``residency`` (the user's active residency, or None) saves a query
    when the caller already has it."""
    try:
        _eligible_residency(user, cycle, category, residency)
    except BallotRejected as exc:
        return False, exc.message
    return True, ""


def _projects_of(category: Category) -> dict[int, int]:
    """``{idea pk: ballot cost in cents}`` of the category's admitted ideas."""
    return dict(
        Idea.objects.filter(category=category, status=IdeaStatus.ADMITTED).values_list(
            "pk", "ballot_cost_cents"
        )
    )


def ballot_validate(
    *, category: Category, projects: Mapping[int, int], choices: Mapping[int, int]
) -> dict[int, int]:
    """The cleaned choices ``{idea pk: points}`` (points 1 except on cumulative ballots;
    unchosen projects dropped), or raise ``BallotRejected`` if they break the category's
    ballot form: approval at most ``max_picks`` projects; single one project or none;
    knapsack projects costing together at most the category's money; cumulative points
    ≥ 0 summing to at most ``category.points``. Only the category's admitted projects
    (``projects``: ``{pk: cost}``) may be chosen."""
    cleaned: dict[int, int] = {}
    form = category.ballot_form
    for raw_pk, raw_points in choices.items():
        try:
            pk, points = int(raw_pk), int(raw_points)
        except (TypeError, ValueError):
            raise BallotRejected(_("The ballot could not be read. Please try again.")) from None
        if pk not in projects:
            raise BallotRejected(
                _("One of the chosen projects is not on this ballot. Reload the page.")
            )
        if points < 0:
            raise BallotRejected(_("Points cannot be negative."))
        if points == 0:
            continue
        cleaned[pk] = points if form == BallotForm.CUMULATIVE else 1
    picks = len(cleaned)
    if form == BallotForm.SINGLE and picks > 1:
        raise BallotRejected(_("Choose one project only. Nothing was saved."))
    if form == BallotForm.APPROVAL and category.max_picks and picks > category.max_picks:
        raise BallotRejected(
            ngettext(
                "You may choose at most %(max)d project. Nothing was saved.",
                "You may choose at most %(max)d projects. Nothing was saved.",
                category.max_picks,
            )
            % {"max": category.max_picks}
        )
    if form == BallotForm.KNAPSACK:
        total = sum(projects[pk] or 0 for pk in cleaned)
        if total > category.budget_cents:
            raise BallotRejected(
                _(
                    "These projects cost %(total)s together, more than the %(budget)s this "
                    "category has. Nothing was saved."
                )
                % {"total": format_money(total), "budget": format_money(category.budget_cents)}
            )
    if form == BallotForm.CUMULATIVE:
        total = sum(cleaned.values())
        if total > (category.points or 0):
            raise BallotRejected(
                ngettext(
                    "You gave %(total)d points but have %(max)d point to share. Nothing was saved.",
                    "You gave %(total)d points but have %(max)d points to share. "
                    "Nothing was saved.",
                    category.points or 0,
                )
                % {"total": total, "max": category.points or 0}
            )
    return cleaned


# --- online ballots ---------------------------------------------------------------------

_UPSERT = """
INSERT INTO {ballot} AS b
    (cycle_id, identity_key, voter_id, channel, receipt_code, public_id, neighbourhood_id,
     age_band, cast_at, updated_at, revision, receipt_sent_revision)
VALUES (%s, %s, %s, 'online', %s, %s, %s, %s, %s, %s, 1, 0)
ON CONFLICT (cycle_id, identity_key) DO UPDATE SET
    revision = b.revision + 1,
    updated_at = excluded.updated_at,
    voter_id = excluded.voter_id,
    neighbourhood_id = excluded.neighbourhood_id,
    age_band = excluded.age_band
WHERE b.channel = 'online'
RETURNING id, receipt_code, public_id, revision, receipt_sent_revision
"""


def _upsert_ballot(*, user, cycle: Cycle, residency, now: dt.datetime) -> tuple | None:
    code = receipt_code_new()
    stamp = connection.ops.adapt_datetimefield_value(now)
    params = [
        cycle.pk,
        residency.identity_key,
        user.pk,
        code,
        public_id_for(code),
        residency.neighbourhood_id,
        personalcode.age_band(residency.birth_date, timezone.localdate(now)),
        stamp,
        stamp,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(ballot=Ballot._meta.db_table), params)
        return cursor.fetchone()


def _receipt_delay() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "BUDGET_RECEIPT_DELAY_SECONDS", 60))


def _receipt_enqueue(ballot_id: int) -> None:
    backend = ballot_receipt_send.get_backend()
    job = ballot_receipt_send
    if backend.supports_defer and _receipt_delay():
        job = job.using(run_after=timezone.now() + _receipt_delay())
    job.enqueue(ballot_id)


def _receipt_owed(ballot_id: int) -> None:
    """Enqueue the receipt task. With the database task backend the task row is written in
    the ballot's own transaction (it exists exactly when the ballot committed, and costs no
    commit of its own); other backends get it once the transaction commits."""
    if type(ballot_receipt_send.get_backend()).__module__.startswith("django_tasks_db"):
        _receipt_enqueue(ballot_id)
    else:
        transaction.on_commit(partial(_receipt_enqueue, ballot_id))


_CHOICES_DELETE = "DELETE FROM {table} WHERE ballot_id = %s AND category_id = %s"
_CHOICES_INSERT = "INSERT INTO {table} (ballot_id, category_id, idea_id, points) VALUES "


def _choices_replace(ballot_id: int, category_id: int, choices: Mapping[int, int]) -> None:
    """Delete the ballot's choices in the category and insert ``choices``: two statements,
    straight SQL (this is the hot path of a vote)."""
    table = connection.ops.quote_name(BallotChoice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_CHOICES_DELETE.format(table=table), [ballot_id, category_id])
        if choices:
            _choices_insert(cursor, table, ballot_id, category_id, choices)


def _choices_insert(cursor, table: str, ballot_id: int, category_id: int, choices) -> None:
    params: list[int] = []
    for idea_id, points in choices.items():
        params += [ballot_id, category_id, idea_id, points]
    values = ", ".join(["(%s, %s, %s, %s)"] * len(choices))
    cursor.execute(_CHOICES_INSERT.format(table=table) + values, params)


def ballot_save(
    *,
    user: Any,
    cycle: Cycle,
    category: Category,
    choices: Mapping[int, int],
    projects: Mapping[int, int] | None = None,
    residency: Any = _UNKNOWN,
) -> Ballot:
    """Replace ``user``'s choices in ``category`` with ``choices`` (``{idea pk: points}``),
    atomically, and return their ``Ballot`` (with ``created`` set when this save cast it).

    Refuses with ``BallotRejected`` (nothing stored) when voting is not open (phase and
    dates: a page left open over the deadline is refused), the user may not vote in the
    category (``voter_eligibility``), the choices break the ballot form
    (``ballot_validate``), or the person already voted on paper. ``projects`` (``{pk:
    cost}`` of the category's admitted ideas) and ``residency`` (the user's active residency)
    may be passed when the caller has them.
    Concurrent saves for one person (double clicks, two browsers, two accounts) serialise
    on the ballot row: one ballot remains, with the last save's choices."""
    if category.cycle_id != cycle.pk:
        raise BallotRejected(_("This category belongs to another participatory budget."))
    if not voting_is_open(cycle):
        raise BallotRejected(voting_closed_message(cycle))
    residency = _eligible_residency(user, cycle, category, residency)
    if projects is None:
        projects = _projects_of(category)
    cleaned = ballot_validate(category=category, projects=projects, choices=choices)
    for attempt in range(3):
        try:
            with transaction.atomic():
                now = timezone.now()
                row = _upsert_ballot(user=user, cycle=cycle, residency=residency, now=now)
                if row is None:
                    raise BallotRejected(
                        _(
                            "You have already voted at a client-service centre: that paper "
                            "ballot is counted and cannot be changed online."
                        )
                    )
                ballot_id, receipt_code, public_id, revision, sent_revision = row
                _choices_replace(ballot_id, category.pk, cleaned)
                if revision == sent_revision + 1:
                    _receipt_owed(ballot_id)
        except IntegrityError:
            # Only a clash of two fresh random receipt codes gets here (the person's own
            # ballot is handled by ON CONFLICT): try again with new codes.
            if attempt == 2:
                raise
            continue
        break
    ballot = Ballot(
        pk=ballot_id,
        cycle=cycle,
        identity_key=residency.identity_key,
        voter=user,
        channel=Ballot.Channel.ONLINE,
        receipt_code=receipt_code,
        public_id=public_id,
        neighbourhood_id=residency.neighbourhood_id,
        revision=revision,
        receipt_sent_revision=sent_revision,
        updated_at=now,
    )
    ballot.created = revision == 1
    ballot.choices_saved = cleaned
    return ballot


# --- receipts ---------------------------------------------------------------------------


def _receipt_body(ballot: Ballot, rows: list[tuple[str, str, int]], first: bool):
    def text() -> str:
        lines = [
            _("Your vote in “%(cycle)s” is counted.") % {"cycle": ballot.cycle.title}
            if first
            else _("Your vote in “%(cycle)s” was changed. The latest ballot is counted.")
            % {"cycle": ballot.cycle.title},
            _("Receipt code: %(code)s") % {"code": ballot.receipt_code},
            _("Saved: %(time)s")
            % {"time": date_format(timezone.localtime(ballot.updated_at), "DATETIME_FORMAT")},
            "",
        ]
        for category, title, points in rows:
            lines.append(f"{category}: {title}" + (f" ({points})" if points != 1 else ""))
        if not rows:
            lines.append(_("Your ballot is empty: it is not counted."))
        lines += [
            "",
            _(
                "With the receipt code you can check, once the results are published, that "
                "your ballot is in the published ballot file. Keep it to yourself."
            ),
        ]
        return "\n".join(lines)

    return text


@task()
def ballot_receipt_send(ballot_id: int) -> bool:
    """Tell the voter (in-app, and by e-mail if they want it) that their ballot is counted,
    with the receipt code and their current choices. Sends nothing if the last receipt
    already described the current revision; returns whether a receipt was sent."""
    with transaction.atomic():
        ballot = (
            Ballot.objects.select_for_update(of=("self",))
            .select_related("voter", "cycle")
            .filter(pk=ballot_id)
            .first()
        )
        if ballot is None or ballot.voter is None:
            return False
        if ballot.receipt_sent_revision >= ballot.revision:
            return False
        first = ballot.receipt_sent_revision == 0
        Ballot.objects.filter(pk=ballot.pk).update(receipt_sent_revision=ballot.revision)
        rows = list(
            BallotChoice.objects.filter(ballot=ballot)
            .order_by("category__position", "idea__number", "idea_id")
            .values_list("category__name", "idea__title", "points")
        )
        with translation.override(settings.LANGUAGE_CODE):
            url = reverse("budgeting:vote", kwargs={"slug": ballot.cycle.slug})
        notify(
            recipients=[ballot.voter],
            kind="budgeting.receipt",
            title=gettext_lazy("Your vote is counted")
            if first
            else gettext_lazy("Your vote was changed"),
            body=_receipt_body(ballot, rows, first),
            url=url,
        )
    return True


# --- paper ballots ----------------------------------------------------------------------


def _paper_voter(*, cycle: Cycle, key: str, birth_date: dt.date | None):
    """``(birth date, neighbourhood id)`` known about the person from the census or an
    active residency, or raise if the municipality's census says they are not a resident."""
    from lidzdaliba.accounts.models import CensusRecord, Residency

    record = CensusRecord.objects.filter(municipality=cycle.municipality, identity_key=key).first()
    if record is not None:
        return birth_date or record.birth_date, record.neighbourhood_id
    residency = (
        Residency.objects.filter(
            municipality=cycle.municipality,
            identity_key=key,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-verified_at")
        .first()
    )
    if residency is not None:
        return birth_date or residency.birth_date, residency.neighbourhood_id
    if CensusRecord.objects.filter(municipality=cycle.municipality).exists():
        raise BallotRejected(
            _(
                "This person is not in %(municipality)s's register of residents, so they "
                "may not vote here. Nothing was saved."
            )
            % {"municipality": cycle.municipality.name}
        )
    return birth_date, None


@transaction.atomic
def paper_ballot_enter(
    *,
    officer: Any,
    cycle: Cycle,
    category_choices: Mapping[Any, Mapping[int, int]],
    personal_code: str,
    birth_date: dt.date | None = None,
    neighbourhood: Any = None,
    id_document_checked: bool,
) -> Ballot:
    """An officer at a client-service centre enters the paper ballot of a person whose ID
    document they checked. ``category_choices`` maps categories (or their pks) of ``cycle``
    to ``{idea pk: points}``.

    The person is identified by the identity key of ``personal_code`` (the code itself is
    not stored, nor audited). Their age comes from the code or, for a new-format code
    without a date, from ``birth_date``, the census or their residency; they must be at
    least ``cycle.min_age``. If the municipality imported a census, the person must be in it
    or hold an active residency; without a census the officer's document check is what
    shows residence. Refuses (``BallotRejected``, nothing stored) a person who already
    voted, online or on paper, and choices that break a ballot form. Returns the ballot;
    its receipt code is for the voter."""
    if not officer.has_perm("budgeting.enter_paper_ballots", cycle):
        raise PermissionDenied(_("Only budget officers may enter paper ballots."))
    if not voting_is_open(cycle):
        raise BallotRejected(voting_closed_message(cycle, paper=True))
    if not id_document_checked:
        raise BallotRejected(
            _("Check the voter's identity document, then tick the box. Nothing was saved.")
        )
    try:
        parsed = personalcode.parse(personal_code or "")
    except personalcode.InvalidPersonalCode:
        raise BallotRejected(
            _("This is not a valid personal code. Check the digits. Nothing was saved.")
        ) from None
    key = parsed.identity_key(key=settings.PERSONAL_CODE_HMAC_KEY)
    born, known_neighbourhood = _paper_voter(
        cycle=cycle, key=key, birth_date=parsed.birth_date or birth_date
    )
    if born is None:
        raise BallotRejected(
            _(
                "This personal code holds no birth date: enter the birth date from the "
                "identity document. Nothing was saved."
            )
        )
    if personalcode.age_on(born, timezone.localdate()) < cycle.min_age:
        raise BallotRejected(
            _("Only people aged %(age)d or over may vote. Nothing was saved.")
            % {"age": cycle.min_age}
        )
    neighbourhood_id = getattr(neighbourhood, "pk", neighbourhood) or known_neighbourhood
    categories = {c.pk: c for c in cycle.categories.select_related("neighbourhood")}
    cleaned: dict[int, dict[int, int]] = {}
    for cat, choices in category_choices.items():
        category = categories.get(getattr(cat, "pk", cat))
        if category is None:
            raise BallotRejected(_("This category belongs to another participatory budget."))
        cleaned_choices = ballot_validate(
            category=category, projects=_projects_of(category), choices=choices
        )
        if (
            cleaned_choices
            and category.neighbourhood_id is not None
            and category.neighbourhood_id != neighbourhood_id
        ):
            raise BallotRejected(
                _("Only residents of %(neighbourhood)s may vote in “%(category)s”.")
                % {"neighbourhood": category.neighbourhood.name, "category": category.name}
            )
        cleaned[category.pk] = cleaned_choices
    if not any(cleaned.values()):
        raise BallotRejected(_("The ballot is empty: choose at least one project."))
    code = receipt_code_new()
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                cycle=cycle,
                identity_key=key,
                voter=None,
                channel=Ballot.Channel.PAPER,
                receipt_code=code,
                public_id=public_id_for(code),
                neighbourhood_id=neighbourhood_id,
                age_band=personalcode.age_band(born, timezone.localdate()),
                entered_by=officer,
            )
    except IntegrityError:
        existing = Ballot.objects.filter(cycle=cycle, identity_key=key).first()
        if existing is not None and existing.channel == Ballot.Channel.ONLINE:
            raise BallotRejected(
                _("This person has already voted online. Nothing was saved.")
            ) from None
        raise BallotRejected(
            _("A paper ballot of this person has already been entered. Nothing was saved.")
        ) from None
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(ballot=ballot, category_id=category_pk, idea_id=pk, points=points)
            for category_pk, choices in cleaned.items()
            for pk, points in choices.items()
        ]
    )
    audit_record(
        actor=officer,
        verb="budgeting.paper_ballot_entered",
        target=cycle,
        data={
            "public_id": ballot.public_id,
            "id_document_checked": True,
            "categories": {
                categories[c].slug: sorted(choices) for c, choices in cleaned.items() if choices
            },
        },
    )
    return ballot
