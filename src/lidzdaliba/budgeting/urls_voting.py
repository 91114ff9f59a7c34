"""URLs of the participatory budget: voting (joined into ``budgeting.urls``)."""

from django.urls import path

from .views import voting as views

urlpatterns: list = [
    path("staff/<slug:slug>/paper/", views.staff_paper, name="staff_paper"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/vote/<slug:category_slug>/", views.ballot, name="ballot"),
    path("<slug:slug>/turnout/", views.turnout, name="turnout"),
]
