"""Reads about ideas shared by the pages (and usable by the API): public lists with filters,
the map's points, one idea with what its page shows, an author's ideas, the review queue."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from lidzdaliba.core.services import attachments_of

from ..models import Cycle, CycleStatus, Idea, IdeaFollow, IdeaReview, IdeaStatus
from ..models.ideas import PUBLIC_IDEA_STATUSES


def cycle_visible(*, user: Any, municipality, slug: str) -> Cycle | None:
    """The cycle ``slug`` of ``municipality``; a cycle still being prepared only for its
    officers."""
    from ..rules import is_budget_officer

    cycle = (
        Cycle.objects.select_related("municipality")
        .filter(municipality=municipality, slug=slug)
        .first()
    )
    if cycle is None:
        return None
    if cycle.status == CycleStatus.DRAFT and not is_budget_officer(user, cycle):
        return None
    return cycle


def ideas_public(
    *,
    cycle: Cycle,
    category: Any = None,
    theme: Any = None,
    neighbourhood: Any = None,
    status: str | None = None,
) -> QuerySet[Idea]:
    """Submitted and decided ideas of ``cycle`` (never drafts), numbered order, filtered."""
    ideas = (
        Idea.objects.filter(cycle=cycle, status__in=PUBLIC_IDEA_STATUSES)
        .select_related("category", "theme", "neighbourhood", "merged_into", "result")
        .defer("result__numbers", "result__sentence_lv", "result__sentence_en")
    )
    if category is not None:
        ideas = ideas.filter(category=category)
    if theme is not None:
        ideas = ideas.filter(theme=theme)
    if neighbourhood is not None:
        ideas = ideas.filter(neighbourhood=neighbourhood)
    if status:
        ideas = ideas.filter(status=status)
    return ideas.order_by("number", "id")


def filter_choices(cycle: Cycle) -> tuple[list[Any], list[Any], list[Any]]:
    """The categories, themes and neighbourhoods the idea list filters by, as ``pk`` and
    ``name`` in the current language: read once per change of the budget data (see
    ``budgeting.cache``), no query on most requests."""
    from types import SimpleNamespace

    from django.core.cache import cache

    from .. import cache as pb_cache

    key = pb_cache.fragment_key("idea-filters", cycle.pk, cycle.municipality_id)
    choices = cache.get(key)
    if choices is None:
        choices = tuple(
            [SimpleNamespace(pk=row.pk, name=row.name) for row in rows]
            for rows in (
                cycle.categories.all(),
                cycle.themes.all(),
                cycle.municipality.neighbourhoods.all(),
            )
        )
        cache.set(key, choices, pb_cache.FRAGMENT_SECONDS)
    return choices


def ideas_fingerprint(cycle: Cycle) -> tuple:
    """What changes whenever the public list of ``cycle`` changes, even by a write that
    sends no signal (submission numbers ideas with ``QuerySet.update``). One query."""
    row = Idea.objects.filter(cycle=cycle).aggregate(
        public=Count("id", filter=Q(status__in=PUBLIC_IDEA_STATUSES)),
        numbers=Sum("number"),
        changed=Max("updated_at"),
    )
    return (row["public"], row["numbers"], row["changed"])


def map_features(ideas: QuerySet[Idea], *, url_base: str) -> dict:
    """GeoJSON points of the ideas that have a place (one query), for ``core/_map.html``."""
    rows = ideas.filter(lat__isnull=False, lon__isnull=False).values_list(
        "pk", "number", "title", "lat", "lon"
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "name": f"{number}. {title}" if number else title,
                    "url": f"{url_base}{pk}/",
                },
            }
            for pk, number, title, lat, lon in rows
        ],
    }


def idea_visible(*, user: Any, cycle: Cycle, pk: int) -> Idea | None:
    """Idea ``pk`` of ``cycle`` if ``user`` may see it: a public idea to everyone, a draft
    to its author and co-authors and to the officers."""
    idea = (
        Idea.objects.select_related(
            "category",
            "theme",
            "neighbourhood",
            "merged_into",
            "review",
            "result__tally",  # the result section, without the published ballot file
        )
        .defer("result__tally__ballots_pb", "result__tally__result_json")
        .filter(cycle=cycle, pk=pk)
        .first()
    )
    if idea is not None:
        idea.cycle = cycle  # already read, with its municipality
    if idea is None or idea.is_public:
        return idea
    from ..rules import is_budget_officer

    if getattr(user, "is_authenticated", False) and (
        idea.author_id == user.pk
        or idea.coauthors.filter(pk=user.pk).exists()
        or is_budget_officer(user, cycle)
    ):
        return idea
    return None


def idea_page(*, user: Any, idea: Idea) -> dict[str, Any]:
    """What the idea's page shows besides the idea: cost lines, photos, co-authors, the
    review (its public part), ideas merged into this one, and whether ``user`` follows."""
    if "review" in idea._state.fields_cache:  # read with the idea (``idea_visible``)
        review = idea._state.fields_cache["review"]
    else:
        review = IdeaReview.objects.filter(idea=idea).first()
    return {
        "cost_lines": list(idea.cost_lines.all()),
        "photos": [a for a in attachments_of(target=idea) if a.is_image],
        "coauthors": list(idea.coauthors.all()),
        "review": review,
        "merged_here": list(
            idea.merged_ideas.filter(status=IdeaStatus.MERGED).only("pk", "number", "title")
        ),
        "following": bool(
            getattr(user, "is_authenticated", False)
            and IdeaFollow.objects.filter(idea=idea, user=user).exists()
        ),
        "sdg_goals": list(idea.sdg_goals.all()),
    }


def ideas_of(*, user: Any, cycle: Cycle) -> QuerySet[Idea]:
    """``user``'s ideas in ``cycle`` as author or co-author, drafts included, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Idea.objects.none()
    return (
        Idea.objects.filter(Q(author=user) | Q(coauthors=user), cycle=cycle)
        .distinct()
        .select_related("category")
        .order_by("-updated_at", "-id")
    )


def ideas_for_review(*, cycle: Cycle, state: str = "open") -> QuerySet[Idea]:
    """The review queue of ``cycle``: ``open`` (submitted, not decided), ``decided``
    (admitted, rejected, merged, withdrawn) or ``all`` public ideas; with their reviews."""
    ideas = Idea.objects.filter(cycle=cycle, status__in=PUBLIC_IDEA_STATUSES)
    if state == "open":
        ideas = ideas.filter(status=IdeaStatus.SUBMITTED)
    elif state == "decided":
        ideas = ideas.exclude(status=IdeaStatus.SUBMITTED)
    return ideas.select_related("category", "neighbourhood", "review", "merged_into").order_by(
        "number", "id"
    )


def merge_candidates(*, idea: Idea) -> QuerySet[Idea]:
    """Ideas of the same cycle that ``idea`` could be merged into."""
    return (
        Idea.objects.filter(
            cycle_id=idea.cycle_id, status__in=(IdeaStatus.SUBMITTED, IdeaStatus.ADMITTED)
        )
        .exclude(pk=idea.pk)
        .only("pk", "number", "title")
        .order_by("number", "id")
    )
