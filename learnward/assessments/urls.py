from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("courses/<slug:slug>/assessment/", views.overview, name="overview"),
    path("courses/<slug:slug>/assessment/start/", views.start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/result/", views.result, name="result"),
]
