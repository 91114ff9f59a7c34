"""Counting the votes with ``pbvote`` and confirming the result.

At the close of voting ``tally_enqueue`` puts one :class:`Tally` per category in the
``pending`` state and enqueues the count (a django-tasks task, after commit). ``tally_run``
counts every category: each category is one ``pbvote`` election built from the stored
ballots, counted with the category's rule, explained project by project in Latvian and
English, and published as an anonymised Pabulib file (voter id = ``Ballot.public_id``, a hash
of the receipt code, so sorting by it shuffles the ballots; the age band and neighbourhood
columns only where at least ``K_ANONYMITY`` ballots share them).

A count is idempotent: a rerun replaces the category's result in one transaction, so a
worker that died mid-count (leaving ``running``) or a count that failed (``failed``, with
the error kept) is completed by running it again. The municipality then confirms the
result (its legal decision) with ``results_confirm``; after that nothing is recounted.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import pbvote
from lidzdaliba.core.services import audit_record
from lidzdaliba.core.services.ratelimit import count_in_window
from pbvote.pabulib import format_number
from pbvote.result import json_value

from ..models import (
    BallotChoice,
    Category,
    Cycle,
    CycleStatus,
    Idea,
    IdeaStatus,
    ProjectResult,
    Tally,
)
from ..models.cycles import BallotForm, CountingRule

__all__ = [
    "K_ANONYMITY",
    "can_count",
    "count_rule",
    "receipt_lookup_check",
    "results_confirm",
    "tally_category",
    "tally_enqueue",
    "tally_run",
]

log = logging.getLogger(__name__)

#: A voter's age band and neighbourhood are written to the published file only when at
#: least this many ballots of the file share the same pair (otherwise both are ``None``).
K_ANONYMITY = 10


def can_count(user, cycle: Cycle) -> bool:
    """Budget officers and administrators of the cycle's municipality run and confirm counts."""
    return bool(user is not None and user.has_perm("budgeting.confirm_results", cycle))


def _require_officer(actor, cycle: Cycle) -> None:
    if actor is not None and not can_count(actor, cycle):
        raise PermissionDenied(_("Only budget officers may count and confirm the results."))


def _require_closed(cycle: Cycle) -> None:
    if not cycle.is_at_least(CycleStatus.RESULTS):
        raise ValidationError(_("The votes can be counted only after voting has closed."))


def _require_unconfirmed(cycle: Cycle) -> None:
    if cycle.results_confirmed_at is not None:
        raise ValidationError(
            _("The results are already confirmed by the council; they cannot be counted again.")
        )


def count_rule(category: Category) -> tuple[str, int | None]:
    """The ``pbvote`` rule for ``category`` and the minimum-vote threshold it applies.

    Greedy with a minimum number of votes is ``greedy-threshold``; the threshold applies to
    the greedy rule only (Method of Equal Shares and Phragmén have none in ``pbvote``).
    """
    if category.rule == CountingRule.GREEDY:
        if category.min_votes:
            return "greedy-threshold", int(category.min_votes)
        return "greedy", None
    return str(category.rule), None


# --- enqueueing and running ----------------------------------------------------------------


def _tally_defaults(category: Category) -> dict[str, Any]:
    return {
        "cycle": category.cycle,
        "rule": count_rule(category)[0],
        "budget_cents": category.budget_cents,
    }


def tally_enqueue(cycle: Cycle, *, actor=None) -> list[Tally]:
    """Put one ``pending`` tally per category and enqueue the count after commit.

    Called when the cycle enters the results phase (``actor`` ``None``: the schedule) and
    by officers who rerun the count. Results already published stay in place until the
    rerun replaces them; the pages show them only when every tally is ``done`` again.
    """
    from ..tasks import tally_cycle_task

    _require_officer(actor, cycle)
    _require_unconfirmed(cycle)
    tallies = []
    with transaction.atomic():
        for category in cycle.categories.select_related("cycle").order_by("position", "id"):
            tally, created = Tally.objects.get_or_create(
                category=category, defaults=_tally_defaults(category)
            )
            if not created:
                Tally.objects.filter(pk=tally.pk).update(
                    status=Tally.Status.PENDING, error="", **_tally_defaults(category)
                )
                tally.refresh_from_db()
            tallies.append(tally)
        if actor is not None:
            audit_record(
                actor=actor,
                verb="budget.count.requested",
                target=cycle,
                municipality=cycle.municipality,
                data={"categories": [t.category_id for t in tallies]},
            )
        transaction.on_commit(partial(tally_cycle_task.enqueue, cycle.pk))
    return tallies


