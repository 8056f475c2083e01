"""Export archives in an S3-compatible bucket (moto's S3 server on loopback stands in for it).

With LEARNWARD_S3_BUCKET set, several web and worker machines share the archives: the worker that
builds one writes it to the bucket, any web machine streams it after checking access, and erasure
and the clean-up delete it there.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from learnward.privacy.rights.erasure import subject_erase
from learnward.privacy.rights.models import SubjectExport

from .test_export_download import _request_export

pytestmark = pytest.mark.django_db


def _keys(s3, prefix: str = "exports/") -> list[str]:
    listing = s3.list_objects_v2(Bucket="learnward-test", Prefix=prefix)
    return [o["Key"] for o in listing.get("Contents", [])]


def test_the_archive_is_written_to_the_bucket_and_streamed_after_the_access_check(
    client, learner, make_user, smtp_server, rights_env, s3_bucket
):
    _, path = _request_export(client, learner, smtp_server)
    export = SubjectExport.objects.get(user=learner)
    assert _keys(s3_bucket) == [f"exports/{export.file_name}"]
    head = s3_bucket.head_object(Bucket="learnward-test", Key=f"exports/{export.file_name}")
    assert head["ContentLength"] == export.size > 0

    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "manifest.json" in archive.namelist()

    # Someone else, signed in, gets a 404 for the same link; signed out, the sign-in page.
    client.force_login(make_user(email="other@example.test", display_name="Otto Other"))
    assert client.get(path).status_code == 404
    client.logout()
    assert client.get(path).status_code == 302


def test_a_missing_object_is_a_404_not_an_error(
    client, learner, smtp_server, rights_env, s3_bucket
):
    _, path = _request_export(client, learner, smtp_server)
    export = SubjectExport.objects.get(user=learner)
    s3_bucket.delete_object(Bucket="learnward-test", Key=f"exports/{export.file_name}")
    assert client.get(path).status_code == 404


def test_erasure_and_the_clean_up_delete_the_objects(
    client,
    learner,
    make_user,
    smtp_server,
    rights_env,
    s3_bucket,
    django_capture_on_commit_callbacks,
):
    _request_export(client, learner, smtp_server)
    other = make_user(email="bea@example.test", display_name="Bea Other")
    _request_export(client, other, smtp_server)
    assert len(_keys(s3_bucket)) == 2
    kept = SubjectExport.objects.get(user=other).file_name

    with django_capture_on_commit_callbacks(execute=True):
        subject_erase(user=learner, actor=None, reason="test")
    assert _keys(s3_bucket) == [f"exports/{kept}"]  # only the erased learner's archive went
    assert len(_keys(s3_bucket, "journal/")) == 1  # the erasure's journal entry, in the bucket

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        call_command("cleanup_exports", stdout=io.StringIO())
    assert _keys(s3_bucket) == []
