"""URLs of the participatory budget: results (joined into ``budgeting.urls``)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
