"""URLs of the participatory budget: voting (joined into ``budgeting.urls``)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
