"""Playing a package: the lesson page's sandboxed frame, the files' strict headers, the runtime
the SCORM pages get, and the commits that make Learnward's progress follow the package."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from learnward.learning.models import ActivityEvent, Completion
from learnward.learning.services import enrolment_create
from learnward.packages import samples
from learnward.packages.models import PackageAttempt
from learnward.packages.services import learner_key, package_import
from learnward.packages.tokens import launch_from_token, launch_token

from .conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(author, module):
    return package_import(actor=author, upload=upload(samples.scorm12_package()), module=module)


@pytest.fixture
def learner(make_user, course):
    user = make_user(email="sam@example.test")
    enrolment_create(user=user, course=course)
    return user


def lesson_url(package):
    lesson = package.lesson
    return reverse("learning:lesson", args=[lesson.module.course.slug, lesson.pk])


def frame_src(client, package) -> str:
    page = client.get(lesson_url(package))
    assert page.status_code == 200
    html = page.content.decode()
    frame = re.search(r"<iframe[^>]*>", html).group(0)
    assert 'sandbox="allow-scripts allow-forms"' in frame
    assert "allow-same-origin" not in html
    return re.search(r'src="([^"]+)"', frame).group(1).replace("&amp;", "&")


def test_lesson_page_plays_the_package_in_a_sandboxed_frame(client, learner, package):
    client.force_login(learner)
    src = frame_src(client, package)
    assert src.startswith("/packages/content/") and src.endswith("/index.html")
    page = client.get(lesson_url(package)).content.decode()
    # The package marks the lesson complete, not a button; the Markdown body is not shown.
    assert "Mark as complete" not in page
    assert "This lesson plays the package" not in page
    attempt = PackageAttempt.objects.get(user=learner, package=package)
    assert launch_from_token(src.split("/")[3]).attempt_id == attempt.pk


def test_ordinary_lesson_keeps_its_body_and_button(client, learner, package, course):
    client.force_login(learner)
    other = course.modules.get().lessons.exclude(pk=package.lesson.pk).get()
    page = client.get(reverse("learning:lesson", args=[course.slug, other.pk])).content.decode()
    assert "Mark as complete" in page and "<iframe" not in page


def test_content_is_served_with_the_sandbox_headers_and_the_runtime(client, learner, package):
    client.force_login(learner)
    src = frame_src(client, package)
    client.logout()  # the token is the credential: no session is needed
    response = client.get(src)
    assert response.status_code == 200
    assert (
        response["Content-Security-Policy"]
        == "sandbox allow-scripts allow-forms; object-src 'none'"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/html"
    assert "X-Frame-Options" not in response
    assert response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    head = html.index("<head>") + len("<head>")
    assert html[head:].startswith('<script id="learnward-package-runtime" type="application/json">')
    assert "packages/vendor/scorm-again.min.js" in html and "packages/runtime.js" in html
    config = json.loads(re.search(r'application/json">(.*?)</script>', html).group(1))
    attempt = PackageAttempt.objects.get()
    assert config["standard"] == "scorm12"
    assert config["commitUrl"].endswith(f"/packages/runtime/{src.split('/')[3]}/commit")
    assert config["cmi"]["core"]["student_id"] == learner_key(learner.pk)
    assert "sam@example.test" not in html and learner.display_name not in html
    assert config["cmi"]["core"]["entry"] == "ab-initio"
    manifest = client.get(src.replace("index.html", "imsmanifest.xml"))
    assert manifest["Content-Type"] == "application/xml"
    assert attempt.number == 1


def test_content_refuses_bad_tokens_and_paths(client, learner, package):
    client.force_login(learner)
    src = frame_src(client, package)
    token = src.split("/")[3]
    assert client.get(src.replace(token, token[:-2] + "xx")).status_code == 404
    assert client.get(src.replace("index.html", "missing.html")).status_code == 404
    assert client.get(src.replace("index.html", "../index.html")).status_code == 404
    forged = signing.dumps({"p": package.pk, "a": 1}, salt="something else")
    assert client.get(src.replace(token, forged)).status_code == 404


def test_expired_token_is_refused(client, learner, package, settings):
    import time_machine

    client.force_login(learner)
    src = frame_src(client, package)
    later = timezone.now() + timedelta(hours=settings.PACKAGES_LAUNCH_HOURS, seconds=5)
    with time_machine.travel(later, tick=False):
        assert client.get(src).status_code == 404
    assert client.get(src).status_code == 200


def commit(client, token, cmi):
    return client.post(
        reverse("packages:commit", args=[token]),
        data=json.dumps({"cmi": cmi}),
        content_type="application/json",
    )


def test_commit_stores_runtime_data_and_resumes_it(client, learner, package):
    client.force_login(learner)
    token = frame_src(client, package).split("/")[3]
    client.logout()
    preflight = client.options(reverse("packages:commit", args=[token]))
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    response = commit(
        client,
        token,
        {
            "core": {"lesson_status": "incomplete", "lesson_location": "page-2", "exit": "suspend"},
            "suspend_data": "note=hello",
        },
    )
    assert response.status_code == 200 and response.json() == {"result": True, "errorCode": 0}
    attempt = PackageAttempt.objects.get()
    assert (attempt.suspend_data, attempt.location) == ("note=hello", "page-2")
    assert attempt.completion_status == "incomplete" and attempt.completed_at is None
    assert not ActivityEvent.objects.filter(kind=ActivityEvent.Kind.COMPLETED).exists()
    # Opening the lesson again resumes the same attempt with its data.
    client.force_login(learner)
    src = frame_src(client, package)
    html = client.get(src).content.decode()
    config = json.loads(re.search(r'application/json">(.*?)</script>', html).group(1))
    assert config["cmi"]["suspend_data"] == "note=hello"
    assert config["cmi"]["core"]["lesson_location"] == "page-2"
    assert config["cmi"]["core"]["entry"] == "resume"
    assert PackageAttempt.objects.count() == 1


def test_completion_marks_the_lesson_and_completes_the_course(client, learner, package, course):
    other = course.modules.get().lessons.exclude(pk=package.lesson.pk).get()
    from learnward.learning.services import lesson_mark_complete

    lesson_mark_complete(user=learner, lesson=other)
    client.force_login(learner)
    token = frame_src(client, package).split("/")[3]
    response = commit(
        client, token, {"core": {"lesson_status": "completed", "score": {"raw": "90"}}}
    )
    assert response.status_code == 200
    attempt = PackageAttempt.objects.get()
    assert attempt.completed_at is not None and attempt.passed_at is None
    assert attempt.score_raw == 90
    assert ActivityEvent.objects.filter(
        user=learner, lesson=package.lesson, kind=ActivityEvent.Kind.COMPLETED
    ).exists()
    assert Completion.objects.filter(enrolment__user=learner).exists()
    # Committing again changes nothing more.
    commit(client, token, {"core": {"lesson_status": "completed"}})
    assert (
        ActivityEvent.objects.filter(
            lesson=package.lesson, kind=ActivityEvent.Kind.COMPLETED
        ).count()
        == 1
    )


def test_scorm2004_completion_and_success(client, author, module, learner):
    package = package_import(
        actor=author, upload=upload(samples.scorm2004_package()), module=module
    )
    client.force_login(learner)
    token = frame_src(client, package).split("/")[3]
    commit(client, token, {"completion_status": "incomplete", "location": "p1"})
    assert PackageAttempt.objects.get().completed_at is None
    commit(
        client,
        token,
        {"completion_status": "completed", "success_status": "passed", "score": {"scaled": "0.9"}},
    )
    attempt = PackageAttempt.objects.get()
    assert attempt.completed_at and attempt.passed_at and attempt.score_scaled == Decimal("0.9")


def test_commit_with_bad_token_or_body_is_refused(client, learner, package):
    client.force_login(learner)
    token = frame_src(client, package).split("/")[3]
    assert commit(client, token[:-3] + "abc", {"core": {}}).status_code == 401
    bad = client.post(
        reverse("packages:commit", args=[token]), data="nonsense", content_type="application/json"
    )
    assert bad.status_code == 400
    assert PackageAttempt.objects.get().cmi == {}


def test_commit_needs_no_csrf_token_but_the_launch_token(learner, package, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    token = frame_src(strict, package).split("/")[3]
    assert commit(strict, token, {"core": {"lesson_status": "incomplete"}}).status_code == 200


def test_staff_preview_records_nothing(client, make_user, package):
    from learnward.accounts.roles import COURSE_AUTHOR

    staff = make_user(roles=[COURSE_AUTHOR])
    client.force_login(staff)
    src = frame_src(client, package)
    token = src.split("/")[3]
    assert launch_from_token(token).attempt_id is None
    html = client.get(src).content.decode()
    assert '"commitUrl": ""' in html
    assert commit(client, token, {"core": {"lesson_status": "completed"}}).status_code == 200
    assert not PackageAttempt.objects.exists()


def test_package_pass_stands_as_the_assessment(client, author, make_user):
    from learnward.learning.services import lesson_mark_complete
    from tests.catalog.factories import make_course

    course = make_course(modules=1, lessons_per_module=1, questions=0)
    package = package_import(
        actor=author,
        upload=upload(samples.scorm12_package(status="completed")),
        module=course.modules.get(),
        counts_as_assessment=True,
    )
    learner = make_user()
    enrolment_create(user=learner, course=course)
    lesson_mark_complete(user=learner, lesson=course.modules.get().lessons.first())
    client.force_login(learner)
    token = frame_src(client, package).split("/")[3]
    commit(client, token, {"core": {"lesson_status": "completed"}})
    # Completed but not passed: every lesson is done, the assessment (the pass) is not.
    assert ActivityEvent.objects.filter(lesson=package.lesson, kind="completed").exists()
    assert not Completion.objects.exists()
    commit(client, token, {"core": {"lesson_status": "passed"}})
    assert Completion.objects.filter(enrolment__user=learner).exists()


def test_attempt_token_of_another_package_is_refused(client, learner, package, author, module):
    other = package_import(actor=author, upload=upload(samples.scorm12_package()), module=module)
    client.force_login(learner)
    token = frame_src(client, package).split("/")[3]
    launch = launch_from_token(token)
    mixed = launch_token(package_id=other.pk, attempt_id=launch.attempt_id)
    src = reverse("packages:content", args=[mixed, "index.html"])
    assert client.get(src).status_code == 404


def test_separate_origin_serves_the_content(client, learner, package, settings):
    settings.PACKAGES_ORIGIN = "https://packages.example.test"
    settings.ALLOWED_HOSTS = ["testserver", "packages.example.test"]
    client.force_login(learner)
    src = frame_src(client, package)
    assert src.startswith("https://packages.example.test/packages/content/")
    path = src.removeprefix("https://packages.example.test")
    assert client.get(path).status_code == 404  # never on the site's own host
    response = client.get(path, HTTP_HOST="packages.example.test", secure=True)
    assert response.status_code == 200
    assert "sandbox allow-scripts allow-forms" in response["Content-Security-Policy"]


def test_deleting_the_lesson_removes_the_files(
    learner, package, django_capture_on_commit_callbacks
):
    import os

    from django.conf import settings

    folder = os.path.join(settings.MEDIA_ROOT, "packages", str(package.key))
    assert os.listdir(folder)
    with django_capture_on_commit_callbacks(execute=True):
        package.lesson.delete()
    assert not any(files for _, _, files in os.walk(folder))
