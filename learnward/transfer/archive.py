"""Reading an uploaded course file (a zip) safely, before anything is stored.

:func:`open_course_file` checks the zip's headers and refuses, with a message naming the problem:

- entries whose path would escape when unpacked (zip-slip): absolute paths, ``..`` parts,
  backslashes, drive letters, NUL characters, empty or ``.`` parts;
- symbolic links, encrypted entries, two entries with the same name;
- more entries than ``COURSE_IMPORT_MAX_ENTRIES`` (directories count), a file larger than
  ``COURSE_IMPORT_MAX_FILE_BYTES``, more than ``COURSE_IMPORT_MAX_BYTES`` in total, or a file
  that unpacks to more than ``COURSE_IMPORT_MAX_RATIO`` times its packed size (a zip bomb).

The headers can lie, so :meth:`CourseArchive.read` counts the bytes again while unpacking and
stops at the same limits. Nothing is unpacked to disk: the files are read into memory one by one,
each at most the per-file limit.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

from learnward.core.errors import ApplicationError

_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 64 * 1024


class CourseImportRefused(ApplicationError):
    """The course file cannot be imported; ``message`` says why, fit to show the author."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_file_bytes: int
    max_entries: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.COURSE_IMPORT_MAX_BYTES,
            max_file_bytes=settings.COURSE_IMPORT_MAX_FILE_BYTES,
            max_entries=settings.COURSE_IMPORT_MAX_ENTRIES,
            max_ratio=settings.COURSE_IMPORT_MAX_RATIO,
        )


def size_label(size: int) -> str:
    """Bytes for people: "500 MB", "1.5 KB", "12 bytes"."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            text = f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
    return f"{size} byte" + ("" if size == 1 else "s")


def check_entry_name(name: str) -> None:
    """Refuse a path that could land outside the place the file is unpacked to."""
    shown = name.replace("\x00", "\\0")
    if "\x00" in name:
        raise CourseImportRefused(f"The entry {shown!r} has a NUL character in its name.")
    if "\\" in name:
        raise CourseImportRefused(
            f"The entry {shown} has a backslash in its path: course files use forward slashes."
        )
    if name.startswith("/") or _DRIVE.match(name):
        raise CourseImportRefused(
            f"The entry {shown} has an absolute path: it would be unpacked outside the course."
        )
    parts = name.rstrip("/").split("/")
    if any(part == ".." for part in parts):
        raise CourseImportRefused(
            f"The entry {shown} has '..' in its path: it would be unpacked outside the course."
        )
    if any(part in ("", ".") for part in parts):
        raise CourseImportRefused(f"The entry {shown} has an empty or '.' part in its path.")


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


class CourseArchive:
    """An opened, header-checked course file. ``names`` are its files (not directories)."""

    def __init__(self, archive: zipfile.ZipFile, files: dict[str, zipfile.ZipInfo], limits):
        self._archive = archive
        self._files = files
        self._limits = limits
        self._read_total = 0

    @property
    def names(self) -> set[str]:
        return set(self._files)

    def size(self, name: str) -> int:
        return self._files[name].file_size

    def read(self, name: str) -> bytes:
        """The file's bytes, counted as they come: more than the header said, or past the
        limits, is refused."""
        info = self._files[name]
        allowed = min(info.file_size, self._limits.max_file_bytes)
        chunks, size = [], 0
        try:
            with self._archive.open(info) as source:
                while chunk := source.read(_CHUNK):
                    size += len(chunk)
                    self._read_total += len(chunk)
                    if size > allowed:
                        raise CourseImportRefused(
                            f"The entry {name} unpacks to more than its header says: the file "
                            "looks like a zip bomb."
                        )
                    if self._read_total > self._limits.max_bytes:
                        raise CourseImportRefused(
                            "The course file unpacks to more than "
                            f"{size_label(self._limits.max_bytes)}: that is the limit."
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
            raise CourseImportRefused(f"The entry {name} is damaged ({exc}).") from exc
        except RuntimeError as exc:  # zipfile: encrypted or unsupported
            raise CourseImportRefused(f"The entry {name} cannot be read ({exc}).") from exc
        except NotImplementedError as exc:
            raise CourseImportRefused(
                f"The entry {name} uses a compression method Learnward cannot read."
            ) from exc
        return b"".join(chunks)


def open_course_file(upload: BinaryIO, limits: Limits | None = None) -> CourseArchive:
    """Open the uploaded zip and check every entry's header (see the module's docstring)."""
    limits = limits or Limits.from_settings()
    upload.seek(0, 2)
    upload_size = upload.tell()
    upload.seek(0)
    if upload_size > limits.max_bytes:
        raise CourseImportRefused(
            f"The file is larger than {size_label(limits.max_bytes)}: that is the limit."
        )
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise CourseImportRefused(
            "The file is not a zip archive: choose the .zip file a course export downloaded."
        ) from exc
    if len(infos) > limits.max_entries:
        raise CourseImportRefused(
            f"The course file holds {len(infos)} entries: the limit is {limits.max_entries}."
        )
    files: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        check_entry_name(name)
        if _is_symlink(info):
            raise CourseImportRefused(
                f"The entry {name} is a symbolic link: course files may not contain links."
            )
        if info.flag_bits & 0x1:
            raise CourseImportRefused(f"The entry {name} is encrypted.")
        key = name.rstrip("/")
        if key in seen:
            raise CourseImportRefused(f"The course file holds two entries named {key}.")
        seen.add(key)
        if info.is_dir():
            continue
        if info.file_size > limits.max_file_bytes:
            raise CourseImportRefused(
                f"The entry {name} is {size_label(info.file_size)}: no file in a course may be "
                f"larger than {size_label(limits.max_file_bytes)}."
            )
        total += info.file_size
        if total > limits.max_bytes:
            raise CourseImportRefused(
                f"The course file unpacks to more than {size_label(limits.max_bytes)}: that is "
                "the limit."
            )
        if info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise CourseImportRefused(
                f"The entry {name} unpacks to more than {limits.max_ratio} times its packed "
                "size: the file looks like a zip bomb."
            )
        files[name] = info
    return CourseArchive(archive, files, limits)
