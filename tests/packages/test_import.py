"""Importing packages: what an author uploads becomes a package lesson, and every unsafe or
unplayable package is refused with a message naming the problem, storing nothing."""

import io
import os
import stat
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse

from learnward.audit.models import AuditEntry
from learnward.catalog.models import Course, Lesson
from learnward.packages import samples
from learnward.packages.importer import PackageRefused, check_member_name
from learnward.packages.models import ContentPackage
from learnward.packages.services import package_import

from .conftest import raw_zip, upload

pytestmark = pytest.mark.django_db

MANIFEST_12 = samples._MANIFEST_12.format(title="Test")


def stored_files() -> list[str]:
    root = settings.MEDIA_ROOT
    found = []
    for folder, _, names in os.walk(root):
        found += [os.path.join(folder, n) for n in names]
    return found


def test_scorm12_package_becomes_a_lesson_at_the_end_of_the_module(author, module):
    package = package_import(
        actor=author, upload=upload(samples.scorm12_package(title="Evacuation")), module=module
    )
    assert package.standard == "scorm12"
    assert package.launch_path == "index.html"
    assert package.lesson.title == "Evacuation"
    assert package.lesson.module == module
    assert package.lesson.position > Lesson.objects.exclude(pk=package.lesson.pk).get().position
    assert package.uploaded_by == author
    assert len(package.checksum) == 64 and package.file_count == 2
    assert sorted(os.path.relpath(p, settings.MEDIA_ROOT) for p in stored_files()) == [
        f"packages/{package.key}/imsmanifest.xml",
        f"packages/{package.key}/index.html",
    ]
    entry = AuditEntry.objects.get(action="packages.added")
    assert entry.payload["standard"] == "scorm12"


def test_scorm2004_package_launches_its_nested_file(author, module):
    package = package_import(
        actor=author, upload=upload(samples.scorm2004_package()), module=module
    )
    assert package.standard == "scorm2004"
    assert package.launch_path == "content/index.html"


def test_cmi5_package_reads_its_assignable_unit(author, module):
    package = package_import(
        actor=author, upload=upload(samples.cmi5_package(move_on="Passed")), module=module
    )
    assert package.standard == "cmi5"
    assert package.launch_path == "au/index.html"
    assert package.activity_id == "https://learnward.example/courses/cmi5-sample/au"
    assert package.move_on == "Passed"


def test_package_as_the_whole_course(author):
    package = package_import(
        actor=author, upload=upload(samples.scorm12_package(title="Manual handling basics"))
    )
    course = package.lesson.module.course
    assert package.is_whole_course
    assert course.title == "Manual handling basics"
    assert not course.published
    assert [lesson.pk for m in course.modules.all() for lesson in m.lessons.all()] == [
        package.lesson.pk
    ]


def test_upload_page_adds_the_lesson(client, author, module):
    client.force_login(author)
    page = client.get(reverse("packages:list"))
    assert page.status_code == 200
    response = client.post(
        reverse("packages:list"),
        {"package": upload(samples.scorm12_package()), "destination": str(module.pk)},
    )
    assert response.status_code == 302
    assert ContentPackage.objects.get().lesson.module == module


def test_upload_page_is_for_authors_only(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("packages:list")).status_code == 404


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _bomb() -> bytes:
    # 10 MB of zeros packs to about 10 kB: a ratio of about 1000.
    return raw_zip([("imsmanifest.xml", MANIFEST_12), ("index.html", b"\0" * (10 * 1024 * 1024))])


REFUSED = [
    ("not a zip", b"this is not a zip", "The file is not a zip archive."),
    (
        "zip-slip",
        raw_zip([("imsmanifest.xml", MANIFEST_12), ("index.html", "x"), ("../x", "x")]),
        "The file ../x escapes the package.",
    ),
    (
        "nested zip-slip",
        raw_zip([("imsmanifest.xml", MANIFEST_12), ("index.html", "x"), ("a/../../x", "x")]),
        "The file a/../../x escapes the package.",
    ),
    (
        "absolute path",
        raw_zip([("imsmanifest.xml", MANIFEST_12), ("/etc/passwd", "x")]),
        "The file /etc/passwd has an absolute path: it escapes the package.",
    ),
    (
        "drive letter",
        raw_zip([("imsmanifest.xml", MANIFEST_12), ("C:/x.html", "x")]),
        "The file C:/x.html has an absolute path: it escapes the package.",
    ),
    (
        "backslash",
        raw_zip([("imsmanifest.xml", MANIFEST_12), ("..\\x.html", "x")]),
        "The file ..\\x.html has a backslash in its path: package paths use forward slashes.",
    ),
    (
        "symlink",
        raw_zip(
            [("imsmanifest.xml", MANIFEST_12), ("index.html", "x"), (_symlink("link"), "/etc")]
        ),
        "The file link is a symbolic link: packages may not contain links.",
    ),
    (
        "ratio bomb",
        _bomb(),
        "The file index.html unpacks to more than 100 times its packed size: the package looks "
        "like a zip bomb.",
    ),
    (
        "no manifest",
        raw_zip([("index.html", "x")]),
        "The package has no imsmanifest.xml (SCORM) or cmi5.xml (cmi5) at its top level.",
    ),
    (
        "bad XML",
        raw_zip([("imsmanifest.xml", "<manifest><organizations></manifest>"), ("index.html", "x")]),
        "The imsmanifest.xml is not well-formed XML",
    ),
    (
        "XML entities",
        raw_zip(
            [
                (
                    "imsmanifest.xml",
                    '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><manifest>&a;</manifest>',
                ),
                ("index.html", "x"),
            ]
        ),
        "The imsmanifest.xml uses XML entities or external references, which are refused.",
    ),
    (
        "no launchable resource",
        raw_zip(
            [
                ("imsmanifest.xml", MANIFEST_12.replace(' href="index.html">', ">")),
                ("index.html", "x"),
            ]
        ),
        "The package has no launchable resource",
    ),
    (
        "launch file missing",
        raw_zip([("imsmanifest.xml", MANIFEST_12), ("other.html", "x")]),
        "The launch file index.html named by the imsmanifest.xml is not in the package.",
    ),
    (
        "cmi5 without an au",
        raw_zip(
            [
                (
                    "cmi5.xml",
                    '<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">'
                    "<course id='c'><title><langstring>x</langstring></title></course>"
                    "</courseStructure>",
                )
            ]
        ),
        "The package has no launchable resource: the cmi5.xml has no <au>.",
    ),
]


