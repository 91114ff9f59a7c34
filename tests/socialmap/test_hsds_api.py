"""The HSDS 3.0 API and datapackage, validated against the official schemas
(``../shared/standards/hsds``): jsonschema for the JSON, ``frictionless validate`` for the
tabular package. Zero errors is the bar."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator

from hsds_profile import tabular
from hsds_profile.validate import errors as schema_errors
from lidzdaliba.socialmap import services as sm_services
from lidzdaliba.socialmap.models import ChangeRequest, Provider, Service
from lidzdaliba.socialmap.tabular_export import directory_tables

HSDS_DIR = settings.REPO_DIR / ".." / "shared" / "standards" / "hsds"
SCHEMA_DIR = HSDS_DIR / "schema"


@pytest.fixture
def schemas():
    if not (SCHEMA_DIR / "service.json").exists():
        pytest.skip(f"HSDS schemas not found at {SCHEMA_DIR.resolve()} (../shared/standards/hsds)")
    return SCHEMA_DIR


def _compiled(name):
    schema = json.loads((SCHEMA_DIR / "compiled" / f"{name}.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _page_keys(body):
    assert {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    } <= body.keys()


def test_services_are_paged_like_hsds_and_valid(client, directory, schemas):
    # when
    body = client.get("/api/hsds/services?per_page=10&page=2").json()
    # then
    _page_keys(body)
    total = Service.objects.filter(municipality=directory).count()
    assert body["total_items"] == total
    assert body["page_number"] == 2
    assert body["size"] == 10
    assert body["total_pages"] == -(-total // 10)
    validator = _compiled("service_list")
    for item in body["contents"]:
        assert not list(validator.iter_errors(item))
        assert schema_errors(item, schemas, "service") == []


def test_every_full_service_validates_against_the_modular_schema(client, directory, schemas):
    # given an approved change, so the metadata (change history) is not empty
    service = Service.objects.get(name_en="Soup kitchen")
    # when
    body = client.get("/api/hsds/services?full=true&per_page=200").json()
    # then
    assert body["total_items"] >= 40
    problems = {item["id"]: schema_errors(item, schemas, "service") for item in body["contents"]}
    assert {k: v for k, v in problems.items() if v} == {}
    compiled = json.loads((schemas / "compiled" / "service_with_definitions.json").read_text())
    validator = Draft202012Validator(compiled, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for item in body["contents"]:
        assert not list(validator.iter_errors(item)), item["name"]
    assert str(service.pk) in problems


def test_full_service_carries_everything_and_translations(client, directory, schemas, moderator):
    # given a change approved through moderation
    from django.utils import timezone

    from lidzdaliba.accounts.models import OrganisationMembership
    from tests.factories import UserFactory

    service = Service.objects.get(name_en="Night shelter")
    provider = service.provider
    organisation = provider.organisation or provider.__class__.objects.none()
    if provider.organisation is None:
        from lidzdaliba.accounts.models import Organisation

        organisation = Organisation.objects.create(
            municipality=directory, slug="patversme", name="Patversme"
        )
        Provider.objects.filter(pk=provider.pk).update(organisation=organisation)
    rep = UserFactory(municipality=directory)
    OrganisationMembership.objects.create(
        user=rep, organisation=organisation, role="representative", approved_at=timezone.now()
    )
    values = sm_services.service_values(service)
    values["fees_description_lv"] = "Bez maksas"
    change = sm_services.change_submit(
        actor=rep,
        organisation=organisation,
        kind=ChangeRequest.Kind.SERVICE,
        service=service,
        payload=values,
    )
    sm_services.change_approve(actor=moderator, change=change)
    # when
    data = client.get(f"/api/hsds/services/{service.pk}?lang=en").json()
    # then
    assert schema_errors(data, schemas, "service") == []
    assert data["name"] == "Night shelter"
    assert data["translations"]["lv"]["name"] == "Naktspatversme"
    assert data["translations"]["ru"]["name"] == "Ночлежка"
    assert {a["taxonomy_term"]["code"] for a in data["attributes"]} == {"housing", "crisis", "food"}
    assert (
        data["service_at_locations"][0]["location"]["addresses"][0]["address_1"]
        == "Brīvības iela 129"
    )
    assert {s["byday"] for s in data["schedules"]} == {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
    assert data["cost_options"][0]["amount"] == 0
    assert [m["field_name"] for m in data["metadata"]] == ["fees_description_lv"]


def test_organizations_list_and_detail_validate(client, directory, schemas):
    body = client.get("/api/hsds/organizations").json()
    _page_keys(body)
    assert body["total_items"] == Provider.objects.filter(municipality=directory).count()
    validator = _compiled("organization_list")
    for item in body["contents"]:
        assert not list(validator.iter_errors(item))
    first = body["contents"][0]["id"]
    detail = client.get(f"/api/hsds/organizations/{first}?full_service=true").json()
    assert schema_errors(detail, schemas, "organization") == []
    for service in detail["services"]:
        assert schema_errors(service, schemas, "service") == []


def test_unknown_ids_are_404(client, directory):
    assert client.get("/api/hsds/services/not-a-uuid").status_code == 404
    assert client.get("/api/hsds/services/00000000-0000-4000-8000-000000000000").status_code == 404
    assert (
        client.get("/api/hsds/organizations/00000000-0000-4000-8000-000000000000").status_code
        == 404
    )


def test_filters_by_term_and_organization(client, directory):
    from lidzdaliba.socialmap.models import Need

    food = Need.objects.get(slug="food")
    body = client.get(f"/api/hsds/services?taxonomy_term_id={food.pk}").json()
    assert body["total_items"] == food.services.count()
    provider = Provider.objects.get(name_en="Liepāja City Social Service")
    body = client.get(f"/api/hsds/services?organization_id={provider.pk}&per_page=5").json()
    assert body["total_items"] == provider.services.count()


def test_api_query_count_is_constant(client, directory, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/api/hsds/services?full=true&per_page=200")
    with django_assert_max_num_queries(8):
        client.get("/api/hsds/organizations?full=true")


def test_taxonomy_terms_and_about(client, directory):
    assert client.get("/api/hsds/").json()["version"] == "3.0"
    terms = client.get("/api/hsds/taxonomy_terms").json()
    assert terms["total_items"] == 14


def test_tabular_datapackage_passes_frictionless(directory, schemas, tmp_path):
    # given the whole directory as tables
    if shutil.which("frictionless", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("frictionless is not installed in the virtual environment")
    tables = directory_tables(municipality=directory)
    assert len(tables["service"]) >= 40
    descriptor = tabular.write_directory(tables, tmp_path / "hsds")
    # when validated by the official tool, offline
    result = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "--json", str(descriptor)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # then zero errors
    report = json.loads(result.stdout)
    errors = [f"{task['name']}: {e['message']}" for task in report["tasks"] for e in task["errors"]]
    assert report["valid"], "\n".join(errors[:20])


def test_datapackage_zip_download(client, directory):
    import io
    import zipfile

    response = client.get("/api/hsds/datapackage.zip")
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "datapackage.json" in names
    assert "services.csv" in names


def test_service_at_locations_validate(client, directory, schemas):
    body = client.get("/api/hsds/service_at_locations?full=true&per_page=200").json()
    _page_keys(body)
    assert body["total_items"] >= 40
    validator = _compiled("service_at_location_list")
    for item in body["contents"]:
        assert not list(validator.iter_errors(item))
        assert schema_errors(item, schemas, "service_at_location") == []
