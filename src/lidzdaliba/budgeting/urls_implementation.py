"""URLs of the participatory budget: implementation (joined into ``budgeting.urls``)."""

from django.urls import path

from .views import implementation as views

urlpatterns: list = [
    path("<slug:slug>/projects/", views.projects, name="projects"),
    path("<slug:slug>/projects/maintenance/", views.maintenance, name="maintenance"),
    path("staff/<slug:slug>/projects/", views.staff_projects, name="staff_projects"),
    path("staff/<slug:slug>/projects/<int:pk>/", views.staff_project, name="staff_project"),
]
