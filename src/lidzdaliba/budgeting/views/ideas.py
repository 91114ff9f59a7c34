"""Idea pages: the public list with its map, an idea's page, the form to write or change an
idea, the author's own ideas, and the small POST actions (submit, withdraw, follow, answer)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import cache as pb_cache
from ..forms.ideas import (
    AnswerForm,
    IdeaFilterForm,
    IdeaForm,
    WithdrawForm,
    cost_formset,
    cost_lines_of,
)
from ..models import Idea, IdeaStatus
from ..models.implementation import Implementation
from ..selectors import ideas as selectors
from ..services import ideas as services
from ..services.review import ReviewRejected, answer_open, review_answer

PAGE_SIZE = 50
IMPLEMENTATION_SECTION = "budgeting/implementation/_section.html"
RESULT_SECTION = "budgeting/results/_idea_result.html"


def _municipality(request):
    municipality = getattr(request, "municipality", None)
    if not municipality:
        raise Http404
    return getattr(municipality, "_wrapped", municipality)


def _cycle(request, slug):
    cycle = selectors.cycle_visible(
        user=request.user, municipality=_municipality(request), slug=slug
    )
    if cycle is None:
        raise Http404
    return cycle


def _idea(request, cycle, pk) -> Idea:
    idea = selectors.idea_visible(user=request.user, cycle=cycle, pk=pk)
    if idea is None:
        raise Http404
    return idea


def _reverse(name: str, cycle, idea=None) -> str:
    kwargs = {"slug": cycle.slug}
    if idea is not None:
        kwargs["pk"] = idea.pk
    return reverse(f"budgeting:{name}", kwargs=kwargs)


# --- public ------------------------------------------------------------------------------


def idea_list(request, slug):
    cycle = _cycle(request, slug)
    categories, themes, neighbourhoods = selectors.filter_choices(cycle)
    form = IdeaFilterForm(
        request.GET or None,
        cycle=cycle,
        categories=categories,
        themes=themes,
        neighbourhoods=neighbourhoods,
    )
    filters = form.filters()
    ideas = selectors.ideas_public(cycle=cycle, **filters)
    page_number = request.GET.get("page")
    query = request.GET.copy()
    query.pop("page", None)
    querystring = query.urlencode()
    detail_base = _reverse("ideas", cycle)
    # The list and the map are the same for every visitor: rendered once per change of
    # the ideas (see ``budgeting.cache``); the page and the map are read only on a miss.
    fragment_key = pb_cache.fragment_key(
        "ideas",
        cycle.pk,
        cycle.status,
        selectors.ideas_fingerprint(cycle),
        sorted((k, getattr(v, "pk", v)) for k, v in filters.items()),
        page_number,
        querystring,
    )
    return render(
        request,
        "budgeting/ideas/list.html",
        {
            "cycle": cycle,
            "form": form,
            "page": pb_cache.lazy(lambda: Paginator(ideas, PAGE_SIZE).get_page(page_number)),
            "querystring": querystring,
            "detail_base": detail_base,
            "map_features": pb_cache.lazy(
                lambda: selectors.map_features(ideas, url_base=detail_base)
            ),
            "can_submit": services.submission_open(cycle),
            "fragment_key": fragment_key,
            "fragment_seconds": pb_cache.FRAGMENT_SECONDS,
        },
    )


def _implementation_template(idea: Idea) -> str | None:
    """The implementation area's section, when this idea has an implementation and the
    template exists (it is written by another part of the module)."""
    if idea.status != IdeaStatus.ADMITTED:
        return None
    if not Implementation.objects.filter(idea=idea).exists():
        return None
    try:
        get_template(IMPLEMENTATION_SECTION)
    except TemplateDoesNotExist:
        return None
    return IMPLEMENTATION_SECTION


def _result_template(idea: Idea) -> str | None:
    """The results area's section (votes, funded or not), once results are public."""
    if idea.status != IdeaStatus.ADMITTED or not idea.cycle.results_public:
        return None
    try:
        get_template(RESULT_SECTION)
    except TemplateDoesNotExist:
        return None
    return RESULT_SECTION


def _detail_context(request, cycle, idea, **forms) -> dict:
    user = request.user
    context = selectors.idea_page(user=user, idea=idea)
    review = context["review"]
    context.update(
        {
            "cycle": cycle,
            "idea": idea,
            "is_author": services.is_author(user, idea),
            "can_edit": services.may_edit(user, idea),
            "can_submit": idea.status == IdeaStatus.DRAFT
            and services.is_author(user, idea)
            and services.submission_open(cycle),
            "can_withdraw": services.is_author(user, idea)
            and (
                idea.status == IdeaStatus.SUBMITTED
                or (idea.status == IdeaStatus.ADMITTED and not cycle.is_at_least("voting"))
            ),
            "can_delete": idea.status == IdeaStatus.DRAFT and services.is_author(user, idea),
            "can_answer": services.is_author(user, idea) and answer_open(idea, review),
            "can_review": request.user.has_perm("budgeting.review_ideas", cycle) and idea.is_public,
            "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
            "answer_form": forms.get("answer_form") or AnswerForm(),
            "implementation_template": _implementation_template(idea),
            "result_template": _result_template(idea),
        }
    )
    return context


