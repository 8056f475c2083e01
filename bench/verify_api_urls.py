"""URLconf for bench/verify_api.py: the project's URLs plus the bare baseline view."""

from django.db import connection
from django.http import Http404, JsonResponse
from django.urls import path

from learnward.urls import urlpatterns as project_urlpatterns


def raw_certificate(request, code: str):
    """The baseline: one raw SELECT on the indexed code, the same JSON fields, nothing else."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, holder_name, course_title, cpd_hours, awarded_on, expires_on, "
            "revoked_on, revocation_reason FROM certificates_certificate WHERE code = %s",
            [code],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return JsonResponse(
        {
            "code": row[0],
            "holder_name": row[1],
            "course_title": row[2],
            "cpd_hours": float(row[3]),
            "awarded_on": str(row[4]),
            "expires_on": str(row[5]) if row[5] else None,
        }
    )


urlpatterns = [path("bench/raw/<str:code>", raw_certificate), *project_urlpatterns]
