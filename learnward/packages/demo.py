"""A demo package lesson: a small published course made from a SCORM 1.2 package (built by
samples.py, the same builder the tests play, so the demo works offline). Idempotent."""

from __future__ import annotations

from django.core.files.base import ContentFile

from learnward.core.links import absolute_url

from . import samples
from .models import ContentPackage
from .services import package_import

# package_import is a top-level (durable) service: core.demo runs it outside a transaction.
OWN_TRANSACTIONS = True

TITLE = "Fire evacuation drill"
AUTHOR = "author@learnward.test"
BODY = (
    "<p>When the alarm sounds: stop work, leave by the nearest marked exit, close doors behind "
    "you and go to the assembly point. Do not use the lifts.</p>"
    "<p>Write yourself a note below and save it: when you come back, the package shows it "
    "again. When you have read the steps, tell the package you have finished.</p>"
)


def load(result: dict) -> None:
    from learnward.accounts.models import User

    package = ContentPackage.objects.filter(title=TITLE, is_whole_course=True).first()
    if package is None:
        author = User.objects.filter(email=AUTHOR).first()
        data = samples.scorm12_package(title=TITLE, body=BODY)
        package = package_import(
            actor=author, upload=ContentFile(data, name="fire-evacuation-drill.zip")
        )
        course = package.lesson.module.course
        course.summary = "A five-minute SCORM 1.2 package: what to do when the fire alarm sounds."
        course.description = (
            "A short interactive package, played inside Learnward. Your progress in it is saved "
            "as you go, and finishing it completes the course."
        )
        course.cpd_hours = "0.5"
        course.published = True
        course.save()
    course = package.lesson.module.course
    # Not in result["courses"] (the three substantial courses with assessments): its own key.
    result["package_lessons"] = [
        {
            "title": course.title,
            "slug": course.slug,
            "url": absolute_url(course.get_absolute_url()),
            "standard": package.get_standard_display(),
        }
    ]
