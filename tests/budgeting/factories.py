"""Builders for participatory-budget tests: a Liepāja-shaped cycle in any phase."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lidzdaliba.budgeting.models import Category, Cycle, CycleStatus, Idea, IdeaStatus, Theme

EURO = 100


def make_cycle(
    municipality,
    *,
    status: str = CycleStatus.VOTING,
    slug: str = "pb-test",
    infra_budget_eur: int = 185_000,
    events_budget_eur: int = 50_300,
    rule: str = "greedy",
    ballot_form: str = "approval",
    max_picks: int | None = 3,
) -> Cycle:
    """A cycle with two whole-municipality categories (infrastructure, events) and a theme
    each, its dates placed around now so that ``status`` is the phase the dates say."""
    now = timezone.now()
    day = dt.timedelta(days=1)
    offsets = {  # where "now" falls: each phase starts N days before now
        CycleStatus.DRAFT: 10,
        CycleStatus.SUBMISSION: 0,
        CycleStatus.REVIEW: -40,
        CycleStatus.VOTING: -70,
        CycleStatus.RESULTS: -90,
        CycleStatus.IMPLEMENTATION: -100,
        CycleStatus.FINISHED: -500,
    }
    start = now + offsets[status] * day - day
    cycle = Cycle.objects.create(
        municipality=municipality,
        slug=slug,
        title=f"Test budget {slug}",
        description="A participatory budget for tests.",
        status=status,
        total_budget_cents=(infra_budget_eur + events_budget_eur + 22_000) * EURO,
        reserve_cents=22_000 * EURO,
        submission_opens_at=start,
        submission_closes_at=start + 35 * day,
        review_ends_at=start + 65 * day,
        voting_opens_at=start + 70 * day,
        voting_closes_at=start + 84 * day,
        implementation_starts_at=start + 100 * day,
        finished_at=start + 465 * day,
    )
    infra = Category.objects.create(
        cycle=cycle,
        slug="infrastruktura",
        name="Infrastructure",
        budget_cents=infra_budget_eur * EURO,
        cost_cap_cents=50_000 * EURO,
        ballot_form=ballot_form,
        max_picks=max_picks,
        rule=rule,
        position=1,
    )
    events = Category.objects.create(
        cycle=cycle,
        slug="pasakumi",
        name="Events",
        budget_cents=events_budget_eur * EURO,
        cost_cap_cents=10_000 * EURO,
        ballot_form=ballot_form,
        max_picks=max_picks,
        rule=rule,
        position=2,
    )
    Theme.objects.create(cycle=cycle, category=infra, name="Parks", position=1)
    Theme.objects.create(cycle=cycle, category=events, name="Cultural event", position=2)
    return cycle


def make_idea(
    cycle,
    category,
    *,
    title: str = "A new playground",
    cost_eur: int = 20_000,
    status: str = IdeaStatus.ADMITTED,
    author=None,
    neighbourhood=None,
    number: int | None = None,
) -> Idea:
    """An idea in ``status``; admitted ideas carry a ballot cost (the author's estimate)."""
    submitted = status != IdeaStatus.DRAFT
    return Idea.objects.create(
        cycle=cycle,
        category=category,
        theme=category.themes.first(),
        number=number,
        title=title,
        summary=f"{title}: summary.",
        description=f"{title}: description.",
        lat=56.5110 if neighbourhood is None else None,
        lon=21.0137 if neighbourhood is None else None,
        neighbourhood=neighbourhood,
        cost_cents=cost_eur * EURO,
        ballot_cost_cents=cost_eur * EURO if status == IdeaStatus.ADMITTED else None,
        author=author,
        author_name=str(author) if author else "Anna Bērziņa",
        status=status,
        decision_reason="" if status not in ("rejected", "merged") else "Reason.",
        submitted_at=timezone.now() if submitted else None,
    )


def make_ballot_projects(cycle, costs_eur: dict[str, list[int]]) -> dict[str, list[Idea]]:
    """Admitted ideas per category slug: ``{"infrastruktura": [20_000, 45_000], ...}``."""
    out: dict[str, list[Idea]] = {}
    number = cycle.ideas.count()
    for slug, costs in costs_eur.items():
        category = cycle.categories.get(slug=slug)
        out[slug] = []
        for i, cost in enumerate(costs, start=1):
            number += 1
            out[slug].append(
                make_idea(
                    cycle,
                    category,
                    title=f"{category.name} project {i}",
                    cost_eur=cost,
                    number=number,
                )
            )
    return out
