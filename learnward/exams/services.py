"""Writes: creating a sitting, entering marks (by hand or from a CSV), moderating them, setting
the release time, and recording the completions a release leads to. Each top-level service runs
in one durable transaction and audits.

Audit entries never carry marks: the audit trail outlives the two years the marks are kept, so
an entry says only which sitting, and whether moderation changed anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.core.i18n import use_language
from learnward.notifications.services import notify

from . import selectors
from .models import ExamResult, ExamSitting

NOTE_MAX = 500
TITLE_MAX = 200


class ExamError(ApplicationError, ValueError):
    """A request the rules do not allow; the message is fit to show the teacher."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def parse_marks(value: Any, *, sitting: ExamSitting) -> Decimal:
    """``value`` as marks for ``sitting``: a number from 0 to its maximum, at most two decimal
    places; anything else is refused with what to type."""
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not text:
        raise ExamError(_("Enter the marks."), field="marks")
    try:
        marks = Decimal(text)
    except InvalidOperation:
        raise ExamError(_("Enter the marks as a number, like 42 or 42.5."), field="marks") from None
    if not marks.is_finite():
        raise ExamError(_("Enter the marks as a number, like 42 or 42.5."), field="marks")
    if marks < 0 or marks > sitting.max_marks:
        raise ExamError(
            _("Marks must be from 0 to %(max)s.")
            % {"max": formats.localize(Decimal(f"{sitting.max_marks.normalize():f}"))},
            field="marks",
        )
    if marks != marks.quantize(Decimal("0.01")):
        raise ExamError(_("Marks can have at most two decimal places."), field="marks")
    return marks.quantize(Decimal("0.01"))


def _clean_note(note: str) -> str:
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise ExamError(
            _("Keep the note to %(max)s characters or fewer.") % {"max": NOTE_MAX}, field="note"
        )
    return note


def _may_teach(actor: Any, sitting: ExamSitting) -> None:
    """A teacher of the sitting, or an exam manager; anyone else is refused as if it did not
    exist (the selector's 404 for pages)."""
    selectors.sitting_for_teacher(actor=actor, pk=sitting.pk)
    if not (selectors.can_manage(actor) or sitting.teachers.filter(pk=actor.pk).exists()):
        raise ExamError(_("Only the sitting's teachers can enter its marks."))


def _not_released(sitting: ExamSitting) -> None:
    if sitting.released():
        raise ExamError(_("The results are released; they can no longer change."))


# --- sittings ---------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def exam_sitting_create(
    *,
    actor: Any,
    course: Any,
    title: str,
    held_on: date,
    max_marks: Decimal | int | str,
    pass_marks: Decimal | int | str,
    teachers: list,
    moderator: Any = None,
    session: Any = None,
    results_release_at: datetime | None = None,
) -> ExamSitting:
    """Create a sitting of ``course`` (or of its ``session``) taught by ``teachers``. Only exam
    managers may."""
    if not selectors.can_manage(actor):
        raise ExamError(_("Only staff who manage exams can create a sitting."))
    title = " ".join((title or "").split())
    if not title or len(title) > TITLE_MAX:
        raise ExamError(
            _("Give the sitting a title of 1 to %(max)s characters.") % {"max": TITLE_MAX},
            field="title",
        )
    try:
        max_marks, pass_marks = Decimal(str(max_marks)), Decimal(str(pass_marks))
    except InvalidOperation:
        raise ExamError(_("Enter the marks as numbers.")) from None
    if max_marks <= 0:
        raise ExamError(_("The maximum marks must be more than 0."), field="max_marks")
    if not 0 <= pass_marks <= max_marks:
        raise ExamError(_("The marks to pass must be from 0 to the maximum."), field="pass_marks")
    if session is not None and session.course_id != course.pk:
        raise ExamError(_("The session must be one of the course's sessions."), field="session")
    if not teachers:
        raise ExamError(_("Choose at least one teacher."), field="teachers")
    if moderator is not None and {t.pk for t in teachers} == {moderator.pk}:
        raise ExamError(
            _("The moderator must be a second teacher, not the only one."), field="moderator"
        )
    sitting = ExamSitting.objects.create(
        course=course,
        session=session,
        title=title,
        held_on=held_on,
        max_marks=max_marks,
        pass_marks=pass_marks,
        moderator=moderator,
        results_release_at=results_release_at,
    )
    sitting.teachers.set(teachers)
    audit_record(
        action=Action.EXAM_SITTING_CREATED,
        actor=actor,
        target=sitting,
        payload={"course_id": course.pk, "teachers": sorted(t.pk for t in teachers)},
    )
    return sitting


