"""Course import and export in Chromium: an author downloads a course file from its export page,
imports it as a new course under a new title, and sees the new, unpublished course with the same
outline. Every page passes axe-core and fits a 390 px phone."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("LEARNWARD_TRANSFER_SCREENSHOTS", "")


def _fits_a_phone(page, name: str) -> None:
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)


@pytest.fixture
def world(db, make_user):
    from learnward.accounts.roles import COURSE_AUTHOR
    from tests.transfer.conftest import make_rich_course

    course = make_rich_course()
    author = make_user(email="author@example.test", roles=[COURSE_AUTHOR])
    return course, author


def test_author_exports_and_imports_a_course(page, world, tmp_path):
    from learnward.catalog.models import Course, Lesson, MediaItem

    course, author = world
    log_in(page, author.email)

    page.goto("/studio/import/")
    expect(page.get_by_role("heading", name="Import and export courses")).to_be_visible()
    check_accessibility(page, label="import and export page")
    _fits_a_phone(page, "import")

    page.get_by_role("link", name="Export Food hygiene").click()
    expect(page.get_by_role("heading", name="Export “Food hygiene”")).to_be_visible()
    expect(page.get_by_text("2 modules with 3 lessons")).to_be_visible()
    check_accessibility(page, label="export page")
    _fits_a_phone(page, "export")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download the course file").click()
    download = info.value
    assert download.suggested_filename.startswith("food-hygiene-")
    assert download.suggested_filename.endswith(".learnward-course.zip")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    page.goto("/studio/import/")
    page.get_by_label("Course file (.zip)").set_input_files(str(saved))
    page.get_by_label("Title of the new course").fill("Food hygiene for schools")
    page.get_by_role("button", name="Import the course").click()

    expect(page.get_by_role("heading", name="Export “Food hygiene for schools”")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("“Food hygiene for schools” is a new course")
    expect(page.get_by_text("Not published.")).to_be_visible()
    page.get_by_text("Modules and lessons").click()
    expect(page.get_by_role("listitem").filter(has_text="Welcome: a video!").last).to_be_visible()
    check_accessibility(page, label="imported course's export page")

    copy = Course.objects.get(title="Food hygiene for schools")
    assert copy.published is False
    assert list(Lesson.objects.filter(module__course=copy).values_list("title", flat=True)) == list(
        Lesson.objects.filter(module__course=course).values_list("title", flat=True)
    )
    assert sorted(MediaItem.objects.filter(course=copy).values_list("sha256", flat=True)) == sorted(
        MediaItem.objects.filter(course=course).values_list("sha256", flat=True)
    )


def test_a_refused_file_is_explained(page, world, tmp_path):
    _, author = world
    log_in(page, author.email)
    bad = tmp_path / "notes.zip"
    bad.write_bytes(b"not a zip at all")
    page.goto("/studio/import/")
    page.get_by_label("Course file (.zip)").set_input_files(str(bad))
    page.get_by_role("button", name="Import the course").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("There is a problem")
    expect(alert).to_contain_text("The course was not imported. The file is not a zip archive")
    check_accessibility(page, label="import page with an error")
    _fits_a_phone(page, "import-error")
