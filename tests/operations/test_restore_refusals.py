"""`learnward restore` refuses, before changing anything, a backup it cannot trust or open, and a
site that already holds data unless --force; `learnward backup` refuses a folder in use.

One small site (migrated, one learner) is backed up once for the module; each test damages a
copy of that backup and checks that the site's database and files are exactly as they were."""

from __future__ import annotations

import base64
import json
import secrets
import shutil

import pytest

from .site import Site

MAKE_LEARNER = """
from django.utils import timezone
from learnward.accounts.models import User
User.objects.create_user("refusals@example.test", "a long enough password 1",
                         display_name="Refusal Tester", email_verified_at=timezone.now())
"""


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    root = tmp_path_factory.mktemp("refusals")
    site = Site(root / "site")
    try:
        site.run("migrate", "-v0")
        site.shell(MAKE_LEARNER)
        (site.data / "media").mkdir(exist_ok=True)
        (site.data / "media" / "upload.txt").write_text("an uploaded file")
        site.run("backup", "--out", str(root / "backup"))
        yield site, root / "backup"
    finally:
        site.close()


@pytest.fixture
def site(prepared):
    return prepared[0]


@pytest.fixture
def backup(prepared, tmp_path):
    copy = tmp_path / "backup"
    shutil.copytree(prepared[1], copy)
    return copy


def _refused(site: Site, backup, *extra: str, **env: str) -> str:
    before = site.fingerprint()
    done = site.run("restore", str(backup), *extra, check=False, **env)
    assert done.returncode != 0, done.stdout
    assert "Restoring the database" not in done.stdout
    assert site.fingerprint() == before
    return done.stderr


def _flip_a_byte(path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_wrong_passphrase_refuses_and_changes_nothing(site, backup):
    error = _refused(site, backup, "--force", LEARNWARD_BACKUP_PASSPHRASE="not the passphrase!")
    assert "Wrong passphrase" in error and "Nothing was changed" in error


def test_no_passphrase_refuses(site, backup):
    error = _refused(site, backup, "--force", LEARNWARD_BACKUP_PASSPHRASE="")
    assert "Set LEARNWARD_BACKUP_PASSPHRASE" in error


@pytest.mark.parametrize("damaged", ["database", "issuer-key.enc", "files/default/upload.txt"])
def test_a_flipped_byte_refuses_before_anything_changes(site, backup, damaged):
    manifest = json.loads((backup / "manifest.json").read_text())
    name = manifest["database"]["file"] if damaged == "database" else damaged
    _flip_a_byte(backup / name)
    error = _refused(site, backup, "--force")
    assert f"{name} does not match its checksum" in error


def test_a_missing_file_refuses(site, backup):
    (backup / "files" / "default" / "upload.txt").unlink()
    assert "is missing" in _refused(site, backup, "--force")


def test_an_edited_manifest_refuses(site, backup):
    path = backup / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["created_at"] = "2020-01-01T00:00:00+00:00"
    path.write_text(json.dumps(manifest))
    assert "manifest.json is damaged" in _refused(site, backup, "--force")


def test_a_folder_without_a_manifest_is_not_a_backup(site, backup):
    (backup / "manifest.json").unlink()
    assert "not a complete backup" in _refused(site, backup, "--force")


def test_a_site_that_holds_data_is_refused_without_force(site, backup):
    error = _refused(site, backup)
    assert "Refusing to restore over an existing site" in error
    assert "the database holds data" in error
    assert "--force" in error


def test_a_different_issuer_key_in_the_environment_is_refused(site, backup):
    other_key = base64.b64encode(secrets.token_bytes(32)).decode()
    error = _refused(site, backup, "--force", LEARNWARD_ISSUER_KEY=other_key)
    assert "LEARNWARD_ISSUER_KEY holds a different issuer key" in error


def test_backup_refuses_a_folder_in_use_and_a_short_passphrase(site, tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "something").write_text("x")
    done = site.run("backup", "--out", str(used), check=False)
    assert done.returncode != 0 and "is not an empty folder" in done.stderr
    assert [p.name for p in used.iterdir()] == ["something"]
    done = site.run(
        "backup", "--out", str(tmp_path / "new"), check=False, LEARNWARD_BACKUP_PASSPHRASE="short"
    )
    assert done.returncode != 0 and "too short" in done.stderr
    assert not (tmp_path / "new").exists()


def test_the_fingerprint_does_see_a_restore(site, backup):
    """The control for every test above: a restore that goes ahead changes the fingerprint."""
    before = site.fingerprint()
    done = site.run("restore", str(backup), "--force")
    assert "Restore finished." in done.stdout
    assert site.fingerprint()["database"] != before["database"]
