"""URLs of the participatory budget: cycles (joined into ``budgeting.urls``).

Staff paths come first so that ``staff`` is never taken for a cycle's short name (the
services also refuse it, with the other path words, as a short name).
"""

from django.urls import path

from .views import cycles as views

urlpatterns: list = [
    path("staff/", views.staff_cycles, name="staff_cycles"),
    path("staff/new/", views.staff_cycle_new, name="staff_cycle_new"),
    path("staff/<slug:slug>/", views.staff_cycle, name="staff_cycle"),
    path("staff/<slug:slug>/edit/", views.staff_cycle_edit, name="staff_cycle_edit"),
    path("staff/<slug:slug>/phase/", views.staff_phase_move, name="staff_phase_move"),
    path("staff/<slug:slug>/categories/new/", views.staff_category, name="staff_category_new"),
    path(
        "staff/<slug:slug>/categories/<int:pk>/",
        views.staff_category,
        name="staff_category_edit",
    ),
    path(
        "staff/<slug:slug>/categories/<int:pk>/delete/",
        views.staff_category_delete,
        name="staff_category_delete",
    ),
    path("staff/<slug:slug>/themes/new/", views.staff_theme, name="staff_theme_new"),
    path("staff/<slug:slug>/themes/<int:pk>/", views.staff_theme, name="staff_theme_edit"),
    path(
        "staff/<slug:slug>/themes/<int:pk>/delete/",
        views.staff_theme_delete,
        name="staff_theme_delete",
    ),
    path("", views.index, name="index"),
    path("<slug:slug>/", views.cycle_detail, name="cycle"),
    path("<slug:slug>/statistics/", views.statistics, name="statistics"),
]
