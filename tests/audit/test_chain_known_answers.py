"""The audit chain's hashing scheme, pinned by known answers.

Entries already in a database were hashed with this scheme; a change to it (key order, separators,
escaping, the timestamp's form, the salt's place) would make every existing chain fail
``audit_verify``. The expected values below are written out by hand, not computed with chain.py.
"""

import hashlib
import re
from datetime import UTC, datetime, timedelta, timezone

from learnward.audit import chain


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_genesis_hash_is_sixty_four_zeros():
    assert chain.GENESIS == "0000000000000000000000000000000000000000000000000000000000000000"


def test_canonical_json_sorts_keys_without_spaces_and_keeps_unicode():
    value = {"b": [1, "é"], "a": {"z": None, "y": True}}
    assert chain.canonical(value) == '{"a":{"y":true,"z":null},"b":[1,"é"]}'
    assert chain.canonical({"when": datetime(2025, 1, 2, 3, 4, 5)}) == (
        '{"when":"2025-01-02 03:04:05"}'
    )


def test_timestamps_are_utc_with_microseconds():
    plus_two = timezone(timedelta(hours=2))
    assert chain.timestamp(datetime(2025, 6, 1, 12, 0, 0, tzinfo=plus_two)) == (
        "2025-06-01T10:00:00.000000+00:00"
    )
    assert chain.timestamp(datetime(2025, 6, 1, 10, 0, 0, 123456, tzinfo=UTC)) == (
        "2025-06-01T10:00:00.123456+00:00"
    )


def test_the_payload_digest_is_sha256_of_the_salt_then_the_canonical_payload():
    salt = "00112233445566778899aabbccddeeff"
    payload = {"email": "a@example.test", "changed": ["é"]}
    expected = _sha256(salt + '{"changed":["é"],"email":"a@example.test"}')
    assert chain.payload_digest(payload, salt) == expected


def test_the_entry_hash_is_sha256_of_the_canonical_list_of_its_columns():
    fields = {
        "previous_hash": "a" * 64,
        "sequence": 2,
        "created_at": "2025-01-01T10:00:00.000000+00:00",
        "actor_id": 7,
        "subject_id": None,
        "action": "user.email_verified",
        "target_type": "accounts.User",
        "target_id": "8",
        "payload_digest": "b" * 64,
    }
    material = (
        f'["{"a" * 64}",2,"2025-01-01T10:00:00.000000+00:00",7,null,"user.email_verified",'
        f'"accounts.User","8","{"b" * 64}"]'
    )
    assert chain.entry_hash(**fields) == _sha256(material)


def test_salts_are_fresh_128_bit_hex():
    salts = {chain.new_salt() for _ in range(50)}
    assert len(salts) == 50
    assert all(re.fullmatch(r"[0-9a-f]{32}", salt) for salt in salts)
