"""Every unsafe, oversized, damaged or malformed course file is refused with a message naming the
problem, and nothing is stored: no course, no media rows, no files."""

import io
import math
import stat
import zipfile

import pytest

from learnward.audit.models import AuditEntry
from learnward.catalog.models import Course, Lesson, MediaItem
from learnward.transfer.archive import CourseImportRefused, check_entry_name
from learnward.transfer.services import course_import

from .conftest import PDF, export_bytes, jpeg_with_gps, rebuild, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(rich_course, author):
    return export_bytes(rich_course, by=author)


def refused(data: bytes, author, match: str) -> CourseImportRefused:
    courses, media, files = Course.objects.count(), MediaItem.objects.count(), stored_files()
    with pytest.raises(CourseImportRefused, match=match) as caught:
        course_import(upload=io.BytesIO(data), by=author)
    assert Course.objects.count() == courses
    assert MediaItem.objects.count() == media
    assert stored_files() == files
    assert not AuditEntry.objects.filter(action="transfer.imported").exists()
    return caught.value


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../x", r"'\.\.' in its path"),
        ("lessons/../../x.md", r"'\.\.' in its path"),
        ("/etc/passwd", "absolute path"),
        ("C:/windows/x", "absolute path"),
        ("lessons\\x.md", "backslash"),
        ("a/./b", "empty or '.' part"),
    ],
)
def test_paths_that_escape_are_refused(exported, author, name, problem):
    refused(rebuild(exported, add=[(name, b"x")]), author, problem)


def test_a_nul_in_a_name_is_refused():
    # (Python's zipfile cuts a name at NUL when it writes one, so this is checked directly.)
    with pytest.raises(CourseImportRefused, match="NUL"):
        check_entry_name("a\x00b")


def test_entry_name_check_accepts_ordinary_paths():
    check_entry_name("lessons/01-intro.md")
    check_entry_name("media/")


def test_a_symlink_entry_is_refused(exported, author):
    link = zipfile.ZipInfo("media/link")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    refused(rebuild(exported, add=[(link, b"/etc/passwd")]), author, "symbolic link")


def test_two_entries_with_one_name_are_refused(exported, author):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we make on purpose
        data = rebuild(exported, add=[("course.json", b"{}")])
    refused(data, author, "two entries named course.json")


def test_a_zip_bomb_is_refused(exported, author, settings):
    settings.COURSE_IMPORT_MAX_RATIO = 100
    data = rebuild(exported, add=[("media/bomb.bin", b"\0" * (5 * 1024 * 1024))])
    refused(data, author, "media/bomb.bin unpacks to more than 100 times its packed size")


def test_ratio_limit_boundary(exported, author, settings):
    lesson = b"Safe food. " * 2000  # compresses well, but is an honest lesson
    data = rebuild(exported, replace={"lessons/02-cleaning.md": lesson}, edit=_drop_lesson_sha)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("lessons/02-cleaning.md")
    ratio = math.ceil(info.file_size / info.compress_size)
    settings.COURSE_IMPORT_MAX_RATIO = ratio - 1
    refused(data, author, "lessons/02-cleaning.md unpacks to more than")
    settings.COURSE_IMPORT_MAX_RATIO = ratio
    course = course_import(upload=io.BytesIO(data), by=author)
    assert Lesson.objects.get(module__course=course, title="Cleaning").body_markdown.startswith(
        "Safe food."
    )


def _drop_lesson_sha(doc):
    for module in doc["modules"]:
        for lesson in module["lessons"]:
            lesson.pop("sha256")


def test_entry_count_limit_boundary(exported, author, settings):
    count = len(zipfile.ZipFile(io.BytesIO(exported)).infolist())
    settings.COURSE_IMPORT_MAX_ENTRIES = count - 1
    refused(exported, author, f"holds {count} entries: the limit is {count - 1}")
    settings.COURSE_IMPORT_MAX_ENTRIES = count
    assert course_import(upload=io.BytesIO(exported), by=author).pk


def test_total_size_limit_boundary(exported, author, settings):
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(exported)).infolist())
    assert len(exported) < total  # the upload itself is under both limits below
    settings.COURSE_IMPORT_MAX_BYTES = total - 1
    refused(exported, author, "unpacks to more than")
    settings.COURSE_IMPORT_MAX_BYTES = total
    assert course_import(upload=io.BytesIO(exported), by=author).pk


def test_per_file_size_limit_boundary(exported, author, settings):
    largest = max(i.file_size for i in zipfile.ZipFile(io.BytesIO(exported)).infolist())
    settings.COURSE_IMPORT_MAX_FILE_BYTES = largest - 1
    refused(exported, author, "no file in a course may be larger than")
    settings.COURSE_IMPORT_MAX_FILE_BYTES = largest
    assert course_import(upload=io.BytesIO(exported), by=author).pk


