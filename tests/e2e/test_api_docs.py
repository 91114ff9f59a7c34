"""The API documentation loads from our own server, under the strict CSP."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_api_docs_render_without_outside_resources_or_csp_errors(page, municipality, csp_clean):
    # when a developer opens the API documentation (other hosts are blocked in these tests)
    page.goto("/api/docs")
    # then Swagger UI shows the operations, from our static files
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 5
    csp_clean(page)
