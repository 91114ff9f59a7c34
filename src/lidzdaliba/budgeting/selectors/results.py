"""Reads for the results pages, the check page, the receipt lookup and the API.

Results are public when the cycle has reached its results phase (voting closed) and every
category's count is ``done``; until then nothing about votes or winners is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Ballot, Category, Cycle, CycleStatus, Idea, IdeaStatus, ProjectResult, Tally


def cycle_public(*, municipality, slug: str) -> Cycle | None:
    """The municipality's cycle ``slug`` unless it is still being prepared, or None."""
    if municipality is None:
        return None
    return (
        Cycle.objects.filter(municipality=municipality, slug=slug)
        .exclude(status=CycleStatus.DRAFT)
        .select_related("municipality", "results_confirmed_by")
        .first()
    )


def cycle_any(*, municipality, slug: str) -> Cycle | None:
    """The municipality's cycle ``slug`` in any phase (staff pages), or None."""
    if municipality is None:
        return None
    return (
        Cycle.objects.filter(municipality=municipality, slug=slug)
        .select_related("municipality", "results_confirmed_by")
        .first()
    )


def cycles_public(*, municipality) -> list[Cycle]:
    """Every cycle of the municipality but those still being prepared, newest first."""
    if municipality is None:
        return []
    return list(Cycle.objects.filter(municipality=municipality).exclude(status=CycleStatus.DRAFT))


def categories_with_tallies(cycle: Cycle, *, files: bool = True) -> list[Category]:
    """The cycle's categories in order, each with ``tally_or_none`` set (two queries).
    ``files=False`` leaves the published ballot file (``ballots_pb``, megabytes on a
    large count) unread, for pages that do not show it."""
    categories = list(
        Category.objects.filter(cycle=cycle)
        .select_related("neighbourhood")
        .order_by("position", "id")
    )
    tallies_qs = Tally.objects.filter(cycle=cycle)
    if not files:
        tallies_qs = tallies_qs.defer("ballots_pb")
    tallies = {t.category_id: t for t in tallies_qs}
    for category in categories:
        category.cycle = cycle
        category.tally_or_none = tallies.get(category.pk)
    return categories


def results_published(cycle: Cycle, categories: list[Category] | None = None) -> bool:
    """True when voting has closed and every category of the cycle is counted."""
    if not cycle.results_public:
        return False
    if categories is None:
        categories = categories_with_tallies(cycle, files=False)
    return bool(categories) and all(
        c.tally_or_none is not None and c.tally_or_none.status == Tally.Status.DONE
        for c in categories
    )


@dataclass
class CategoryResult:
    category: Category
    tally: Tally
    rows: list[ProjectResult] = field(default_factory=list)

    @property
    def budget_cents(self) -> int:
        return self.tally.budget_cents

    @property
    def spent_cents(self) -> int:
        return self.tally.total_cost_cents

    @property
    def left_cents(self) -> int:
        return max(0, self.tally.budget_cents - self.tally.total_cost_cents)

    @property
    def max_votes(self) -> int:
        return max((r.votes for r in self.rows), default=0)

    @property
    def winners(self) -> list[ProjectResult]:
        """Funded projects in the order the count funded them."""
        return sorted((r for r in self.rows if r.selected), key=lambda r: (r.round or 0, r.pk))

    @property
    def funded_count(self) -> int:
        return sum(1 for r in self.rows if r.selected)


def category_results(
    cycle: Cycle, categories: list[Category] | None = None
) -> list[CategoryResult]:
    """Every counted category with its project results (most votes first), in two queries
    whatever the number of projects."""
    if categories is None:
        categories = categories_with_tallies(cycle)
    tallies = [c.tally_or_none for c in categories if c.tally_or_none is not None]
    rows_by_tally: dict[int, list[ProjectResult]] = {t.pk: [] for t in tallies}
    rows = (
        ProjectResult.objects.filter(tally__in=tallies)
        .select_related("idea", "idea__neighbourhood", "idea__theme")
        .order_by("tally_id", "-votes", "idea_id")
    )
    for row in rows:
        rows_by_tally[row.tally_id].append(row)
    out = []
    for category in categories:
        tally = category.tally_or_none
        if tally is None or tally.status != Tally.Status.DONE:
            continue
        tally.category = category
        out.append(CategoryResult(category, tally, rows_by_tally.get(tally.pk, [])))
    return out


def tally_of(*, cycle: Cycle, category_slug: str) -> Tally | None:
    """The done tally of the cycle's category ``category_slug`` (with its category), or None."""
    return (
        Tally.objects.filter(cycle=cycle, category__slug=category_slug, status=Tally.Status.DONE)
        .select_related("category", "category__cycle", "category__cycle__municipality")
        .first()
    )


def ballot_projects_of_cycle(cycle: Cycle) -> list[Idea]:
    """The cycle's ballot projects with their category, neighbourhood and result (one
    query, reading only what the API lists)."""
    return list(
        Idea.objects.filter(cycle=cycle, status=IdeaStatus.ADMITTED)
        .select_related("category", "neighbourhood", "result")
        .only(
            "id",
            "title",
            "cost_cents",
            "ballot_cost_cents",
            "category__slug",
            "neighbourhood__slug",
            "result__votes",
            "result__selected",
        )
        .order_by("category__position", "category_id", "number", "pk")
    )


def ballot_for_receipt(*, cycle: Cycle, code: str) -> Ballot | None:
    """The ballot of ``cycle`` with receipt code ``code`` (typed loosely), or None."""
    from ..services.voting import receipt_code_normalise

    normalised = receipt_code_normalise(code or "")
    if not normalised:
        return None
    return Ballot.objects.filter(cycle=cycle, receipt_code=normalised).first()


def ballot_categories(ballot: Ballot) -> set[int]:
    """Ids of the categories in which ``ballot`` chose at least one project."""
    return set(ballot.choices.values_list("category_id", flat=True).distinct())


def ballot_line(tally: Tally, public_id: str) -> str | None:
    """The line of the tally's published file that holds the ballot ``public_id``, or None."""
    if not public_id or tally is None or tally.status != Tally.Status.DONE:
        return None
    prefix = f"{public_id};"
    in_votes = False
    for line in tally.ballots_pb.splitlines():
        if not in_votes:
            in_votes = line.strip().strip(";").upper() == "VOTES"
            continue
        if line.startswith(prefix):
            return line
    return None


def staff_tallies(cycle: Cycle) -> list[Category]:
    """Categories with their tallies for the officers' page (see ``categories_with_tallies``)."""
    return categories_with_tallies(cycle)


__all__ = [
    "CategoryResult",
    "ballot_categories",
    "ballot_for_receipt",
    "ballot_line",
    "ballot_projects_of_cycle",
    "categories_with_tallies",
    "category_results",
    "cycle_any",
    "cycle_public",
    "cycles_public",
    "results_published",
    "staff_tallies",
    "tally_of",
]
