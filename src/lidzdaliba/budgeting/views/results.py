"""Results pages: the published result per category, the ballot files (``.pb``) and results
(``.json``), "check it yourself", the receipt lookup, and the officers' count page."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .. import cache as pb_cache
from ..forms.results import ConfirmResultsForm, ReceiptForm
from ..models import Tally
from ..models.cycles import BallotForm
from ..selectors import results as selectors
from ..services import tally as services


def _municipality(request):
    municipality = getattr(request, "municipality", None)
    if not municipality:
        raise Http404
    return getattr(municipality, "_wrapped", municipality)


def _cycle(request, slug):
    cycle = selectors.cycle_public(municipality=_municipality(request), slug=slug)
    if cycle is None:
        raise Http404
    return cycle


def _errors(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _lang() -> str:
    return "lv" if (translation.get_language() or "lv").startswith("lv") else "en"


def file_name(tally: Tally, ext: str) -> str:
    cycle = tally.category.cycle
    return f"{cycle.municipality.slug}_{cycle.slug}_{tally.category.slug}.{ext}"


def _features(results) -> dict:
    features = []
    for result in results:
        for row in result.winners:
            idea = row.idea
            if idea.lat is None or idea.lon is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [idea.lon, idea.lat]},
                    "properties": {
                        "name": idea.title,
                        "url": reverse(
                            "budgeting:results", kwargs={"slug": result.category.cycle.slug}
                        )
                        + f"#project-{idea.pk}",
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


# --- public ----------------------------------------------------------------------------


def results(request, slug: str):
    cycle = _cycle(request, slug)
    categories = selectors.categories_with_tallies(cycle, files=False)
    published = selectors.results_published(cycle, categories)
    context = {"cycle": cycle, "published": published, "categories": categories}
    if published:
        lang = _lang()

        @pb_cache.lazy
        def rows():
            rows = selectors.category_results(cycle, categories)
            for result in rows:
                for row in result.rows:
                    row.sentence = row.sentence_lv if lang == "lv" else row.sentence_en
            return rows

        # A finished count never changes: the published part is rendered once per count
        # (the tallies' state and the council decision are in the key) and language.
        context.update(
            results=rows,
            map_features=pb_cache.lazy(lambda: _features(rows())),
            total_budget_cents=pb_cache.lazy(lambda: sum(r.budget_cents for r in rows())),
            total_spent_cents=pb_cache.lazy(lambda: sum(r.spent_cents for r in rows())),
            total_left_cents=pb_cache.lazy(lambda: sum(r.left_cents for r in rows())),
            total_funded=pb_cache.lazy(lambda: sum(r.funded_count for r in rows())),
            fragment_key=pb_cache.fragment_key("results", *_count_version(cycle, categories)),
            fragment_seconds=pb_cache.FRAGMENT_SECONDS,
        )
    return render(request, "budgeting/results/results.html", context)


def _count_version(cycle, categories) -> tuple:
    """What tells whether a published count may have changed: the tallies (a rerun has a
    new finish time and file) and the council decision."""
    return (
        cycle.pk,
        cycle.status,
        cycle.results_confirmed_at,
        cycle.results_decision,
        [
            (c.pk, t.pk, t.status, t.finished_at, t.file_sha256)
            for c in categories
            if (t := c.tally_or_none) is not None
        ],
    )


def _published_tally(request, slug: str, category_slug: str) -> Tally:
    cycle = _cycle(request, slug)
    if not selectors.results_published(cycle):
        raise Http404
    tally = selectors.tally_of(cycle=cycle, category_slug=category_slug)
    if tally is None:
        raise Http404
    return tally


def results_pb(request, slug: str, category_slug: str):
    tally = _published_tally(request, slug, category_slug)
    response = HttpResponse(
        tally.ballots_pb.encode("utf-8"), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(tally, "pb")}"'
    response["X-Content-SHA256"] = tally.file_sha256
    return response


def results_document(request, tally: Tally) -> dict:
    """The published JSON of one category: ``pbvote``'s record plus where the ballots are."""
    category = tally.category
    with translation.override("lv"):
        pb_path = reverse(
            "budgeting:results_pb",
            kwargs={"slug": category.cycle.slug, "category_slug": category.slug},
        )
    document = dict(tally.result_json)
    document.update(
        {
            "category": category.slug,
            "category_name": category.name,
            "budget_cents": tally.budget_cents,
            "rule": tally.rule,
            "ballots_url": request.build_absolute_uri(pb_path),
            "ballots_sha256": tally.ballots_sha256,
            "ballot_data_sha256": tally.ballots_sha256,
            "file_sha256": tally.file_sha256,
            "confirmed": category.cycle.results_confirmed_at is not None,
            "decision": category.cycle.results_decision,
        }
    )
    return document


