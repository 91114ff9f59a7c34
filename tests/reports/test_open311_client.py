"""The third-party ``georeport`` client (PyPI, 0.3.1) against a live test server.

georeport 0.3.1 wraps the GET calls only (services, service definition, requests, request);
it has no call for POST requests or tokens, so those are made with ``requests`` the way the
standard describes them (form-encoded body)."""

import pytest
import requests

from lidzdaliba.accounts.services.people import api_token_create
from tests.factories import UserFactory

from .conftest import KAROSTA

georeport = pytest.importorskip("georeport", reason="the georeport client is not installed")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api_key(administrator, municipality, categories):
    integration = UserFactory(municipality=municipality, email="client@partner.example")
    return api_token_create(actor=administrator, user=integration, name="georeport")[1]


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_client_reads_everything_we_serve(live_server, api_key, output_format):
    # given a request made the standard way (POST, form-encoded, api_key)
    root = f"{live_server.url}/open311/v2"
    created = requests.post(
        f"{root}/requests.json",
        data={
            "api_key": api_key,
            "jurisdiction_id": "liepaja",
            "service_code": "street-lighting",
            "lat": KAROSTA[0],
            "long": KAROSTA[1],
            "description": "Laterna nedeg",
            "attribute[lamp]": "off",
        },
        timeout=10,
    )
    assert created.status_code == 200, created.text
    request_id = created.json()[0]["service_request_id"]
    token = created.json()[0]["token"]
    # when the client reads it all back
    client = georeport.GeoReport(root, jurisdiction="liepaja", output_format=output_format)
    services = client.get_service_list()
    definition = client.get_service_definition("street-lighting")
    found = client.get_service_requests(service_code="street-lighting", status="open")
    one = client.get_service_request(request_id)
    # then
    assert "street-lighting" in {s["service_code"] for s in services}
    assert definition["service_code"] == "street-lighting"
    if output_format == "xml":  # xmltodict gives a dict for a single element
        found = [found] if isinstance(found, dict) else found
    assert [r["service_request_id"] for r in found] == [request_id]
    assert one["status"] == "open"
    assert one["detailed_status"] == "received"
    by_token = requests.get(f"{root}/tokens/{token}.json", timeout=10).json()
    assert by_token[0]["service_request_id"] == request_id


def test_georeport_client_sees_http_errors(live_server, categories):
    client = georeport.GeoReport(f"{live_server.url}/open311/v2")
    with pytest.raises(requests.HTTPError) as raised:
        client.get_service_definition("no-such-service")
    assert raised.value.response.status_code == 404
    assert raised.value.response.json()[0]["code"] == 404
