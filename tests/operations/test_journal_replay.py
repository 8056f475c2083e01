"""Re-applying the erasure journal after a restore (learnward.operations.services.journal_replay).

A journal entry written without erasing anyone stands for "this person was erased after the
backup was made": the restored database still holds them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from learnward.accounts.models import User
from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.audit.selectors import audit_verify_chain
from learnward.operations.services import journal_replay
from learnward.privacy.registry.journal import journal_names, journal_write
from learnward.support.models import Enquiry
from learnward.support.services import enquiry_submit

pytestmark = pytest.mark.django_db


def _journal(user_id, *emails) -> str:
    return journal_write(user_id=user_id, emails=emails, erased_at=datetime.now(tz=UTC))


def test_an_entry_for_someone_the_restored_database_holds_erases_them(
    make_user, django_capture_on_commit_callbacks
):
    erased = make_user(email="erased@example.test")
    kept = make_user(email="kept@example.test")
    name = _journal(erased.pk, "Erased@Example.test")
    with django_capture_on_commit_callbacks(execute=True):
        result = journal_replay()
    assert (result.entries, result.reapplied, result.not_present) == (1, 1, 0)
    assert not result.needs_attention
    assert not User.objects.filter(pk=erased.pk).exists()
    assert User.objects.filter(pk=kept.pk).exists()
    entry = AuditEntry.objects.filter(action=Action.SUBJECT_ERASED).get()
    assert "re-applied after a restore" in entry.payload["reason"]
    assert name in entry.payload["reason"]
    assert audit_verify_chain()[1] is None
    # The re-applied erasure wrote no new journal entry: the one that caused it stays.
    assert journal_names() == [name]


def test_replaying_twice_changes_nothing_the_second_time(
    make_user, django_capture_on_commit_callbacks
):
    erased = make_user(email="erased@example.test")
    _journal(erased.pk, erased.email)
    with django_capture_on_commit_callbacks(execute=True):
        journal_replay()
    users, entries = User.objects.count(), AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = journal_replay()
    assert (again.entries, again.reapplied, again.not_present) == (1, 0, 1)
    assert (User.objects.count(), AuditEntry.objects.count()) == (users, entries)


def test_an_account_number_now_held_by_someone_else_is_not_erased(make_user):
    # The erased person had this number; after a restore it was handed to a new learner.
    newcomer = make_user(email="newcomer@example.test")
    name = _journal(newcomer.pk, "erased-long-ago@example.test")
    result = journal_replay()
    assert User.objects.filter(pk=newcomer.pk).exists()
    assert result.reapplied == 0
    assert result.address_differs == [name]
    assert result.needs_attention


def test_a_pending_address_change_still_identifies_the_account(make_user):
    user = make_user(email="old@example.test")
    user.pending_email = "new@example.test"
    user.save(update_fields=["pending_email"])
    _journal(user.pk, "new@example.test")
    assert journal_replay().reapplied == 1
    assert not User.objects.filter(pk=user.pk).exists()


def test_someone_erased_by_address_alone_is_found_by_the_digest(db):
    enquiry_submit(kind="enquiry", subject="Hi", body="Q", name="Bo", email="Bo@Example.test")
    enquiry_submit(kind="enquiry", subject="Hi", body="Q", name="Cy", email="cy@example.test")
    _journal(None, "bo@example.test")
    result = journal_replay()
    assert result.reapplied == 1
    assert list(Enquiry.objects.values_list("email", flat=True)) == ["cy@example.test"]
    assert journal_replay().reapplied == 0


def test_an_entry_written_under_another_secret_key_is_reported_not_guessed(make_user, settings):
    user = make_user(email="erased@example.test")
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    name = _journal(user.pk, user.email)
    settings.SECRET_KEY = "the-secret-key-in-use-now-" + "z" * 40
    result = journal_replay()
    assert result.other_key == [name]
    assert User.objects.filter(pk=user.pk).exists()


def test_an_unreadable_entry_is_skipped_and_reported(make_user):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    erased = make_user()
    storages["journal"].save("20200101T000000.000000Z-damaged.json", ContentFile(b"{"))
    _journal(erased.pk, erased.email)
    result = journal_replay()
    assert result.reapplied == 1
    assert len(result.unreadable) == 1 and "cannot be read" in result.unreadable[0]
