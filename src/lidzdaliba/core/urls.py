from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("neighbourhoods/", views.neighbourhood_list, name="neighbourhoods"),
    path("neighbourhoods/<slug:slug>/", views.neighbourhood_detail, name="neighbourhood"),
    path("sdg/", views.sdg_goals, name="sdg"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
