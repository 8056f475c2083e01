"""The erasure plan a DPO reads before erasing, and how the subject's rows are found.

The words of the plan are what `erase_subject --dry-run` and the subject page print and the
counts are what the audit entry keeps, so they are pinned with known answers; finding rows by
address must ignore case and must not pick up anyone else's.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from learnward.privacy.registry import ErasureAction
from learnward.privacy.registry.erasure import (
    ErasureError,
    ErasurePlan,
    Step,
    Subject,
    delete_user_sessions,
    erase_subject,
    erasure_plan,
    user_session_keys,
)

NOBODY = Subject(user_id=None, emails=())


# --- the plan in words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "words"),
    [
        (Step("a.B", "Bs", ErasureAction.DELETE, 3), "delete 3 row(s)"),
        (
            Step("a.B", "Bs", ErasureAction.ANONYMISE, 2, overwritten=("name", "email")),
            "anonymise 2 row(s): overwrite name, email",
        ),
        (
            Step("a.B", "Bs", ErasureAction.RETAIN, 1),
            "keep 1 row(s) as a limited record (every field)",
        ),
        (
            Step("a.B", "Bs", ErasureAction.RETAIN, 1, kept=("code", "awarded_on")),
            "keep 1 row(s) as a limited record (code, awarded_on)",
        ),
        (
            Step(
                "a.B", "Bs", ErasureAction.RETAIN, 4, overwritten=("user", "name"), kept=("code",)
            ),
            "keep 4 row(s) as a limited record (code); overwrite user, name",
        ),
    ],
)
def test_each_step_is_described_in_words(step, words):
    assert step.describe() == words


def test_the_plan_lists_every_step_with_reasons_only_where_rows_are_kept():
    plan = ErasurePlan(
        subject=Subject(user_id=7, emails=("a@example.test",)),
        steps=[
            Step("a.Kept", "Kept things", ErasureAction.RETAIN, 2, reason="The law says so"),
            Step("a.None", "Nothing here", ErasureAction.RETAIN, 0, reason="Never shown"),
            Step("a.Gone", "Gone things", ErasureAction.DELETE, 1),
        ],
        files=["/x/1.pdf", "/x/2.pdf"],
    )
    assert plan.lines() == [
        "a.Kept (Kept things): keep 2 row(s) as a limited record (every field). "
        "Reason: The law says so",
        "a.None (Nothing here): keep 0 row(s) as a limited record (every field)",
        "a.Gone (Gone things): delete 1 row(s)",
        "files: delete 2 file(s)",
    ]
    assert plan.summary() == {
        "models": {
            "a.Kept": {"action": "retain", "rows": 2},
            "a.Gone": {"action": "delete", "rows": 1},
        },
        "files": 2,
    }
    assert not plan.executed
    plan.executed_at = timezone.now()
    assert plan.executed


def test_a_subject_is_found_by_account_or_by_any_row():
    assert ErasurePlan(subject=Subject(user_id=3, emails=())).found
    assert not ErasurePlan(subject=NOBODY, steps=[Step("a.B", "Bs", ErasureAction.DELETE, 0)]).found
    assert ErasurePlan(
        subject=NOBODY,
        steps=[
            Step("a.B", "Bs", ErasureAction.DELETE, 0),
            Step("a.C", "Cs", ErasureAction.DELETE, 1),
        ],
    ).found


def test_a_plan_needs_someone():
    with pytest.raises(ValueError, match="give a user or an email address"):
        erasure_plan()
    with pytest.raises(ValueError, match="give a user or an email address"):
        erase_subject(email="")


# --- finding the subject ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_address_finds_the_account_whatever_its_case_and_spaces(make_user):
    user = make_user(email="ada@example.test")
    user.pending_email = "Ada.New@Example.test"
    user.save(update_fields=["pending_email"])
    make_user(email="grace@example.test")
    plan = erasure_plan(email="  ADA@Example.TEST ")
    assert plan.subject == Subject(
        user_id=user.pk, emails=("ada@example.test", "ada.new@example.test")
    )
    assert plan.found
    step = next(s for s in plan.steps if s.model == "accounts.User")
    assert step.rows == 1 and step.action == ErasureAction.DELETE


@pytest.mark.django_db
def test_an_address_with_no_account_plans_only_its_own_rows(make_user, dpo):
    from learnward.privacy.rights import desk

    make_user(email="grace@example.test")
    desk.request_record(
        kind="access", channel="email", actor=dpo, requester_email="Posted@Example.test"
    )
    plan = erasure_plan(email="posted@example.test")
    assert plan.subject == Subject(user_id=None, emails=("posted@example.test",))
    rows = {s.model: s.rows for s in plan.steps if s.rows}
    assert rows == {"privacy_rights.RightsRequest": 1}
    assert plan.files == []
    assert not erasure_plan(email="nobody@example.test").found


@pytest.mark.django_db
def test_a_retained_model_lists_what_it_keeps_and_why(make_user):
    from learnward.certificates.models import Certificate
    from learnward.privacy.registry import declaration_for

    declaration = declaration_for(Certificate)
    step = next(
        s for s in erasure_plan(user=make_user()).steps if s.model == "certificates.Certificate"
    )
    assert step.action == ErasureAction.RETAIN and step.rows == 0
    assert step.kept == declaration.erasure.fields and step.kept
    assert step.reason == declaration.erasure.reason and step.reason
    assert step.label == declaration.display_label


@pytest.mark.django_db
def test_erasing_an_account_that_has_gone_is_refused(make_user):
    user = make_user()
    ghost = type(user).objects.get(pk=user.pk)
    user.delete()
    with pytest.raises(ErasureError) as refused:
        erase_subject(user=ghost)
    assert str(refused.value) == "the account no longer exists"  # exactly: a DPO reads it


# --- sign-in sessions ------------------------------------------------------------------------------


def _session(user_id, *, expires_in=timedelta(days=1)):
    store = SessionStore()
    store[SESSION_KEY] = str(user_id)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    return store.session_key


@pytest.mark.django_db
def test_only_the_users_live_sessions_are_found_and_deleted(make_user):
    user, other = make_user(), make_user()
    live = [_session(user.pk), _session(user.pk)]
    _session(user.pk, expires_in=timedelta(seconds=-1))  # expired: not signed in any more
    theirs = _session(other.pk)
    assert sorted(user_session_keys(user.pk)) == sorted(live)
    step = next(s for s in erasure_plan(user=user).steps if s.model == "sessions.Session")
    assert step.rows == 2 and step.action == ErasureAction.DELETE
    assert delete_user_sessions(user.pk) == 2
    assert not Session.objects.filter(session_key__in=live).exists()
    assert Session.objects.filter(session_key=theirs).exists()
    assert user_session_keys(user.pk) == []


@pytest.mark.django_db
def test_an_address_only_subject_has_no_sessions(make_user):
    _session(make_user().pk)
    step = next(
        s for s in erasure_plan(email="posted@example.test").steps if s.model == "sessions.Session"
    )
    assert step.rows == 0
