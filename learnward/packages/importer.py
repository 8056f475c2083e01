"""Reading an uploaded package: the zip's safety checks and its manifest.

:func:`inspect_package` reads the zip's headers and manifest and refuses, with a message naming
the problem, anything Learnward must not store or cannot play:

- paths that would escape the package when unpacked (zip-slip): absolute paths, ``..``
  components, backslashes, drive letters, NUL characters;
- symbolic links (the Unix mode in the entry's external attributes);
- zip bombs: more files than ``PACKAGES_MAX_FILES``, more than ``PACKAGES_MAX_TOTAL_MB``
  unpacked, or a file that unpacks to more than ``PACKAGES_MAX_RATIO`` times its packed size.
  The headers can lie, so :func:`extract` counts the bytes again while unpacking and stops at
  the same limits;
- no manifest, a manifest that is not well-formed XML (parsed with defusedxml: entities and
  external references are refused), or no launchable resource.

Nothing here writes anywhere but a temporary directory: the service stores the files only once
every check passed.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.utils.translation import gettext as _

from learnward.core.errors import ApplicationError

MB = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 64 * 1024


class PackageRefused(ApplicationError):
    """The package cannot be imported; ``message`` says why, fit to show the author."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Manifest:
    standard: str  # ContentPackage.Standard value
    title: str
    launch_path: str
    launch_parameters: str = ""
    activity_id: str = ""
    move_on: str = ""
    mastery_score: Decimal | None = None


@dataclass
class Inspected:
    manifest: Manifest
    members: list[zipfile.ZipInfo] = field(default_factory=list)
    total_size: int = 0
    checksum: str = ""


def limits() -> tuple[int, int, int]:
    """(maximum files, maximum unpacked bytes, maximum compression ratio)."""
    return (
        settings.PACKAGES_MAX_FILES,
        settings.PACKAGES_MAX_TOTAL_MB * MB,
        settings.PACKAGES_MAX_RATIO,
    )


def check_member_name(name: str) -> str:
    """The member's path inside the package, or :class:`PackageRefused` naming it."""
    if "\\" in name:
        raise PackageRefused(
            _("The file %(name)s has a backslash in its path: package paths use forward slashes.")
            % {"name": name}
        )
    if "\x00" in name:
        raise PackageRefused(
            _("The file %(name)s has a NUL character in its name.") % {"name": repr(name)}
        )
    if name.startswith("/") or _DRIVE.match(name):
        raise PackageRefused(
            _("The file %(name)s has an absolute path: it escapes the package.") % {"name": name}
        )
    parts = name.rstrip("/").split("/")
    if any(part == ".." for part in parts):
        raise PackageRefused(_("The file %(name)s escapes the package.") % {"name": name})
    if any(part in ("", ".") for part in parts):
        raise PackageRefused(
            _("The file %(name)s has an empty or '.' part in its path.") % {"name": name}
        )
    return name


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode) or stat.S_ISLNK(mode)


