"""Voting pages: the voter's overview, the ballot of a category (saved on every change),
public turnout, and the paper-ballot form for staff at client-service centres."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lidzdaliba.accounts.selectors import residency_active

from ..forms.voting import PaperBallotForm, choices_from_post
from ..models.cycles import BallotForm, CycleStatus
from ..selectors import voting as selectors
from ..services import voting as services


def _municipality(request):
    municipality = getattr(request, "municipality", None)
    if not municipality:
        raise Http404
    return getattr(municipality, "_wrapped", municipality)


def _cycle(request, slug):
    cycle = selectors.cycle_for_voting(municipality=_municipality(request), slug=slug)
    if cycle is None:
        raise Http404
    return cycle


def _residency(request, cycle):
    if not request.user.is_authenticated:
        return None
    return residency_active(user=request.user, municipality=cycle.municipality)


def _phase(cycle, is_open: bool) -> str:
    """Where voting stands for a visitor: ``"open"``, ``"upcoming"`` (voting has not opened
    yet) or ``"closed"`` (closed by its date, or the cycle has moved on to results)."""
    if is_open:
        return "open"
    if not cycle.is_at_least(CycleStatus.VOTING):
        return "upcoming"
    if (
        cycle.status == CycleStatus.VOTING
        and cycle.voting_opens_at
        and timezone.now() < cycle.voting_opens_at
    ):
        return "upcoming"
    return "closed"


def vote(request, slug):
    cycle = _cycle(request, slug)
    residency = _residency(request, cycle)
    is_open = services.voting_is_open(cycle)
    ok, reason = services.voter_eligibility(request.user, cycle, residency=residency)
    overview = selectors.vote_overview(user=request.user, cycle=cycle, residency=residency)
    rows = []
    for category, chosen in overview["rows"]:
        cat_ok, cat_reason = (
            services.voter_eligibility(request.user, cycle, category, residency=residency)
            if ok
            else (ok, reason)
        )
        rows.append({"category": category, "chosen": chosen, "ok": cat_ok, "reason": cat_reason})
    ballot = overview["ballot"]
    return render(
        request,
        "budgeting/voting/vote.html",
        {
            "cycle": cycle,
            "open": is_open,
            "phase": _phase(cycle, is_open),
            "any_counted": any(row["chosen"] for row in rows),
            "eligible": ok,
            "reason": reason,
            "residency": residency,
            "ballot": ballot,
            "paper": ballot is not None and ballot.channel == ballot.Channel.PAPER,
            "rows": rows,
        },
    )


def _ballot_context(request, category, residency, projects, *, error=""):
    """Everything the ballot page shows (the page and the refused-change path)."""
    cycle = category.cycle
    ballot = None
    if residency is not None:
        ballot = selectors.ballot_of(cycle=cycle, identity_key=residency.identity_key)
    choices = selectors.ballot_choices(ballot=ballot, category=category)
    for project in projects:
        project.chosen_points = choices.get(project.pk, 0)
    is_open = services.voting_is_open(cycle)
    ok, reason = services.voter_eligibility(request.user, cycle, category, residency=residency)
    paper = ballot is not None and ballot.channel == ballot.Channel.PAPER
    summary = selectors.ballot_summary(
        category=category,
        costs={p.pk: p.ballot_cost_cents for p in projects},
        choices=choices,
        titles={p.pk: p.title for p in projects},
    )
    return {
        "cycle": cycle,
        "category": category,
        "projects": projects,
        "summary": summary,
        "ballot": ballot,
        "counted": bool(summary.picks) and ballot is not None,
        "paper": paper,
        "open": is_open,
        "phase": _phase(cycle, is_open),
        "slug": cycle.slug,
        "eligible": ok,
        "reason": reason,
        "can_vote": ok and is_open and not paper,
        "error": error,
        "residency": residency,
    }


def ballot(request, slug, category_slug):
    if request.method == "POST":
        return _ballot_save(request, slug, category_slug)
    municipality = _municipality(request)
    category = selectors.category_of(
        municipality=municipality, slug=slug, category_slug=category_slug
    )
    if category is None:
        raise Http404
    residency = _residency(request, category.cycle)
    projects = selectors.ballot_projects(category=category)
    return render(
        request,
        "budgeting/voting/ballot.html",
        _ballot_context(request, category, residency, projects),
    )


def _ballot_save(request, slug, category_slug):
    """Save a change of the ballot. The accepted change is the hot path of a vote (every tick
    of every voter): two plain-SQL reads, the three statements of ``ballot_save`` and a small
    fragment (rendered without the page's context processors). A refused change re-renders
    the whole form with the stored choices."""
    target = selectors.ballot_target(
        municipality_pk=selectors.municipality_pk_for_host(host=request.get_host()),
        slug=slug,
        category_slug=category_slug,
        user=request.user,
    )
    if target is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path}")
    category, residency = target
    costs = selectors.ballot_costs(category=category)
    try:
        choices = choices_from_post(category=category, data=request.POST, project_ids=costs)
        saved = services.ballot_save(
            user=request.user,
            cycle=category.cycle,
            category=category,
            choices=choices,
            projects=costs,
            residency=residency,
        )
    except (services.BallotRejected, ValidationError) as exc:
        message = exc.message if isinstance(exc, services.BallotRejected) else exc.messages[0]
        full = selectors.category_of(
            municipality=_municipality(request), slug=slug, category_slug=category_slug
        )
        projects = selectors.ballot_projects(category=full)
        context = _ballot_context(request, full, residency, projects, error=message)
        if request.htmx:
            response = render(request, "budgeting/voting/ballot.html#ballot-form", context)
            response["HX-Retarget"] = "#ballot-form"
            response["HX-Reswap"] = "outerHTML"
            return response
        return render(request, "budgeting/voting/ballot.html", context, status=400)
    if not request.htmx:
        if saved.choices_saved:
            messages.success(
                request,
                _("Your vote is counted. Receipt code: %(code)s") % {"code": saved.receipt_code},
            )
        else:
            messages.success(
                request, _("Your ballot in this category is empty: it is not counted.")
            )
        return redirect("budgeting:ballot", slug=slug, category_slug=category_slug)
    titles = None
    if category.ballot_form == BallotForm.SINGLE and saved.choices_saved:
        titles = selectors.idea_titles(pks=list(saved.choices_saved))
    summary = selectors.ballot_summary(
        category=category, costs=costs, choices=saved.choices_saved, titles=titles
    )
    return HttpResponse(
        render_to_string(
            "budgeting/voting/_status.html",
            {
                "summary": summary,
                "ballot": saved,
                "counted": bool(summary.picks),
                "can_vote": True,
                "slug": slug,
            },
        )
    )


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


def turnout(request, slug):
    cycle = _cycle(request, slug)
    is_open = services.voting_is_open(cycle)
    phase = _phase(cycle, is_open)
    return render(
        request,
        "budgeting/voting/turnout.html",
        {
            "cycle": cycle,
            # before voting opens there is nothing to count: no tables of zeros
            "turnout": None if phase == "upcoming" else selectors.turnout(cycle=cycle),
            "open": is_open,
            "phase": phase,
        },
    )


@login_required
def staff_paper(request, slug):
    cycle = _cycle(request, slug)
    if not request.user.has_perm("budgeting.enter_paper_ballots", cycle):
        raise PermissionDenied
    categories = list(cycle.categories.select_related("neighbourhood"))
    projects_by_category: dict[int, list] = {}
    for idea in selectors.cycle_ballot_projects(cycle=cycle):
        projects_by_category.setdefault(idea.category_id, []).append(idea)
    form = PaperBallotForm(
        request.POST or None,
        cycle=cycle,
        categories=categories,
        projects_by_category=projects_by_category,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                entered = services.paper_ballot_enter(
                    officer=request.user,
                    cycle=cycle,
                    category_choices=form.category_choices(),
                    personal_code=data["personal_code"],
                    birth_date=data.get("birth_date"),
                    neighbourhood=data.get("neighbourhood"),
                    id_document_checked=data["id_document_checked"],
                )
            except services.BallotRejected as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "The paper ballot is entered and counted. Give the voter the receipt "
                        "code: %(code)s"
                    )
                    % {"code": entered.receipt_code},
                )
                return redirect("budgeting:staff_paper", slug=cycle.slug)
    return render(
        request,
        "budgeting/voting/staff_paper.html",
        {
            "cycle": cycle,
            "form": form,
            "open": services.voting_is_open(cycle),
            "closed_message": services.voting_closed_message(cycle),
            "paper_count": selectors.paper_ballot_count(cycle=cycle),
        },
        status=status,
    )