def idea_detail(request, slug, pk):
    cycle = _cycle(request, slug)
    idea = _idea(request, cycle, pk)
    return render(request, "budgeting/ideas/detail.html", _detail_context(request, cycle, idea))


# --- writing -----------------------------------------------------------------------------


def _ask_age(user, cycle) -> bool:
    _verified, age = services._age_known(user, cycle)
    return age is None and cycle.submitters != "residents"


def _form_page(request, cycle, *, idea=None, form=None, formset=None, status=200):
    if form is None:
        form = _idea_form(request, cycle, idea=idea)
    if formset is None:
        formset = cost_formset(lines=list(idea.cost_lines.all()) if idea else ())
    photos = []
    if idea is not None:
        photos = selectors.idea_page(user=request.user, idea=idea)["photos"]
    return render(
        request,
        "budgeting/ideas/form.html",
        {
            "cycle": cycle,
            "idea": idea,
            "form": form,
            "formset": formset,
            "photos": photos,
            "themes": list(cycle.themes.select_related("category")),
        },
        status=status,
    )


def _idea_form(request, cycle, *, idea=None, data=None, files=None) -> IdeaForm:
    is_author = idea is None or services.is_author(request.user, idea)
    return IdeaForm(
        data,
        files,
        cycle=cycle,
        instance=idea,
        organisations=services.organisations_represented(request.user)
        if cycle.submitters == "people_ngos"
        else (),
        ask_age=idea is None and _ask_age(request.user, cycle),
        is_author=is_author,
    )


def _closed_page(request, cycle, idea=None, message=""):
    return render(
        request,
        "budgeting/ideas/closed.html",
        {"cycle": cycle, "idea": idea, "message": message},
        status=200,
    )


