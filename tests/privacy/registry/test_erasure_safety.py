"""Erasure's safety nets: derived files go only after commit, and a cascade that would destroy a
retained record rolls the whole erasure back."""

from __future__ import annotations

import pytest
from django.db import connection, models

from learnward.accounts.models import User
from learnward.audit.models import AuditEntry
from learnward.privacy import registry
from learnward.privacy.registry import Erasure, declare, files
from learnward.privacy.registry.erasure import ErasureError, erasure_plan
from learnward.privacy.registry.taxonomy import NOT_PERSONAL
from learnward.privacy.rights.erasure import subject_erase


@pytest.fixture
def cached_file(tmp_path):
    """A file some app keeps about each user, registered through learnward.privacy.files."""
    made = {}

    def provider(user_id):
        return [made[user_id]] if user_id in made else []

    files.register_subject_files(provider)

    def make(user):
        path = tmp_path / f"cache-{user.pk}.pdf"
        path.write_bytes(b"%PDF cached")
        made[user.pk] = path
        return path

    yield make
    files._PROVIDERS.remove(provider)


def test_registered_files_are_planned_and_deleted_with_the_subject(make_user, cached_file):
    from django.test import TestCase

    user = make_user()
    other = make_user()
    path, kept = cached_file(user), cached_file(other)
    assert str(path) in erasure_plan(user=user).files
    with TestCase.captureOnCommitCallbacks(execute=True):
        subject_erase(user=user, reason="test")
    assert not path.exists()
    assert kept.exists()


@pytest.fixture
def diploma_model(transactional_db):
    """A badly wired model: rows the registry retains, but deleted by CASCADE with the user."""

    class Diploma(models.Model):
        owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE)
        title = models.CharField(max_length=100)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.title

    with connection.schema_editor() as editor:
        editor.create_model(Diploma)
    declare(
        Diploma,
        subject="owner",
        fields={
            "id": NOT_PERSONAL,
            "owner": "user.unique_id",
            "title": "user.credential.certificate",
        },
        purposes=["certification"],
        erasure=Erasure.retain(reason="Verification", fields=()),
        retention_note="For ever",
    )
    yield Diploma
    registry.undeclare(Diploma)
    with connection.schema_editor() as editor:
        editor.delete_model(Diploma)
    from django.apps import apps

    del apps.all_models["core"]["diploma"]
    apps.clear_cache()


def test_a_cascade_that_would_delete_a_retained_record_rolls_everything_back(
    make_user, diploma_model, cached_file
):
    user = make_user()
    diploma_model.objects.create(owner=user, title="Diploma in Safety")
    path = cached_file(user)
    entries = AuditEntry.objects.count()
    with pytest.raises(ErasureError, match="deleted by a cascade"):
        subject_erase(user=user, reason="test")
    assert User.objects.filter(pk=user.pk).exists()
    assert diploma_model.objects.filter(owner=user).exists()
    assert AuditEntry.objects.count() == entries
    assert path.exists()  # files go only when the erasure commits


def test_one_failing_account_deletion_does_not_stop_the_others(make_user, diploma_model):
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.utils import timezone

    from learnward.privacy.rights.models import AccountDeletion

    stuck, fine = make_user(), make_user()
    diploma_model.objects.create(owner=stuck, title="Diploma")
    past = timezone.now() - timedelta(days=1)
    for user in (stuck, fine):
        AccountDeletion.objects.create(user=user, erase_after=past)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 erasure"):
        call_command("process_erasures", stdout=out)
    assert "Erased 1 account(s)." in out.getvalue()
    assert User.objects.filter(pk=stuck.pk).exists()
    assert not User.objects.filter(pk=fine.pk).exists()
    assert AccountDeletion.objects.filter(user=stuck).exists()  # tried again next run
