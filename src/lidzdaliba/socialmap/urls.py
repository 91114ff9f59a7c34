from django.urls import path

from . import views

app_name = "socialmap"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("services/<uuid:pk>/", views.service_detail, name="service"),
    path("services/<uuid:pk>/report/", views.service_report, name="service_report"),
    path("services/<uuid:pk>/confirm/", views.service_confirm, name="service_confirm"),
    path("organisations/<uuid:pk>/", views.provider_detail, name="provider"),
    path("print/", views.print_directory, name="print"),
    path("print.pdf", views.print_pdf, name="print_pdf"),
    path("print.txt", views.print_text, name="print_text"),
    path("manage/", views.manage, name="manage"),
    path("manage/<slug:slug>/", views.provider_edit, name="provider_edit"),
    path("manage/<slug:slug>/services/new/", views.service_edit, name="service_new"),
    path("manage/<slug:slug>/services/<uuid:pk>/", views.service_edit, name="service_edit"),
    path("staff/", views.moderation, name="moderation"),
    path("staff/changes/<int:pk>/", views.change_decide, name="change_decide"),
    path("staff/reports/<int:pk>/", views.report_resolve, name="report_resolve"),
    path("staff/merge/", views.provider_merge, name="provider_merge"),
    path("staff/import/", views.hsds_import, name="import"),
]
