"""URLs of the participatory budget: ideas (joined into ``budgeting.urls``)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
