"""The authoring studio in Chromium: an author builds a course from an empty studio without
opening /admin/ (two modules, four lessons), reorders it with the keyboard, writes lessons with
the live preview and autosave, previews as a learner, sets tutors by name, and publishes; a learner
then takes the course, and a later edit reaches them only when it is published again.
axe-core checks every studio page. A second test does the outline without JavaScript.

Set LEARNWARD_E2E_SCREENSHOTS=<dir> to keep screenshots of each page at 1280 and 390 px wide.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, log_out, nav_to

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("LEARNWARD_E2E_SCREENSHOTS", "")


def _look(page, label: str) -> None:
    """axe on the page; with LEARNWARD_E2E_SCREENSHOTS, screenshots at desktop and phone width."""
    check_accessibility(page, label=label)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def _lesson_titles(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        ".outline-module",
        "ms => ms.map(m => Array.from(m.querySelectorAll('.outline-lesson .outline-title a'))"
        ".map(a => a.textContent.trim()))",
    )


def _module_titles(page) -> list[str]:
    return [
        re.sub(r"^Module \d+: ", "", t).replace("New", "").strip()
        for t in page.locator(".outline-module h3").all_inner_texts()
    ]


def _no_horizontal_scroll_at_390(page, label: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert wide <= 390, f"{label} is {wide}px wide at 390px"


LESSONS = {
    "Why fires start": "## The fire triangle\n\nHeat, fuel and oxygen. Take one away.",
    "Raising the alarm": "Shout **Fire!** and press the nearest call point.",
    "Evacuation routes": "Know two ways out of every room.",
    "Assembly points": "Go to the assembly point and wait to be counted.",
}


def test_author_builds_reorders_previews_and_publishes_and_a_learner_sees_it(
    page, browser, live_server, make_user, settings
):
    from django.core.cache import cache

    from learnward.accounts.roles import COURSE_AUTHOR, TUTOR
    from learnward.catalog.models import Course, Lesson

    cache.clear()
    settings.BASE_URL = live_server.url
    make_user(email="author@example.test", display_name="Casey Author", roles=[COURSE_AUTHOR])
    tutor = make_user(email="tutor@example.test", display_name="Taylor Tutor", roles=[TUTOR])
    make_user(email="learner@example.test", display_name="Lee Learner")
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))

    # 1. From the header to an empty studio; a new course.
    log_in(page, "author@example.test")
    page.goto("/")
    nav_to(page, "Studio")  # through the staff area
    expect(page.get_by_role("heading", name="Studio", level=1)).to_be_visible()
    expect(page.get_by_text("No courses yet.")).to_be_visible()
    _look(page, "studio home, empty")
    page.get_by_label("Course title").fill("Fire safety awareness")
    page.get_by_label("Summary").fill("What to do when the alarm sounds.")
    page.get_by_label("CPD hours").fill("1.5")
    page.get_by_role("button", name="Create course").click()
    expect(page.get_by_role("heading", name="Fire safety awareness", level=1)).to_be_visible()
    expect(page.get_by_text("Learners see nothing yet")).to_be_visible()
    _look(page, "studio outline, empty")

    # 2. Two modules, four lessons, typed one after another (focus stays in the form).
    page.get_by_label("New module").fill("Before a fire")
    page.get_by_label("New module").press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Module added: Before a fire.")
    expect(page.get_by_label("New module")).to_be_focused()
    page.keyboard.type("When the alarm sounds")
    page.keyboard.press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Module added: When the alarm sounds.")
    first = page.get_by_label("New lesson in Before a fire")
    first.fill("Raising the alarm")
    first.press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Lesson added: Raising the alarm.")
    expect(page.get_by_label("New lesson in Before a fire")).to_be_focused()
    page.keyboard.type("Why fires start")
    page.keyboard.press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Lesson added: Why fires start.")
    second = page.get_by_label("New lesson in When the alarm sounds")
    second.fill("Assembly points")
    second.press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Lesson added: Assembly points.")
    expect(page.get_by_label("New lesson in When the alarm sounds")).to_be_focused()
    page.keyboard.type("Evacuation routes")
    page.keyboard.press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Lesson added: Evacuation routes.")
    assert _lesson_titles(page) == [
        ["Raising the alarm", "Why fires start"],
        ["Assembly points", "Evacuation routes"],
    ]
    _look(page, "studio outline, two modules")

    # 3. Reorder with the keyboard only: focus stays on the button pressed.
    up = page.get_by_role("button", name="Up: move lesson Why fires start up")
    up.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Moved lesson up: Why fires start.")
    expect(page.get_by_role("button", name="Up: move lesson Why fires start up")).to_be_disabled()
    # The first lesson of the course cannot go up: focus moved to its Down button instead.
    expect(
        page.get_by_role("button", name="Down: move lesson Why fires start down")
    ).to_be_focused()
    down = page.get_by_role("button", name="Down: move lesson Assembly points down")
    down.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Moved lesson down: Assembly points.")
    # Now last in the course: its Down button is disabled and focus is on its Up button.
    expect(
        page.get_by_role("button", name="Down: move lesson Assembly points down")
    ).to_be_disabled()
    expect(page.get_by_role("button", name="Up: move lesson Assembly points up")).to_be_focused()
    assert _lesson_titles(page) == [
        ["Why fires start", "Raising the alarm"],
        ["Evacuation routes", "Assembly points"],
    ]
    # Modules too: down and back up again.
    page.get_by_role("button", name="Down: move module Before a fire down").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Moved module down: Before a fire.")
    assert _module_titles(page) == ["When the alarm sounds", "Before a fire"]
    page.get_by_role("button", name="Up: move module Before a fire up").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Moved module up: Before a fire.")
    assert _module_titles(page) == ["Before a fire", "When the alarm sounds"]
    # Rename inline.
    page.get_by_text("Rename module When the alarm sounds").click()
    title = page.locator(".outline-module").nth(1).get_by_label("Module title")
    title.fill("When the alarm rings")
    title.press("Enter")
    expect(page.locator("#outline-status")).to_have_text("Module renamed: When the alarm rings.")
    # Not publishable while lessons are empty: the page says why.
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_role("alert")).to_contain_text("Lesson “Why fires start” has no text yet.")
    _look(page, "studio outline, publish refused")

    # 4. Write the lessons: the toolbar, the live preview and autosave.
    page.get_by_role("link", name="Why fires start", exact=True).click()
    expect(page.get_by_role("heading", name="Edit lesson: Why fires start")).to_be_visible()
    body = page.get_by_label("Lesson text")
    body.fill(LESSONS["Why fires start"])
    expect(page.locator("#live-preview h3")).to_have_text("The fire triangle")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at \d\d:\d\d\.$"))
    body.press("End")
    page.get_by_role("button", name="Bold").click()
    expect(page.locator("#live-preview strong")).to_have_text("bold text")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at"))
    _look(page, "studio lesson editor")
    page.reload()  # the autosaved text is what the draft holds
    expect(page.get_by_label("Lesson text")).to_have_value(
        LESSONS["Why fires start"] + "**bold text**"
    )
    page.get_by_label("Lesson text").fill(LESSONS["Why fires start"])
    page.get_by_role("button", name="Save and return to the outline").click()
    expect(page.get_by_text("Lesson saved: Why fires start.")).to_be_visible()
    for name in ("Raising the alarm", "Evacuation routes", "Assembly points"):
        page.get_by_role("link", name=name, exact=True).click()
        page.get_by_label("Lesson text").fill(LESSONS[name])
        page.get_by_label("Minutes to study").fill("5")
        page.get_by_role("button", name="Save and return to the outline").click()
        expect(page.get_by_text(f"Lesson saved: {name}.")).to_be_visible()

    # 5. Preview as a learner.
    page.get_by_role("link", name="Preview lesson Raising the alarm").click()
    expect(page.get_by_role("heading", name="Raising the alarm", level=1)).to_be_visible()
    expect(page.get_by_text("Lesson 2 of 4")).to_be_visible()
    expect(page.locator(".lesson-body strong")).to_have_text("Fire!")
    _look(page, "studio preview as a learner")
    page.get_by_role("link", name="Outline").click()

    # 6. Settings: tutors by name.
    page.get_by_role("navigation", name="Course sections").get_by_role(
        "link", name="Settings"
    ).click()
    expect(page.get_by_text("User ")).to_have_count(0)
    page.get_by_label("Taylor Tutor (tutor@example.test)").check()
    page.get_by_label("Pass mark (%)").fill("101")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("alert")).to_contain_text("less than or equal to 100")
    _look(page, "studio settings with an error")
    page.get_by_label("Pass mark (%)").fill("80")
    page.get_by_label("Accreditation number").fill("FS-2026-01")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Course settings saved.")).to_be_visible()
    _look(page, "studio settings")

    # 7. Publish.
    page.get_by_role("navigation", name="Course sections").get_by_role(
        "link", name="Outline"
    ).click()
    expect(page.get_by_text("Added module “Before a fire”.")).to_be_visible()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 published.")).to_be_visible()
    expect(page.get_by_role("heading", name="Version 1 Learners see this")).to_be_visible()
    expect(page.get_by_text("by Casey Author")).to_be_visible()
    _look(page, "studio version history")
    course = Course.objects.get(title="Fire safety awareness")
    assert course.published and course.version == 1 and course.pass_mark == 80
    assert list(course.tutors.all()) == [tutor]
    assert not any("/admin/" in url for url in visited)

    # 8. A learner sees the course in the order the author gave it.
    learner_context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    learner = learner_context.new_page()
    log_in(learner, "learner@example.test")
    learner.goto(course.get_absolute_url())
    learner.get_by_role("button", name=re.compile("^Enrol")).click()
    lessons = Lesson.objects.filter(module__course=course).order_by("module__position", "position")
    assert [lesson.title for lesson in lessons] == [
        "Why fires start",
        "Raising the alarm",
        "Evacuation routes",
        "Assembly points",
    ]
    learner.goto(f"/courses/{course.slug}/lessons/{lessons[0].pk}/")
    expect(learner.get_by_role("heading", name="Why fires start", level=1)).to_be_visible()
    expect(learner.locator(".lesson-body h3")).to_have_text("The fire triangle")
    check_accessibility(learner, label="learner lesson of the published course")

    # 9. The author edits after publishing: the learner sees nothing new until republished.
    page.get_by_role("link", name="Outline").click()
    page.get_by_role("link", name="Why fires start", exact=True).click()
    page.get_by_label("Lesson text").fill("## The fire triangle\n\nRevised for version two.")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at"))
    learner.reload()
    expect(learner.locator(".lesson-body")).to_contain_text("Heat, fuel and oxygen.")
    expect(learner.locator(".lesson-body")).not_to_contain_text("Revised for version two.")
    page.get_by_role("link", name="Fire safety awareness").click()
    expect(page.get_by_text("Edited lesson “Why fires start”.")).to_be_visible()
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_text("Version 2 published.")).to_be_visible()
    learner.reload()
    expect(learner.locator(".lesson-body")).to_contain_text("Revised for version two.")
    learner_context.close()

    # The studio's pages fit a phone.
    for path in (
        "/studio/",
        f"/studio/courses/{course.slug}/",
        f"/studio/courses/{course.slug}/settings/",
        f"/studio/courses/{course.slug}/versions/",
    ):
        page.goto(path)
        _no_horizontal_scroll_at_390(page, path)


def test_the_outline_works_without_javascript(browser, live_server, make_user):
    from learnward.accounts.roles import COURSE_AUTHOR

    make_user(email="author@example.test", roles=[COURSE_AUTHOR])
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, "author@example.test")
    page.goto("/studio/")
    page.get_by_label("Course title").fill("Plain forms")
    page.get_by_label("Summary").fill("Made without JavaScript.")
    page.get_by_role("button", name="Create course").click()
    page.get_by_label("New module").fill("Only module")
    page.get_by_role("button", name="Add module").click()
    expect(page.get_by_text("Module added: Only module.")).to_be_visible()
    for name in ("First", "Second"):
        page.get_by_label("New lesson in Only module").fill(name)
        page.get_by_role("button", name="Add lesson").click()
        expect(page.get_by_text(f"Lesson added: {name}.")).to_be_visible()
    page.get_by_role("button", name="Up: move lesson Second up").click()
    expect(page.get_by_text("Moved lesson up: Second.")).to_be_visible()
    assert _lesson_titles(page) == [["Second", "First"]]
    assert page.url.endswith(
        "#lesson-" + page.locator(".outline-lesson").first.get_attribute("data-lesson-id")
    )
    page.get_by_role("button", name="Delete lesson First").click()
    expect(page.get_by_text("Lesson deleted: First.")).to_be_visible()
    assert _lesson_titles(page) == [["Second"]]
    # The toolbar needs JavaScript, so it is hidden; the editor still saves.
    page.get_by_role("link", name="Second", exact=True).click()
    expect(page.get_by_role("toolbar")).to_have_count(0)
    page.get_by_label("Lesson text").fill("Written without JavaScript.")
    page.get_by_role("button", name="Save and return to the outline").click()
    expect(page.get_by_text("Lesson saved: Second.")).to_be_visible()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 published.")).to_be_visible()
    context.close()


# --- the whole "Done means" journey, over the studio, media and assessments branches -------


def _outline_add(page, label: str, title: str, done: str) -> None:
    page.get_by_label(label, exact=True).fill(title)
    page.get_by_label(label, exact=True).press("Enter")
    expect(page.locator("#outline-status")).to_have_text(done)


def _answer_attempt(page, attempt, *, right: bool) -> None:
    from learnward.assessments.models import Question

    for item in attempt.draw:
        question = Question.objects.get(pk=item["question"])
        box = page.locator(f"#question-{question.pk}")
        if question.kind in ("single", "true_false"):
            choice = question.choices.filter(is_correct=right).first()
            box.get_by_label(choice.text, exact=True).check()
        elif question.kind == "short":
            box.get_by_label("Your answer").fill(
                question.choices.first().text.upper() if right else "no idea"
            )
        elif question.kind == "numeric":
            box.get_by_label("Your answer (a number)").fill(
                str(question.numeric_answer) if right else "123456"
            )
        else:
            box.get_by_label("Your answer").fill(
                "Keep only what you need: no date of birth for a newsletter."
                if right
                else "Not sure."
            )
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Pending marking").first).to_be_visible()


def _mark_essay(page, *, defines: str, example: str) -> None:
    log_in(page, "tutor@example.test")
    page.goto("/tutor/marking/")
    check_accessibility(page, label="tutor marking queue")
    page.get_by_role("link", name="Lee Learner").first.click()
    page.wait_for_load_state()
    check_accessibility(page, label="tutor marking an essay")
    page.get_by_label("Defines it (0 to 3)").fill(defines)
    page.get_by_label("Gives an example (0 to 2)").fill(example)
    page.get_by_label("Feedback for the learner").fill("Thank you; see the rubric.")
    page.get_by_role("button", name="Save marks and feedback").click()
    expect(page.get_by_text("Marks and feedback saved.")).to_be_visible()
    log_out(page)
    page.wait_for_load_state()


def test_done_means_author_builds_everything_in_the_studio_learner_gets_the_certificate(
    page, live_server, make_user, settings, tmp_path
):
    """Issue 18's "Done means", from an empty studio: a course of two modules and four lessons,
    a photo with GPS EXIF (served without it) and a captioned video in a lesson, a bank of ten
    questions of five types with an essay, a random draw; publish. A learner reads the lessons,
    fails a first attempt (essay marked low by the tutor), passes a second that drew different
    questions (essay marked in the queue), and holds the certificate. axe on every page."""
    import io

    from django.core.cache import cache
    from PIL import Image

    from e2e.test_question_bank import ESSAY, FACTS, _add_question
    from learnward.accounts.roles import COURSE_AUTHOR, TUTOR
    from learnward.assessments.models import Attempt, Question, QuestionCategory
    from learnward.catalog.models import Course, Lesson, MediaItem
    from learnward.certificates.models import Certificate
    from tests.media.conftest import VTT, jpeg_with_gps, sample

    cache.clear()
    settings.BASE_URL = live_server.url
    make_user(email="author@example.test", display_name="Casey Author", roles=[COURSE_AUTHOR])
    make_user(email="tutor@example.test", display_name="Tess Tutor", roles=[TUTOR])
    learner = make_user(email="lee@example.test", display_name="Lee Learner")
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))

    # 1. A course of two modules and four lessons, from an empty studio.
    log_in(page, "author@example.test")
    page.goto("/studio/")
    expect(page.get_by_text("No courses yet.")).to_be_visible()
    page.get_by_label("Course title").fill("Data protection at work")
    page.get_by_label("Summary").fill("The UK GDPR in daily work.")
    page.get_by_label("CPD hours").fill("2")
    page.get_by_role("button", name="Create course").click()
    course = Course.objects.get(title="Data protection at work")
    _outline_add(page, "New module", "Principles", "Module added: Principles.")
    _outline_add(page, "New module", "In practice", "Module added: In practice.")
    for module, titles in (
        ("Principles", ["Lawful basis", "Minimisation"]),
        ("In practice", ["Breaches", "Requests"]),
    ):
        for title in titles:
            _outline_add(page, f"New lesson in {module}", title, f"Lesson added: {title}.")
    assert _lesson_titles(page) == [["Lawful basis", "Minimisation"], ["Breaches", "Requests"]]

    # Settings: tutor by name, pass mark, a year's certificate.
    page.get_by_role("navigation", name="Course sections").get_by_role(
        "link", name="Settings"
    ).click()
    page.get_by_label("Tess Tutor (tutor@example.test)").check()
    page.get_by_label("Pass mark (%)").fill("60")
    page.get_by_label("Certificate valid for (months)").fill("12")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Course settings saved.")).to_be_visible()

    # 2. The media library: a phone photo with GPS EXIF, a video with captions.
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(jpeg_with_gps(size=(64, 48)))
    video = tmp_path / "clip.webm"
    video.write_bytes(sample("sample.webm"))
    captions = tmp_path / "clip.vtt"
    captions.write_bytes(VTT)
    page.get_by_role("navigation", name="Course sections").get_by_role("link", name="Media").click()
    _look(page, "studio media library")
    page.get_by_label("File", exact=True).set_input_files(str(photo))
    page.get_by_label("Alt text (images)").fill("A locked filing cabinet")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="IMG 0042")).to_be_visible()
    image = MediaItem.objects.get(course=course, kind="image")
    served = page.request.get(f"/media-files/{image.pk}/")
    assert served.status == 200
    assert dict(Image.open(io.BytesIO(served.body())).getexif()) == {}  # no GPS, no EXIF at all
    page.goto(f"/studio/courses/{course.slug}/media/")
    page.get_by_label("A video (MP4 or WebM)").check()
    page.get_by_label("File", exact=True).set_input_files(str(video))
    page.get_by_label("Title").first.fill("Shredding old records")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("No captions yet")).to_be_visible()
    page.get_by_label("Caption file (WebVTT, .vtt)").set_input_files(str(captions))
    page.get_by_role("button", name="Upload captions").click()
    expect(page.get_by_text("This video has captions.")).to_be_visible()

    # The lessons: text, and the media inserted from the editor's picker.
    page.goto(f"/studio/courses/{course.slug}/")
    page.get_by_role("link", name="Minimisation", exact=True).click()
    page.get_by_label("Lesson text").fill("Collect only what you need.\n\n")
    page.get_by_text("Insert media from the course's library").click()
    page.get_by_role("button", name="Insert IMG 0042").click()
    page.get_by_role("button", name="Insert Shredding old records").click()
    expect(page.locator("#live-preview img[alt='A locked filing cabinet']")).to_have_count(1)
    expect(page.locator("#live-preview video track[kind=captions]")).to_have_count(1)
    _look(page, "studio lesson editor with media")
    page.get_by_role("button", name="Save and return to the outline").click()
    for title in ("Lawful basis", "Breaches", "Requests"):
        page.get_by_role("link", name=title, exact=True).click()
        page.get_by_label("Lesson text").fill(f"## {title}\n\nWhat to know about {title.lower()}.")
        page.get_by_role("button", name="Save and return to the outline").click()
        expect(page.get_by_text(f"Lesson saved: {title}.")).to_be_visible()

    # 3. A bank of ten questions of five types, an essay among them, and the draw.
    page.get_by_role("navigation", name="Course sections").get_by_role(
        "link", name="Question bank"
    ).click()
    _look(page, "studio question bank")
    for name in ("Facts", "Written"):
        page.get_by_label("Category name").fill(name)
        page.get_by_role("button", name="Add category").click()
        expect(page.get_by_text(f"Category “{name}” added.")).to_be_visible()
    facts = QuestionCategory.objects.get(course=course, name="Facts")
    written = QuestionCategory.objects.get(course=course, name="Written")
    for kind, text, fields in FACTS:
        _add_question(page, course.slug, facts.pk, kind, text, fields)
    _add_question(page, course.slug, written.pk, "essay", ESSAY[0], {"Rubric": ESSAY[1]})
    assert Question.objects.filter(course=course).count() == 10
    assert {"single", "true_false", "short", "numeric", "essay"} == set(
        Question.objects.filter(course=course).values_list("kind", flat=True)
    )
    page.goto(f"/studio/courses/{course.slug}/assessment/")
    page.get_by_label("Title").fill("Final assessment")
    page.get_by_label("Facts (of 9 in use)").fill("4")
    page.get_by_label("Written (of 1 in use)").fill("1")
    page.get_by_label("Shuffle the order of questions for each attempt").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. New attempts use these settings.")).to_be_visible()
    _look(page, "studio assessment settings")

    # 4. Publish.
    page.goto(f"/studio/courses/{course.slug}/")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 published.")).to_be_visible()
    page.goto("/studio/")
    expect(page.get_by_role("cell", name="Version 1")).to_be_visible()
    _look(page, "studio home with a course")
    assert not any("/admin/" in url for url in visited)
    log_out(page)
    page.wait_for_load_state()

    # The learner reads every lesson (the photo and the captioned video in the second).
    log_in(page, "lee@example.test")
    page.goto(f"/courses/{course.slug}/")
    check_accessibility(page, label="learner course page")
    page.get_by_role("button", name="Enrol on this course").click()
    page.get_by_role("link", name="Start the first lesson").click()
    for number in range(1, 5):
        expect(page.get_by_text(f"Lesson {number} of 4 ·")).to_be_visible()
        if number == 2:
            expect(page.get_by_role("img", name="A locked filing cabinet")).to_be_visible()
            expect(page.locator("video track[kind=captions]")).to_have_count(1)
        check_accessibility(page, label=f"learner lesson {number}")
        page.get_by_role("button", name=re.compile("^Mark as complete")).click()
        page.wait_for_load_state()
    lessons = Lesson.objects.filter(module__course=course)
    assert lessons.count() == 4

    # First attempt: wrong answers, then the tutor marks the essay low: not passed.
    page.goto(f"/courses/{course.slug}/assessment/")
    check_accessibility(page, label="learner assessment overview")
    page.get_by_role("button", name="Start attempt 1 of 3").click()
    page.wait_for_load_state()
    check_accessibility(page, label="learner attempt 1")
    first = Attempt.objects.get(user=learner)
    _answer_attempt(page, first, right=False)
    check_accessibility(page, label="learner result pending marking")
    log_out(page)
    page.wait_for_load_state()
    _mark_essay(page, defines="0", example="0")
    first.refresh_from_db()
    assert first.passed is False and not first.marking_pending

    # Second attempt: a different draw, right answers, the essay marked well: passed.
    log_in(page, "lee@example.test")
    page.goto(f"/courses/{course.slug}/assessment/")
    page.get_by_role("button", name="Start attempt 2 of 3").click()
    page.wait_for_load_state()
    second = Attempt.objects.filter(user=learner).order_by("-pk").first()
    assert second.pk != first.pk
    assert [i["question"] for i in second.draw] != [i["question"] for i in first.draw]
    _answer_attempt(page, second, right=True)
    log_out(page)
    page.wait_for_load_state()
    _mark_essay(page, defines="3", example="2")
    second.refresh_from_db()
    assert second.passed is True

    # The certificate.
    assert Certificate.objects.filter(user=learner, course=course).count() == 1
    log_in(page, "lee@example.test")
    page.goto("/certificates/")
    expect(page.get_by_text("Data protection at work").first).to_be_visible()
    check_accessibility(page, label="learner certificates")
