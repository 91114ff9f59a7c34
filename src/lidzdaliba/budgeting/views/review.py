"""Officers' review pages under ``/budget/staff/<slug>/review/`` (a second factor is
required there): the queue with each idea's checklist state, and one idea's review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms.review import ChecklistForm, MergeForm, ProposeForm
from ..models import IdeaReview, IdeaStatus
from ..selectors import ideas as selectors
from ..services import review as services
from .ideas import _cycle

STATES = ("open", "decided", "all")


def _staff_cycle(request, slug):
    cycle = _cycle(request, slug)
    if not request.user.has_perm("budgeting.review_ideas", cycle):
        raise PermissionDenied
    return cycle


@login_required
def review_queue(request, slug):
    cycle = _staff_cycle(request, slug)
    # Once the review is over nothing waits for it: show the whole record by default.
    default = "open" if cycle.status in ("draft", "submission", "review") else "all"
    state = request.GET.get("state", default)
    if state not in STATES:
        state = default
    now = timezone.now()
    rows = []
    for idea in selectors.ideas_for_review(cycle=cycle, state=state):
        review = getattr(idea, "review", None)
        rows.append(
            {
                "idea": idea,
                "review": review,
                "checklist": services.checklist_state(review),
                "ready": idea.status == IdeaStatus.SUBMITTED
                and services.finalise_problem(idea, review, now) is None,
            }
        )
    return render(
        request,
        "budgeting/review/queue.html",
        {
            "cycle": cycle,
            "rows": rows,
            "state": state,
            "states": [
                ("open", _("To review")),
                ("decided", _("Decided")),
                ("all", _("All")),
            ],
            "can_finalise": cycle.status == "review",
        },
    )


def _page(request, cycle, idea, *, status=200, **forms):
    review = IdeaReview.objects.filter(idea=idea).first()
    context = selectors.idea_page(user=request.user, idea=idea)
    context.update(
        {
            "cycle": cycle,
            "idea": idea,
            "review": review,
            "checklist": services.checklist_state(review),
            "checklist_form": forms.get("checklist_form")
            or ChecklistForm(initial=ChecklistForm.initial_for(review), prefix="check"),
            "propose_form": forms.get("propose_form")
            or ProposeForm(
                initial={
                    "proposal": review.proposal if review else "",
                    "reason": review.proposal_reason if review else "",
                },
                prefix="propose",
            ),
            "merge_form": forms.get("merge_form")
            or MergeForm(candidates=selectors.merge_candidates(idea=idea), prefix="merge"),
            "open": idea.status == IdeaStatus.SUBMITTED,
            "finalise_problem": services.finalise_problem(idea, review),
            "in_review_phase": cycle.status == "review",
            "answer_open": services.answer_open(idea, review),
        }
    )
    return render(request, "budgeting/review/idea.html", context, status=status)


@login_required
def review_idea(request, slug, pk):
    cycle = _staff_cycle(request, slug)
    idea = selectors.ideas_for_review(cycle=cycle, state="all").filter(pk=pk).first()
    if idea is None:
        raise Http404
    if request.method != "POST":
        return _page(request, cycle, idea)
    action = request.POST.get("action")
    here = reverse("budgeting:staff_review_idea", kwargs={"slug": cycle.slug, "pk": idea.pk})
    try:
        if action == "checklist":
            form = ChecklistForm(request.POST, prefix="check")
            if not form.is_valid():
                return _page(request, cycle, idea, checklist_form=form, status=400)
            try:
                services.review_save(actor=request.user, idea=idea, **form.service_kwargs())
            except services.ReviewRejected as exc:
                form.add_error(None, exc.message)
                return _page(request, cycle, idea, checklist_form=form, status=400)
            messages.success(request, _("The checklist is saved."))
        elif action == "propose":
            form = ProposeForm(request.POST, prefix="propose")
            if not form.is_valid():
                return _page(request, cycle, idea, propose_form=form, status=400)
            try:
                services.review_propose(actor=request.user, idea=idea, **form.cleaned_data)
            except services.ReviewRejected as exc:
                form.add_error(None, exc.message)
                return _page(request, cycle, idea, propose_form=form, status=400)
            messages.success(request, _("The proposed decision is sent to the authors."))
        elif action == "finalise":
            services.review_finalise(actor=request.user, idea=idea)
            messages.success(
                request,
                _("The decision is final: %(status)s.") % {"status": idea.get_status_display()},
            )
        elif action == "merge":
            form = MergeForm(
                request.POST, candidates=selectors.merge_candidates(idea=idea), prefix="merge"
            )
            if not form.is_valid():
                return _page(request, cycle, idea, merge_form=form, status=400)
            try:
                services.idea_merge(
                    actor=request.user,
                    idea=idea,
                    into=form.cleaned_data["into"],
                    reason=form.cleaned_data["reason"],
                )
            except services.ReviewRejected as exc:
                form.add_error(None, exc.message)
                return _page(request, cycle, idea, merge_form=form, status=400)
            messages.success(request, _("The idea is merged."))
        else:
            messages.error(request, _("Unknown action."))
    except services.ReviewRejected as exc:
        messages.error(request, exc.message)
    return redirect(here)
