"""Results pages: hidden until voting closes and the count is done, every project with its
votes and the reason in the page's language, the ballot files and JSON, "check it
yourself", the receipt lookup, and the officers' page (rerun, confirmation with audit)."""

import hashlib
import json
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client

from lidzdaliba.budgeting.models import CycleStatus, Implementation, Tally
from lidzdaliba.core.models import AuditEvent

from .factories import make_ballot_projects
from .results_factories import cast, counted_cycle

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def cycle(municipality):
    return counted_cycle(municipality)


@pytest.fixture
def officer(officer_factory):
    return officer_factory("budgeting", totp=True)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- hidden before the close ------------------------------------------------------------


def test_results_are_hidden_while_voting_is_open(client, voting_cycle):
    ideas = list(voting_cycle.ideas.all())
    cast(voting_cycle, ideas[:2], times=2)

    html = page(client, f"/en/budget/{voting_cycle.slug}/results/")

    assert "The results will be published after voting closes on" in html
    assert "Not funded" not in html
    assert "<meter" not in html
    for idea in ideas:
        assert idea.title not in html
    assert client.get(f"/budget/{voting_cycle.slug}/results/infrastruktura.pb").status_code == 404
    assert client.get(f"/budget/{voting_cycle.slug}/results/infrastruktura.json").status_code == 404
    assert "after voting closes" in page(client, f"/en/budget/{voting_cycle.slug}/check/")


def test_results_wait_for_the_count(client, municipality):
    cycle = counted_cycle(municipality, count=False)

    html = page(client, f"/en/budget/{cycle.slug}/results/")

    assert "The votes are being counted" in html
    assert "Skatepark" not in html


def test_a_cycle_being_prepared_has_no_results_page(client, cycle_factory):
    cycle = cycle_factory(CycleStatus.DRAFT, slug="draft")
    assert client.get(f"/budget/{cycle.slug}/results/").status_code == 404
    assert client.get("/budget/no-such-cycle/results/").status_code == 404


# --- the results page -------------------------------------------------------------------


def test_results_page_in_latvian(client, cycle):
    html = page(client, f"/budget/{cycle.slug}/results/")

    assert '<html lang="lv">' in html
    for title in ("Skatepark", "Suņu laukums", "Soliņi", "Koncerts"):
        assert title in html
    assert (
        f"nav finansēts: kad pienāca tā kārta, bija atlikuši 8{NBSP}120{NBSP}€, "
        f"bet vajadzēja 14{NBSP}900{NBSP}€"
    ) in html
    assert f"28{NBSP}000,00{NBSP}€" in html  # spent on infrastructure
    assert f"120,00{NBSP}€" in html  # left
    assert "<meter" in html
    assert "<progress" in html
    assert ' style="' not in html
    assert "<script>" not in html
    assert f'href="/budget/{cycle.slug}/results/infrastruktura.pb"' in html
    assert f'href="/budget/{cycle.slug}/results/pasakumi.json"' in html
    assert 'id="pb-results-map"' in html


def test_results_page_in_english(client, cycle):
    html = page(client, f"/en/budget/{cycle.slug}/results/")

    assert "not funded: €8,120 left when its turn came, it needed €14,900" in html
    assert "Not yet confirmed" in html
    assert "3 projects funded for €33,000.00 of €78,420.00; €45,420.00 left." in html


def test_russian_pages_show_the_english_explanations(client, cycle):
    html = page(client, f"/ru/budget/{cycle.slug}/results/")

    assert "not funded: €8,120 left when its turn came, it needed €14,900" in html


def test_results_page_queries_do_not_grow_with_projects(
    client, municipality, django_assert_max_num_queries
):
    small = counted_cycle(municipality, slug="small")
    page(client, f"/budget/{small.slug}/results/")  # warm caches (municipality, sessions)
    cache.clear()  # the published part is a cached fragment: measure its rendering
    with django_assert_max_num_queries(12) as captured:
        page(client, f"/budget/{small.slug}/results/")
    few = len(captured.captured_queries)

    big = counted_cycle(municipality, slug="big", count=False)
    more = make_ballot_projects(big, {"infrastruktura": [1_000] * 15, "pasakumi": [500] * 10})
    cast(big, more["infrastruktura"][:3] + more["pasakumi"][:3], times=4)
    from lidzdaliba.budgeting.services.tally import tally_run

    tally_run(big)
    cache.clear()
    with django_assert_max_num_queries(few) as captured:
        page(client, f"/budget/{big.slug}/results/")
    assert len(captured.captured_queries) == few


# --- files ------------------------------------------------------------------------------