def _more_lines(request):
    """The "more cost lines" button: the same form again with three more empty rows."""
    data = request.POST.copy()
    try:
        total = int(data.get("cost-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    data["cost-TOTAL_FORMS"] = str(min(total + 3, 30))
    return cost_formset(data=data)


def _save(request, cycle, idea=None):
    """Validate and save the form; returns (idea or None, form, formset)."""
    form = _idea_form(request, cycle, idea=idea, data=request.POST, files=request.FILES)
    formset = cost_formset(data=request.POST)
    if not (form.is_valid() and formset.is_valid()):
        return None, form, formset
    remove = [int(x) for x in request.POST.getlist("remove_photo") if x.isdigit()]
    try:
        with transaction.atomic():
            kwargs = {
                "actor": request.user,
                "cost_lines": cost_lines_of(formset),
                "sdg": form.cleaned_data.get("sdg"),
                **form.service_fields(),
            }
            if "coauthors" in form.fields and not form.fields["coauthors"].disabled:
                kwargs["coauthor_emails"] = form.coauthor_emails()
            if "organisation" in form.fields:
                kwargs["organisation"] = form.cleaned_data.get("organisation")
            if idea is None:
                kwargs.pop("organisation", None)
                saved = services.idea_create(
                    cycle=cycle,
                    organisation=form.cleaned_data.get("organisation"),
                    age_declared=bool(form.cleaned_data.get("age_declared")),
                    **kwargs,
                )
            else:
                saved = services.idea_update(idea=idea, **kwargs)
            for attachment_id in remove:
                services.idea_photo_remove(
                    actor=request.user, idea=saved, attachment_id=attachment_id
                )
            if form.cleaned_data.get("photo"):
                services.idea_photo_add(
                    actor=request.user,
                    idea=saved,
                    upload=form.cleaned_data["photo"],
                    alt_text=form.cleaned_data.get("photo_alt", ""),
                )
    except services.IdeaRejected as exc:
        if exc.field == "cost_lines" or exc.field not in form.fields:
            form.add_error(None, exc.message)
        else:
            form.add_error(exc.field, exc.message)
        return None, form, formset
    return saved, form, formset


@login_required
def idea_new(request, slug):
    cycle = _cycle(request, slug)
    if not services.submission_open(cycle):
        return _closed_page(request, cycle)
    problem = services.eligibility_problem(request.user, cycle, age_declared=True)
    if problem and not services.organisations_represented(request.user):
        return _closed_page(request, cycle, message=problem)
    if request.method != "POST":
        return _form_page(request, cycle)
    if "more_lines" in request.POST:
        form = _idea_form(request, cycle, data=request.POST)
        return _form_page(request, cycle, form=form, formset=_more_lines(request))
    idea, form, formset = _save(request, cycle)
    if idea is None:
        return _form_page(request, cycle, form=form, formset=formset)
    return _after_save(request, cycle, idea)


def _after_save(request, cycle, idea):
    if "submit" in request.POST and idea.status == IdeaStatus.DRAFT:
        try:
            services.idea_submit(actor=request.user, idea=idea)
        except services.IdeaRejected as exc:
            messages.error(
                request, _("The draft is saved but not submitted: %(why)s") % {"why": exc.message}
            )
            return redirect(_reverse("idea_edit", cycle, idea))
        messages.success(
            request,
            _("Your idea is submitted with the number %(n)d. Thank you!") % {"n": idea.number},
        )
    elif idea.status == IdeaStatus.DRAFT:
        messages.success(request, _("The draft is saved. Only you and your co-authors see it."))
    else:
        messages.success(request, _("The changes are saved."))
    return redirect(_reverse("idea", cycle, idea))


@login_required
def idea_edit(request, slug, pk):
    cycle = _cycle(request, slug)
    idea = _idea(request, cycle, pk)
    if not (services.is_author(request.user, idea) or services.is_coauthor(request.user, idea)):
        raise PermissionDenied
    if idea.status not in services.EDITABLE_STATUSES:
        return _closed_page(
            request, cycle, idea, _("This idea can no longer be changed: it has been decided on.")
        )
    if request.method != "POST":
        if not services.submission_open(cycle):
            return _closed_page(request, cycle, idea)
        return _form_page(request, cycle, idea=idea)
    if "more_lines" in request.POST:
        form = _idea_form(request, cycle, idea=idea, data=request.POST)
        return _form_page(request, cycle, idea=idea, form=form, formset=_more_lines(request))
    saved, form, formset = _save(request, cycle, idea)
    if saved is None:
        return _form_page(request, cycle, idea=idea, form=form, formset=formset)
    return _after_save(request, cycle, saved)


@require_POST
@login_required
def idea_submit(request, slug, pk):
    cycle = _cycle(request, slug)
    idea = _idea(request, cycle, pk)
    try:
        services.idea_submit(actor=request.user, idea=idea)
    except services.IdeaRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Your idea is submitted with the number %(n)d. Thank you!") % {"n": idea.number},
        )
    return redirect(_reverse("idea", cycle, idea))


@require_POST
@login_required
def idea_withdraw(request, slug, pk):
    cycle = _cycle(request, slug)
    idea = _idea(request, cycle, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.idea_withdraw(
                actor=request.user, idea=idea, reason=form.cleaned_data["reason"]
            )
        except services.IdeaRejected as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You withdrew the idea. It stays visible as withdrawn."))
    return redirect(_reverse("idea", cycle, idea))


@require_POST
@login_required
def idea_delete(request, slug, pk):
    cycle = _cycle(request, slug)
    idea = _idea(request, cycle, pk)
    try:
        services.idea_delete_draft(actor=request.user, idea=idea)
    except services.IdeaRejected as exc:
        messages.error(request, exc.message)
        return redirect(_reverse("idea", cycle, idea))
    messages.success(request, _("The draft is deleted."))
    return redirect(_reverse("my_ideas", cycle))


@require_POST
def idea_follow(request, slug, pk):
    cycle = _cycle(request, slug)
    idea = _idea(request, cycle, pk)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={_reverse('idea', cycle, idea)}")
    try:
        if request.POST.get("action") == "unfollow":
            services.idea_unfollow(actor=request.user, idea=idea)
            messages.success(request, _("You no longer follow this idea."))
        else:
            services.idea_follow(actor=request.user, idea=idea)
            messages.success(request, _("You follow this idea: you will be told when it changes."))
    except services.IdeaRejected as exc:
        messages.error(request, exc.message)
    return redirect(_reverse("idea", cycle, idea))


@require_POST
@login_required
def idea_answer(request, slug, pk):
    cycle = _cycle(request, slug)
    idea = _idea(request, cycle, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            review_answer(actor=request.user, idea=idea, answer=form.cleaned_data["answer"])
        except ReviewRejected as exc:
            form.add_error("answer", exc.message)
        else:
            messages.success(request, _("Your answer is sent to the officers."))
            return redirect(_reverse("idea", cycle, idea))
    context = _detail_context(request, cycle, idea, answer_form=form)
    return render(request, "budgeting/ideas/detail.html", context, status=400)


@login_required
def my_ideas(request, slug):
    cycle = _cycle(request, slug)
    return render(
        request,
        "budgeting/ideas/mine.html",
        {
            "cycle": cycle,
            "ideas": list(selectors.ideas_of(user=request.user, cycle=cycle)),
            "can_submit": services.submission_open(cycle),
        },
    )
