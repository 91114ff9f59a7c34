"""Fuzzing the Open311 API with schemathesis, driven by the standard's own swagger.json.

Quirks of that file (see docs/open311.md), and what this test does about each:
- ``response_format`` is declared as any string; the standard allows ``json`` and ``xml``.
  The generated value is replaced by one of the two so the calls reach the API.
- ``jurisdiction_id`` is declared required with random values; the standard makes it
  optional. It is set to our jurisdiction (``liepaja``) so the calls reach the logic; an
  unknown one is tested separately (404).
- POST parameters are declared ``in: query``; the standard sends them as a form body. We
  accept both, so the generated query-string POSTs are valid input.
- Swagger 2.0 cannot say "string or null", and declares only some error statuses. So the
  checks are: no server error ever, the right content type, errors as the standard's
  ``[{"code", "description"}]`` array with the HTTP status, and every successful JSON body
  valid against the standard's JSON schemas (which do allow null).
"""

import json
import os
from pathlib import Path

import pytest

from lidzdaliba.accounts.services.people import api_token_create
from tests.factories import UserFactory

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

STANDARD = Path(__file__).resolve().parents[2].parent / "shared/standards/open311-georeport-v2"
BASE_URL = "http://testserver/open311/v2"
# Kept small for the suite; set OPEN311_FUZZ_EXAMPLES=500 for a deeper run.
MAX_EXAMPLES = int(os.environ.get("OPEN311_FUZZ_EXAMPLES", "50"))


def _schema():
    if not (STANDARD / "swagger.json").is_file():
        pytest.skip(f"swagger.json not found in {STANDARD} (../shared/standards is absent)")
    return schemathesis.openapi.from_dict(json.loads((STANDARD / "swagger.json").read_text()))


OPERATIONS = [
    ("/services.{response_format}", "GET", None),
    ("/services/{service_code}.{response_format}", "GET", "service-definition.json"),
    ("/requests.{response_format}", "GET", "requests.json"),
    ("/requests.{response_format}", "POST", None),
    ("/request/{service_request_id}.{response_format}", "GET", "requests.json"),
    ("/tokens/{token_id}.{response_format}", "GET", None),
]


@pytest.fixture
def json_validator():
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    registry = Registry()
    schemas = {}
    for path in STANDARD.glob("*.json"):
        if path.name != "swagger.json":
            schemas[path.name] = json.loads(path.read_text())
            registry = registry.with_resource(
                path.name, Resource(schemas[path.name], specification=DRAFT4)
            )

    def validate(name, data):
        jsonschema.Draft4Validator(schemas[name], registry=registry).validate(data)

    return validate


@pytest.fixture
def _keep_connection():
    """Call the WSGI app the way Django's test client does: without closing the test's
    database connection at the end of each request."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_connection")
@pytest.mark.parametrize(("path", "method", "schema_file"), OPERATIONS)
def test_fuzz_open311_operation(
    path, method, schema_file, categories, administrator, municipality, json_validator, make_report
):
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    from lidzdaliba.wsgi import application

    # given a few reports and a valid key
    make_report(category="pothole", answers={"size": "small"})
    integration = UserFactory(municipality=municipality)
    key = api_token_create(actor=administrator, user=integration, name="fuzz")[1]
    operation = _schema()[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        fmt = "xml" if hash(repr(case.path_parameters)) % 4 == 0 else "json"
        case.path_parameters["response_format"] = fmt
        case.query = dict(case.query or {})
        case.query["jurisdiction_id"] = "liepaja"
        if method == "POST":
            case.query["api_key"] = key
        response = case.call(base_url=BASE_URL, app=application)
        case.validate_response(response, checks=[not_a_server_error])
        if fmt == "xml":
            assert _content_type(response).startswith("text/xml") or (
                response.status_code == 404
            ), response.text
            return
        assert _content_type(response).startswith("application/json")
        body = json.loads(response.text)
        if response.status_code >= 400:
            assert isinstance(body, list)
            assert body[0]["code"] == response.status_code
            assert isinstance(body[0]["description"], str)
        elif schema_file:
            json_validator(schema_file, body)

    run()


def _content_type(response) -> str:
    headers = {k.lower(): v for k, v in response.headers.items()}
    value = headers.get("content-type", "")
    return value[0] if isinstance(value, list) else value
