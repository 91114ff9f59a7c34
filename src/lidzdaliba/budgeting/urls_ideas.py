"""URLs of the participatory budget: ideas and their review (joined into ``budgeting.urls``)."""

from django.urls import path

from .views import ideas, review

urlpatterns: list = [
    path("<slug:slug>/ideas/", ideas.idea_list, name="ideas"),
    path("<slug:slug>/ideas/new/", ideas.idea_new, name="idea_new"),
    path("<slug:slug>/ideas/mine/", ideas.my_ideas, name="my_ideas"),
    path("<slug:slug>/ideas/<int:pk>/", ideas.idea_detail, name="idea"),
    path("<slug:slug>/ideas/<int:pk>/edit/", ideas.idea_edit, name="idea_edit"),
    path("<slug:slug>/ideas/<int:pk>/submit/", ideas.idea_submit, name="idea_submit"),
    path("<slug:slug>/ideas/<int:pk>/withdraw/", ideas.idea_withdraw, name="idea_withdraw"),
    path("<slug:slug>/ideas/<int:pk>/delete/", ideas.idea_delete, name="idea_delete"),
    path("<slug:slug>/ideas/<int:pk>/follow/", ideas.idea_follow, name="idea_follow"),
    path("<slug:slug>/ideas/<int:pk>/answer/", ideas.idea_answer, name="idea_answer"),
    path("staff/<slug:slug>/review/", review.review_queue, name="staff_review"),
    path("staff/<slug:slug>/review/<int:pk>/", review.review_idea, name="staff_review_idea"),
]