@pytest.mark.parametrize(("data", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_unsafe_or_unplayable_package_is_refused_and_nothing_stored(
    client, author, module, data, message
):
    client.force_login(author)
    lessons = Lesson.objects.count()
    response = client.post(
        reverse("packages:list"), {"package": upload(data), "destination": str(module.pk)}
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'").replace("&lt;", "<").replace(
        "&gt;", ">"
    )
    assert not ContentPackage.objects.exists()
    assert Lesson.objects.count() == lessons
    assert not AuditEntry.objects.filter(action="packages.added").exists()
    assert stored_files() == []


def test_file_count_limit_boundary(settings, author, module):
    files = [("imsmanifest.xml", MANIFEST_12), ("index.html", "x"), ("a.txt", "a")]
    settings.PACKAGES_MAX_FILES = 3
    package_import(actor=author, upload=upload(raw_zip(files)), module=module)
    settings.PACKAGES_MAX_FILES = 2
    with pytest.raises(PackageRefused, match="more than 2 files"):
        package_import(actor=author, upload=upload(raw_zip(files)), module=module)


def test_total_size_limit_boundary(settings, author, module):
    settings.PACKAGES_MAX_TOTAL_MB = 1
    exact = 1024 * 1024 - len(MANIFEST_12) - 1
    body = os.urandom(exact)  # incompressible: the ratio check stays out of the way
    files = [("imsmanifest.xml", MANIFEST_12), ("index.html", "x")]
    package_import(actor=author, upload=upload(raw_zip([*files, ("a.bin", body)])), module=module)
    with pytest.raises(PackageRefused, match="unpacks to more than 1 MB"):
        package_import(
            actor=author, upload=upload(raw_zip([*files, ("a.bin", body + b"xy")])), module=module
        )


def test_header_that_lies_about_the_size_is_caught_while_unpacking(author, module):
    data = bytearray(raw_zip([("imsmanifest.xml", MANIFEST_12), ("index.html", b"A" * 5000)]))
    # Shrink index.html's declared size in both headers: the data still unpacks to 5000 bytes.
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("index.html")
    for offset in (info.header_offset + 22, data.rfind(b"PK\x01\x02") + 24):
        data[offset : offset + 4] = (100).to_bytes(4, "little")
    with pytest.raises(PackageRefused):
        package_import(actor=author, upload=upload(bytes(data)), module=module)
    assert stored_files() == [] and not ContentPackage.objects.exists()


def test_assessment_clash_is_refused(author):
    from tests.catalog.factories import make_course

    course = make_course(modules=1, lessons_per_module=1, questions=1)
    with pytest.raises(Exception, match="has its own assessment"):
        package_import(
            actor=author,
            upload=upload(samples.scorm12_package()),
            module=course.modules.get(),
            counts_as_assessment=True,
        )
    assert stored_files() == []


@pytest.mark.parametrize("name", ["a/./b", "a//b", "x\x00.html"])
def test_odd_member_names_are_refused(name):
    with pytest.raises(PackageRefused):
        check_member_name(name)


def test_course_count_unchanged_when_whole_course_refused(author):
    before = Course.objects.count()
    with pytest.raises(PackageRefused):
        package_import(actor=author, upload=upload(raw_zip([("index.html", "x")])))
    assert Course.objects.count() == before


def test_admin_refuses_a_pass_as_assessment_beside_an_assessment(author):
    from learnward.packages.admin import ContentPackageForm
    from tests.catalog.factories import make_course

    course = make_course(modules=1, lessons_per_module=1, questions=1)
    package = package_import(
        actor=author, upload=upload(samples.scorm12_package()), module=course.modules.get()
    )
    form = ContentPackageForm({"counts_as_assessment": "on"}, instance=package)
    assert not form.is_valid()
    assert "has its own assessment" in str(form.errors)
    assert ContentPackageForm({}, instance=package).is_valid()
