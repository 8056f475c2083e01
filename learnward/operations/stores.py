"""The file stores in a backup: "default" (uploads) and "exports" (data-export archives).

A store kept on the filesystem is copied into the backup (``files/<store>/...``), each file with
its checksum. A store in an S3-compatible bucket is listed instead (``objects.json``: key, size,
ETag of every object): the bucket's own versioning or replication keeps the objects, and a
restore checks that what the list names is still there. The "journal" store is never backed up:
it must outlive every restore (:mod:`learnward.privacy.registry.journal`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages
from django.utils.translation import gettext as _

from .archive import BackupError, walk_files

BACKED_UP = ("default", "exports")
STORE_NAMES = {"default": "uploaded and generated files", "exports": "data-export archives"}
FILES_DIR = "files"
OBJECTS_FILE = "objects.json"
_CHUNK = 1024 * 1024


def kind(alias: str) -> str:
    store = storages[alias]
    if isinstance(store, FileSystemStorage):
        return "filesystem"
    if hasattr(store, "bucket_name"):
        return "s3"
    raise BackupError(
        _("The %(alias)s store is neither a folder nor an S3 bucket; back it up yourself.")
        % {"alias": repr(alias)}
    )


def root(alias: str) -> Path:
    return Path(storages[alias].location)


def _copy(source: Path, target: Path) -> dict:
    """Copy one file (mode 0600), hashing it on the way; returns its manifest entry."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest, size = hashlib.sha256(), 0
    staging = target.with_name(f".{target.name}.restoring")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with source.open("rb") as reader, os.fdopen(fd, "wb") as writer:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    os.replace(staging, target)
    return {"sha256": digest.hexdigest(), "size": size}


# --- backing up --------------------------------------------------------------------------------------


@dataclass
class StoreCount:
    files: int = 0
    size: int = 0


def backup_filesystem(alias: str, out: Path) -> tuple[dict[str, dict], StoreCount]:
    """Copy the store into ``out/files/<alias>/``; returns manifest entries and a count."""
    entries, count = {}, StoreCount()
    base = root(alias)
    for path in walk_files(base):
        relative = Path(FILES_DIR) / alias / path.relative_to(base)
        entry = _copy(path, out / relative)
        entries[relative.as_posix()] = entry
        count.files += 1
        count.size += entry["size"]
    return entries, count


def s3_objects(alias: str) -> list[dict]:
    store = storages[alias]
    prefix = store.location.strip("/") + "/" if store.location else ""
    objects = store.bucket.objects.filter(Prefix=prefix)
    return [
        {"key": item.key, "size": item.size, "etag": item.e_tag.strip('"')}
        for item in sorted(objects, key=lambda item: item.key)
    ]


def backup_s3(aliases: list[str], out: Path) -> dict[str, StoreCount]:
    listing = {alias: s3_objects(alias) for alias in aliases}
    path = out / OBJECTS_FILE
    path.write_text(json.dumps(listing, indent=2, sort_keys=True) + "\n")
    path.chmod(0o600)
    return {
        alias: StoreCount(len(items), sum(item["size"] for item in items))
        for alias, items in listing.items()
    }


# --- restoring -------------------------------------------------------------------------------------------


def store_is_empty(alias: str) -> bool:
    return next(walk_files(root(alias)), None) is None


def restore_filesystem(alias: str, backup: Path, files: dict[str, dict]) -> StoreCount:
    """Make the store hold exactly the backup's files: copy them in, remove any others."""
    base, prefix, count = root(alias), f"{FILES_DIR}/{alias}/", StoreCount()
    wanted = set()
    for relative in sorted(files):
        if not relative.startswith(prefix):
            continue
        inside = Path(relative[len(prefix) :])
        _copy(backup / relative, base / inside)
        wanted.add(inside)
        count.files += 1
        count.size += files[relative]["size"]
    for path in list(walk_files(base)):
        if path.relative_to(base) not in wanted:
            path.unlink()
    return count


def s3_missing(backup: Path, aliases: list[str]) -> dict[str, int]:
    """Per store, how many objects the backup lists are absent from the bucket or differ."""
    listing = json.loads((backup / OBJECTS_FILE).read_text())
    missing = {}
    for alias in aliases:
        present = {item["key"]: item for item in s3_objects(alias)}
        missing[alias] = sum(
            1
            for item in listing.get(alias, [])
            if present.get(item["key"], {}).get("etag") != item["etag"]
        )
    return missing
