"""Erasure's edges that the journeys do not reach: eraser registration, files of every kind, a
many-to-many link cleared on a kept row, and the refusal without a subject."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages

from learnward.privacy.registry import erasure
from learnward.privacy.registry.files import StoredFile


def test_an_eraser_is_registered_under_its_models_label(monkeypatch):
    monkeypatch.setattr(erasure, "_ERASERS", {})
    by_label, by_model = object(), object()
    erasure.register_eraser("tests.Thing", by_label)
    erasure.register_eraser(SimpleNamespace(_meta=SimpleNamespace(label="app.Model")), by_model)
    assert erasure._ERASERS == {"tests.Thing": by_label, "app.Model": by_model}


def test_every_kind_of_file_is_deleted_and_a_missing_one_is_not_an_error(tmp_path, caplog):
    caplog.set_level(logging.ERROR, logger="learnward.privacy.registry.erasure")
    stored = storages["exports"].save("archive.zip", ContentFile(b"PK"))
    legacy = default_storage.save("legacy/name.pdf", ContentFile(b"%PDF"))
    absolute = tmp_path / "absolute.bin"
    absolute.write_bytes(b"x")
    missing = tmp_path / "never-written.bin"

    erasure._delete_files(
        [StoredFile("exports", stored), str(missing), str(absolute), legacy,
         StoredFile("exports", "gone.zip")]
    )  # fmt: skip

    assert not storages["exports"].exists(stored)
    assert not absolute.exists()
    assert not default_storage.exists(legacy)
    assert caplog.records == []  # nothing missing is reported as a failure


def test_a_file_that_cannot_be_deleted_is_logged_and_the_rest_still_go(tmp_path, caplog):
    caplog.set_level(logging.ERROR, logger="learnward.privacy.registry.erasure")
    stuck = tmp_path / "a-directory"
    stuck.mkdir()  # unlink() of a directory fails
    after = tmp_path / "after.bin"
    after.write_bytes(b"x")
    erasure._delete_files([str(stuck), str(after)])
    assert not after.exists()
    [record] = caplog.records
    assert record.getMessage() == "could not delete a subject's file after erasure"
    assert str(stuck) not in record.getMessage()


@pytest.mark.django_db
@pytest.mark.parametrize("call", [erasure.erase_subject, erasure.erasure_plan])
def test_a_plan_needs_a_user_or_an_address(call):
    with pytest.raises(ValueError) as refused:
        call()
    assert str(refused.value) == "give a user or an email address"


@pytest.mark.django_db
def test_an_erasure_logs_how_many_models_it_touched_and_nothing_else(make_user, caplog):
    caplog.set_level(logging.INFO, logger="learnward.privacy.registry.erasure")
    user = make_user(email="log.me.not@example.test", display_name="Logan Notlogged")
    plan = erasure.erase_subject(user=user)
    [line] = [r.getMessage() for r in caplog.records if r.name.endswith("registry.erasure")]
    assert line == f"subject erased: {len(plan.summary()['models'])} model(s) touched"
    assert "log.me.not" not in caplog.text and "Logan" not in caplog.text


@pytest.mark.django_db
def test_a_kept_rows_many_to_many_links_are_cleared(make_user, monkeypatch):
    """``_overwrite`` on a relation: every link of the erased rows goes, others' stay."""
    from django.contrib.auth.models import Group

    from learnward.accounts.models import User
    from learnward.privacy.registry import CLEAR_RELATION

    erased, kept = make_user(), make_user()
    group = Group.objects.create(name="Cohort")
    group.user_set.add(erased, kept)
    declaration = SimpleNamespace(model=User, erasure=SimpleNamespace())
    monkeypatch.setattr(erasure, "erasure_overwrites", lambda _declaration: ["groups"])
    monkeypatch.setattr(erasure, "anonymised_value", lambda *_args: CLEAR_RELATION)

    erasure._overwrite(declaration, User.objects.filter(pk=erased.pk))

    assert list(erased.groups.all()) == []
    assert list(kept.groups.all()) == [group]
