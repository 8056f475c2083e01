from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from learnward.audit.actions import Action
from learnward.audit.chain import entry_hash
from learnward.audit.models import AuditEntry
from learnward.audit.selectors import audit_verify_chain
from learnward.audit.services import audit_erase_subject_payloads, audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(make_user):
    user = make_user()
    entries = [
        audit_record(
            action=Action.USER_SIGNED_UP,
            actor=user,
            subject=user,
            target=user,
            payload={"email": "a@example.test"},
        ),
        audit_record(action=Action.USER_EMAIL_VERIFIED, actor=user, subject=user, target=user),
        audit_record(
            action=Action.USER_PROFILE_CHANGED,
            actor=user,
            subject=user,
            target=user,
            payload={"changed": ["display_name"]},
        ),
        audit_record(
            action=Action.USER_ROLE_CHANGED, subject=user, target=user, payload={"added": ["Tutor"]}
        ),
    ]
    return user, entries


def raw_update(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_untouched_chain_verifies(chain, capsys):
    call_command("audit_verify")
    assert "4 entries verified" in capsys.readouterr().out


def test_entries_link_to_each_other(chain):
    _, entries = chain
    assert entries[0].previous_hash == "0" * 64
    for earlier, later in zip(entries, entries[1:], strict=False):
        assert later.previous_hash == earlier.hash


def test_changing_a_column_is_detected(chain):
    _, entries = chain
    raw_update(
        "UPDATE audit_auditentry SET action = %s WHERE id = %s",
        ["user.password_changed", entries[1].pk],
    )
    with pytest.raises(CommandError, match=r"entry #2 .*contents were changed"):
        call_command("audit_verify")


# Every column the entry's hash commits to (learnward/audit/chain.py entry_hash), each with a
# plausible forgery of entry #2 (an edit a person with database access might make).
HASHED_COLUMNS = {
    "created_at": lambda entry: {"created_at": entry.created_at + timedelta(microseconds=1)},
    "actor_id": lambda entry: {"actor_id": entry.actor_id + 1},
    "subject_id": lambda entry: {"subject_id": entry.subject_id + 1},
    "action": lambda entry: {"action": "user.password_changed"},
    "target_type": lambda entry: {"target_type": "certificates.Certificate"},
    "target_id": lambda entry: {"target_id": entry.target_id + "0"},
    "payload_digest": lambda entry: {"payload_digest": "0" * 64},
    "previous_hash": lambda entry: {"previous_hash": "f" * 64},
    "sequence": lambda entry: {"sequence": 99},
}


def test_the_hash_commits_to_every_column():
    """Changing any one input of entry_hash changes the hash (nothing is left out of it)."""
    base = {
        "previous_hash": "a" * 64,
        "sequence": 2,
        "created_at": "2025-01-01T10:00:00.000000+00:00",
        "actor_id": 7,
        "subject_id": 8,
        "action": "user.email_verified",
        "target_type": "accounts.User",
        "target_id": "8",
        "payload_digest": "b" * 64,
    }
    assert set(base) == set(HASHED_COLUMNS)
    changed = {
        "previous_hash": "c" * 64,
        "sequence": 3,
        "created_at": "2025-01-01T10:00:00.000001+00:00",
        "actor_id": 9,
        "subject_id": 9,
        "action": "user.password_changed",
        "target_type": "certificates.Certificate",
        "target_id": "80",
        "payload_digest": "d" * 64,
    }
    original = entry_hash(**base)
    for column, value in changed.items():
        assert entry_hash(**{**base, column: value}) != original, column
    for column in ("actor_id", "subject_id"):  # someone against no one
        assert entry_hash(**{**base, column: None}) != original, column


@pytest.mark.parametrize("column", sorted(HASHED_COLUMNS))
def test_tampering_with_any_hashed_column_is_detected(chain, column):
    _, entries = chain
    entry = entries[1]
    AuditEntry.objects.filter(pk=entry.pk).update(**HASHED_COLUMNS[column](entry))
    checked, fault = audit_verify_chain()
    assert fault is not None and fault.sequence == 2 and checked == 1, (column, fault)
    with pytest.raises(CommandError, match=r"entry #2 "):
        call_command("audit_verify")


def test_changing_a_payload_is_detected(chain):
    _, entries = chain
    raw_update(
        "UPDATE audit_auditentry SET payload = %s WHERE id = %s",
        ['{"changed": ["email"]}', entries[2].pk],
    )
    with pytest.raises(CommandError, match=r"entry #3 .*payload was changed"):
        call_command("audit_verify")


def test_removing_an_entry_is_detected(chain):
    _, entries = chain
    raw_update("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=r"entry #2 .*missing or reordered"):
        call_command("audit_verify")


def test_removing_the_last_entry_is_detected(chain):
    _, entries = chain
    raw_update("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
    with pytest.raises(CommandError, match="removed from the end"):
        call_command("audit_verify")


def test_reordering_entries_is_detected(chain):
    _, entries = chain
    # Swap the sequence numbers of two entries (through a free value, as the column is unique).
    raw_update("UPDATE audit_auditentry SET sequence = 999 WHERE id = %s", [entries[1].pk])
    raw_update("UPDATE audit_auditentry SET sequence = 2 WHERE id = %s", [entries[2].pk])
    raw_update("UPDATE audit_auditentry SET sequence = 3 WHERE id = %s", [entries[1].pk])
    checked, fault = audit_verify_chain()
    assert fault is not None and fault.sequence == 2 and checked == 1


def test_erasing_payloads_keeps_the_chain_verifiable(chain):
    user, _ = chain
    wiped = audit_erase_subject_payloads(subject_id=user.pk)
    assert wiped == 4
    assert not AuditEntry.objects.filter(subject_id=user.pk, payload__isnull=False).exists()
    assert not AuditEntry.objects.filter(subject_id=user.pk).exclude(payload_salt="").exists()
    checked, fault = audit_verify_chain()
    assert fault is None and checked == 4


def test_unknown_actions_are_refused(make_user):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit_record(action="user.teleported")
    assert AuditEntry.objects.count() == 0


def test_the_admin_cannot_add_change_or_delete_entries(chain, make_user, client):
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    _, entries = chain
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    response = client.post(f"/admin/audit/auditentry/{entries[0].pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = client.post(f"/admin/audit/auditentry/{entries[0].pk}/change/", {"action": "x"})
    assert response.status_code == 403
    assert AuditEntry.objects.count() == 4
