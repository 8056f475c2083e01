"""Demo courses for `learnward demo`: three published courses with real content (idempotent).

Safeguarding, GDPR and manual handling training are refreshed regularly, so those courses renew
themselves: the demo learner's GDPR and manual handling certificates can be renewed from their
pages (/certificates/<code>/renew/).

Courses are found again by slug, modules and lessons by position, so a second run changes
nothing. Assessments and the demo learner's progress come from assessments.demo, which runs
after this app and the learning app.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from learnward.accounts.models import User
from learnward.accounts.roles import TUTOR
from learnward.core.links import absolute_url

from .demo_content import DEMO_AWARDING_BODY, DEMO_COURSES, OTHER_LANGUAGE_COURSES
from .models import REGISTRATION_FIELDS, AwardingBody, Course, Lesson, Module


def _awarding_body() -> AwardingBody:
    body, _ = AwardingBody.objects.get_or_create(
        name=DEMO_AWARDING_BODY["name"],
        defaults={
            "purpose": DEMO_AWARDING_BODY["purpose"],
            "website": DEMO_AWARDING_BODY["website"],
        },
    )
    return body


def course_from_spec(spec: dict) -> Course:
    """Create a course with its modules and lessons from a demo_content spec (once)."""
    course = Course.objects.filter(slug=spec["slug"]).first()
    if course is not None:
        return course
    requirements = spec.get("registration", {})
    course = Course.objects.create(
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        description=spec["description"],
        cpd_hours=Decimal(spec["cpd_hours"]),
        course_type=spec["course_type"],
        published=True,
        pass_mark=spec["pass_mark"],
        certificate_validity_months=spec["certificate_validity_months"],
        max_attempts=spec["max_attempts"],
        entry_requirements=spec["entry_requirements"],
        language=spec.get("language", settings.LANGUAGE_CODE),
        awarding_body=_awarding_body() if spec.get("awarding_body") else None,
        **{f"{name}_requirement": requirements.get(name, "") for name in REGISTRATION_FIELDS},
    )
    for m_position, module_spec in enumerate(spec["modules"]):
        module = Module.objects.create(
            course=course, title=module_spec["title"], position=m_position
        )
        Lesson.objects.bulk_create(
            Lesson(
                module=module,
                title=lesson["title"],
                position=l_position,
                body_markdown=lesson["body"],
                estimated_minutes=lesson["minutes"],
            )
            for l_position, lesson in enumerate(module_spec["lessons"])
        )
    return course


# Courses whose certificates are renewed by taking the course again (slug -> route slug).
RENEWAL_ROUTES = {
    "safeguarding-basics": "safeguarding-basics",
    # Manual handling is refreshed every three years; the demo learner's certificate for it is
    # expiring soon (certificates.demo), so it must be renewable online.
    "manual-handling": "manual-handling",
    "gdpr-essentials-for-training-providers": "gdpr-essentials-for-training-providers",
}


def _set_renewal_route(course: Course) -> None:
    route_slug = RENEWAL_ROUTES.get(course.slug)
    if route_slug is None or course.renewal_course_id is not None:
        return  # none in the demo, or already set (perhaps changed by hand): leave it
    course.renewal_course = Course.objects.filter(slug=route_slug).first()
    course.save(update_fields=["renewal_course"])


def load(result: dict) -> None:
    tutors = list(User.objects.filter(groups__name=TUTOR, email__endswith="@learnward.test"))
    # The courses taught in Dutch and French come last: the catalog's language filter.
    for spec in [*DEMO_COURSES, *OTHER_LANGUAGE_COURSES]:
        course = course_from_spec(spec)
        _set_renewal_route(course)
        if tutors:
            course.tutors.add(*tutors)
        result["courses"].append(
            {
                "title": course.title,
                "slug": course.slug,
                "url": absolute_url(course.get_absolute_url()),
            }
        )