def tally_run(cycle: Cycle) -> list[Tally]:
    """Count every category of ``cycle`` (idempotent: a rerun replaces each result).

    A category whose count raises is left ``failed`` with the error and the others are
    still counted; running this again completes it.
    """
    cycle = Cycle.objects.select_related("municipality").get(pk=cycle.pk)
    _require_closed(cycle)
    _require_unconfirmed(cycle)
    tallies = []
    for category in cycle.categories.select_related("neighbourhood").order_by("position", "id"):
        category.cycle = cycle
        try:
            tallies.append(tally_category(category))
        except Exception:
            log.exception("Counting category %s of cycle %s failed", category.pk, cycle.slug)
            failed = Tally.objects.filter(category=category).first()
            if failed is not None:
                tallies.append(failed)
    return tallies


def tally_category(category: Category) -> Tally:
    """Count one category: claim its tally (``running``, attempts + 1), count, and write
    the result, the project explanations and the ballot file in one transaction.

    On an error the tally is marked ``failed`` with the error and the error is raised.
    """
    cycle = category.cycle
    _require_closed(cycle)
    _require_unconfirmed(cycle)
    with transaction.atomic():
        tally, _created = Tally.objects.select_for_update().get_or_create(
            category=category, defaults=_tally_defaults(category)
        )
        tally.status = Tally.Status.RUNNING
        tally.attempts += 1
        tally.started_at = timezone.now()
        tally.finished_at = None
        tally.error = ""
        tally.save(update_fields=["status", "attempts", "started_at", "finished_at", "error"])
    try:
        outcome = _count(category)
    except Exception as exc:
        Tally.objects.filter(pk=tally.pk).update(
            status=Tally.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:4000],
            finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        tally = Tally.objects.select_for_update().get(pk=tally.pk)
        ProjectResult.objects.filter(tally=tally).delete()
        ProjectResult.objects.filter(idea_id__in=[r.idea_id for r in outcome.rows]).delete()
        for row in outcome.rows:
            row.tally = tally
        ProjectResult.objects.bulk_create(outcome.rows)
        tally.status = Tally.Status.DONE
        tally.rule = outcome.rule
        tally.budget_cents = category.budget_cents
        tally.winners = outcome.winners
        tally.total_cost_cents = outcome.total_cost_cents
        tally.num_ballots = outcome.num_ballots
        tally.result_json = outcome.result_json
        tally.ballots_pb = outcome.text
        tally.ballots_sha256 = outcome.ballots_sha256
        tally.file_sha256 = outcome.file_sha256
        tally.error = ""
        tally.finished_at = timezone.now()
        tally.save()
        audit_record(
            actor=None,
            verb="budget.count.done",
            target=tally,
            municipality=cycle.municipality,
            data={
                "category": category.slug,
                "rule": outcome.rule,
                "ballots": outcome.num_ballots,
                "winners": outcome.winners,
                "file_sha256": outcome.file_sha256,
            },
        )
    return tally


# --- the count itself ----------------------------------------------------------------------


@dataclass
class _Outcome:
    rule: str
    winners: list[str]
    total_cost_cents: int
    num_ballots: int
    rows: list[ProjectResult]
    result_json: dict[str, Any]
    text: str
    ballots_sha256: str
    file_sha256: str


def _euros(cents: int) -> Fraction:
    return Fraction(int(cents), 100)


def _cents(value: Fraction) -> int:
    return int(Fraction(value) * 100)


def _pabulib_date(value) -> str:
    if value is None:
        return "None"
    return timezone.localtime(value).strftime("%d.%m.%Y")


