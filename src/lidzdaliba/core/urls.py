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

# Shared services: comments, notifications, staff pages (core/views_social.py, views_staff.py).
from . import views_social, views_staff  # noqa: E402

urlpatterns += [
    path("comments/<int:pk>/flag/", views_social.comment_flag, name="comment_flag"),
    path("comments/<int:pk>/edit/", views_social.comment_edit, name="comment_edit"),
    path(
        "comments/<str:target_key>/<str:object_id>/",
        views_social.comments,
        name="comments",
    ),
    path("staff/comments/<int:pk>/hide/", views_social.comment_hide, name="comment_hide"),
    path("staff/comments/<int:pk>/unhide/", views_social.comment_unhide, name="comment_unhide"),
    path(
        "staff/comments/<int:pk>/dismiss-flags/",
        views_social.comment_dismiss_flags,
        name="comment_dismiss_flags",
    ),
    path("staff/moderation/", views_staff.moderation_queue, name="moderation"),
    path("staff/audit/", views_staff.audit_log, name="audit_log"),
    path("notifications/", views_social.notification_list, name="notifications"),
    path(
        "notifications/read-all/",
        views_social.notifications_read_all,
        name="notifications_read_all",
    ),
    path("notifications/<int:pk>/read/", views_social.notification_read, name="notification_read"),
    path(
        "notifications/preferences/",
        views_social.notification_preferences,
        name="notification_preferences",
    ),
]
