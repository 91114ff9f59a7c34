from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/my-data.json", views.data_export, name="data_export"),
    path("profile/delete/", views.delete_account, name="delete"),
    path("verify/", views.verify, name="verify"),
    path("staff/census/", views.census, name="census"),
    path("staff/census/<int:pk>/", views.census_import, name="census_import"),
    path("staff/residencies/", views.residencies, name="residencies"),
    path(
        "staff/residencies/<int:pk>/revoke/",
        views.residency_revoke,
        name="residency_revoke",
    ),
    path(
        "staff/residencies/revoke-all/",
        views.residencies_revoke_all,
        name="residencies_revoke_all",
    ),
]
