"""Exam pages, mounted at /exams/ (.views)."""

from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("results/", views.my_results, name="my_results"),
    path("teach/", views.sittings, name="sittings"),
    path("teach/new/", views.sitting_create, name="sitting_create"),
    path("teach/<int:pk>/", views.sitting, name="sitting"),
    path("teach/<int:pk>/marks-sheet.csv", views.marks_sheet, name="marks_sheet"),
    path("teach/<int:pk>/upload/", views.upload, name="upload"),
    path("teach/<int:pk>/upload/<str:upload_id>/", views.upload_preview, name="upload_preview"),
    path(
        "teach/<int:pk>/upload/<str:upload_id>/check.csv",
        views.upload_preview_csv,
        name="upload_preview_csv",
    ),
    path("teach/<int:pk>/results/<int:result_pk>/moderate/", views.moderate, name="moderate"),
    path("teach/<int:pk>/release/", views.release, name="release"),
]
