"""A backup directory on disk: its manifest, checksums and the encrypted issuer key.

Nothing here touches the database or the stores; :mod:`learnward.operations.services` does.

Layout of a backup directory::

    manifest.json       format, when, which Learnward, database vendor, migrations, every file
                        with its SHA-256 and size, and a checksum of the manifest itself
    database.sqlite3    SQLite's online backup of the database, or
    database.dump       pg_dump's custom format (PostgreSQL)
    issuer-key.enc      the certificate issuer's key, encrypted (scrypt + AES-256-GCM)
    files/<store>/...   the files of the "default" (uploads) and "exports" stores, or
    objects.json        the list of their objects (key, size, ETag) when they are in S3
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.utils.translation import gettext as _

from learnward.core.errors import ApplicationError

FORMAT = 1
MANIFEST = "manifest.json"
KEY_FILE = "issuer-key.enc"
PASSPHRASE_VARIABLE = "LEARNWARD_BACKUP_PASSPHRASE"  # noqa: S105 - a variable name
PASSPHRASE_MIN_LENGTH = 12
# scrypt's cost: 2**15 x 8 x 1 takes about 32 MB and a tenth of a second, once per run.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_KEY_AAD = b"learnward issuer key, backup format 1"
_CHUNK = 1024 * 1024


class BackupError(ApplicationError):
    """A backup or restore refused; ``message`` says why and what to do, in plain words."""


# --- the passphrase and the issuer key ---------------------------------------------------------


def passphrase_from_environment(*, for_backup: bool) -> str:
    passphrase = os.environ.get(PASSPHRASE_VARIABLE, "")
    if not passphrase:
        raise BackupError(
            _(
                "Set %(passphrase_variable)s to the backup passphrase first: it encrypts the certificate issuer's key in the backup, and nothing was changed."
            )
            % {"passphrase_variable": PASSPHRASE_VARIABLE}
        )
    if for_backup and len(passphrase) < PASSPHRASE_MIN_LENGTH:
        raise BackupError(
            _(
                "%(passphrase_variable)s is too short: use at least %(passphrase_min_length)s characters (a few random words is best). No backup was written."
            )
            % {
                "passphrase_variable": PASSPHRASE_VARIABLE,
                "passphrase_min_length": PASSPHRASE_MIN_LENGTH,
            }
        )
    return passphrase


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def encrypt_key(secret: bytes, passphrase: str) -> bytes:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    document = {
        "format": FORMAT,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
        "cipher": "AES-256-GCM",
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(AESGCM(key).encrypt(nonce, secret, _KEY_AAD)).decode(),
    }
    return json.dumps(document, indent=2).encode()


def decrypt_key(data: bytes, passphrase: str) -> bytes:
    try:
        document = json.loads(data)
        kdf = document["kdf"]
        if document["format"] != FORMAT or kdf["name"] != "scrypt":
            raise ValueError("unknown format")
        salt = base64.b64decode(document["salt"], validate=True)
        nonce = base64.b64decode(document["nonce"], validate=True)
        ciphertext = base64.b64decode(document["ciphertext"], validate=True)
        key = _derive(passphrase, salt, int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(
            _("The backup's encrypted issuer key cannot be read; nothing was changed.")
        ) from exc
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, _KEY_AAD)
    except InvalidTag as exc:
        raise BackupError(
            _(
                "Wrong passphrase: %(passphrase_variable)s does not open this backup's issuer key. Nothing was changed. Set it to the passphrase in use when the backup was made."
            )
            % {"passphrase_variable": PASSPHRASE_VARIABLE}
        ) from exc


# --- checksums and the manifest ----------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_entry(path: Path) -> dict:
    return {"sha256": sha256_file(path), "size": path.stat().st_size}


def _manifest_checksum(document: dict) -> str:
    body = {key: value for key, value in document.items() if key != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def manifest_write(directory: Path, document: dict) -> None:
    document = {**document, "format": FORMAT}
    document["checksum"] = _manifest_checksum(document)
    path = directory / MANIFEST
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    path.chmod(0o600)


def manifest_read(directory: Path) -> dict:
    path = directory / MANIFEST
    if not directory.is_dir():
        raise BackupError(
            _("There is no backup at %(directory)s: it is not a directory.")
            % {"directory": directory}
        )
    if not path.is_file():
        raise BackupError(
            _(
                "%(directory)s has no %(manifest)s, so it is not a complete backup (a backup that stopped part-way writes none). Nothing was changed."
            )
            % {"directory": directory, "manifest": MANIFEST}
        )
    try:
        document = json.loads(path.read_text())
        checksum = document["checksum"]
        version = document["format"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(
            _("%(manifest)s is damaged: it cannot be read. Nothing was changed.")
            % {"manifest": MANIFEST}
        ) from exc
    if checksum != _manifest_checksum(document):
        raise BackupError(
            _(
                "%(manifest)s is damaged: its checksum does not match its contents. Nothing was changed."
            )
            % {"manifest": MANIFEST}
        )
    if version != FORMAT:
        raise BackupError(
            _(
                "This backup has format %(version)s; this version of Learnward reads format %(format)s. Nothing was changed."
            )
            % {"version": version, "format": FORMAT}
        )
    return document


def manifest_verify(directory: Path, document: dict) -> int:
    """Check every file the manifest lists; returns how many. Raises on the first bad one."""
    files = document.get("files", {})
    for relative, expected in sorted(files.items()):
        path = (directory / relative).resolve()
        if directory.resolve() not in path.parents:
            raise BackupError(
                _("%(manifest)s names a file outside the backup. Nothing was changed.")
                % {"manifest": MANIFEST}
            )
        if not path.is_file():
            raise BackupError(
                _("The backup is incomplete: %(relative)s is missing. Nothing was changed.")
                % {"relative": relative}
            )
        if path.stat().st_size != expected["size"] or sha256_file(path) != expected["sha256"]:
            raise BackupError(
                _(
                    "The backup is damaged: %(relative)s does not match its checksum. Nothing was changed. Use another copy of this backup, or an older backup."
                )
                % {"relative": relative}
            )
    return len(files)


def walk_files(root: Path) -> Iterator[Path]:
    """Every regular file under ``root``, in a stable order (none when it does not exist)."""
    if not root.is_dir():
        return
    for folder, folders, names in os.walk(root):
        folders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path
