"""Pages run a constant number of SQL queries, whatever the number of items."""

import pytest

from lidzdaliba.core.demo import liepaja
from lidzdaliba.core.models import Neighbourhood


@pytest.mark.parametrize("path", ["/", "/neighbourhoods/", "/neighbourhoods/karosta/", "/sdg/"])
def test_public_pages_use_a_constant_number_of_queries(
    client, municipality, django_assert_max_num_queries, path
):
    # given many more neighbourhoods than the demo has
    for i in range(40):
        Neighbourhood.objects.create(
            municipality=municipality,
            slug=f"extra-{i}",
            name=f"Extra {i}",
            boundary=liepaja.box(20.0 + i * 0.01, 50.0, 20.005 + i * 0.01, 50.005),
        )
    client.get(path)  # warm the per-process caches (content types, translations)
    # when / then
    with django_assert_max_num_queries(4):
        response = client.get(path)
    assert response.status_code == 200
