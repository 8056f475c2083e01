"""The erasure journal: one small object per erasure, so a restore can erase the person again.

A backup made before someone was erased still holds them; restoring it would bring them back.
Each erasure therefore writes an entry to the ``journal`` store (a folder under the data
directory, or a prefix in the S3 bucket), which is never part of a backup and outlives every
restore. ``learnward restore`` reads every entry and erases again whoever the restored database
still holds.

An entry holds no name and no address: the account's number (primary key), when the erasure
happened, and a keyed HMAC of each email address the person was found by (normalised, keyed
with ``LEARNWARD_SECRET_KEY``), plus a fingerprint of that key so a restore can tell when an
entry was written under another one. The HMAC lets a restore confirm that the account with
that number is still the same person (an account number handed out again after a restore
belongs to someone else) and find people erased by address alone, without the journal ever
saying who anyone was.

One object per erasure, named ``<UTC time>-<random uuid>.json``, so machines sharing a bucket
never append to the same file. It is written once the erasure's transaction has committed
(:func:`journal_on_commit`): a rolled-back erasure leaves no entry. If the process dies in the
instant between the commit and the write, or the store refuses the write, the erasure is not
journaled; the failure is logged (without personal data).
"""

from __future__ import annotations

import contextvars
import json
import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from learnward.core.errors import ApplicationError
from learnward.privacy.registry import personal_declarations

logger = logging.getLogger(__name__)

STORE = "journal"
FORMAT = 1
_EMAIL_SALT = "learnward.privacy.journal.email"
_KEY_CHECK_SALT = "learnward.privacy.journal.key-check"

_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "learnward_journal_suppressed", default=False
)


class JournalError(ApplicationError, ValueError):
    """An entry that cannot be read as a journal entry."""


def email_digest(address: str) -> str:
    """The keyed HMAC of a normalised address (trimmed, lower-cased): never the address."""
    return salted_hmac(_EMAIL_SALT, address.strip().lower(), algorithm="sha256").hexdigest()


def key_fingerprint() -> str:
    """Says which secret key the digests were made with, without revealing it."""
    return salted_hmac(_KEY_CHECK_SALT, "journal", algorithm="sha256").hexdigest()[:16]


@dataclass(frozen=True)
class JournalEntry:
    name: str
    user_id: int | None
    erased_at: datetime
    email_digests: tuple[str, ...]
    key_fingerprint: str

    @property
    def same_key(self) -> bool:
        """Whether this site's secret key is the one the entry's digests were made with."""
        return constant_time_compare(self.key_fingerprint, key_fingerprint())

    def matches_address(self, address: str | None) -> bool:
        if not address:
            return False
        digest = email_digest(address)
        return any(constant_time_compare(digest, known) for known in self.email_digests)


def _entry_name(erased_at: datetime) -> str:
    stamp = erased_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{stamp}-{uuid.uuid4()}.json"


def journal_write(*, user_id: int | None, emails: Iterable[str], erased_at: datetime) -> str:
    """Write one entry now; returns its name in the journal store."""
    document = {
        "format": FORMAT,
        "user_id": user_id,
        "erased_at": erased_at.astimezone(UTC).isoformat(),
        "email_hmacs": sorted({email_digest(e) for e in emails if e and e.strip()}),
        "key_fingerprint": key_fingerprint(),
    }
    content = json.dumps(document, sort_keys=True).encode()
    return storages[STORE].save(_entry_name(erased_at), ContentFile(content))


def journal_on_commit(*, user_id: int | None, emails: Iterable[str], erased_at: datetime) -> None:
    """Journal an erasure once the current transaction commits (nothing if it rolls back)."""
    if _suppressed.get():
        return
    emails = tuple(emails)

    def write() -> None:
        try:
            journal_write(user_id=user_id, emails=emails, erased_at=erased_at)
        except Exception:  # noqa: BLE001 - the erasure has committed; say so and carry on
            logger.error(
                "the erasure committed but its erasure journal entry could not be written; "
                "a restore from an older backup would not erase this person again: check "
                "the journal store and see docs/operator-guide.md#the-erasure-journal",
                exc_info=True,
            )

    transaction.on_commit(write)


@contextmanager
def journal_suppressed() -> Iterator[None]:
    """Erasures inside do not write entries: a restore re-applying an entry already journaled."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def _parse(name: str, data: bytes) -> JournalEntry:
    try:
        document = json.loads(data)
        if document.get("format") != FORMAT:
            raise JournalError(f"journal entry {name} has an unknown format")
        user_id = document["user_id"]
        if user_id is not None and not isinstance(user_id, int):
            raise JournalError(f"journal entry {name} has no valid account number")
        erased_at = datetime.fromisoformat(document["erased_at"])
        digests = tuple(str(d) for d in document["email_hmacs"])
        fingerprint = str(document["key_fingerprint"])
    except (ValueError, KeyError, TypeError) as exc:
        raise JournalError(f"journal entry {name} cannot be read") from exc
    return JournalEntry(name, user_id, erased_at, digests, fingerprint)


def journal_names() -> list[str]:
    """Every entry's name, oldest first (the names start with the UTC time)."""
    store = storages[STORE]
    try:
        _folders, files = store.listdir("")
    except FileNotFoundError:
        return []
    return sorted(name for name in files if name.endswith(".json"))


def journal_read(name: str) -> JournalEntry:
    with storages[STORE].open(name, "rb") as handle:
        return _parse(name, handle.read())


def journal_entries() -> Iterator[JournalEntry | JournalError]:
    """Every entry, oldest first; an unreadable one is yielded as its :class:`JournalError`."""
    for name in journal_names():
        try:
            yield journal_read(name)
        except JournalError as exc:
            yield exc


def addresses_by_digest() -> dict[str, str]:
    """Every address the registry's declared email fields hold, by its digest.

    For re-applying an erasure made by address alone (someone without an account): the
    journal has only the digest, so the restored database's addresses are digested to find
    theirs. Held in memory only, never written or printed."""
    found: dict[str, str] = {}
    for declaration in personal_declarations():
        path = declaration.subject_email
        if not path:
            continue
        values = (
            declaration.model._default_manager.exclude(**{f"{path}__isnull": True})
            .values_list(path, flat=True)
            .distinct()
        )
        for value in values.iterator():
            if isinstance(value, str) and value.strip():
                found.setdefault(email_digest(value), value.strip().lower())
    return found
