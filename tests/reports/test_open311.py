"""Open311 GeoReport v2: every response validated against the standard's JSON schemas."""

import datetime as dt
import json
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from django.utils import timezone

from lidzdaliba.accounts.services.people import api_token_create
from lidzdaliba.core.models import AuditEvent
from lidzdaliba.reports.models import Report, Status
from lidzdaliba.reports.services import report_hide
from tests.factories import UserFactory

from .conftest import AT_SEA, KAROSTA

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared/standards/open311-georeport-v2"


@pytest.fixture(scope="session")
def validate():
    """``validate(schema_file, data)`` with the standard's draft-04 schemas."""
    if not SCHEMAS.is_dir():
        pytest.skip(f"Open311 schemas not found at {SCHEMAS} (../shared/standards is absent)")
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    registry = Registry()
    schemas = {}
    for path in SCHEMAS.glob("*.json"):
        if path.name == "swagger.json":
            continue
        contents = json.loads(path.read_text())
        schemas[path.name] = contents
        registry = registry.with_resource(path.name, Resource(contents, specification=DRAFT4))

    def check(name, data):
        validator = jsonschema.Draft4Validator(
            schemas[name], registry=registry, format_checker=jsonschema.FormatChecker()
        )
        errors = sorted(validator.iter_errors(data), key=str)
        assert not errors, "\n".join(e.message for e in errors[:5])

    return check


@pytest.fixture
def api_key(administrator, municipality, categories):
    integration = UserFactory(municipality=municipality, email="app@partner.example")
    _token, key = api_token_create(actor=administrator, user=integration, name="Partner app")
    return key


def errors_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body, list)
    assert body
    assert body[0]["code"] == status
    assert body[0]["description"]
    return body


def test_discovery_lists_the_v2_endpoint_in_both_formats(client, municipality):
    # when
    data = client.get("/open311/v2/discovery.json").json()
    xml = SafeET.fromstring(client.get("/open311/v2/discovery.xml").content)
    # then
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert data["endpoints"][0]["url"].endswith("/open311/v2")
    assert set(data["endpoints"][0]["formats"]) == {"application/json", "text/xml"}
    assert xml.tag == "discovery"
    assert [f.text for f in xml.iter("format")] == ["application/json", "text/xml"]


def test_services_validate_and_match_categories(client, categories, validate):
    # when
    response = client.get("/open311/v2/services.json")
    # then
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    validate("services.json", data)
    codes = {s["service_code"] for s in data}
    assert {"pothole", "accessibility", "snow-ice"} <= codes
    pothole = next(s for s in data if s["service_code"] == "pothole")
    assert pothole["metadata"] is True
    waste = next(s for s in data if s["service_code"] == "waste")
    assert waste["metadata"] is False


def test_service_names_follow_accept_language(client, categories):
    def names(language):
        response = client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE=language)
        return {s["service_code"]: s["service_name"] for s in response.json()}

    assert names("lv")["pothole"] == "Bedre ceļā"
    assert names("en")["pothole"] == "Pothole"
    assert names("uk")["pothole"] == "Вибоїна"


def test_services_xml_has_the_standard_shape(client, categories):
    # when
    response = client.get("/open311/v2/services.xml")
    # then
    assert response["Content-Type"].startswith("text/xml")
    root = SafeET.fromstring(response.content)
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert "pothole" in codes
    assert root.find("service/metadata").text in {"true", "false"}


def test_service_definition_validates_with_attributes(client, categories, validate):
    # when
    data = client.get("/open311/v2/services/street-lighting.json").json()
    xml = SafeET.fromstring(client.get("/open311/v2/services/street-lighting.xml").content)
    # then
    validate("service-definition.json", data)
    lamp = next(a for a in data["attributes"] if a["code"] == "lamp")
    assert lamp["datatype"] == "singlevaluelist"
    assert lamp["required"] is True
    assert {v["key"] for v in lamp["values"]} == {"off", "flicker", "day"}
    assert xml.tag == "service_definition"
    assert xml.find("attributes/attribute/values/value/key") is not None


def test_unknown_service_definition_is_a_404_error_array(client, categories):
    errors_of(client.get("/open311/v2/services/nope.json"), 404)
    root = SafeET.fromstring(client.get("/open311/v2/services/nope.xml").content)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"


