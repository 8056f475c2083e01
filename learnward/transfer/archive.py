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
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    """Bytes for people: "500 MB", "1.5 KB", "12 bytes" (in the active language: "1,5 KB")."""
    for unit, factor in (
        (lambda n: _("%(size)s GB") % {"size": n}, 1024**3),
        (lambda n: _("%(size)s MB") % {"size": n}, 1024**2),
        (lambda n: _("%(size)s KB") % {"size": n}, 1024),
    ):
        if size >= factor:
            value = round(size / factor, 1)
            return unit(number_format(value, 0 if value == int(value) else 1))
    return ngettext("%(count)s byte", "%(count)s bytes", size) % {"count": size}


def check_entry_name(name: str) -> None:
    """Refuse a path that could land outside the place the file is unpacked to."""
    shown = name.replace("\x00", "\\0")
    if "\x00" in name:
        raise CourseImportRefused(
            _("The entry %(name)s has a NUL character in its name.") % {"name": repr(shown)}
        )
    if "\\" in name:
        raise CourseImportRefused(
            _("The entry %(name)s has a backslash in its path: course files use forward slashes.")
            % {"name": shown}
        )
    if name.startswith("/") or _DRIVE.match(name):
        raise CourseImportRefused(
            _("The entry %(name)s has an absolute path: it would be unpacked outside the course.")
            % {"name": shown}
        )
    parts = name.rstrip("/").split("/")
    if any(part == ".." for part in parts):
        raise CourseImportRefused(
            _("The entry %(name)s has '..' in its path: it would be unpacked outside the course.")
            % {"name": shown}
        )
    if any(part in ("", ".") for part in parts):
        raise CourseImportRefused(
            _("The entry %(name)s has an empty or '.' part in its path.") % {"name": shown}
        )


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
                            _(
                                "The entry %(name)s unpacks to more than its header says: the file looks like a zip bomb."
                            )
                            % {"name": name}
                        )
                    if self._read_total > self._limits.max_bytes:
                        raise CourseImportRefused(
                            _("The course file unpacks to more than %(limit)s: that is the limit.")
                            % {"limit": size_label(self._limits.max_bytes)}
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
            raise CourseImportRefused(
                _("The entry %(name)s is damaged (%(error)s).") % {"name": name, "error": exc}
            ) from exc
        except RuntimeError as exc:  # zipfile: encrypted or unsupported
            raise CourseImportRefused(
                _("The entry %(name)s cannot be read (%(error)s).") % {"name": name, "error": exc}
            ) from exc
        except NotImplementedError as exc:
            raise CourseImportRefused(
                _("The entry %(name)s uses a compression method Learnward cannot read.")
                % {"name": name}
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
            _("The file is larger than %(limit)s: that is the limit.")
            % {"limit": size_label(limits.max_bytes)}
        )
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise CourseImportRefused(
            _("The file is not a zip archive: choose the .zip file a course export downloaded.")
        ) from exc
    if len(infos) > limits.max_entries:
        raise CourseImportRefused(
            _("The course file holds %(count)s entries: the limit is %(limit)s.")
            % {"count": len(infos), "limit": limits.max_entries}
        )
    files: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        check_entry_name(name)
        if _is_symlink(info):
            raise CourseImportRefused(
                _("The entry %(name)s is a symbolic link: course files may not contain links.")
                % {"name": name}
            )
        if info.flag_bits & 0x1:
            raise CourseImportRefused(_("The entry %(name)s is encrypted.") % {"name": name})
        key = name.rstrip("/")
        if key in seen:
            raise CourseImportRefused(
                _("The course file holds two entries named %(key)s.") % {"key": key}
            )
        seen.add(key)
        if info.is_dir():
            continue
        if info.file_size > limits.max_file_bytes:
            raise CourseImportRefused(
                _(
                    "The entry %(name)s is %(size)s: no file in a course may be larger than %(limit)s."
                )
                % {
                    "name": name,
                    "size": size_label(info.file_size),
                    "limit": size_label(limits.max_file_bytes),
                }
            )
        total += info.file_size
        if total > limits.max_bytes:
            raise CourseImportRefused(
                _("The course file unpacks to more than %(limit)s: that is the limit.")
                % {"limit": size_label(limits.max_bytes)}
            )
        if info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise CourseImportRefused(
                _(
                    "The entry %(name)s unpacks to more than %(ratio)s times its packed size: the file looks like a zip bomb."
                )
                % {"name": name, "ratio": limits.max_ratio}
            )
        files[name] = info
    return CourseArchive(archive, files, limits)
