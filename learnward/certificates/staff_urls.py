"""Issuing certificates by hand, for staff; mounted at /staff/certificates/ (.staff_views)."""

from django.urls import path

from . import staff_views

app_name = "certificates_staff"

urlpatterns = [
    path("issue/", staff_views.issue_one, name="issue_one"),
    path("issue/csv/", staff_views.issue_upload, name="issue_upload"),
    path("issue/csv/<str:upload_id>/", staff_views.issue_preview, name="issue_preview"),
    path(
        "issue/csv/<str:upload_id>/check.csv",
        staff_views.issue_preview_csv,
        name="issue_preview_csv",
    ),
]