# --- marks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One learner's marks as typed or read from a CSV row."""

    user: Any
    marks: Decimal
    note: str = ""


def _enter(*, actor: Any, sitting: ExamSitting, entries: list[Entry], via: str) -> list[ExamResult]:
    candidates = {u.pk for u in selectors.sitting_candidates(sitting=sitting)}
    seen: set[int] = set()
    for entry in entries:
        if entry.user.pk not in candidates:
            raise ExamError(_("Marks can only be entered for learners on the course."))
        if entry.user.pk in seen:
            raise ExamError(_("Each learner can have one result."))
        seen.add(entry.user.pk)
        parse_marks(entry.marks, sitting=sitting)
        _clean_note(entry.note)
    now = timezone.now()
    existing = {
        r.user_id: r for r in ExamResult.objects.select_for_update().filter(sitting=sitting)
    }
    saved = []
    for entry in entries:
        marks = parse_marks(entry.marks, sitting=sitting)
        note = _clean_note(entry.note)
        passed = marks >= sitting.pass_marks
        result = existing.get(entry.user.pk)
        if result is not None and (result.marks, result.note) == (marks, note):
            continue  # nothing changed: no write, no audit entry
        if result is None:
            result = ExamResult(sitting=sitting, user=entry.user)
        result.marks, result.passed, result.note = marks, passed, note
        result.entered_by, result.entered_at = actor, now
        # Changed marks need moderating again.
        result.moderated_by, result.moderated_at = None, None
        result.save()
        audit_record(
            action=Action.EXAM_RESULT_ENTERED,
            actor=actor,
            subject=entry.user,
            target=result,
            payload={"sitting_id": sitting.pk, "via": via},
        )
        saved.append(result)
    return saved


@transaction.atomic(durable=True)
def exam_results_enter(
    *, actor: Any, sitting: ExamSitting, entries: list[Entry], via: str = "form"
) -> list[ExamResult]:
    """Enter (or correct) marks for the sitting's learners, all or none: one bad entry refuses
    the lot. ``passed`` follows from the sitting's pass mark. Refused once released. One audit
    entry per learner whose result changed."""
    sitting = ExamSitting.objects.select_for_update().get(pk=sitting.pk)
    _may_teach(actor, sitting)
    _not_released(sitting)
    return _enter(actor=actor, sitting=sitting, entries=entries, via=via)


@transaction.atomic(durable=True)
def exam_results_enter_from_csv(
    *, actor: Any, sitting: ExamSitting, rows: list[tuple[int, dict]], expected: int
) -> list[ExamResult]:
    """Enter the marks of a checked CSV (see :mod:`.marks_csv`), all rows or none: any row with
    a problem now, or a different number of rows than the preview showed, refuses the lot."""
    from .marks_csv import check_rows

    sitting = ExamSitting.objects.select_for_update().get(pk=sitting.pk)
    _may_teach(actor, sitting)
    _not_released(sitting)
    checks = check_rows(rows, sitting=sitting)
    bad = [c for c in checks if not c.ok]
    if bad:
        raise ExamError(
            ngettext(
                "%(count)s row cannot be imported; nothing was imported. Correct the file and "
                "upload it again.",
                "%(count)s rows cannot be imported; nothing was imported. Correct the file and "
                "upload it again.",
                len(bad),
            )
            % {"count": len(bad)}
        )
    if len(checks) != expected:
        raise ExamError(_("The file changed since the preview; nothing was imported."))
    entries = [Entry(user=c.user, marks=c.marks, note=c.note) for c in checks]
    return _enter(actor=actor, sitting=sitting, entries=entries, via="csv")


