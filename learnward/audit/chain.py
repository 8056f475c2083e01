"""Hashing rules for the audit chain, shared by writing and verifying."""

import hashlib
import json
import secrets
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def new_salt() -> str:
    return secrets.token_hex(16)


def payload_digest(payload: Any, salt: str) -> str:
    return hashlib.sha256((salt + canonical(payload)).encode()).hexdigest()


def entry_hash(
    *,
    previous_hash: str,
    sequence: int,
    created_at: str,
    actor_id: int | None,
    subject_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    payload_digest: str,
) -> str:
    material = canonical(
        [
            previous_hash,
            sequence,
            created_at,
            actor_id,
            subject_id,
            action,
            target_type,
            target_id,
            payload_digest,
        ]
    )
    return hashlib.sha256(material.encode()).hexdigest()
