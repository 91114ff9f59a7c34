"""``/budget/…``: every participatory-budget page, one URL module per stage."""

from . import urls_cycles, urls_ideas, urls_implementation, urls_results, urls_voting

app_name = "budgeting"

urlpatterns = [
    *urls_voting.urlpatterns,
    *urls_results.urlpatterns,
    *urls_implementation.urlpatterns,
    *urls_ideas.urlpatterns,
    *urls_cycles.urlpatterns,
]