def _meta(category: Category, rule: str, threshold: int | None, vote_type: str) -> dict:
    cycle = category.cycle
    with translation.override("lv"):
        description = f"{cycle.title}: {category.name}"
        unit = cycle.municipality.place_name or cycle.municipality.name
        subunit = category.neighbourhood.name if category.neighbourhood_id else ""
    closes = cycle.voting_closes_at
    meta = {
        "description": description,
        "country": "Latvia",
        "unit": unit,
    }
    if subunit:
        meta["subunit"] = subunit
    meta.update(
        {
            "instance": str(timezone.localtime(closes).year) if closes else cycle.slug,
            "num_projects": "0",
            "num_votes": "0",
            "budget": "0",
            "vote_type": vote_type,
            "rule": rule,
            "date_begin": _pabulib_date(cycle.voting_opens_at),
            "date_end": _pabulib_date(closes),
            "language": "lv",
            "currency": "EUR",
        }
    )
    if category.ballot_form == BallotForm.CUMULATIVE:
        meta["max_sum_points"] = str(category.points or 0)
    elif category.ballot_form == BallotForm.SINGLE:
        meta["max_length"] = "1"
    elif category.ballot_form == BallotForm.KNAPSACK:
        meta["max_sum_cost"] = format_number(_euros(category.budget_cents))
    elif category.max_picks:
        meta["max_length"] = str(category.max_picks)
    if threshold is not None:
        meta["min_project_score_threshold"] = str(threshold)
    meta["comment"] = (
        f"Counted by Līdzdalība with pbvote, rule {rule}. voter_id is a one-way hash of the "
        "voter's receipt code, voters sorted by it."
    )
    return meta


def _ballots(category: Category, project_ids: set[int]):
    """The counted ballots of ``category``: ``(public_id, age_band, neighbourhood slug,
    [(idea_id, points), ...])`` sorted by ``public_id`` (a hash: a shuffled order)."""
    rows = (
        BallotChoice.objects.filter(category=category, idea_id__in=project_ids, points__gt=0)
        .order_by("ballot__public_id", "idea_id")
        .values_list(
            "ballot__public_id",
            "ballot__age_band",
            "ballot__neighbourhood__slug",
            "idea_id",
            "points",
        )
    )
    ballots: list[tuple[str, str, str, list[tuple[int, int]]]] = []
    for public_id, age_band, neighbourhood, idea_id, points in rows.iterator(chunk_size=5000):
        if not ballots or ballots[-1][0] != public_id:
            ballots.append((public_id, age_band or "", neighbourhood or "", []))
        ballots[-1][3].append((idea_id, points))
    return ballots


