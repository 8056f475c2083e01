"""The studio's question bank and assessment pages, and the tutors' marking queue; included
from learnward/urls.py."""

from django.urls import path

from . import studio_views as views

app_name = "assessments_studio"
_course = "studio/courses/<slug:slug>/"
urlpatterns = [
    path(f"{_course}bank/", views.bank, name="bank"),
    path(f"{_course}bank/questions/new/<str:kind>/", views.question_new, name="question_new"),
    path(f"{_course}bank/questions/<int:question_id>/", views.question_edit, name="question"),
    path(
        f"{_course}bank/questions/<int:question_id>/retire/",
        views.question_retire,
        name="question_retire",
    ),
    path(
        f"{_course}bank/questions/<int:question_id>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path(f"{_course}assessment/", views.assessment_settings, name="assessment"),
    path(f"{_course}assessment/quizzes/new/", views.quiz_new, name="quiz_new"),
    path(f"{_course}assessment/quizzes/<int:quiz_id>/", views.quiz_edit, name="quiz"),
    path(f"{_course}assessment/analytics/", views.analytics, name="analytics"),
    path("tutor/marking/", views.marking_home, name="marking"),
    path("tutor/marking/<int:answer_id>/", views.marking_answer, name="marking_answer"),
]
