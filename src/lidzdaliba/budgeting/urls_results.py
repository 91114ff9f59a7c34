"""URLs of the participatory budget: results (joined into ``budgeting.urls``)."""

from django.urls import path

from .views import results as views

urlpatterns: list = [
    path("staff/<slug:slug>/results/", views.staff_results, name="staff_results"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results/<slug:category_slug>.pb", views.results_pb, name="results_pb"),
    path("<slug:slug>/results/<slug:category_slug>.json", views.results_json, name="results_json"),
    path("<slug:slug>/check/", views.check, name="check"),
    path("<slug:slug>/receipt/", views.receipt, name="receipt"),
]