def _count(category: Category) -> _Outcome:
    rule, threshold = count_rule(category)
    cumulative = category.ballot_form == BallotForm.CUMULATIVE
    vote_type = "cumulative" if cumulative else "approval"
    ideas = list(
        Idea.objects.filter(category=category, status=IdeaStatus.ADMITTED)
        .select_related("theme")
        .order_by("pk")
    )
    raw = _ballots(category, {idea.pk for idea in ideas})

    pair_counts = Counter((age, nbh) for _pid, age, nbh, _choices in raw)
    with_demographics = any(age or nbh for age, nbh in pair_counts)

    def columns(age: str, nbh: str) -> tuple[str, ...]:
        if not with_demographics:
            return ()
        if (age or nbh) and pair_counts[(age, nbh)] >= K_ANONYMITY:
            return (age or "None", nbh or "None")
        return ("None", "None")

    ballots = [
        pbvote.Ballot(
            tuple(str(idea_id) for idea_id, _points in choices),
            tuple(points for _idea, points in choices) if cumulative else None,
            public_id,
            columns(age, nbh),
        )
        for public_id, age, nbh, choices in raw
    ]
    votes: Counter[int] = Counter()
    points_total: Counter[int] = Counter()
    for _pid, _age, _nbh, choices in raw:
        for idea_id, points in choices:
            votes[idea_id] += 1
            points_total[idea_id] += points

    def project(idea: Idea, extra: dict[str, str] | None = None) -> pbvote.Project:
        fields = {}
        if idea.theme_id:
            with translation.override("lv"):
                fields["category"] = idea.theme.name
        if idea.lat is not None and idea.lon is not None:
            fields["latitude"] = f"{idea.lat:.6f}"
            fields["longitude"] = f"{idea.lon:.6f}"
        fields.update(extra or {})
        return pbvote.Project(str(idea.pk), _euros(idea.cost_for_ballot_cents), idea.title, fields)

    budget = _euros(category.budget_cents)
    meta = _meta(category, rule, threshold, vote_type)
    voter_columns = ("age_band", "neighbourhood") if with_demographics else ()
    election = pbvote.Election(
        [project(idea) for idea in ideas], ballots, budget, vote_type, meta, voter_columns
    )
    result = pbvote.count(election, rule, threshold=threshold)

    winners = set(result.winners)
    score_column = "score" if cumulative else "votes"
    published = pbvote.Election(
        [
            project(
                idea,
                {
                    score_column: str(points_total[idea.pk] if cumulative else votes[idea.pk]),
                    "selected": "1" if str(idea.pk) in winners else "0",
                },
            )
            for idea in ideas
        ],
        ballots,
        budget,
        vote_type,
        meta,
        voter_columns,
        validate=False,
    )
    text = pbvote.pabulib_text(published)
    # the published file must hold exactly the counted ballot data
    digest = pbvote.parse_pabulib_text(text).ballot_digest()
    if digest != result.ballot_sha256:
        raise RuntimeError("the written ballot file does not match the counted ballots")

    rows = []
    for idea in ideas:
        explanation = result.explanations[str(idea.pk)]
        numbers = json_value(explanation.numbers)
        numbers["supporters"] = votes[idea.pk]
        if cumulative:
            numbers["points"] = points_total[idea.pk]
        rows.append(
            ProjectResult(
                idea=idea,
                votes=points_total[idea.pk] if cumulative else votes[idea.pk],
                selected=explanation.selected,
                round=explanation.round,
                reason=explanation.reason[:24],
                sentence_lv=explanation.sentence("lv"),
                sentence_en=explanation.sentence("en"),
                numbers=numbers,
            )
        )
    return _Outcome(
        rule=rule,
        winners=list(result.winners),
        total_cost_cents=_cents(result.total_cost),
        num_ballots=len(ballots),
        rows=rows,
        result_json=result.to_json(),
        text=text,
        ballots_sha256=result.ballot_sha256,
        file_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


# --- confirmation --------------------------------------------------------------------------


def results_confirm(cycle: Cycle, *, actor, decision: str) -> Cycle:
    """Record the council's decision confirming the results (every count must be done),
    then create an implementation record for each funded project."""
    _require_officer(actor, cycle)
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError(
            _("Give the council decision that confirms the results (its number and date).")
        )
    if len(decision) > 200:
        raise ValidationError(_("The decision can be at most 200 characters long."))
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().select_related("municipality").get(pk=cycle.pk)
        _require_closed(locked)
        _require_unconfirmed(locked)
        categories = list(locked.categories.values_list("pk", flat=True))
        done = set(
            Tally.objects.filter(category_id__in=categories, status=Tally.Status.DONE).values_list(
                "category_id", flat=True
            )
        )
        if not categories or done != set(categories):
            raise ValidationError(
                _("Every category must be counted before the results can be confirmed.")
            )
        locked.results_confirmed_at = timezone.now()
        locked.results_confirmed_by = actor
        locked.results_decision = decision
        locked.save(
            update_fields=["results_confirmed_at", "results_confirmed_by", "results_decision"]
        )
        winners = {
            t.category.slug: t.winners
            for t in Tally.objects.filter(cycle=locked).select_related("category")
        }
        audit_record(
            actor=actor,
            verb="budget.results.confirmed",
            target=locked,
            municipality=locked.municipality,
            data={"decision": decision, "winners": winners},
        )
        try:
            from .implementation import implementation_create_for_winners
        except ImportError:  # pragma: no cover - only while the implementation area is missing
            log.warning("implementation_create_for_winners is not available yet")
        else:
            implementation_create_for_winners(locked)
    cycle.results_confirmed_at = locked.results_confirmed_at
    cycle.results_confirmed_by = actor
    cycle.results_decision = decision
    return locked


# --- receipt lookups -----------------------------------------------------------------------


def receipt_lookup_check(*, client_ip: str | None) -> None:
    """Count one receipt lookup from ``client_ip``; refuse when there were too many in the
    last hour (``BUDGET_RECEIPT_LOOKUPS_PER_HOUR``, default 30), so that nobody can try
    receipt codes in bulk."""
    limit = getattr(settings, "BUDGET_RECEIPT_LOOKUPS_PER_HOUR", 30)
    if not client_ip or not limit:
        return
    key = "budgeting:receipt:" + hashlib.sha256(client_ip.encode()).hexdigest()[:32]
    if count_in_window(key, seconds=3600) > limit:
        raise ValidationError(
            _("Too many receipt codes were checked from this connection. Try again in an hour.")
        )
