"""The erasure journal: one entry per committed erasure, never the address or the name."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.core.files.storage import storages
from django.db import transaction

from learnward.privacy.registry.journal import (
    email_digest,
    journal_entries,
    journal_names,
    journal_suppressed,
    journal_write,
)
from learnward.privacy.rights.erasure import subject_erase
from learnward.support.services import enquiry_submit

pytestmark = pytest.mark.django_db


def _raw_entries() -> list[bytes]:
    store = storages["journal"]
    return [store.open(name, "rb").read() for name in journal_names()]


def test_an_erasure_writes_one_entry_with_the_account_number_and_a_keyed_digest(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user(email="Ada.Lovelace@Example.test", display_name="Ada Lovelace")
    user_id = user.pk
    with django_capture_on_commit_callbacks(execute=True):
        plan = subject_erase(user=user, actor=None, reason="test")
    [entry] = list(journal_entries())
    assert entry.user_id == user_id
    assert entry.erased_at == plan.executed_at
    # The digest of the normalised address, keyed with the secret key.
    assert entry.email_digests == (email_digest("ada.lovelace@example.test"),)
    assert entry.matches_address("  ADA.LOVELACE@example.test ")
    assert not entry.matches_address("ada.lovelace@example.org")
    assert entry.same_key
    [raw] = _raw_entries()
    for personal in (b"ada", b"Ada", b"lovelace", b"Lovelace", b"example"):
        assert personal not in raw
    assert set(json.loads(raw)) == {
        "format",
        "user_id",
        "erased_at",
        "email_hmacs",
        "key_fingerprint",
    }


def test_entry_names_sort_by_time_and_never_collide(make_user, django_capture_on_commit_callbacks):
    users = [make_user() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for user in users:
            subject_erase(user=user, actor=None, reason="test")
    names = journal_names()
    assert len(names) == 3 == len(set(names))
    assert [entry.user_id for entry in journal_entries()] == [u.pk for u in users]


def test_a_rolled_back_erasure_writes_no_entry(make_user, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            subject_erase(user=user, actor=None, reason="test")
            raise RuntimeError("something after the erasure failed")
    assert callbacks == []
    assert journal_names() == []


def test_nothing_is_written_before_the_commit(make_user, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        subject_erase(user=user, actor=None, reason="test")
    assert journal_names() == []
    for callback in callbacks:
        callback()
    assert len(journal_names()) == 1


def test_an_erasure_by_address_alone_is_journaled_without_an_account_number(
    db, django_capture_on_commit_callbacks
):
    enquiry_submit(
        kind="enquiry", subject="Hello", body="A question", name="Bo", email="bo@example.test"
    )
    with django_capture_on_commit_callbacks(execute=True):
        subject_erase(email="Bo@Example.test", actor=None, reason="test")
    [entry] = list(journal_entries())
    assert entry.user_id is None
    assert entry.matches_address("bo@example.test")


def test_suppressed_erasures_write_no_entry(make_user, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True), journal_suppressed():
        subject_erase(user=user, actor=None, reason="test")
    assert journal_names() == []


def test_a_store_failure_is_logged_without_personal_data_and_the_erasure_stands(
    make_user, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from learnward.accounts.models import User

    user = make_user(email="grace@example.test")

    def refuse(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(storages["journal"], "save", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        subject_erase(user=user, actor=None, reason="test")
    assert not User.objects.filter(email="grace@example.test").exists()
    assert "erasure journal entry could not be written" in caplog.text
    assert "grace" not in caplog.text


def test_an_unreadable_entry_is_reported_not_fatal(db):
    from django.core.files.base import ContentFile

    storages["journal"].save("20200101T000000.000000Z-broken.json", ContentFile(b"{not json"))
    journal_write(user_id=7, emails=["x@example.test"], erased_at=datetime.now(tz=UTC))
    entries = list(journal_entries())
    assert "cannot be read" in str(entries[0])
    assert entries[1].user_id == 7