@transaction.atomic(durable=True)
def exam_result_moderate(
    *, actor: Any, result: ExamResult, marks: Decimal | str, note: str | None = None
) -> ExamResult:
    """The sitting's moderator (or an exam manager) confirms a result, or changes its marks.

    The moderator is a second teacher: they cannot moderate marks they entered themselves.
    Refused once released. The audit entry says whether the marks changed, not what they were."""
    result = ExamResult.objects.select_for_update().select_related("sitting").get(pk=result.pk)
    sitting = result.sitting
    selectors.sitting_for_teacher(actor=actor, pk=sitting.pk)
    if not (sitting.moderator_id == actor.pk or selectors.can_manage(actor)):
        raise ExamError(_("Only the sitting's moderator can moderate its marks."))
    if result.entered_by_id == actor.pk:
        raise ExamError(_("A second teacher moderates: you entered these marks yourself."))
    _not_released(sitting)
    new_marks = parse_marks(marks, sitting=sitting)
    new_note = result.note if note is None else _clean_note(note)
    changed = (new_marks, new_note) != (result.marks, result.note)
    result.marks, result.note = new_marks, new_note
    result.passed = new_marks >= sitting.pass_marks
    result.moderated_by, result.moderated_at = actor, timezone.now()
    result.save()
    audit_record(
        action=Action.EXAM_RESULT_MODERATED,
        actor=actor,
        subject=result.user,
        target=result,
        payload={"sitting_id": sitting.pk, "changed": changed},
    )
    return result


# --- release ----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def exam_release_schedule(*, actor: Any, sitting: ExamSitting, release_at: datetime) -> ExamSitting:
    """Set when learners see their results. When the sitting has a moderator, every result must
    be moderated first. A release time in the past releases now: the passing learners'
    completions (and certificates) are recorded at once; a later one is recorded by the task
    queued for that moment, or the daily ``exams_release`` job at the latest."""
    sitting = ExamSitting.objects.select_for_update().get(pk=sitting.pk)
    _may_teach(actor, sitting)
    _not_released(sitting)
    results = ExamResult.objects.filter(sitting=sitting)
    if not results.exists():
        raise ExamError(_("Enter the marks before releasing the results."))
    if sitting.moderator_id is not None:
        waiting = results.filter(moderated_at__isnull=True).count()
        if waiting:
            raise ExamError(
                ngettext(
                    "%(count)s result still waits for the moderator.",
                    "%(count)s results still wait for the moderator.",
                    waiting,
                )
                % {"count": waiting}
            )
    now = timezone.now()
    sitting.results_release_at = now if release_at <= now else release_at
    sitting.save(update_fields=["results_release_at"])
    audit_record(
        action=Action.EXAM_RELEASE_SCHEDULED,
        actor=actor,
        target=sitting,
        payload={"release_at": sitting.results_release_at.isoformat()},
    )
    if sitting.results_release_at <= now:
        _record_completions(sitting)
    else:
        from .tasks import schedule_release

        at, pk = sitting.results_release_at, sitting.pk
        transaction.on_commit(lambda: schedule_release(sitting_id=pk, at=at))
    return sitting


def _record_completions(sitting: ExamSitting) -> int:
    """Record the completion of every passing learner whose course is now complete (the
    certificate follows through learning's completion followers). Returns how many."""
    from learnward.learning.selectors import enrolment_active
    from learnward.learning.services import completion_record_if_complete

    # Every learner with a result is told it is out (never the marks: they are on the page).
    for result in ExamResult.objects.filter(sitting=sitting).select_related("user"):
        with use_language(result.user.language):  # stored as written: in their language
            notify(
                user=result.user,
                kind="marking_done",
                title=_("Your result for %(exam)s is out") % {"exam": sitting.title},
                url=reverse("exams:my_results"),
            )
    completed = 0
    passing = ExamResult.objects.filter(sitting=sitting, passed=True).select_related("user")
    for result in passing:
        enrolment = enrolment_active(user=result.user, course=sitting.course)
        if enrolment is not None and completion_record_if_complete(enrolment=enrolment):
            completed += 1
    sitting.released_processed_at = timezone.now()
    sitting.save(update_fields=["released_processed_at"])
    audit_record(
        action=Action.EXAM_RESULTS_RELEASED,
        actor=None,
        target=sitting,
        payload={"results": passing.count(), "completions": completed},
    )
    return completed


def exam_results_release_due(*, now: datetime | None = None) -> int:
    """For each sitting whose release time has come and whose completions are not recorded yet,
    record them (one transaction per sitting; safe to run again). Returns the sittings done."""
    now = now or timezone.now()
    done = 0
    due = ExamSitting.objects.filter(
        results_release_at__lte=now, released_processed_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic(durable=True):
            sitting = (
                ExamSitting.objects.select_for_update()
                .filter(pk=pk, released_processed_at__isnull=True)
                .first()
            )
            if sitting is not None:
                _record_completions(sitting)
                done += 1
    return done