def test_ballot_file_download(client, cycle):
    response = client.get(f"/budget/{cycle.slug}/results/infrastruktura.pb")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="liepaja_{cycle.slug}_infrastruktura.pb"'
    )
    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    assert hashlib.sha256(response.content).hexdigest() == tally.file_sha256
    assert response.content.decode("utf-8").startswith("META\nkey;value\n")


def test_result_json(client, cycle):
    response = client.get(f"/en/budget/{cycle.slug}/results/infrastruktura.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    ideas = cycle.ideas_by_name
    assert document["engine"] == "pbvote"
    assert document["category"] == "infrastruktura"
    assert document["budget_cents"] == 2_812_000
    assert document["rule"] == "greedy"
    assert document["winners"] == [str(ideas["a"].pk), str(ideas["c"].pk)]
    assert document["ballots_url"] == (
        f"http://testserver/budget/{cycle.slug}/results/infrastruktura.pb"
    )
    assert document["ballots_sha256"] == tally.ballots_sha256
    assert document["file_sha256"] == tally.file_sha256
    project = next(p for p in document["projects"] if p["project_id"] == str(ideas["b"].pk))
    assert project["reason"] == "no-money"
    assert project["sentence"]["en"] == (
        "not funded: €8,120 left when its turn came, it needed €14,900"
    )


def test_unknown_category_files_are_404(client, cycle):
    assert client.get(f"/budget/{cycle.slug}/results/nav.pb").status_code == 404
    assert client.get(f"/budget/{cycle.slug}/results/nav.json").status_code == 404


# --- check it yourself ------------------------------------------------------------------


def test_check_page_shows_hashes_commands_and_winners(client, cycle):
    html = unescape(page(client, f"/en/budget/{cycle.slug}/check/"))

    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    assert tally.file_sha256 in html
    assert tally.ballots_sha256 in html
    assert f"sha256sum liepaja_{cycle.slug}_infrastruktura.pb" in html
    assert f"pbvote tally liepaja_{cycle.slug}_infrastruktura.pb --rule greedy --json" in html
    assert "greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)" in html
    assert f'parse_pabulib("liepaja_{cycle.slug}_infrastruktura.pb")' in html
    assert ", ".join(sorted(tally.winners)) in html
    assert ' style="' not in html


def test_check_page_in_latvian(client, cycle):
    html = page(client, f"/budget/{cycle.slug}/check/")
    assert '<html lang="lv">' in html
    assert "pbvote tally" in html


# --- receipts ---------------------------------------------------------------------------


def test_receipt_lookup_shows_the_ballot_line(client, cycle):
    ballot = cycle.cast_ballots[0]
    typed = ballot.receipt_code.lower().replace("-", " ")

    response = client.post(f"/en/budget/{cycle.slug}/receipt/", {"code": typed})

    html = response.content.decode()
    assert response.status_code == 200
    assert ballot.public_id in html
    a, b, c, e1 = (cycle.ideas_by_name[k].pk for k in ("a", "b", "c", "e1"))
    assert f"{ballot.public_id};{a},{b},{c};" in html
    assert f"{ballot.public_id};{e1}" in html
    assert "your ballot is in the published file" in html
    assert ballot.receipt_code not in html.replace(typed, "")


def test_receipt_lookup_unknown_code(client, cycle):
    response = client.post(f"/en/budget/{cycle.slug}/receipt/", {"code": "AAAA-BBBB-CCCC-DDDD"})

    assert response.status_code == 200
    assert "No ballot has this receipt code" in response.content.decode()


def test_receipt_lookup_before_the_count(client, municipality):
    cycle = counted_cycle(municipality, count=False)
    ballot = cycle.cast_ballots[0]

    html = client.post(
        f"/en/budget/{cycle.slug}/receipt/", {"code": ballot.receipt_code}
    ).content.decode()

    assert ballot.public_id in html
    assert "published when the votes have been counted" in html


def test_receipt_lookup_is_rate_limited(client, cycle, settings):
    settings.BUDGET_RECEIPT_LOOKUPS_PER_HOUR = 3
    url = f"/en/budget/{cycle.slug}/receipt/"
    for _ in range(3):
        assert client.post(url, {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 200

    response = client.post(url, {"code": cycle.cast_ballots[0].receipt_code})

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many receipt codes were checked" in html
    assert cycle.cast_ballots[0].public_id not in html
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(url, {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 200


def test_receipt_form_page(client, cycle):
    html = page(client, f"/budget/{cycle.slug}/receipt/")
    assert 'name="code"' in html
    assert 'for="id_code"' in html
    assert client.post(f"/en/budget/{cycle.slug}/receipt/", {"code": ""}).status_code == 200


# --- staff ------------------------------------------------------------------------------


def test_residents_cannot_open_the_staff_page(client, cycle, verified_resident):
    url = f"/budget/staff/{cycle.slug}/results/"
    assert client.get(url).status_code == 302  # to the login
    client.force_login(verified_resident)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "confirm", "decision": "Nr. 1"}).status_code == 403
    cycle.refresh_from_db()
    assert cycle.results_confirmed_at is None


def test_staff_page_shows_each_category_state(client, cycle, officer):
    Tally.objects.filter(category__slug="pasakumi", cycle=cycle).update(
        status=Tally.Status.FAILED, error="MemoryError: out of memory"
    )
    client.force_login(officer)

    html = page(client, f"/en/budget/staff/{cycle.slug}/results/")

    assert "counted" in html
    assert "count failed" in html
    assert "MemoryError: out of memory" in html
    assert "The results can be confirmed when every category has been counted." in html


def test_staff_rerun_counts_again(client, cycle, officer, django_capture_on_commit_callbacks):
    Tally.objects.filter(cycle=cycle).update(status=Tally.Status.FAILED, error="boom")
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/budget/staff/{cycle.slug}/results/", {"action": "rerun"})

    assert response.status_code == 302
    assert set(Tally.objects.filter(cycle=cycle).values_list("status", flat=True)) == {"done"}
    assert AuditEvent.objects.filter(verb="budget.count.requested", actor=officer).exists()


def test_staff_confirms_the_results(client, cycle, officer):
    client.force_login(officer)
    url = f"/en/budget/staff/{cycle.slug}/results/"

    response = client.post(url, {"action": "confirm", "decision": ""})
    assert response.status_code == 400
    cycle.refresh_from_db()
    assert cycle.results_confirmed_at is None

    response = client.post(url, {"action": "confirm", "decision": "Domes lēmums Nr. 123, 1.7.2025"})

    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.results_confirmed_at is not None
    assert cycle.results_confirmed_by == officer
    assert cycle.results_decision == "Domes lēmums Nr. 123, 1.7.2025"
    event = AuditEvent.objects.get(verb="budget.results.confirmed")
    assert event.actor == officer
    assert event.data["decision"] == "Domes lēmums Nr. 123, 1.7.2025"
    winners = {i.pk for k, i in cycle.ideas_by_name.items() if k in ("a", "c", "e1")}
    assert set(Implementation.objects.values_list("idea_id", flat=True)) == winners
    html = page(client, f"/en/budget/{cycle.slug}/results/")
    assert "Domes lēmums Nr. 123, 1.7.2025" in html

    # confirmed results are final: no recount, no second confirmation
    client.post(url, {"action": "rerun"})
    assert not Tally.objects.filter(cycle=cycle).exclude(status="done").exists()
    html = page(client, url)
    assert "Count again" not in html
    response = client.post(url, {"action": "confirm", "decision": "Another"})
    cycle.refresh_from_db()
    assert cycle.results_decision == "Domes lēmums Nr. 123, 1.7.2025"


def test_confirmation_needs_every_category_counted(client, cycle, officer):
    Tally.objects.filter(category__slug="pasakumi", cycle=cycle).update(status="running")
    client.force_login(officer)

    response = client.post(
        f"/en/budget/staff/{cycle.slug}/results/", {"action": "confirm", "decision": "Nr. 5"}
    )

    assert "Every category must be counted" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.results_confirmed_at is None
    assert not Implementation.objects.exists()


def test_idea_result_include(municipality):
    from django.template.loader import render_to_string
    from django.utils import translation

    cycle = counted_cycle(municipality)
    idea = cycle.ideas_by_name["b"]
    idea.refresh_from_db()

    with translation.override("en"):
        html = render_to_string("budgeting/results/_idea_result.html", {"idea": idea})
    assert "Not funded" in html
    assert "4 votes" in html
    assert "not funded: €8,120 left when its turn came, it needed €14,900" in html

    Tally.objects.filter(category=idea.category).update(status="running")
    idea = type(idea).objects.get(pk=idea.pk)
    assert "Voting result" not in render_to_string(
        "budgeting/results/_idea_result.html", {"idea": idea}
    )
    # an idea that was never counted shows nothing (and does not fail)
    uncounted = counted_cycle(municipality, slug="uncounted", count=False).ideas.first()
    assert (
        render_to_string("budgeting/results/_idea_result.html", {"idea": uncounted}).strip() == ""
    )
