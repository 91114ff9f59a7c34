"""Every participatory-budget page of the demo data, in the browser, checked with axe
(WCAG 2.1 A/AA) and for Content-Security-Policy violations.

The demo's three cycles cover every phase a visitor meets: 2025 finished (results, files,
projects, maintenance), 2026 in voting (ballots, turnout, results not yet public), 2027 in
idea submission (the idea form, drafts, ideas waiting for review). The pages are visited in
Latvian (the default), a few in English, Russian and Ukrainian, as a visitor, as the demo
resident Anna (who votes), as the NGO representative and as the budget officer on every staff
page. Problems are collected over the whole sweep and reported together, so one run names
every page that needs work, not only the first.
"""

import pytest
from django.db.models import Q

from lidzdaliba.budgeting.models import Ballot, Idea, IdeaStatus, Implementation
from tests.e2e.test_petitions_signing import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    """The demo's places, people and PB cycles (not the other modules' demo data, which the
    PB pages never show); the officer gets an authenticator app, as staff pages demand."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from lidzdaliba.accounts.models import User
    from lidzdaliba.budgeting.demo import load_budgeting
    from lidzdaliba.core.demo.load import load_organisations, load_people, load_places

    municipality = load_places()
    load_organisations(municipality)
    load_people(municipality)
    cycles = load_budgeting(municipality)
    users = {
        u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@liepaja.example")
    }
    if not Authenticator.objects.filter(user=users["officer"], type=Authenticator.Type.TOTP):
        TOTP.activate(users["officer"], "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return {"cycles": cycles, "users": users}


def _idea(slug, status, **extra):
    return Idea.objects.filter(cycle__slug=slug, status=status, **extra).order_by("pk").first()


def _public_paths():
    """(path, what, axe) of every public page, in Latvian, for the three demo cycles.

    axe runs once per template and state (it takes a second or more on a long page); a page
    that shows a state already checked in another cycle (the "not yet" results of 2026 and
    2027, say) gets the quick checks only: answer 200, a title, one heading, no CSP report."""
    funded = Implementation.objects.filter(idea__cycle__slug="2025").order_by("idea_id")
    cancelled = funded.filter(status="cancelled").first()
    unfunded = (
        Idea.objects.filter(cycle__slug="2025", status=IdeaStatus.ADMITTED)
        .exclude(pk__in=funded.values("idea_id"))
        .order_by("pk")
        .first()
    )
    ideas = {
        "2025 funded idea": funded.first().idea,
        "2025 cancelled project": cancelled.idea if cancelled else None,
        "2025 unfunded idea": unfunded,
        "2025 rejected idea": _idea("2025", IdeaStatus.REJECTED),
        "2025 merged idea": _idea("2025", IdeaStatus.MERGED),
        "2026 admitted idea": _idea("2026", IdeaStatus.ADMITTED),
        "2026 rejected idea": _idea("2026", IdeaStatus.REJECTED),
        "2027 submitted idea": _idea("2027", IdeaStatus.SUBMITTED),
    }
    paths = [("/budget/", "index", True)]
    pages = ("", "ideas/", "statistics/", "vote/", "turnout/", "results/", "check/", "receipt/")
    pages += ("projects/",)
    seen_in_2026 = {"results/", "check/", "receipt/", "projects/", "statistics/"}
    for slug in ("2025", "2026", "2027"):
        for suffix in pages:
            axe = not (slug == "2027" and suffix in seen_in_2026)
            paths.append((f"/budget/{slug}/{suffix}", f"{slug} {suffix or 'cycle'}", axe))
    paths.append(("/budget/2025/projects/maintenance/", "maintenance", True))
    paths.append(("/budget/2025/projects/?status=done", "projects filtered", False))
    paths.append(("/budget/2025/ideas/?status=rejected", "ideas filtered", False))
    for what, idea in ideas.items():
        if idea is not None:
            paths.append((f"/budget/{idea.cycle.slug}/ideas/{idea.pk}/", what, True))
    return paths


def test_every_pb_page_has_no_axe_or_csp_violation(
    page_factory, live_server, demo, axe_check, csp_clean
):
    problems: list[str] = []

    def check(page, path, *, what="", status=200, go=True, axe=True):
        if go:
            response = page.goto(path)
            if response is None or response.status != status:
                got = response.status if response else "no response"
                problems.append(f"{path} ({what}): HTTP {got}, expected {status}")
                return
        if not page.title().strip() or page.locator("main h1").count() != 1:
            problems.append(f"{page.url} ({what}): needs a <title> and exactly one <h1>")
        for checker in (axe_check, csp_clean) if axe else (csp_clean,):
            try:
                checker(page)
            except AssertionError as error:
                problems.append(f"{page.url} ({what}): {error}")
        page.console_errors.clear()

    # a visitor, on a phone, in Latvian
    visitor = page_factory(mobile=True)
    for path, what, axe in _public_paths():
        check(visitor, path, what=what, axe=axe)

    # the receipt lookup with a real code, and a ballot file that is there
    code = Ballot.objects.filter(cycle__slug="2025").order_by("pk").first().receipt_code
    visitor.goto("/budget/2025/receipt/")
    visitor.locator("main input[name=code]").fill(code)
    visitor.locator("main button[type=submit]").click()
    visitor.locator(".pb-receipt-result").wait_for()
    check(visitor, "", what="receipt found", go=False)

    # a few pages in the other languages, on a desktop
    desk = page_factory()
    idea = _idea("2025", IdeaStatus.ADMITTED)
    for path, axe in (
        ("/en/budget/", False),
        ("/en/budget/2025/results/", False),
        ("/en/budget/2027/ideas/", True),
        (f"/en/budget/2025/ideas/{idea.pk}/", False),
        ("/ru/budget/2026/", True),
        ("/ru/budget/2025/statistics/", False),
        ("/ru/budget/2025/projects/", False),
        ("/uk/budget/2025/check/", True),
        ("/uk/budget/2026/turnout/", False),
        ("/uk/budget/2025/receipt/", False),
    ):
        check(desk, path, what="translation", axe=axe)

    # Anna, a verified resident, votes in 2026 and has a draft in 2027
    anna = page_factory(mobile=True)
    log_in(anna, live_server, demo["users"]["anna"])
    draft = Idea.objects.filter(
        cycle__slug="2027", status=IdeaStatus.DRAFT, author=demo["users"]["anna"]
    ).first()
    for path, what in (
        ("/budget/2026/vote/", "vote overview"),
        ("/budget/2026/vote/pasakumi/", "ballot, one project"),
        ("/budget/2026/vote/infrastruktura/", "ballot, approval"),
    ):
        check(anna, path, what=what)
    anna.locator("main input[type=checkbox]").first.check()
    anna.locator("main form button[type=submit]").last.click()
    anna.wait_for_load_state()
    check(anna, "", what="ballot counted", go=False)
    check(anna, "/budget/2026/vote/", what="vote overview after voting")
    check(anna, "/budget/2027/ideas/new/", what="idea form")
    check(anna, "/budget/2027/ideas/mine/", what="my ideas")
    if draft is not None:
        check(anna, f"/budget/2027/ideas/{draft.pk}/", what="own draft")
        check(anna, f"/budget/2027/ideas/{draft.pk}/edit/", what="draft form")
    # the idea form with its errors
    anna.goto("/budget/2027/ideas/new/")
    anna.locator("main button[name=submit]").click()
    anna.wait_for_load_state()
    check(anna, "", what="idea form with errors", go=False)

    # the NGO's representative may submit for the organisation
    ngo = page_factory()
    log_in(ngo, live_server, demo["users"]["ngo"])
    check(ngo, "/budget/2027/ideas/new/", what="idea form (NGO)")

    # the budget officer, on every staff page
    officer = page_factory()
    log_in(officer, live_server, demo["users"]["officer"])
    implementation = Implementation.objects.filter(idea__cycle__slug="2025").first()
    decided = Idea.objects.filter(cycle__slug="2026").filter(
        Q(status=IdeaStatus.ADMITTED) | Q(status=IdeaStatus.REJECTED)
    )
    category = demo["cycles"]["2027"].categories.order_by("pk").first()
    theme = demo["cycles"]["2027"].themes.order_by("pk").first()
    staff_paths = [("/budget/staff/", True), ("/budget/staff/new/", True)]
    for slug in ("2025", "2026", "2027"):
        staff_paths += [
            (f"/budget/staff/{slug}/", True),
            (f"/budget/staff/{slug}/review/", slug != "2026"),
            (f"/budget/staff/{slug}/results/", slug != "2027"),
        ]
    staff_paths += [
        ("/budget/staff/2027/edit/", True),
        ("/budget/staff/2027/categories/new/", True),
        (f"/budget/staff/2027/categories/{category.pk}/", False),
        ("/budget/staff/2027/themes/new/", True),
        (f"/budget/staff/2027/themes/{theme.pk}/", False),
        ("/budget/staff/2027/review/?state=all", False),
        (f"/budget/staff/2027/review/{_idea('2027', IdeaStatus.SUBMITTED).pk}/", True),
        (f"/budget/staff/2026/review/{decided.order_by('pk').first().pk}/", True),
        ("/budget/staff/2026/paper/", True),
        ("/budget/staff/2025/projects/", True),
        (f"/budget/staff/2025/projects/{implementation.idea_id}/", True),
    ]
    for path, axe in staff_paths:
        check(officer, path, what="staff", axe=axe)

    assert not problems, f"{len(problems)} problems:\n" + "\n\n".join(problems)
