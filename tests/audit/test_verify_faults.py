"""What a failed audit_verify names: the entry (and its id) or the head, exactly."""

import pytest
from django.db import connection

from learnward.audit.actions import Action
from learnward.audit.models import AuditHead
from learnward.audit.selectors import audit_verify_chain
from learnward.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_an_empty_trail_verifies():
    assert audit_verify_chain() == (0, None)


def test_a_missing_entry_fault_names_the_entry_found_in_its_place(make_user):
    user = make_user()
    entries = [
        audit_record(action=Action.USER_SIGNED_UP, actor=user, subject=user, target=user),
        audit_record(action=Action.USER_EMAIL_VERIFIED, subject=user, target=user),
        audit_record(action=Action.USER_PROFILE_CHANGED, subject=user, target=user),
    ]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    checked, fault = audit_verify_chain()
    assert checked == 1
    assert fault.sequence == 2 and fault.entry_id == entries[2].pk
    assert str(fault) == (
        f"entry #2 (id {entries[2].pk}): expected entry #2 but found #3: "
        "entries are missing or reordered"
    )


def test_a_removed_last_entry_fault_names_the_head(make_user):
    user = make_user()
    entries = [
        audit_record(action=Action.USER_SIGNED_UP, actor=user, subject=user, target=user),
        audit_record(action=Action.USER_EMAIL_VERIFIED, subject=user, target=user),
    ]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    checked, fault = audit_verify_chain()
    assert checked == 1
    assert fault.sequence == 2 and fault.entry_id is None
    assert str(fault) == (
        "entry #2 (id None): the chain ends at #1 but its head says #2: "
        "entries were removed from the end"
    )


def test_a_head_whose_hash_does_not_match_the_last_entry_is_a_fault(make_user):
    user = make_user()
    audit_record(action=Action.USER_SIGNED_UP, actor=user, subject=user, target=user)
    audit_record(action=Action.USER_EMAIL_VERIFIED, subject=user, target=user)
    assert audit_verify_chain() == (2, None)
    AuditHead.objects.filter(pk=1).update(hash="f" * 64)
    checked, fault = audit_verify_chain()
    assert checked == 2 and fault is not None and fault.sequence == 2


def _three(make_user):
    user = make_user()
    return [
        audit_record(
            action=Action.USER_SIGNED_UP, actor=user, subject=user, target=user, payload={"a": 1}
        ),
        audit_record(
            action=Action.USER_EMAIL_VERIFIED, subject=user, target=user, payload={"b": 2}
        ),
        audit_record(action=Action.USER_PROFILE_CHANGED, subject=user, target=user),
    ]


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        (
            "UPDATE audit_auditentry SET previous_hash = %s WHERE id = %s",
            "does not link to the previous entry",
        ),
        ("UPDATE audit_auditentry SET hash = %s WHERE id = %s", "its contents were changed"),
        ("UPDATE audit_auditentry SET payload = %s WHERE id = %s", "its payload was changed"),
    ],
)
def test_each_fault_names_the_entry_its_id_and_what_is_wrong(make_user, sql, reason):
    entries = _three(make_user)
    value = '{"b": 3}' if "payload" in sql else "e" * 64
    with connection.cursor() as cursor:
        cursor.execute(sql, [value, entries[1].pk])
    checked, fault = audit_verify_chain()
    assert checked == 1
    assert (fault.sequence, fault.entry_id, fault.reason) == (2, entries[1].pk, reason)
    assert str(fault) == f"entry #2 (id {entries[1].pk}): {reason}"
