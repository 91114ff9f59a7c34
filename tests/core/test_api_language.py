def test_api_answers_in_the_language_the_client_asks_for(client, municipality):
    # when an English client asks for a place outside the city
    response = client.get(
        "/api/places/neighbourhoods/locate?lat=10&lon=10", HTTP_ACCEPT_LANGUAGE="en"
    )
    # then the error is in English
    assert response.status_code == 404
    assert "outside" in response.json()["detail"]


def test_api_answers_in_latvian_by_default(client, municipality):
    response = client.get("/api/places/neighbourhoods/locate?lat=10&lon=10")
    assert response.status_code == 404
    assert "outside" not in response.json()["detail"]
