"""Backing up and restoring a Learnward site (``learnward backup`` and ``learnward restore``).

A restore checks everything it can before it changes anything: the manifest and every file's
checksum, the passphrase (by decrypting the issuer key), the database vendor and migrations, the
issuer key in the environment, and that the target is empty (unless forced). Then it restores
the database, the files and the issuer key, re-applies every erasure in the erasure journal that
the restored database still holds, and verifies the audit trail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.selectors import audit_verify_chain
from learnward.audit.services import audit_record
from learnward.certificates.credentials import keys
from learnward.certificates.credentials.multibase import multikey_from_public
from learnward.privacy.registry.journal import (
    JournalEntry,
    JournalError,
    addresses_by_digest,
    journal_entries,
    journal_suppressed,
)
from learnward.privacy.rights.erasure import erased_tables_vacuum, subject_erase

from . import database, stores
from .archive import (
    KEY_FILE,
    BackupError,
    decrypt_key,
    encrypt_key,
    file_entry,
    manifest_read,
    manifest_verify,
    manifest_write,
)

Say = Callable[[str], None]


def _quiet(_line: str) -> None:
    pass


def learnward_version() -> str:
    try:
        return version("learnward")
    except PackageNotFoundError:
        return "unknown"


def human_size(count: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return ""


# --- the issuer key ---------------------------------------------------------------------------------


def _public_multikey(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return multikey_from_public(raw)


def _issuer_pem() -> tuple[bytes, str]:
    """The issuer's key as PKCS#8 PEM (made now if this site never signed anything) and where
    it comes from."""
    key = keys.issuer().private_key
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem, "environment" if settings.ISSUER_KEY else "file"


def _load_pem(pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise BackupError(
            _("The backup's issuer key is not a valid key. Nothing was changed.")
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise BackupError(_("The backup's issuer key is not an Ed25519 key. Nothing was changed."))
    return key


def _write_key_file(pem: bytes) -> Path:
    path = Path(settings.ISSUER_KEY_FILE)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = path.with_name(f".{path.name}.restoring")
    staging.unlink(missing_ok=True)
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    os.replace(staging, path)
    keys._issuer.cache_clear()
    return path


# --- backup ---------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    out: Path
    vendor: str
    files: int
    size: int


def backup_create(*, out: Path, passphrase: str, say: Say = _quiet) -> BackupResult:
    """Write a backup into ``out`` (made if absent; refused unless empty)."""
    out = out.resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(
            _(
                "%(out)s is not an empty folder. Give a new or empty folder to --out; nothing was written."
            )
            % {"out": out}
        )
    vendor = database.vendor()
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        return _backup_into(out, vendor, passphrase, say)
    except BaseException:
        # Leave nothing that looks like a backup: without manifest.json none would restore, but
        # a half-written copy of personal data should not stay on disk either.
        for child in out.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        if created:
            out.rmdir()
        raise


def _backup_into(out: Path, vendor: str, passphrase: str, say: Say) -> BackupResult:
    files: dict[str, dict] = {}
    created_at = timezone.now()
    state = database.migration_state()
    dump_name = database.dump_file_name(vendor)
    say(_("Copying the %(value)s database...") % {"value": database.VENDOR_NAMES[vendor]})
    (database.sqlite_dump if vendor == "sqlite" else database.postgres_dump)(out / dump_name)
    (out / dump_name).chmod(0o600)
    files[dump_name] = file_entry(out / dump_name)
    say(_("  database: %(value)s") % {"value": human_size(files[dump_name]["size"])})

    pem, key_source = _issuer_pem()
    (out / KEY_FILE).write_bytes(encrypt_key(pem, passphrase))
    (out / KEY_FILE).chmod(0o600)
    files[KEY_FILE] = file_entry(out / KEY_FILE)
    say(_("  certificate issuer key: encrypted with LEARNWARD_BACKUP_PASSPHRASE"))

    kinds = {alias: stores.kind(alias) for alias in stores.BACKED_UP}
    for alias in [a for a, k in kinds.items() if k == "filesystem"]:
        entries, count = stores.backup_filesystem(alias, out)
        files.update(entries)
        say(
            _("  %(value)s: %(files)s file(s), %(value2)s")
            % {
                "value": stores.STORE_NAMES[alias],
                "files": count.files,
                "value2": human_size(count.size),
            }
        )
    in_s3 = [a for a, k in kinds.items() if k == "s3"]
    if in_s3:
        counts = stores.backup_s3(in_s3, out)
        files[stores.OBJECTS_FILE] = file_entry(out / stores.OBJECTS_FILE)
        for alias, count in counts.items():
            say(
                _(
                    "  %(value)s: %(files)s object(s) in the S3 bucket, listed in objects.json (the bucket's versioning keeps the objects)"
                )
                % {"value": stores.STORE_NAMES[alias], "files": count.files}
            )
    if stores.kind("journal") == "filesystem":
        say(
            _(
                "  not included: the erasure journal (%(value)s); keep a separate copy of it off this machine (docs/operator-guide.md, Backup and restore)"
            )
            % {"value": stores.root("journal")}
        )
    manifest_write(
        out,
        {
            "created_at": created_at.isoformat(),
            "learnward_version": learnward_version(),
            "database": {"vendor": vendor, "file": dump_name},
            "migrations": state,
            "stores": kinds,
            "issuer_key": {
                "file": KEY_FILE,
                "source": key_source,
                "public_key": _public_multikey(_load_pem(pem)),
            },
            "files": files,
        },
    )
    return BackupResult(out, vendor, len(files), sum(entry["size"] for entry in files.values()))


# --- restore: the checks ---------------------------------------------------------------------------


@dataclass
class RestorePlan:
    source: Path
    manifest: dict
    pem: bytes
    write_key: bool
    migrate_after: bool
    files_checked: int


def _check_database(manifest: dict) -> bool:
    vendor = database.vendor()
    backed_up = manifest["database"]["vendor"]
    if backed_up != vendor:
        raise BackupError(
            _(
                "This backup holds a %(value)s database, but this site is configured for %(value2)s (DATABASE_URL). Nothing was changed."
            )
            % {
                "value": database.VENDOR_NAMES.get(backed_up, backed_up),
                "value2": database.VENDOR_NAMES[vendor],
            }
        )
    unknown = database.migrations_unknown_to_code(manifest["migrations"])
    if unknown:
        raise BackupError(
            _(
                "This backup was made by a newer Learnward (%(learnward_version)s): it has %(value)s database change(s) this version does not know, e.g. %(value2)s. Install that version, then restore. Nothing was changed."
            )
            % {
                "learnward_version": manifest["learnward_version"],
                "value": len(unknown),
                "value2": unknown[0],
            }
        )
    return database.migrations_behind_code(manifest["migrations"])


def _check_issuer_key(pem: bytes) -> tuple[bool, bool]:
    """(write the key file?, is a different key file there now?)."""
    backup_key = _public_multikey(_load_pem(pem))
    if settings.ISSUER_KEY:
        if keys.issuer().public_multikey != backup_key:
            raise BackupError(
                _(
                    "LEARNWARD_ISSUER_KEY holds a different issuer key from the backup's: "
                    "certificates' signed credentials would stop verifying. Set it to the key the "
                    "backup was made with, or unset it to use the backup's key. Nothing was changed."
                )
            )
        return False, False
    path = Path(settings.ISSUER_KEY_FILE)
    if not path.exists():
        return True, False
    current = _public_multikey(_load_pem(path.read_bytes()))
    return current != backup_key, current != backup_key


def _not_empty_reasons(manifest: dict, source: Path, other_key: bool) -> list[str]:
    reasons = []
    full = database.learnward_tables_with_rows()
    if full:
        reasons.append(f"the database holds data ({len(full)} table(s) have rows)")
    if manifest["database"]["vendor"] == "postgresql":
        extra = database.postgres_extra_tables(source / manifest["database"]["file"])
        if extra:
            raise BackupError(
                _(
                    "The database has %(value)s table(s) the backup does not have (it was made by a newer Learnward?), e.g. %(value2)s; restoring would leave them behind. Restore into a new, empty database. Nothing was changed."
                )
                % {"value": len(extra), "value2": extra[0]}
            )
    for alias, store_kind in manifest["stores"].items():
        if store_kind == "filesystem" and not stores.store_is_empty(alias):
            reasons.append(f"the {stores.STORE_NAMES[alias]} folder is not empty")
    if other_key:
        reasons.append("a different certificate issuer key is in place")
    return reasons


def restore_check(*, source: Path, passphrase: str, force: bool, say: Say = _quiet) -> RestorePlan:
    """Every check a restore makes before it changes anything."""
    source = source.resolve()
    manifest = manifest_read(source)
    say(
        _("Backup made %(created_at)s by Learnward %(learnward_version)s (%(value)s database).")
        % {
            "created_at": manifest["created_at"],
            "learnward_version": manifest["learnward_version"],
            "value": database.VENDOR_NAMES.get(manifest["database"]["vendor"], "?"),
        }
    )
    checked = manifest_verify(source, manifest)
    say(_("Checked %(checked)s file(s) against their checksums: all match.") % {"checked": checked})
    pem = decrypt_key((source / manifest["issuer_key"]["file"]).read_bytes(), passphrase)
    say(_("Passphrase accepted: the issuer key is readable."))
    migrate_after = _check_database(manifest)
    for alias, store_kind in manifest["stores"].items():
        if stores.kind(alias) != store_kind:
            raise BackupError(
                _(
                    "The backup's %(value)s were in a %(store_kind)s store, but this site keeps them in a %(value2)s store. Nothing was changed."
                )
                % {
                    "value": stores.STORE_NAMES[alias],
                    "store_kind": store_kind,
                    "value2": stores.kind(alias),
                }
            )
    write_key, other_key = _check_issuer_key(pem)
    reasons = _not_empty_reasons(manifest, source, other_key)
    if reasons and not force:
        raise BackupError(
            _(
                "Refusing to restore over an existing site: %(reasons)s. Nothing was changed. "
                "Restore into a new, empty site, or add --force to replace everything there "
                "with the backup."
            )
            % {"reasons": "; ".join(reasons)}
        )
    if reasons:
        say(
            _("Replacing the existing site (--force): %(reasons)s.")
            % {"reasons": "; ".join(reasons)}
        )
    return RestorePlan(source, manifest, pem, write_key, migrate_after, checked)


# --- restore: the changes ---------------------------------------------------------------------------


@dataclass
class ReplayResult:
    entries: int = 0
    reapplied: int = 0
    not_present: int = 0
    unreadable: list[str] = field(default_factory=list)
    other_key: list[str] = field(default_factory=list)
    address_differs: list[str] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.unreadable or self.other_key or self.address_differs)


def _replay_reason(entry: JournalEntry) -> str:
    return (
        "Erasure re-applied after a restore: the backup was made before this person was "
        f"erased (erasure journal entry {entry.name})."
    )


def _replay_one(entry: JournalEntry, addresses: dict[str, str], result: ReplayResult) -> None:
    if entry.user_id is not None:
        user = get_user_model().objects.filter(pk=entry.user_id).first()
        if user is not None:
            if entry.matches_address(user.email) or entry.matches_address(
                getattr(user, "pending_email", "")
            ):
                subject_erase(user=user, actor=None, reason=_replay_reason(entry))
                result.reapplied += 1
            else:
                # The account number now belongs to someone else (or the address changed
                # between the backup and the erasure): never erase on the number alone.
                result.address_differs.append(entry.name)
            return
    matched = sorted({addresses[d] for d in entry.email_digests if d in addresses})
    for address in matched:
        subject_erase(email=address, actor=None, reason=_replay_reason(entry))
    if matched:
        result.reapplied += 1
    else:
        result.not_present += 1


def journal_replay() -> ReplayResult:
    """Erase again everyone the journal says was erased and the database still holds.

    Idempotent: an erased account is deleted, so a second run finds nobody. Re-applied
    erasures write no new journal entry (the entry that caused them stays)."""
    result = ReplayResult()
    addresses = addresses_by_digest()
    with journal_suppressed():
        for entry in journal_entries():
            result.entries += 1
            if isinstance(entry, JournalError):
                result.unreadable.append(str(entry))
            elif not entry.same_key:
                result.other_key.append(entry.name)
            else:
                _replay_one(entry, addresses, result)
    return result


@dataclass
class RestoreResult:
    plan: RestorePlan
    replay: ReplayResult
    audit_entries: int
    audit_fault: str | None
    s3_missing: dict[str, int]

    @property
    def clean(self) -> bool:
        return (
            self.audit_fault is None
            and not self.replay.needs_attention
            and not any(self.s3_missing.values())
        )


def backup_restore(*, plan: RestorePlan, say: Say = _quiet) -> RestoreResult:
    """Carry out a checked restore (:func:`restore_check`)."""
    manifest, source = plan.manifest, plan.source
    dump = source / manifest["database"]["file"]
    say(_("Restoring the database..."))
    if manifest["database"]["vendor"] == "sqlite":
        database.sqlite_restore(dump)
    else:
        database.postgres_restore(dump)
    connections.close_all()
    if plan.migrate_after:
        say(
            _(
                "The backup is from an older Learnward: bringing the database up to date (migrate)..."
            )
        )
        call_command("migrate", interactive=False, verbosity=0)
    s3_missing = {}
    for alias, store_kind in manifest["stores"].items():
        if store_kind == "filesystem":
            count = stores.restore_filesystem(alias, source, manifest["files"])
            say(
                _("Restored %(value)s: %(files)s file(s).")
                % {"value": stores.STORE_NAMES[alias], "files": count.files}
            )
    in_s3 = [alias for alias, kind in manifest["stores"].items() if kind == "s3"]
    if in_s3:
        s3_missing = stores.s3_missing(source, in_s3)
    if plan.write_key:
        path = _write_key_file(plan.pem)
        say(_("Restored the certificate issuer key to %(path)s.") % {"path": path})
    elif settings.ISSUER_KEY:
        say(_("The certificate issuer key comes from LEARNWARD_ISSUER_KEY and matches the backup."))
    else:
        say(_("The certificate issuer key in place is the backup's."))
    say(_("Re-applying erasures from the erasure journal..."))
    replay = journal_replay()
    if replay.reapplied:
        erased_tables_vacuum()
    with transaction.atomic(durable=True):
        audit_record(
            action=Action.SITE_RESTORED,
            payload={
                "backup_created_at": manifest["created_at"],
                "erasures_reapplied": replay.reapplied,
            },
        )
    checked, fault = audit_verify_chain()
    return RestoreResult(plan, replay, checked, str(fault) if fault else None, s3_missing)