def post(client, **data):
    data.setdefault("service_code", "pothole")
    data.setdefault("lat", str(KAROSTA[0]))
    data.setdefault("long", str(KAROSTA[1]))
    data.setdefault("description", "Dziļa bedre")
    data.setdefault("attribute[size]", "large")
    return client.post("/open311/v2/requests.json", data)


def test_post_creates_a_request_that_reads_back_valid(client, api_key, validate):
    # when
    response = post(client, api_key=api_key, email="a@example.lv", first_name="Anna")
    # then
    assert response.status_code == 200, response.content
    created = response.json()
    assert created[0]["service_request_id"]
    report = Report.objects.get(pk=created[0]["service_request_id"])
    assert report.source == Report.Source.OPEN311
    assert report.answers == {"size": "large"}
    assert report.reporter_email == "a@example.lv"
    assert report.api_token.user.email == "app@partner.example"
    # and it reads back by id and by token
    data = client.get(f"/open311/v2/requests/{report.pk}.json").json()
    validate("requests.json", data)
    validate("request.json", data[0])
    assert data[0]["status"] == "open"
    assert data[0]["detailed_status"] == "received"
    assert data[0]["service_code"] == "pothole"
    token = client.get(f"/open311/v2/tokens/{created[0]['token']}.json").json()
    assert token == [{"service_request_id": str(report.pk), "token": created[0]["token"]}]
    singular = client.get(f"/open311/v2/request/{report.pk}.json").json()
    assert singular == data


def test_post_in_xml(client, api_key):
    response = client.post(
        "/open311/v2/requests.xml",
        {
            "api_key": api_key,
            "service_code": "waste",
            "lat": KAROSTA[0],
            "long": KAROSTA[1],
            "description": "Konteiners",
        },
    )
    root = SafeET.fromstring(response.content)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id").isdigit()


@pytest.mark.parametrize(
    ("_case", "key", "data", "status"),
    [
        ("no api_key", None, {}, 403),
        ("wrong api_key", "lp_wrong", {}, 403),
        ("unknown service code", "good", {"service_code": "teleport"}, 400),
        ("no location", "good", {"lat": "", "long": ""}, 400),
        ("outside the municipality", "good", {"lat": AT_SEA[0], "long": AT_SEA[1]}, 400),
        ("required attribute missing", "good", {"attribute[size]": ""}, 400),
        ("attribute value not offered", "good", {"attribute[size]": "huge"}, 400),
        ("no description", "good", {"description": ""}, 400),
        ("not numbers", "good", {"lat": "north", "long": "west"}, 400),
        ("NUL in the service code (found by fuzzing)", "good", {"service_code": "pot\x00"}, 400),
        ("NUL in an attribute", "good", {"attribute[size]": "large\x00"}, 400),
    ],
)
def test_post_refusals_store_nothing(client, api_key, _case, key, data, status):
    # given
    audit_before = AuditEvent.objects.filter(verb="report.submitted").count()
    if key == "good":
        key = api_key
    if key:
        data = {**data, "api_key": key}
    # when
    response = post(client, **data)
    # then
    errors_of(response, status)
    assert Report.objects.count() == 0
    assert AuditEvent.objects.filter(verb="report.submitted").count() == audit_before


def test_revoked_key_is_refused(client, api_key, administrator):
    from lidzdaliba.accounts.models import ApiToken
    from lidzdaliba.accounts.services.people import api_token_revoke

    api_token_revoke(actor=administrator, token=ApiToken.objects.get())
    errors_of(post(client, api_key=api_key), 403)
    assert Report.objects.count() == 0


def test_html_in_description_comes_back_as_text(client, api_key):
    response = post(client, api_key=api_key, description="<script>alert(1)</script>")
    pk = response.json()[0]["service_request_id"]
    xml = client.get(f"/open311/v2/requests/{pk}.xml").content
    assert b"<script>" not in xml
    assert b"&lt;script&gt;" in xml
    assert SafeET.fromstring(xml).findtext("request/description") == "<script>alert(1)</script>"


@pytest.fixture
def some_reports(make_report, reports_officer):
    open_one = make_report(category="pothole", answers={"size": "small"})
    fixed = make_report(category="waste", lat=56.52, lon=21.03)
    from lidzdaliba.reports.services import report_transition

    report_transition(actor=reports_officer, report=fixed, to=Status.RESOLVED, reply="Savākts.")
    old = make_report(category="greenery", lat=56.48, lon=21.00)
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=200))
    return open_one, fixed, old


