"""The backup folder's pieces: the encrypted issuer key and the manifest's checksums."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from learnward.operations.archive import (
    BackupError,
    decrypt_key,
    encrypt_key,
    manifest_read,
    manifest_verify,
    manifest_write,
)

SECRET = b"-----BEGIN PRIVATE KEY-----\nnot really a key\n-----END PRIVATE KEY-----\n"


def test_the_key_decrypts_with_the_passphrase_only():
    sealed = encrypt_key(SECRET, "a passphrase long enough")
    assert SECRET not in sealed
    assert decrypt_key(sealed, "a passphrase long enough") == SECRET
    with pytest.raises(BackupError, match="Wrong passphrase"):
        decrypt_key(sealed, "a passphrase long enougH")


def test_each_encryption_uses_a_new_salt_and_nonce():
    one, two = (json.loads(encrypt_key(SECRET, "same passphrase!")) for _ in range(2))
    assert one["salt"] != two["salt"] and one["nonce"] != two["nonce"]


def test_an_altered_ciphertext_is_refused():
    document = json.loads(encrypt_key(SECRET, "a passphrase long enough"))
    raw = bytearray(base64.b64decode(document["ciphertext"]))
    raw[0] ^= 1
    document["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    with pytest.raises(BackupError):
        decrypt_key(json.dumps(document).encode(), "a passphrase long enough")


def test_the_manifest_checks_itself_and_every_file(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"hello")
    manifest_write(tmp_path, {"files": {"a.bin": {"sha256": _sha(b"hello"), "size": 5}}})
    document = manifest_read(tmp_path)
    assert manifest_verify(tmp_path, document) == 1
    (tmp_path / "a.bin").write_bytes(b"hellO")
    with pytest.raises(BackupError, match="does not match its checksum"):
        manifest_verify(tmp_path, document)


def test_a_manifest_may_not_point_outside_the_backup(tmp_path):
    (tmp_path / "inside").mkdir()
    manifest_write(tmp_path / "inside", {"files": {"../x": {"sha256": "0", "size": 0}}})
    with pytest.raises(BackupError, match="outside the backup"):
        manifest_verify(tmp_path / "inside", manifest_read(tmp_path / "inside"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