def test_an_upload_larger_than_the_limit_is_refused(exported, author, settings):
    settings.COURSE_IMPORT_MAX_BYTES = len(exported) - 1
    refused(exported, author, "The file is larger than")


def test_not_a_zip(author, db):
    refused(b"<html>hello</html>", author, "not a zip archive")


def test_no_course_json(exported, author):
    refused(rebuild(exported, drop={"course.json"}), author, "no course.json")


def test_wrong_format_version_is_refused_clearly(exported, author):
    def newer(doc):
        doc["version"] = 2

    error = refused(rebuild(exported, edit=newer), author, "format version 2")
    assert "this site reads version 1" in error.message
    assert "made by a newer Learnward" in error.message


def test_not_our_format(exported, author):
    def other(doc):
        doc["format"] = "moodle-backup"

    refused(rebuild(exported, edit=other), author, 'does not say "format": "learnward-course"')


def test_a_missing_media_file_is_refused(exported, rich_course, author):
    pdf = MediaItem.objects.get(course=rich_course, kind="file")
    name = f"media/{pdf.sha256}.pdf"
    refused(rebuild(exported, drop={name}), author, f"{name} .*Cleaning schedule.* is missing")


def test_a_media_file_that_does_not_match_its_checksum_is_refused(exported, rich_course, author):
    pdf = MediaItem.objects.get(course=rich_course, kind="file")
    name = f"media/{pdf.sha256}.pdf"
    changed = PDF.replace(b"Count 0", b"Count 1")
    refused(rebuild(exported, replace={name: changed}), author, "does not match its checksum")


def test_a_changed_lesson_is_refused_unless_its_checksum_is_removed(exported, author):
    data = rebuild(exported, replace={"lessons/02-cleaning.md": b"Edited by hand."})
    refused(data, author, "lessons/02-cleaning.md does not match its checksum")
    data = rebuild(
        exported, replace={"lessons/02-cleaning.md": b"Edited by hand."}, edit=_drop_lesson_sha
    )
    course = course_import(upload=io.BytesIO(data), by=author)
    assert Lesson.objects.get(module__course=course, title="Cleaning").body_markdown == (
        "Edited by hand."
    )


def test_a_missing_lesson_file_is_refused(exported, author):
    refused(
        rebuild(exported, drop={"lessons/03-welcome-a-video.md"}),
        author,
        "lessons/03-welcome-a-video.md named by modules\\[1\\].lessons\\[0\\].file is not in",
    )


def test_a_lesson_pointing_at_unknown_media_is_refused(exported, author):
    data = rebuild(
        exported,
        replace={"lessons/02-cleaning.md": b"![x](media:999999)"},
        edit=_drop_lesson_sha,
    )
    refused(data, author, "shows media:999999, which is not in the course file's media list")


def test_a_lesson_that_is_not_utf8_is_refused(exported, author):
    data = rebuild(exported, replace={"lessons/02-cleaning.md": b"caf\xe9"}, edit=_drop_lesson_sha)
    refused(data, author, "lessons/02-cleaning.md is not UTF-8")


def test_a_file_not_named_by_course_json_is_refused(exported, author):
    refused(rebuild(exported, add=[("notes.txt", b"hi")]), author, "notes.txt is not named")


def _q(doc, category, question):
    return doc["question_bank"]["categories"][category]["questions"][question]


def _media_entry(doc, kind):
    return next(m for m in doc["media"] if m["kind"] == kind)


def _swap_media(exported, rich_course, kind, content: bytes, extension: str):
    import hashlib

    item = MediaItem.objects.get(course=rich_course, kind=kind)
    old = f"media/{item.sha256}.{item.file.name.rsplit('.', 1)[-1]}"
    sha = hashlib.sha256(content).hexdigest()
    new = f"media/{sha}.{extension}"

    def edit(doc):
        entry = _media_entry(doc, kind)
        entry["file"], entry["sha256"] = new, sha

    return rebuild(exported, drop={old}, add=[(new, content)], edit=edit)


def test_media_is_checked_by_content_not_by_name(exported, rich_course, author):
    html = b"<!DOCTYPE html><script>alert(1)</script>"
    data = _swap_media(exported, rich_course, "file", html, "pdf")
    refused(data, author, r"\(for “Cleaning schedule”\): That file is not a PDF, Word \(.docx\)")
    data = _swap_media(exported, rich_course, "image", PDF, "png")
    refused(data, author, "That file is not an image we accept")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    refused(_swap_media(exported, rich_course, "image", svg, "png"), author, "SVG drawings are not")
    data = _swap_media(exported, rich_course, "video", PDF, "mp4")
    refused(data, author, "not an MP4 or WebM video")


