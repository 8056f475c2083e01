"""Self-service "Download my data": queued, emailed, login-only, owner-only, and it expires."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from learnward.audit.models import AuditEntry
from learnward.privacy.rights.models import RightsRequest, SubjectExport

pytestmark = pytest.mark.django_db


def _request_export(client, user, smtp_server):
    from django.test import TestCase

    client.force_login(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/privacy/my-data/download/", follow=True)
    assert response.status_code == 200
    assert "usually within minutes" in response.content.decode()
    [message] = smtp_server.to(user.email)
    [link] = [url for url in message.links() if "/privacy/my-data/download/" in url]
    return message, urlparse(link).path


def test_the_learner_is_emailed_a_link_that_downloads_their_archive(
    client,
    learner,
    smtp_server,
    rights_env,
):
    message, path = _request_export(client, learner, smtp_server)
    assert message.subject == "Your data is ready to download"
    assert "7 days" in message.text
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["subject"]["email"] == learner.email
    user_rows = json.loads(archive.read("account/profile.json"))["rows"]
    assert [r["display_name"] for r in user_rows] == ["Ada Lovelace"]

    export = SubjectExport.objects.get(user=learner)
    assert export.downloaded_at is not None
    request = RightsRequest.objects.get(pk=export.request_id)
    assert request.kind == "access" and request.channel == "self_service"
    assert request.status == "closed" and request.outcome == "fulfilled"
    actions = set(AuditEntry.objects.filter(subject_id=learner.pk).values_list("action", flat=True))
    assert {
        "privacy.export_requested",
        "privacy.export_generated",
        "privacy.export_downloaded",
        "privacy.request_recorded",
        "privacy.request_closed",
    } <= actions


def test_the_link_needs_a_login_and_is_a_404_for_anyone_else(
    client,
    learner,
    other_learner,
    smtp_server,
    rights_env,
):
    _, path = _request_export(client, learner, smtp_server)
    client.logout()
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(other_learner)
    assert client.get(path).status_code == 404
    assert (
        client.get("/privacy/my-data/download/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )
    assert client.get("/privacy/my-data/download/not-a-uuid/").status_code == 404


def test_a_get_does_not_start_an_export(client, learner):
    client.force_login(learner)
    assert client.get("/privacy/my-data/download/").status_code == 405
    assert not SubjectExport.objects.exists()


def test_the_link_expires_and_cleanup_deletes_the_file(
    client,
    learner,
    smtp_server,
    rights_env,
    settings,
):
    settings.EXPORT_DAYS = 3
    _, path = _request_export(client, learner, smtp_server)
    export = SubjectExport.objects.get(user=learner)
    file = Path(export.storage.path(export.file_name))
    assert file.exists()
    assert oct(file.stat().st_mode & 0o777) == "0o600"  # readable by the service only
    assert export.expires_at - export.ready_at == timedelta(days=3)

    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        assert client.get(path).status_code == 404  # expired, even before the clean-up runs
        out = io.StringIO()
        call_command("cleanup_exports", stdout=out)
        assert "Deleted 1 expired export(s)." in out.getvalue()
        assert not file.exists()
        export.refresh_from_db()
        assert export.status == "expired" and export.deleted_at is not None
        out = io.StringIO()
        call_command("cleanup_exports", stdout=out)  # idempotent
        assert "Deleted 0 expired export(s)." in out.getvalue()
    page = client.get("/privacy/my-data/").content.decode()
    assert path not in page


def test_an_unexpired_export_survives_cleanup(client, learner, smtp_server, rights_env):
    _request_export(client, learner, smtp_server)
    export = SubjectExport.objects.get(user=learner)
    call_command("cleanup_exports", stdout=io.StringIO())
    assert export.file_exists()
