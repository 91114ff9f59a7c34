"""``/api/pb/…``: cycles, ballot projects and results of the participatory budget.

Public reads, no authentication. Money is in euro cents; project ids are the ids of the
published Pabulib files. Votes and results appear only once voting has closed and every
category is counted (before that ``votes`` is ``null`` and ``/results`` answers 409).
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from .models import Cycle
from .selectors import results as selectors

router = Router(tags=["participatory budget"])


class CycleOut(Schema):
    slug: str
    title: str
    status: str
    submission_opens_at: dt.datetime | None
    submission_closes_at: dt.datetime | None
    review_ends_at: dt.datetime | None
    voting_opens_at: dt.datetime | None
    voting_closes_at: dt.datetime | None
    implementation_starts_at: dt.datetime | None
    finished_at: dt.datetime | None
    results_confirmed_at: dt.datetime | None
    total_budget: int
    url: str


class ProjectOut(Schema):
    id: str
    title: str
    category: str
    cost: int
    neighbourhood: str | None
    votes: int | None
    selected: bool | None


class ResultOut(Schema):
    category: str
    category_name: str
    budget: int
    rule: str
    winners: list[str]
    total_cost: int
    num_ballots: int
    ballots_url: str
    ballots_sha256: str
    ballot_data_sha256: str
    result_url: str


class ErrorOut(Schema):
    detail: str


def _municipality(request):
    municipality = getattr(request, "municipality", None)
    if not municipality:
        raise Http404
    return getattr(municipality, "_wrapped", municipality)


def _cycle(request, slug: str) -> Cycle:
    cycle = selectors.cycle_public(municipality=_municipality(request), slug=slug)
    if cycle is None:
        raise Http404
    return cycle


def _absolute(request, name: str, **kwargs) -> str:
    with translation.override("lv"):  # the canonical URL, without a language prefix
        try:
            return request.build_absolute_uri(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            return ""


@router.get("/cycles", response=list[CycleOut], summary="Participatory-budget cycles")
def cycle_list(request):
    """Every cycle but those still being prepared, newest first; ``status`` is one of
    ``submission``, ``review``, ``voting``, ``results``, ``implementation``, ``finished``."""
    return [
        {
            "slug": c.slug,
            "title": c.title,
            "status": c.status,
            "submission_opens_at": c.submission_opens_at,
            "submission_closes_at": c.submission_closes_at,
            "review_ends_at": c.review_ends_at,
            "voting_opens_at": c.voting_opens_at,
            "voting_closes_at": c.voting_closes_at,
            "implementation_starts_at": c.implementation_starts_at,
            "finished_at": c.finished_at,
            "results_confirmed_at": c.results_confirmed_at,
            "total_budget": c.total_budget_cents,
            "url": _absolute(request, "budgeting:cycle", slug=c.slug),
        }
        for c in selectors.cycles_public(municipality=_municipality(request))
    ]


@router.get(
    "/cycles/{slug}/projects",
    response={200: list[ProjectOut], 404: ErrorOut},
    summary="Projects on the ballot of a cycle",
)
def project_list(request, slug: str):
    """The ballot projects: ``id`` as in the Pabulib files, ``cost`` in euro cents,
    ``category`` and ``neighbourhood`` as slugs; ``votes`` (points for cumulative ballots)
    and ``selected`` only once the results are public, else ``null``."""
    cycle = _cycle(request, slug)
    public = selectors.results_published(cycle)
    out = []
    for idea in selectors.ballot_projects_of_cycle(cycle):
        result = getattr(idea, "result", None) if public else None
        out.append(
            {
                "id": idea.project_id,
                "title": idea.title,
                "category": idea.category.slug,
                "cost": idea.cost_for_ballot_cents,
                "neighbourhood": idea.neighbourhood.slug if idea.neighbourhood_id else None,
                "votes": result.votes if result is not None else None,
                "selected": result.selected if result is not None else None,
            }
        )
    return out


@router.get(
    "/cycles/{slug}/results",
    response={200: list[ResultOut], 404: ErrorOut, 409: ErrorOut},
    summary="Results of a cycle, per category",
)
def result_list(request, slug: str):
    """Per category: money (``budget``, cents), the counting ``rule`` (a ``pbvote`` rule),
    ``winners`` (project ids in the order funded), the ballot file (``ballots_url``) and the
    SHA-256 of its bytes (``ballots_sha256``, what ``sha256sum`` prints), plus ``pbvote``'s
    digest of the ballot data (``ballot_data_sha256``). 409 until the results are public."""
    cycle = _cycle(request, slug)
    categories = selectors.categories_with_tallies(cycle)
    if not selectors.results_published(cycle, categories):
        if cycle.results_public:
            raise HttpError(409, _("The votes are still being counted."))
        raise HttpError(409, _("The results are published after voting closes."))
    return [
        {
            "category": c.slug,
            "category_name": c.name,
            "budget": c.tally_or_none.budget_cents,
            "rule": c.tally_or_none.rule,
            "winners": list(c.tally_or_none.winners),
            "total_cost": c.tally_or_none.total_cost_cents,
            "num_ballots": c.tally_or_none.num_ballots,
            "ballots_url": _absolute(
                request, "budgeting:results_pb", slug=cycle.slug, category_slug=c.slug
            ),
            "ballots_sha256": c.tally_or_none.file_sha256,
            "ballot_data_sha256": c.tally_or_none.ballots_sha256,
            "result_url": _absolute(
                request, "budgeting:results_json", slug=cycle.slug, category_slug=c.slug
            ),
        }
        for c in categories
    ]
