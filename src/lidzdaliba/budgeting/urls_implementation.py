"""URLs of the participatory budget: implementation (joined into ``budgeting.urls``)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
