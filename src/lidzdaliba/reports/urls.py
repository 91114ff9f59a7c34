from django.urls import path

from . import feeds, views, views_officers

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("nearby/", views.report_nearby, name="nearby"),
    path("map.geojson", views.map_data, name="map_data"),
    path("statistics/", views.statistics, name="statistics"),
    path("feed.rss", feeds.ReportsRssFeed(), name="feed_rss"),
    path("feed.atom", feeds.ReportsAtomFeed(), name="feed_atom"),
    path("alerts/", views.alert_subscribe, name="alert_subscribe"),
    path("alerts/<uuid:token>/confirm/", views.alert_confirm, name="alert_confirm"),
    path("alerts/<uuid:token>/stop/", views.alert_unsubscribe, name="alert_unsubscribe"),
    # Officers' pages live under staff/, where a second factor is required.
    path("staff/queue/", views_officers.queue, name="queue"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/support/", views.report_support, name="support"),
    path("<int:pk>/followup/<str:token>/", views.followup, name="followup"),
    path("staff/<int:pk>/handle/<slug:action>/", views_officers.handle, name="handle"),
]
