"""What packages add to learning, registered in apps.py (see learnward.learning.extensions):
the player in place of a package lesson's body, and the package's pass as a course's assessment
when its author chose so."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from learnward.learning.extensions import LessonBody, NextStep

from . import services
from .models import ContentPackage
from .selectors import assessment_packages, package_for_lesson, package_passed
from .tokens import launch_token


def content_base(request, token: str) -> str:
    """Where the launch's files are: the separate origin when one is configured, otherwise
    this site's sandboxed path."""
    path = reverse("packages:content", args=[token, "x"])[:-1]
    origin = settings.PACKAGES_ORIGIN
    return f"{origin}{path}" if origin else path


def launch_url(request, package: ContentPackage, attempt) -> str:
    token = launch_token(package_id=package.pk, attempt_id=attempt.pk if attempt else None)
    url = content_base(request, token) + package.launch_path
    params = package.launch_parameters
    if package.standard == ContentPackage.Standard.CMI5 and attempt is not None:
        session = services.cmi5_launch_begin(attempt=attempt)
        cmi5 = {
            "endpoint": request.build_absolute_uri(reverse("packages:xapi_root")),
            "fetch": request.build_absolute_uri(
                reverse("packages:cmi5_fetch", args=[token, session])
            ),
            "actor": json.dumps(services.cmi5_actor(attempt), separators=(",", ":")),
            "registration": str(attempt.registration),
            "activityId": package.activity_id,
        }
        params = "&".join(p for p in (params, urlencode(cmi5)) if p)
    return f"{url}?{params}" if params else url


def lesson_body(*, request, course, lesson, enrolled: bool) -> LessonBody | None:
    """A package lesson plays its package (in a sandboxed frame) instead of its text."""
    package = package_for_lesson(lesson=lesson)
    if package is None:
        return None
    attempt = services.attempt_for_launch(user=request.user, package=package) if enrolled else None
    return LessonBody(
        "packages/_player.html",
        {
            "package": package,
            "attempt": attempt,
            "src": launch_url(request, package, attempt),
        },
        learner_marks_complete=False,
    )


def package_assessment_met(*, user, course, cycle: int | None = None) -> bool:
    return package_passed(user=user, course=course, cycle=cycle)


def package_next_step(*, course) -> NextStep | None:
    packages = assessment_packages(course=course)
    if not packages:
        return None
    lesson = packages[0].lesson
    return NextStep(
        url=reverse("learning:lesson", args=[course.slug, lesson.pk]),
        label=_("Pass %(title)s") % {"title": lesson.title},
    )


def package_deleted(sender, instance, **kwargs) -> None:
    """post_delete: remove the package's files once the deletion is committed."""
    key = instance.key
    transaction.on_commit(lambda: services.package_files_delete(key=key))
