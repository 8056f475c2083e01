from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, declare
from learnward.privacy.registry.purposes import register_recipients
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import AwardingBody, Course, CourseVersion, Lesson, MediaItem, Module
from .selectors import awarding_body_recipients

# The field that names the person a declaration is about (a field path, not text).
BY_PUBLISHED_BY = "published_by"
BY_UPLOADED_BY = "uploaded_by"
BY_USER = "user"

declare(
    AwardingBody,
    fields={n: NOT_PERSONAL for n in ("id", "name", "purpose", "website")},
)
declare(
    Course,
    fields={
        name: NOT_PERSONAL
        for name in (
            "id",
            "title",
            "slug",
            "summary",
            "description",
            "cpd_hours",
            "course_type",
            "published",
            "pass_mark",
            "certificate_validity_months",
            "renewal_course",
            "max_attempts",
            "entry_requirements",
            "awarding_body",
            "date_of_birth_requirement",
            "home_postcode_requirement",
            "gender_requirement",
            "ethnicity_requirement",
            "disability_requirement",
            # Who tutors a course is held in the through table, declared below.
            "tutors",
            "tutors_see_registration",
            "image",
            "version",
            "certificate_layout",
            "language",
            "accreditation_number",
            "created_at",
            "updated_at",
        )
    },
)
declare(
    Course.tutors.through,
    subject=BY_USER,
    fields={"id": NOT_PERSONAL, "course": "user.account.role", "user": "user.unique_id"},
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention_note=_("While the tutor is assigned to the course."),
    source=_("An administrator or course author, when they assign tutors to a course"),
    label=_("Courses you tutor"),
)
declare(
    Module,
    fields={n: NOT_PERSONAL for n in ("id", "course", "title", "position", "retired_at")},
)
declare(
    Lesson,
    fields={
        n: NOT_PERSONAL
        for n in (
            "id",
            "module",
            "title",
            "position",
            "body_markdown",
            "estimated_minutes",
            "retired_at",
        )
    },
)
declare(
    CourseVersion,
    subject=BY_PUBLISHED_BY,
    fields={
        "id": NOT_PERSONAL,
        "course": "user.account.role",
        "number": NOT_PERSONAL,
        "published_at": "user.account.role",
        "published_by": "user.unique_id",
        "summary": NOT_PERSONAL,
        "snapshot": NOT_PERSONAL,
    },
    purposes=["audit"],
    erasure=Erasure.anonymise(
        "published_by",
        reason=_("The course's version history stays; who published it is forgotten."),
    ),
    retention_note=_("As long as the course."),
    source=_("You, when you publish a course in the studio"),
    label=_("Course versions you published"),
)
declare(
    MediaItem,
    subject=BY_UPLOADED_BY,
    fields={
        **{
            n: NOT_PERSONAL
            for n in (
                "id",
                "course",
                "kind",
                "title",
                "file",
                "content_type",
                "size",
                "sha256",
                "width",
                "height",
                "duration_seconds",
                "alt_text",
                "captions",
                "transcript",
                "embed_url",
                "shows_people",
            )
        },
        "uploaded_by": "user.unique_id",
        "uploaded_at": "user.account.role",
    },
    purposes=["audit"],
    erasure=Erasure.anonymise(
        "uploaded_by", reason=_("The course keeps its media; who uploaded it is forgotten.")
    ),
    retention_note=_("As long as the course uses the item."),
    source=_("You, when you upload to a course's media library in the studio"),
    label=_("Course media you uploaded"),
)


# The awarding bodies named on published courses receive registration details.
register_recipients("awarding_body_registration", awarding_body_recipients)