def check_headers(archive: zipfile.ZipFile) -> tuple[list[zipfile.ZipInfo], int]:
    """The package's files (not directories) and their unpacked size, from the headers."""
    max_files, max_bytes, max_ratio = limits()
    members, total = [], 0
    for info in archive.infolist():
        check_member_name(info.filename)
        if _is_symlink(info):
            raise PackageRefused(
                _("The file %(filename)s is a symbolic link: packages may not contain links.")
                % {"filename": info.filename}
            )
        if info.flag_bits & 0x1:
            raise PackageRefused(
                _("The file %(filename)s is encrypted.") % {"filename": info.filename}
            )
        if info.is_dir():
            continue
        members.append(info)
        if len(members) > max_files:
            raise PackageRefused(
                _("The package has more than %(max_files)s files: that is the limit.")
                % {"max_files": max_files}
            )
        total += info.file_size
        if total > max_bytes:
            raise PackageRefused(
                _("The package unpacks to more than %(value)s MB: that is the limit.")
                % {"value": max_bytes // MB}
            )
        if info.file_size > max_ratio * max(info.compress_size, 1):
            raise PackageRefused(
                _(
                    "The file %(filename)s unpacks to more than %(max_ratio)s times its packed size: the package looks like a zip bomb."
                )
                % {"filename": info.filename, "max_ratio": max_ratio}
            )
    names = [m.filename for m in members]
    if len(set(names)) != len(names):
        raise PackageRefused(_("The package holds two files with the same path."))
    return members, total


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find_all(root, name: str):
    return [el for el in root.iter() if isinstance(el.tag, str) and _local(el.tag) == name]


def _find(root, name: str):
    found = _find_all(root, name)
    return found[0] if found else None


def _attr(element, name: str) -> str:
    """An attribute by its local name, whatever its namespace (adlcp:scormtype, scormType)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value
    return ""


def _parse_xml(data: bytes, filename: str):
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise PackageRefused(
            _("The %(filename)s uses XML entities or external references, which are refused.")
            % {"filename": filename}
        ) from exc
    except SafeET.ParseError as exc:
        raise PackageRefused(
            _("The %(filename)s is not well-formed XML (%(exc)s).")
            % {"filename": filename, "exc": exc}
        ) from exc


def _join_base(*parts: str) -> str:
    path = ""
    for part in parts:
        if not part:
            continue
        path = part if part.startswith("/") or "://" in part else posixpath.join(path, part)
    return path


def parse_scorm_manifest(data: bytes, names: set[str]) -> Manifest:
    root = _parse_xml(data, "imsmanifest.xml")
    if _local(root.tag) != "manifest":
        raise PackageRefused(_("The imsmanifest.xml has no <manifest> element at its top."))
    version = _text(_find(root, "schemaversion")).lower()
    namespaces = " ".join([root.tag, *root.attrib.values(), data[:2000].decode("utf-8", "ignore")])
    if "2004" in version or "cam 1.3" in version or "adlcp_v1p3" in namespaces:
        standard = "scorm2004"
    elif version.startswith("1.2") or "adlcp_rootv1p2" in namespaces:
        standard = "scorm12"
    else:
        raise PackageRefused(
            _("The imsmanifest.xml does not say which SCORM it is (schemaversion 1.2 or 2004).")
        )
    resources = {_attr(r, "identifier"): r for r in _find_all(root, "resource")}
    base = _attr(_find(root, "resources") or root, "base")
    organizations = _find(root, "organizations")
    default = _attr(organizations, "default") if organizations is not None else ""
    orgs = _find_all(root, "organization")
    org = next((o for o in orgs if _attr(o, "identifier") == default), orgs[0] if orgs else None)
    title = ""
    candidates = []
    if org is not None:
        title_el = next((c for c in org if _local(c.tag) == "title"), None)
        title = _text(title_el)
        for item in _find_all(org, "item"):
            ref = _attr(item, "identifierref")
            if ref in resources:
                candidates.append((resources[ref], _attr(item, "parameters")))
    candidates += [(r, "") for r in resources.values() if _attr(r, "scormtype").lower() == "sco"]
    for resource, parameters in candidates:
        href = _attr(resource, "href")
        if not href:
            continue
        path = _join_base(base, _attr(resource, "base"), href)
        path, _sep, query = path.partition("?")
        if urlsplit(path).scheme:
            raise PackageRefused(
                _(
                    "The launch file %(href)s is on another site: only files inside the package play."
                )
                % {"href": href}
            )
        path = posixpath.normpath(path)
        if path not in names:
            raise PackageRefused(
                _("The launch file %(path)s named by the imsmanifest.xml is not in the package.")
                % {"path": path}
            )
        params = "&".join(p.lstrip("?&") for p in (query, parameters) if p.lstrip("?&"))
        return Manifest(
            standard=standard,
            title=title or _text(_find(root, "title")) or "Untitled package",
            launch_path=path,
            launch_parameters=params,
        )
    raise PackageRefused(
        _(
            "The package has no launchable resource: no <item> of its organization points to a "
            "<resource> with an href."
        )
    )


def parse_cmi5(data: bytes, names: set[str]) -> Manifest:
    root = _parse_xml(data, "cmi5.xml")
    if _local(root.tag) != "courseStructure":
        raise PackageRefused(_("The cmi5.xml has no <courseStructure> element at its top."))
    course = _find(root, "course")
    title = _text(_find(course, "title")) if course is not None else ""
    au = _find(root, "au")
    if au is None:
        raise PackageRefused(_("The package has no launchable resource: the cmi5.xml has no <au>."))
    url = _text(_find(au, "url"))
    activity_id = _attr(au, "id")
    if not url or not activity_id:
        raise PackageRefused(
            _("The package has no launchable resource: its <au> needs an id and a <url>.")
        )
    path, _sep, query = url.partition("?")
    if urlsplit(path).scheme:
        raise PackageRefused(
            _("The assignable unit %(url)s is on another site: only units inside the package play.")
            % {"url": url}
        )
    path = posixpath.normpath(path)
    if path not in names:
        raise PackageRefused(
            _("The assignable unit's file %(path)s is not in the package.") % {"path": path}
        )
    mastery = None
    if _attr(au, "masteryScore"):
        try:
            mastery = Decimal(_attr(au, "masteryScore"))
        except InvalidOperation as exc:
            raise PackageRefused(_("The cmi5.xml's masteryScore is not a number.")) from exc
    return Manifest(
        standard="cmi5",
        title=_text(_find(au, "title")) or title or "Untitled package",
        launch_path=path,
        launch_parameters=query,
        activity_id=activity_id,
        move_on=_attr(au, "moveOn") or "NotApplicable",
        mastery_score=mastery,
    )


def _open(upload: BinaryIO) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageRefused(_("The file is not a zip archive.")) from exc


def checksum(upload: BinaryIO) -> str:
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(_CHUNK), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def inspect_package(upload: BinaryIO) -> Inspected:
    """Check the zip's headers and read its manifest; :class:`PackageRefused` says what is wrong."""
    digest = checksum(upload)
    archive = _open(upload)
    members, total = check_headers(archive)
    names = {m.filename for m in members}
    if "imsmanifest.xml" in names:
        data = _read_member(archive, archive.getinfo("imsmanifest.xml"), 5 * MB)
        manifest = parse_scorm_manifest(data, names)
    elif "cmi5.xml" in names:
        data = _read_member(archive, archive.getinfo("cmi5.xml"), 5 * MB)
        manifest = parse_cmi5(data, names)
    else:
        raise PackageRefused(
            _("The package has no imsmanifest.xml (SCORM) or cmi5.xml (cmi5) at its top level.")
        )
    upload.seek(0)
    return Inspected(manifest=manifest, members=members, total_size=total, checksum=digest)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as source:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise PackageRefused(_("The %(filename)s is too large.") % {"filename": info.filename})
    return data


def extract(
    upload: BinaryIO, members: list[zipfile.ZipInfo]
) -> tuple[Path, list[tuple[str, Path]]]:
    """Unpack the checked members into a new temporary directory, counting the bytes as they
    come: a member larger than its header says, or the whole past the limit, is refused. The
    caller removes the directory (``shutil.rmtree``)."""
    _files, max_bytes, max_ratio = limits()
    directory = Path(tempfile.mkdtemp(prefix="learnward-package-"))
    files: list[tuple[str, Path]] = []
    written = 0
    try:
        archive = _open(upload)
        for index, info in enumerate(members):
            target = directory / str(index)
            allowed = min(info.file_size, max_ratio * max(info.compress_size, 1))
            size = 0
            with archive.open(info) as source, target.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    size += len(chunk)
                    written += len(chunk)
                    if size > allowed:
                        raise PackageRefused(
                            _(
                                "The file %(filename)s unpacks to more than its header says: the package looks like a zip bomb."
                            )
                            % {"filename": info.filename}
                        )
                    if written > max_bytes:
                        raise PackageRefused(
                            _("The package unpacks to more than %(value)s MB: that is the limit.")
                            % {"value": max_bytes // MB}
                        )
                    out.write(chunk)
            files.append((info.filename, target))
    except zipfile.BadZipFile as exc:
        shutil.rmtree(directory, ignore_errors=True)
        raise PackageRefused(_("The package is damaged (%(exc)s).") % {"exc": exc}) from exc
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return directory, files
