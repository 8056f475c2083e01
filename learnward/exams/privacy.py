"""The exams app's privacy declarations.

Exam marks are assessment results (``user.assessment.results``), kept for two years after the
exam (Coursle's rule; ``LEARNWARD_RETENTION_EXAM_MARKS_MONTHS``, 24 by default), then destroyed
by the retention run: the marks and the teacher's note are cleared. Whether the learner passed
stays, as the limited record behind their course completion and certificate (which have their
own rules); erasing the learner deletes their results altogether. The platform keeps no exam
scripts: scripts stay with the teacher, on paper or in the provider's own files.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.purposes import register_recipients
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import ExamResult, ExamSitting
from .selectors import teacher_recipients

RESULTS = "user.assessment.results"
MARKS_MONTHS = 24
MARKS_SETTING = "LEARNWARD_RETENTION_EXAM_MARKS_MONTHS"
# What the retention run destroys after two years; ``passed`` and the links stay.
DESTROYED_FIELDS = ("marks", "note")

declare(
    ExamSitting,
    subject="moderator",
    fields={
        **{
            name: NOT_PERSONAL
            for name in (
                "id",
                "course",
                "session",
                "title",
                "held_on",
                "max_marks",
                "pass_marks",
                # Who teaches a sitting is held in the through table, declared below.
                "teachers",
                "results_release_at",
                "released_processed_at",
                "created_at",
            )
        },
        "moderator": "user.unique_id",
    },
    purposes=["assessment"],
    erasure=Erasure.anonymise(
        "moderator", reason=_("The exam sitting stays for its learners; your name is removed.")
    ),
    retention_note=_("While you moderate the exam sitting."),
    source=_("An administrator, when they name you the moderator of an exam sitting"),
    label=_("Exam sittings you moderate"),
)
declare(
    ExamSitting.teachers.through,
    subject="user",
    fields={"id": NOT_PERSONAL, "examsitting": "user.account.role", "user": "user.unique_id"},
    purposes=["assessment"],
    erasure=Erasure.delete(),
    retention_note=_("While you are a teacher of the exam sitting."),
    source=_("An administrator, when they make you a teacher of an exam sitting"),
    label=_("Exam sittings you teach"),
)
declare(
    ExamResult,
    subject="user",
    fields={
        "id": NOT_PERSONAL,
        "sitting": RESULTS,
        "user": "user.unique_id",
        "marks": RESULTS,
        "passed": RESULTS,
        "note": RESULTS,
        # The teachers who entered and moderated the marks: part of the learner's result.
        "entered_by": RESULTS,
        "entered_at": RESULTS,
        "moderated_by": RESULTS,
        "moderated_at": RESULTS,
    },
    purposes=["assessment", "certification"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=format_lazy(
            _(
                "Your marks and your teacher's note: 2 years after the exam, then destroyed "
                "({setting}). Whether you passed is kept as the limited record behind your "
                "course completion and certificate"
            ),
            setting=MARKS_SETTING,
        ),
        anchor="sitting__held_on",
        months=MARKS_MONTHS,
        minimum_months=12,
        action=RetentionAction.ANONYMISE,
        fields=DESTROYED_FIELDS,
        setting=MARKS_SETTING,
    ),
    source=_("Your teacher, when they enter the marks of an exam they held"),
    label=_("Your exam results"),
)

# The teachers who hold an exam (freelance teachers too) receive its marks: assessment data.
register_recipients("assessment", teacher_recipients)
