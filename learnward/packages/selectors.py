"""Reads for packages. Learners reach their own attempts only through a launch token (see
tokens.py) or their own lesson page; authors see packages, which hold no learner data."""

from __future__ import annotations

from django.db.models import QuerySet

from learnward.catalog.models import Course, Lesson
from learnward.learning.models import Enrolment

from .models import ContentPackage, PackageAttempt

ADD_PACKAGE = "packages.add_contentpackage"


def package_for_lesson(*, lesson: Lesson) -> ContentPackage | None:
    try:
        return lesson.package
    except ContentPackage.DoesNotExist:
        return None


def packages_list(*, actor) -> QuerySet[ContentPackage]:
    """Every package lesson, for authors (staff pages check ``ADD_PACKAGE``)."""
    return ContentPackage.objects.select_related("lesson__module__course").order_by("-uploaded_at")


def assessment_packages(*, course: Course) -> list[ContentPackage]:
    return list(
        ContentPackage.objects.filter(
            lesson__module__course=course, counts_as_assessment=True
        ).select_related("lesson")
    )


def package_passed(*, user, course: Course, cycle: int | None = None) -> bool:
    """Whether ``user`` passed every package of ``course`` that stands as its assessment, in
    ``cycle`` (by default the current one); a course without one needs no pass."""
    packages = assessment_packages(course=course)
    if not packages:
        return True
    if cycle is None:
        cycle = (
            Enrolment.objects.filter(user=user, course=course)
            .values_list("cycle", flat=True)
            .first()
            or 1
        )
    passed = set(
        PackageAttempt.objects.filter(
            user=user, package__in=packages, cycle=cycle, passed_at__isnull=False
        ).values_list("package_id", flat=True)
    )
    return all(package.pk in passed for package in packages)


def attempt_latest(*, user, package: ContentPackage) -> PackageAttempt | None:
    """The acting learner's own latest attempt at ``package``."""
    return (
        PackageAttempt.objects.filter(package=package, user_id=getattr(user, "pk", None))
        .order_by("-number")
        .first()
    )
