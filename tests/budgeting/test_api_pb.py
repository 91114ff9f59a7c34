"""``/api/pb/``: cycles, ballot projects and results; public, schema-checked, constant
queries, 404/409 as JSON, and the published SHA-256 equal to the downloaded file's."""

import datetime as dt
import hashlib

import pytest

from lidzdaliba.budgeting.models import CycleStatus, Tally
from lidzdaliba.budgeting.services.tally import tally_run

from .factories import make_ballot_projects
from .results_factories import cast, counted_cycle

pytestmark = pytest.mark.django_db

CYCLE_KEYS = {
    "slug",
    "title",
    "status",
    "submission_opens_at",
    "submission_closes_at",
    "review_ends_at",
    "voting_opens_at",
    "voting_closes_at",
    "implementation_starts_at",
    "finished_at",
    "results_confirmed_at",
    "total_budget",
    "url",
}
PROJECT_KEYS = {"id", "title", "category", "cost", "neighbourhood", "votes", "selected"}
RESULT_KEYS = {
    "category",
    "category_name",
    "budget",
    "rule",
    "winners",
    "total_cost",
    "num_ballots",
    "ballots_url",
    "ballots_sha256",
    "ballot_data_sha256",
    "result_url",
}
STATUSES = {"draft", "submission", "review", "voting", "results", "implementation", "finished"}


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_cycles(client, municipality, cycle_factory):
    cycle_factory(CycleStatus.DRAFT, slug="draft")
    cycle_factory(CycleStatus.SUBMISSION, slug="ideas")
    counted = counted_cycle(municipality)

    body = get(client, "/api/pb/cycles")

    assert {c["slug"] for c in body} == {"ideas", counted.slug}
    for item in body:
        assert set(item) == CYCLE_KEYS
        assert item["status"] in STATUSES
        for key in CYCLE_KEYS - {"slug", "title", "status", "total_budget", "url"}:
            if item[key] is not None:
                dt.datetime.fromisoformat(item[key])
    by_slug = {c["slug"]: c for c in body}
    assert by_slug[counted.slug]["status"] == "results"
    assert by_slug[counted.slug]["title"] == counted.title
    assert by_slug[counted.slug]["total_budget"] == counted.total_budget_cents
    assert by_slug["ideas"]["status"] == "submission"
    assert by_slug["ideas"]["results_confirmed_at"] is None


def test_projects_have_votes_only_after_the_results(client, voting_cycle, neighbourhood):
    idea = voting_cycle.ideas.order_by("pk").first()
    idea.neighbourhood = neighbourhood
    idea.save()
    cast(voting_cycle, [idea], times=2)

    body = get(client, f"/api/pb/cycles/{voting_cycle.slug}/projects")

    assert len(body) == 7
    for item in body:
        assert set(item) == PROJECT_KEYS
        assert isinstance(item["id"], str)
        assert isinstance(item["cost"], int)
        assert item["category"] in {"infrastruktura", "pasakumi"}
        assert item["votes"] is None
        assert item["selected"] is None
    first = next(p for p in body if p["id"] == str(idea.pk))
    assert first["cost"] == idea.ballot_cost_cents == 4_000_000
    assert first["neighbourhood"] == neighbourhood.slug
    assert first["title"] == idea.title


def test_projects_after_the_results(client, municipality):
    cycle = counted_cycle(municipality)
    ideas = cycle.ideas_by_name

    body = {p["id"]: p for p in get(client, f"/api/pb/cycles/{cycle.slug}/projects")}

    assert body[str(ideas["a"].pk)]["votes"] == 5
    assert body[str(ideas["b"].pk)]["votes"] == 4
    assert body[str(ideas["b"].pk)]["selected"] is False
    assert body[str(ideas["c"].pk)]["selected"] is True
    assert body[str(ideas["e1"].pk)]["category"] == "pasakumi"
    assert body[str(ideas["a"].pk)]["neighbourhood"] is None


