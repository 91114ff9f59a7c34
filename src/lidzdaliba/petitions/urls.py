from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    path("", views.submission_list, name="list"),
    path("statistics/", views.statistics, name="statistics"),
    path("new/", views.submission_create, name="create"),
    path("mine/", views.my_submissions, name="mine"),
    path("<int:pk>/", views.submission_detail, name="detail"),
    path("<int:pk>/edit/", views.submission_edit, name="edit"),
    path("<int:pk>/submit/", views.submission_submit, name="submit"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("staff/", views.staff_queue, name="staff_queue"),
    path("staff/<int:pk>/moderate/", views.staff_moderate, name="staff_moderate"),
    path("staff/<int:pk>/answer/", views.staff_answer, name="staff_answer"),
    path("staff/<int:pk>/signers/", views.staff_export, name="staff_export"),
]
