"""`learnward erase_subject` (plan and execution) and `learnward export_subject`."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from learnward.accounts.models import User
from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.privacy.rights import desk
from learnward.privacy.rights.models import RightsRequest
from learnward.support.models import Enquiry
from learnward.support.services import enquiry_submit

pytestmark = pytest.mark.django_db


def _run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_dry_run_prints_the_plan_per_model_and_changes_nothing(learner, other_learner):
    audit_record(
        action=Action.USER_PROFILE_CHANGED, actor=learner, subject=learner, payload={"a": 1}
    )
    desk.request_record(
        kind="erasure", channel="letter", actor=None, requester=learner, details="Delete me"
    )
    out = _run("erase_subject", email="ADA@example.test", dry_run=True)
    assert "nothing has been changed" in out
    assert "accounts.User (Your profile): delete 1 row(s)" in out
    # the profile change and the request's own entry
    assert (
        "audit.AuditEntry (Records of actions on your account): anonymise 2 row(s): "
        "overwrite payload, payload_salt" in out
    )
    assert (
        "privacy_rights.RightsRequest (Your data protection requests): keep 1 row(s) as a limited record"
        in out
    )
    assert "overwrite requester, requester_name, requester_email, details" in out
    assert "Reason: We must be able to show that a request was received" in out
    assert User.objects.filter(pk=learner.pk).exists()
    assert RightsRequest.objects.get().details == "Delete me"


def test_yes_erases_and_reports(learner, other_learner):
    out = _run("erase_subject", email=learner.email, yes=True)
    assert out.startswith("Erased:")
    assert not User.objects.filter(pk=learner.pk).exists()
    assert User.objects.filter(pk=other_learner.pk).exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "exactly one of --dry-run"),
        ({"dry_run": True, "yes": True}, "exactly one of --dry-run"),
    ],
)
def test_it_needs_dry_run_or_yes(learner, options, message):
    with pytest.raises(CommandError, match=message):
        _run("erase_subject", email=learner.email, **options)
    assert User.objects.filter(pk=learner.pk).exists()


def test_nobody_under_that_address_is_an_error(db):
    with pytest.raises(CommandError, match="Nothing is held"):
        _run("erase_subject", email="nobody@example.test", dry_run=True)


def test_someone_without_an_account_is_found_by_email(db):
    enquiry_submit(
        kind="enquiry",
        subject="Course dates",
        body="When does it start?",
        name="Walter Visitor",
        email="Walter@Example.test",
    )
    out = _run("erase_subject", email="walter@example.test", dry_run=True)
    assert "support.Enquiry" in out and "delete 1 row(s)" in out
    _run("erase_subject", email="walter@example.test", yes=True)
    assert not Enquiry.objects.exists()


def test_export_subject_writes_the_archive(learner, tmp_path):
    target = tmp_path / "ada.zip"
    out = _run("export_subject", email="ada@EXAMPLE.test", out=str(target))
    assert f"Wrote {target}" in out
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    archive = zipfile.ZipFile(target)
    assert json.loads(archive.read("manifest.json"))["subject"]["email"] == "ada@example.test"
    assert "README.html" in archive.namelist()
    with pytest.raises(CommandError, match="exists"):
        _run("export_subject", email=learner.email, out=str(target))
    _run("export_subject", email=learner.email, out=str(target), force=True)


@pytest.mark.parametrize(
    ("email", "out", "message"),
    [
        ("nobody@example.test", "x.zip", "No account"),
        ("ada@example.test", "/no/such/folder/x.zip", "does not exist"),
    ],
)
def test_export_subject_refuses_bad_input(learner, tmp_path, email, out, message):
    target = out if out.startswith("/") else str(tmp_path / out)
    with pytest.raises(CommandError, match=message):
        _run("export_subject", email=email, out=target)
