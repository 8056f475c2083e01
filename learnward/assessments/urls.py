from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("courses/<slug:slug>/assessment/", views.overview, name="overview"),
    path("courses/<slug:slug>/assessment/start/", views.start, name="start"),
    path("courses/<slug:slug>/quizzes/<int:quiz_id>/", views.quiz_overview, name="quiz"),
    path("courses/<slug:slug>/quizzes/<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/result/", views.result, name="result"),
]
