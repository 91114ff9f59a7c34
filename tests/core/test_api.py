"""The places API: municipality, neighbourhoods as GeoJSON, locate, SDG goals."""

import pytest

from lidzdaliba.core import geo

pytestmark = pytest.mark.django_db


def test_municipality(client, municipality):
    response = client.get("/api/places/municipality")
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == municipality.slug
    assert body["name"] == municipality.name
    assert set(body["map_center"]) == {"lat", "lon"}


def test_no_municipality_is_a_json_404(client, db):
    response = client.get("/api/places/municipality")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_neighbourhoods_are_a_geojson_feature_collection(client, municipality):
    response = client.get("/api/places/neighbourhoods")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == municipality.neighbourhoods.count() == 9
    feature = next(f for f in body["features"] if f["id"] == "karosta")
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert feature["properties"]["url"] == "/neighbourhoods/karosta/"
    geo.shape_from_geojson(feature["geometry"])


def test_locate_finds_the_neighbourhood(client, neighbourhood):
    point = geo.shape_from_geojson(neighbourhood.boundary).representative_point()
    response = client.get("/api/places/neighbourhoods/locate", {"lat": point.y, "lon": point.x})
    assert response.status_code == 200
    assert response.json()["slug"] == "karosta"


def test_locate_outside_the_municipality_is_a_translated_404(client, municipality):
    response = client.get(
        "/api/places/neighbourhoods/locate", {"lat": 0, "lon": 0}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"This place is outside {municipality.name_en or municipality.name}. "
        "Choose a place inside its borders."
    }


@pytest.mark.parametrize("params", [{"lat": 91, "lon": 0}, {"lat": "x", "lon": 0}, {"lat": 56}])
def test_locate_refuses_bad_coordinates(client, municipality, params):
    response = client.get("/api/places/neighbourhoods/locate", params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_sdg_goals_with_targets_in_the_requested_language(client, administrator, municipality):
    from lidzdaliba.core.services.sdg import sdg_local_target_create

    sdg_local_target_create(
        actor=administrator,
        municipality=municipality,
        code="11.L1",
        title={"lv": "Vietējais", "en": "Local one"},
    )
    english = client.get("/api/places/sdg/goals", HTTP_ACCEPT_LANGUAGE="en").json()
    assert len(english) == 17
    goal = english[10]
    assert goal == {
        **goal,
        "number": 11,
        "name": "Sustainable cities and communities",
        "colour": "#FD9D24",
    }
    assert len(goal["targets"]) == 11
    assert {"code": "11.L1", "title": "Local one", "local": True} in goal["targets"]
    latvian = client.get("/api/places/sdg/goals", HTTP_ACCEPT_LANGUAGE="lv").json()
    assert latvian[0]["name"] == "Bez nabadzības"
    assert latvian[0]["targets"][0]["title"].startswith("Līdz 2030. gadam")


def test_the_api_is_documented(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/places/neighbourhoods/locate" in schema["paths"]


def test_sdg_goals_cost_a_constant_number_of_queries(
    client, municipality, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get("/api/places/sdg/goals")
    assert sum(len(goal["targets"]) for goal in response.json()) == 169