def test_get_requests_defaults_to_the_last_90_days(client, some_reports, validate):
    open_one, fixed, _old = some_reports
    data = client.get("/open311/v2/requests.json").json()
    validate("requests.json", data)
    assert {r["service_request_id"] for r in data} == {str(open_one.pk), str(fixed.pk)}
    closed = next(r for r in data if r["service_request_id"] == str(fixed.pk))
    assert closed["status"] == "closed"
    assert closed["detailed_status"] == "resolved"
    assert closed["status_notes"] == "Savākts."


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", {"open_one"}),
        ("status=closed", {"fixed"}),
        ("status=open,closed", {"open_one", "fixed"}),
        ("service_code=waste", {"fixed"}),
        ("service_code=waste,pothole", {"open_one", "fixed"}),
        ("jurisdiction_id=liepaja", {"open_one", "fixed"}),
    ],
)
def test_get_requests_filters(client, some_reports, query, expected):
    named = dict(zip(["open_one", "fixed", "old"], some_reports, strict=True))
    data = client.get(f"/open311/v2/requests.json?{query}").json()
    assert {r["service_request_id"] for r in data} == {str(named[n].pk) for n in expected}


def test_service_request_id_overrides_the_other_filters(client, some_reports):
    _open_one, fixed, old = some_reports
    data = client.get(
        f"/open311/v2/requests.json?service_request_id={old.pk},{fixed.pk}&status=open"
    ).json()
    assert {r["service_request_id"] for r in data} == {str(old.pk), str(fixed.pk)}


def test_date_range_finds_old_reports(client, some_reports):
    _open_one, _fixed, old = some_reports
    start = (timezone.now() - dt.timedelta(days=210)).date().isoformat()
    end = (timezone.now() - dt.timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = client.get(f"/open311/v2/requests.json?start_date={start}&end_date={end}").json()
    assert [r["service_request_id"] for r in data] == [str(old.pk)]


@pytest.mark.parametrize(
    "query",
    [
        "start_date=yesterday",
        "end_date=2026-13-45",
        "start_date=2026-03-01&end_date=2026-01-01",
        "start_date=2025-01-01&end_date=2025-12-31",
        "status=pending",
        "end_date=0001-01-01",
        "start_date=9999-12-31T23:59:59",
    ],
)
def test_malformed_queries_are_400_error_arrays(client, some_reports, query):
    errors_of(client.get(f"/open311/v2/requests.json?{query}"), 400)


def test_unknown_jurisdiction_is_404(client, categories):
    errors_of(client.get("/open311/v2/services.json?jurisdiction_id=riga"), 404)
    errors_of(client.get("/open311/v2/services.json?jurisdiction_id=lie%00paja"), 400)
    errors_of(client.get("/open311/v2/requests.json?service_code=a%00b"), 400)


def test_hidden_and_missing_requests_are_404(client, some_reports, moderator):
    open_one, _fixed, _old = some_reports
    report_hide(actor=moderator, report=open_one, reason="Aizskaroša valoda")
    errors_of(client.get(f"/open311/v2/requests/{open_one.pk}.json"), 404)
    errors_of(client.get("/open311/v2/requests/999999.json"), 404)
    errors_of(client.get("/open311/v2/requests/abc.json"), 404)
    errors_of(client.get("/open311/v2/requests/99999999999999999999999.json"), 404)
    errors_of(client.get("/open311/v2/requests/%C2%B2.json"), 404)
    assert client.get("/open311/v2/requests.json?service_request_id=1" + "0" * 30).json() == []
    errors_of(client.get("/open311/v2/tokens/not-a-token.json"), 404)
    ids = {r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()}
    assert str(open_one.pk) not in ids


def test_wrong_method_is_405_error_array(client, categories):
    response = client.delete("/open311/v2/services.json")
    errors_of(response, 405)


def test_requests_list_queries_are_constant(
    client, some_reports, make_report, django_assert_max_num_queries
):
    for i in range(10):
        make_report(category="vandalism", lat=56.52 + i / 1000, lon=21.03)
    with django_assert_max_num_queries(6):
        response = client.get("/open311/v2/requests.json")
    assert len(response.json()) == 12


def test_post_multivalue_attribute(client, api_key):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "accessibility",
            "lat": KAROSTA[0],
            "long": KAROSTA[1],
            "description": "Augsta apmale",
            "attribute[affected][]": ["wheelchair", "pram"],
        },
    )
    assert response.status_code == 200, response.content
    assert Report.objects.get().answers == {"affected": ["wheelchair", "pram"]}