def results_json(request, slug: str, category_slug: str):
    tally = _published_tally(request, slug, category_slug)
    body = json.dumps(results_document(request, tally), ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{file_name(tally, "json")}"'
    return response


PABUTOOLS_GREEDY = """from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare

instance, profile = parse_pabulib("{file}")
winners = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
print(sorted(p.name for p in winners))"""

PABUTOOLS_THRESHOLD = """from pabutools.election import Cost_Sat, Instance, parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare

instance, profile = parse_pabulib("{file}")
# projects with fewer than {threshold} votes cannot win
kept = Instance(
    [p for p in instance if profile.approval_score(p) >= {threshold}],
    budget_limit=instance.budget_limit,
)
winners = greedy_utilitarian_welfare(kept, profile, sat_class=Cost_Sat)
print(sorted(p.name for p in winners))"""

PABUTOOLS_MES = """from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

instance, profile = parse_pabulib("{file}")
mes = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
winners = greedy_utilitarian_welfare(
    instance, profile, sat_class=Cost_Sat, initial_budget_allocation=mes
)
print(sorted(p.name for p in winners))"""


def pabutools_snippet(tally: Tally, file: str) -> str:
    """The pabutools program that recomputes ``tally``, or "" when pabutools has no
    equivalent of its rule and ballot form (then ``pbvote`` is the way)."""
    if tally.category.ballot_form == BallotForm.CUMULATIVE:
        return ""
    if tally.rule == "greedy":
        return PABUTOOLS_GREEDY.format(file=file)
    if tally.rule == "greedy-threshold":
        threshold = tally.result_json.get("parameters", {}).get("threshold")
        return PABUTOOLS_THRESHOLD.format(file=file, threshold=threshold)
    if tally.rule == "mes-add1":
        return PABUTOOLS_MES.format(file=file)
    return ""


def check(request, slug: str):
    cycle = _cycle(request, slug)
    categories = selectors.categories_with_tallies(cycle, files=False)
    published = selectors.results_published(cycle, categories)
    fragment_key = pb_cache.fragment_key("check", *_count_version(cycle, categories))
    return render(
        request,
        "budgeting/results/check.html",
        {
            "cycle": cycle,
            "published": published,
            # The same for everyone: read only when the cached fragment is missing.
            "rows": pb_cache.lazy(lambda: _check_rows(cycle, categories) if published else []),
            "fragment_key": fragment_key,
            "fragment_seconds": pb_cache.FRAGMENT_SECONDS,
        },
    )


def _check_rows(cycle, categories) -> list[dict]:
    rows = []
    for result in selectors.category_results(cycle, categories):
        tally = result.tally
        pb_file = file_name(tally, "pb")
        threshold = tally.result_json.get("parameters", {}).get("threshold")
        command = f"pbvote tally {pb_file} --rule {tally.rule} --json"
        titles = {str(r.idea_id): r.idea.title for r in result.rows}
        rows.append(
            {
                "result": result,
                "file": pb_file,
                "command": command,
                "threshold": threshold,
                "pabutools": pabutools_snippet(tally, pb_file),
                "winners": [(w, titles.get(w, w)) for w in tally.winners],
                "winners_by_id": ", ".join(sorted(tally.winners)),
            }
        )
    return rows


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def receipt(request, slug: str):
    cycle = _cycle(request, slug)
    form = ReceiptForm(request.POST or None)
    lookup = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.receipt_lookup_check(client_ip=_client_ip(request))
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
            status = 429
        else:
            lookup = _receipt_lookup(cycle, form.cleaned_data["code"])
    return render(
        request,
        "budgeting/results/receipt.html",
        {"cycle": cycle, "form": form, "lookup": lookup},
        status=status,
    )


def _receipt_lookup(cycle, code: str) -> dict:
    ballot = selectors.ballot_for_receipt(cycle=cycle, code=code)
    if ballot is None:
        return {"found": False}
    categories = selectors.categories_with_tallies(cycle)
    published = selectors.results_published(cycle, categories)
    chosen = selectors.ballot_categories(ballot)
    rows = []
    for category in categories:
        if category.pk not in chosen:
            continue
        line = (
            selectors.ballot_line(category.tally_or_none, ballot.public_id) if published else None
        )
        rows.append({"category": category, "line": line})
    return {
        "found": True,
        "public_id": ballot.public_id,
        "published": published,
        "rows": rows,
    }


# --- staff -----------------------------------------------------------------------------


@login_required
def staff_results(request, slug: str):
    cycle = selectors.cycle_any(municipality=_municipality(request), slug=slug)
    if cycle is None:
        raise Http404
    if not request.user.has_perm("budgeting.view_staff_pages", cycle):
        raise PermissionDenied
    confirm_form = ConfirmResultsForm(
        request.POST if request.POST.get("action") == "confirm" else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rerun":
                services.tally_enqueue(cycle, actor=request.user)
                messages.success(
                    request,
                    _("The count has started. Each category's state is shown below."),
                )
                return redirect("budgeting:staff_results", slug=cycle.slug)
            if action == "confirm" and confirm_form.is_valid():
                services.results_confirm(
                    cycle, actor=request.user, decision=confirm_form.cleaned_data["decision"]
                )
                messages.success(request, _("The results are confirmed."))
                return redirect("budgeting:staff_results", slug=cycle.slug)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            if action == "rerun":
                return redirect("budgeting:staff_results", slug=cycle.slug)
    categories = selectors.staff_tallies(cycle)
    published = selectors.results_published(cycle, categories)
    return render(
        request,
        "budgeting/results/staff.html",
        {
            "cycle": cycle,
            "categories": categories,
            "published": published,
            "can_count": cycle.results_public and cycle.results_confirmed_at is None,
            "can_confirm": published and cycle.results_confirmed_at is None,
            "confirm_form": confirm_form,
        },
        status=400 if confirm_form.is_bound and not confirm_form.is_valid() else 200,
    )