def test_an_image_with_gps_metadata_is_refused(exported, rich_course, author):
    data = _swap_media(exported, rich_course, "image", jpeg_with_gps(), "jpg")
    refused(data, author, "carries EXIF, which may say where and when it was taken")


def test_captions_must_be_webvtt(exported, rich_course, author):
    import hashlib

    video = MediaItem.objects.get(course=rich_course, kind="video")
    old = video.captions.read()
    name = f"media/{hashlib.sha256(old).hexdigest()}.vtt"
    bad = b"1\n00:00:00,000 --> 00:00:02,000\nSRT, not WebVTT\n"
    sha = hashlib.sha256(bad).hexdigest()

    def edit(doc):
        _media_entry(doc, "video")["captions"] = {"file": f"media/{sha}.vtt", "sha256": sha}

    data = rebuild(exported, drop={name}, add=[(f"media/{sha}.vtt", bad)], edit=edit)
    refused(data, author, "not a WebVTT caption file")


def test_an_embed_from_another_host_is_refused(exported, author):
    def edit(doc):
        _media_entry(doc, "embed")["embed_url"] = "https://evil.example/embed/1"

    refused(
        rebuild(exported, edit=edit),
        author,
        r"media\[3\].embed_url: Only videos from YouTube or Vimeo can be embedded",
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["course"].update(title="x" * 201), "course.title is longer than 200"),
        (
            lambda d: _q(d, 0, 2)["choices"].reverse(),
            r"categories\[0\].questions\[2\].choices must be \"True\" and \"False\"",
        ),
        (
            lambda d: _q(d, 1, 0).update(numeric_answer="1e400"),
            r"questions\[0\].numeric_answer may have at most 6 decimal places|must be less than",
        ),
        (
            lambda d: _q(d, 1, 1)["choices"][0].update(match_text=""),
            r"questions\[1\].choices must hold at least two pairs, each with a match_text",
        ),
        (
            lambda d: _q(d, 1, 3).update(criteria=[]),
            r"questions\[3\].criteria must hold at least one rubric criterion",
        ),
        (
            lambda d: _q(d, 1, 3)["criteria"][0].update(max_marks=101),
            r"criteria\[0\].max_marks must be from 1 to 100",
        ),
        (
            lambda d: _q(d, 0, 0).update(kind="hotspot"),
            r"questions\[0\].kind must be one of",
        ),
        (
            lambda d: d["assessment"]["draw"][0].update(count=5),
            "draws 5 questions from “Basics”, which holds only 4",
        ),
        (
            lambda d: d["assessment"]["draw"][0].update(category="Nope"),
            r"assessment.draw\[0\].category names “Nope”, which is not a category",
        ),
        (
            lambda d: d["quizzes"][0].update(module=7),
            r"quizzes\[0\].module must be from 0 to 1",
        ),
        (lambda d: d["course"].update(title="  "), "course.title is empty"),
        (lambda d: d["course"].pop("summary"), "course.summary is missing"),
        (lambda d: d["course"].update(pass_mark=101), "course.pass_mark must be from 1 to 100"),
        (lambda d: d["course"].update(pass_mark=True), "course.pass_mark must be a whole number"),
        (lambda d: d["course"].update(cpd_hours="2.55"), "at most 1 decimal places"),
        (lambda d: d["course"].update(cpd_hours="lots"), "course.cpd_hours must be a number"),
        (lambda d: d["course"].update(course_type="other"), "course.course_type must be one of"),
        (lambda d: d.update(modules={}), "modules must be a list"),
        (
            lambda d: d["modules"][0].update(title="m" * 201),
            r"modules\[0\].title is longer than 200",
        ),
        (
            lambda d: d["modules"][0]["lessons"][0].update(file="../etc/passwd"),
            r"modules\[0\].lessons\[0\].file must be a path like lessons/01-introduction.md",
        ),
        (
            lambda d: _q(d, 0, 0)["choices"][1].update(correct=True),
            r"question_bank.categories\[0\].questions\[0\].choices must have exactly one correct",
        ),
        (
            lambda d: _q(d, 0, 0)["choices"][0].update(text="c" * 501),
            "longer than 500",
        ),
        (
            lambda d: d["course"].update(image=_media_entry(d, "embed")["id"]),
            "course.image names media .*, which is not an image",
        ),
    ],
)
def test_malformed_course_json_is_refused_with_the_place_named(exported, author, edit, message):
    refused(rebuild(exported, edit=edit), author, message)


def test_course_json_that_is_not_json(exported, author):
    refused(rebuild(exported, replace={"course.json": b"{nope"}), author, "not valid JSON")