def test_results(client, municipality):
    cycle = counted_cycle(municipality)
    ideas = cycle.ideas_by_name

    body = get(client, f"/api/pb/cycles/{cycle.slug}/results")

    assert [r["category"] for r in body] == ["infrastruktura", "pasakumi"]
    for item in body:
        assert set(item) == RESULT_KEYS
        assert len(item["ballots_sha256"]) == 64
    infra = body[0]
    assert infra["budget"] == 2_812_000
    assert infra["rule"] == "greedy"
    assert infra["winners"] == [str(ideas["a"].pk), str(ideas["c"].pk)]
    assert infra["total_cost"] == 2_800_000
    assert infra["num_ballots"] == 5
    assert infra["ballots_url"] == (
        f"http://testserver/budget/{cycle.slug}/results/infrastruktura.pb"
    )
    assert infra["result_url"].endswith(f"/budget/{cycle.slug}/results/infrastruktura.json")
    tally = Tally.objects.get(category__cycle=cycle, category__slug="infrastruktura")
    assert infra["ballot_data_sha256"] == tally.ballots_sha256


def test_the_published_sha256_is_the_downloaded_files(client, municipality):
    cycle = counted_cycle(municipality)

    for item in get(client, f"/api/pb/cycles/{cycle.slug}/results"):
        download = client.get(item["ballots_url"].removeprefix("http://testserver"))
        assert download.status_code == 200
        assert hashlib.sha256(download.content).hexdigest() == item["ballots_sha256"]
        document = client.get(item["result_url"].removeprefix("http://testserver")).json()
        assert document["winners"] == item["winners"]
        assert document["ballots_sha256"] == item["ballot_data_sha256"]


def test_results_are_409_before_they_are_public(client, voting_cycle, municipality):
    closed = get(client, f"/api/pb/cycles/{voting_cycle.slug}/results", status=409)
    waiting = counted_cycle(municipality, slug="waiting", count=False)
    counting = get(client, f"/api/pb/cycles/{waiting.slug}/results", status=409)

    # the message is in the API's language (Latvian by default)
    assert set(closed) == set(counting) == {"detail"}
    assert closed["detail"]
    assert counting["detail"]
    assert closed["detail"] != counting["detail"]


def test_unknown_and_draft_cycles_are_404(client, cycle_factory):
    draft = cycle_factory(CycleStatus.DRAFT, slug="draft")
    for path in ("projects", "results"):
        assert set(get(client, f"/api/pb/cycles/nope/{path}", status=404)) == {"detail"}
        assert set(get(client, f"/api/pb/cycles/{draft.slug}/{path}", status=404)) == {"detail"}


def test_no_authentication_needed_and_no_writes(client, municipality):
    cycle = counted_cycle(municipality)
    assert client.post(f"/api/pb/cycles/{cycle.slug}/results").status_code == 405


def test_query_counts_do_not_grow(client, municipality, django_assert_num_queries):
    small = counted_cycle(municipality, slug="small")
    big = counted_cycle(municipality, slug="big", count=False)
    more = make_ballot_projects(big, {"infrastruktura": [1_000] * 12, "pasakumi": [500] * 8})
    cast(big, more["infrastruktura"][:4] + more["pasakumi"][:2], times=3)
    tally_run(big)
    get(client, "/api/pb/cycles")  # warm up

    counts = {}
    for slug in ("small", "big"):
        for path in ("projects", "results"):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                get(client, f"/api/pb/cycles/{slug}/{path}")
            counts[(slug, path)] = len(captured.captured_queries)
    assert counts[("small", "projects")] == counts[("big", "projects")]
    assert counts[("small", "results")] == counts[("big", "results")]
    assert max(counts.values()) <= 8
    assert small.pk != big.pk


def test_responses_match_the_published_openapi_schema(client, municipality, voting_cycle):
    jsonschema = pytest.importorskip("jsonschema")
    cycle = counted_cycle(municipality)
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]

    def check(url, path, status=200):
        response = client.get(url)
        assert response.status_code == status
        documented = paths[path]["get"]["responses"][str(status)]["content"]["application/json"]
        jsonschema.validate(
            response.json(), {**documented["schema"], "components": schema["components"]}
        )

    check("/api/pb/cycles", "/api/pb/cycles")
    check(f"/api/pb/cycles/{cycle.slug}/projects", "/api/pb/cycles/{slug}/projects")
    check(f"/api/pb/cycles/{cycle.slug}/results", "/api/pb/cycles/{slug}/results")
    check(f"/api/pb/cycles/{voting_cycle.slug}/results", "/api/pb/cycles/{slug}/results", 409)
    check("/api/pb/cycles/nope/results", "/api/pb/cycles/{slug}/results", 404)
