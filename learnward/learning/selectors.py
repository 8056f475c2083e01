"""Reading enrolments and progress. Progress is derived from lesson-completed events.

Progress counts the current cycle only: after a renewal starts a new cycle on an enrolment
(``Enrolment.cycle_started_at``), lessons completed before it no longer count.

Every function that returns someone's data takes the acting user; a tutor reaches only learners
in courses they tutor, anything else is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from learnward.catalog.models import Course, Lesson, Module
from learnward.catalog.selectors import Outline
from learnward.core.access import staff_powers

from .extensions import Section, tutor_learner_columns, tutor_learner_sections
from .models import (
    CURRENT_COMPLETION,
    ActivityEvent,
    Completion,
    Enrolment,
    RegistrationDetails,
    with_current_completion,
)


@dataclass(frozen=True)
class Progress:
    total: int
    completed: int
    completed_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def all_done(self) -> bool:
        return self.completed >= self.total


def enrolment_for(*, user, course: Course) -> Enrolment | None:
    """The learner's own enrolment on ``course`` (active or left), with the current cycle's
    completion (``enrolment.completion``, None while the cycle is in progress)."""
    if not user.is_authenticated:
        return None
    return with_current_completion(Enrolment.objects.filter(user=user, course=course)).first()


def enrolment_active(*, user, course: Course) -> Enrolment | None:
    enrolment = enrolment_for(user=user, course=course)
    return enrolment if enrolment is not None and enrolment.active else None


def in_current_cycle(*, user=None, course=None) -> Q:
    """Events on or after the start of the learner's current cycle on the event's course.

    Every event counts in a first cycle (no start recorded, or no enrolment). Given ``user`` and
    ``course``, the database looks the start up once instead of once per event.
    """
    started = Enrolment.objects.filter(
        user=user if user is not None else OuterRef("user_id"),
        course=course if course is not None else OuterRef("course_id"),
    ).values("cycle_started_at")[:1]
    return Q(occurred_at__gte=Coalesce(Subquery(started), F("occurred_at")))


def _completed_events(*, user, course_ids, since=None) -> QuerySet[ActivityEvent]:
    # Only lessons still in the course count (a lesson moved to another course stops counting).
    events = ActivityEvent.objects.filter(
        user=user,
        course_id__in=course_ids,
        kind=ActivityEvent.Kind.COMPLETED,
        lesson__module__course_id=F("course_id"),
    )
    return events.filter(occurred_at__gte=since) if since is not None else events


def completed_lesson_ids(*, user, course: Course) -> frozenset[int]:
    """Lessons of ``course`` the learner completed in the current cycle (callers intersect with
    the outline)."""
    ids = (
        ActivityEvent.objects.filter(user=user, course=course, kind=ActivityEvent.Kind.COMPLETED)
        .filter(in_current_cycle(user=user, course=course))
        .values_list("lesson_id", flat=True)
    )
    return frozenset(ids)


def course_progress(*, user, course: Course, outline: Outline) -> Progress:
    done = completed_lesson_ids(user=user, course=course) if user.is_authenticated else frozenset()
    lesson_ids = {lesson.pk for lesson in outline.lessons}
    done = frozenset(done & lesson_ids)
    return Progress(total=len(lesson_ids), completed=len(done), completed_ids=done)


def next_lesson_for(*, user, course: Course, outline: Outline) -> Lesson | None:
    """The first lesson of the outline the learner has not completed in the current cycle."""
    done = course_progress(user=user, course=course, outline=outline).completed_ids
    return next((lesson for lesson in outline.lessons if lesson.pk not in done), None)


def course_lessons_remaining(*, enrolment: Enrolment) -> int:
    """Lessons of the enrolment's course not yet completed in its current cycle."""
    live = Lesson.objects.live().filter(module__course_id=enrolment.course_id)
    total = live.count()
    done = (
        _completed_events(
            user=enrolment.user_id,
            course_ids=[enrolment.course_id],
            since=enrolment.cycle_started_at,
        )
        .filter(lesson__in=live)
        .values("lesson_id")
        .distinct()
        .count()
    )
    return max(total - done, 0)


# --- Dashboard --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardEntry:
    enrolment: Enrolment
    course: Course
    progress: Progress
    completion: Completion | None
    # When the learner last viewed or completed one of the course's lessons (any cycle).
    last_active_at: datetime | None = None

    @property
    def last_touched(self) -> datetime:
        """The latest of the last activity and the enrolment (re-enrolling counts)."""
        times = [t for t in (self.last_active_at, self.enrolment.enrolled_at) if t is not None]
        return max(times)


@dataclass(frozen=True)
class Dashboard:
    in_progress: list[DashboardEntry]
    completed: list[DashboardEntry]

    @property
    def resume(self) -> DashboardEntry | None:
        """ "Continue where you left off": the course in progress the learner was most recently
        active on (an enrolment with no activity yet counts from when they enrolled)."""
        if not self.in_progress:
            return None
        return max(self.in_progress, key=lambda e: (e.last_touched, e.enrolment.pk))


def _lesson_totals(course_ids) -> dict[int, int]:
    rows = (
        Lesson.objects.live()
        .filter(module__course_id__in=course_ids)
        .values("module__course_id")
        .annotate(n=Count("id"))
    )
    return {row["module__course_id"]: row["n"] for row in rows}


# Per-enrolment lesson totals and completed counts as correlated subqueries in the enrolment
# query. Written as SQL (table names from the models) because Django takes several times longer
# to build and compile the equivalent Subquery expressions than the database takes to run them;
# bench/course_page.py measures it.
_LESSON_TOTAL_SQL = (
    f"SELECT COUNT(*) FROM {Lesson._meta.db_table} l "  # noqa: S608 - model table names only
    f"JOIN {Module._meta.db_table} m ON l.module_id = m.id "
    f"WHERE m.course_id = {Enrolment._meta.db_table}.course_id AND l.retired_at IS NULL"
)
_LESSONS_DONE_SQL = (
    f"SELECT COUNT(DISTINCT ev.lesson_id) FROM {ActivityEvent._meta.db_table} ev "  # noqa: S608
    f"JOIN {Lesson._meta.db_table} l ON l.id = ev.lesson_id "
    f"JOIN {Module._meta.db_table} m ON m.id = l.module_id AND m.course_id = ev.course_id "
    f"WHERE l.retired_at IS NULL AND ev.user_id = {Enrolment._meta.db_table}.user_id "
    f"AND ev.course_id = {Enrolment._meta.db_table}.course_id AND ev.kind = %s "
    # The current cycle only (a renewal starts counting again).
    f"AND ({Enrolment._meta.db_table}.cycle_started_at IS NULL "
    f"OR ev.occurred_at >= {Enrolment._meta.db_table}.cycle_started_at)"
)


def dashboard_for(*, user) -> Dashboard:
    """The learner's own courses: in progress (with progress) and completed. One query.

    A course being renewed (a new cycle under way) is in progress until the cycle completes.
    """
    last_active = (
        ActivityEvent.objects.filter(user_id=OuterRef("user_id"), course_id=OuterRef("course_id"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    enrolments = (
        with_current_completion(Enrolment.objects.filter(user=user))
        .select_related("course", "course__image")
        .annotate(
            last_active_at=Subquery(last_active),
            lesson_total=RawSQL(_LESSON_TOTAL_SQL, ()),  # noqa: S611 - constant SQL
            lessons_done=RawSQL(  # noqa: S611 - constant SQL, the kind is a parameter
                _LESSONS_DONE_SQL, (ActivityEvent.Kind.COMPLETED.value,)
            ),
        )
        .order_by("-enrolled_at")
    )
    in_progress, completed = [], []
    for enrolment in enrolments:
        completion = enrolment.completion
        total = enrolment.lesson_total
        progress = Progress(total=total, completed=min(enrolment.lessons_done, total))
        entry = DashboardEntry(
            enrolment, enrolment.course, progress, completion, enrolment.last_active_at
        )
        if completion is not None:
            completed.append(entry)
        elif enrolment.active:
            in_progress.append(entry)
    completed.sort(key=lambda e: e.completion.completed_at, reverse=True)
    return Dashboard(in_progress=in_progress, completed=completed)


# --- Tutors -------------------------------------------------------------------------------------


TUTOR_PERMISSION = "learning.tutor_learners"


def is_tutor(user) -> bool:
    """Whether ``user`` may use the tutor pages: staff with the Tutor role's permission, in a
    session that passed two-factor (``core.access.staff_powers``). What they then see is limited
    to the courses they are assigned to."""
    return staff_powers(user, TUTOR_PERMISSION)


def tutor_courses(*, actor) -> QuerySet[Course]:
    if not is_tutor(actor):
        return Course.objects.none()
    return Course.objects.filter(tutors=actor).order_by("title")


def tutor_course_get(*, actor, slug: str) -> Course:
    course = tutor_courses(actor=actor).filter(slug=slug).first()
    if course is None:
        raise Http404("No such course")
    return course


@dataclass(frozen=True)
class LearnerRow:
    enrolment: Enrolment
    progress: Progress
    completion: Completion | None
    # Other apps' columns for this learner (their results), see extensions.LearnerColumns.
    cells: tuple[Section, ...] = ()
    # What another app says of a learner who has not completed yet ("Passed"), or "".
    status: str = ""
    # When they last viewed or completed a lesson of the course in this cycle (None: never).
    last_active_at: datetime | None = None
    at_risk: bool = False


def at_risk_days() -> int:
    """Days without progress after which a learner is "at risk" (``LEARNWARD_AT_RISK_DAYS``)."""
    return settings.AT_RISK_DAYS


# The tutor's table sorts by these (the query parameter ``sort``; a leading "-" reverses).
TUTOR_SORTS = {
    "name": ("user__display_name",),
    "progress": ("lessons_done",),
    "active": ("progress_since",),
    "enrolled": ("enrolled_at",),
}
TUTOR_DEFAULT_SORT = "name"


def _tutor_annotations(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Per enrolment: ``lessons_done`` (this cycle), ``last_active_at`` (the latest lesson viewed
    or completed in this cycle), ``progress_since`` (that, else when the cycle started or they
    enrolled) and ``at_risk`` (1 when an active, not completed enrolment has made no progress for
    :func:`at_risk_days` days or more). Correlated subqueries, one query for the page."""
    last = (
        ActivityEvent.objects.filter(user_id=OuterRef("user_id"), course_id=OuterRef("course_id"))
        .filter(occurred_at__gte=Coalesce(OuterRef("cycle_started_at"), F("occurred_at")))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return queryset.annotate(
        lessons_done=RawSQL(  # noqa: S611 - constant SQL, the kind is a parameter
            _LESSONS_DONE_SQL, (ActivityEvent.Kind.COMPLETED.value,)
        ),
        last_active_at=Subquery(last, output_field=DateTimeField()),
    ).annotate(
        progress_since=Coalesce(
            "last_active_at", "cycle_started_at", "enrolled_at", output_field=DateTimeField()
        ),
        at_risk=Case(
            When(
                Q(left_at__isnull=True)
                & Q(**{f"{CURRENT_COMPLETION}__isnull": True})
                & Q(progress_since__lte=timezone.now() - timedelta(days=at_risk_days())),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def tutor_course_learners(
    *, actor, course: Course, enrolments: list[Enrolment]
) -> list[LearnerRow]:
    """Progress and results for a page of ``enrolments`` (from :func:`tutor_course_enrolments`)
    on a course ``actor`` tutors."""
    tutor_course_get(actor=actor, slug=course.slug)
    user_ids = [e.user_id for e in enrolments]
    total = _lesson_totals([course.pk]).get(course.pk, 0)
    columns = tutor_learner_columns(actor=actor, course=course, user_ids=user_ids)
    rows = []
    for enrolment in enrolments:
        cells = tuple(column.cells_for(enrolment.user_id) for column in columns)
        rows.append(
            LearnerRow(
                enrolment=enrolment,
                progress=Progress(total=total, completed=min(enrolment.lessons_done, total)),
                completion=enrolment.completion,
                cells=cells,
                status=next((c.context["status"] for c in cells if c.context.get("status")), ""),
                last_active_at=enrolment.last_active_at,
                at_risk=bool(enrolment.at_risk),
            )
        )
    return rows


def tutor_course_enrolments(
    *,
    actor,
    course: Course,
    search: str = "",
    sort: str = TUTOR_DEFAULT_SORT,
    at_risk_only: bool = False,
) -> QuerySet[Enrolment]:
    """The learners on a course ``actor`` tutors (else a 404): names containing ``search``
    (any case), only those at risk if asked, sorted by ``sort`` (a key of :data:`TUTOR_SORTS`,
    "-" first for descending; anything else sorts by name). Ties keep a stable order."""
    tutor_course_get(actor=actor, slug=course.slug)
    queryset = _tutor_annotations(
        with_current_completion(Enrolment.objects.filter(course=course)).select_related("user")
    )
    search = search.strip()
    if search:
        queryset = queryset.filter(user__display_name__icontains=search)
    if at_risk_only:
        queryset = queryset.filter(at_risk=1)
    key = sort.removeprefix("-")
    fields = TUTOR_SORTS.get(key, TUTOR_SORTS[TUTOR_DEFAULT_SORT])
    descending = sort.startswith("-") and key in TUTOR_SORTS
    order = [
        F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_first=True) for f in fields
    ]
    return queryset.order_by(*order, "user__display_name", "id")


def tutor_enrolment_get(*, actor, slug: str, enrolment_id: int) -> Enrolment:
    """One learner's enrolment on a course ``actor`` tutors (with its course and user); anything
    else, another course's learner included, is a 404."""
    course = tutor_course_get(actor=actor, slug=slug)
    enrolment = (
        Enrolment.objects.select_related("user", "course")
        .filter(pk=enrolment_id, course=course)
        .first()
    )
    if enrolment is None:
        raise Http404("No such learner on this course")
    return enrolment


@dataclass(frozen=True)
class LessonActivity:
    lesson: Lesson
    completed_at: datetime | None
    last_viewed_at: datetime | None
    views: int


@dataclass(frozen=True)
class LearnerDetail:
    enrolment: Enrolment
    lessons_by_module: list[tuple[object, list[LessonActivity]]]
    progress: Progress
    registration: RegistrationDetails | None
    registration_visible: bool


def tutor_learner_detail(
    *, actor, course: Course, enrolment_id: int, outline: Outline
) -> LearnerDetail:
    """One learner's lesson-by-lesson activity on a course ``actor`` tutors; else a 404.

    Awarding-body registration details are included only when the course lets its tutors see
    them (off by default).
    """
    tutor_course_get(actor=actor, slug=course.slug)
    enrolment = (
        with_current_completion(Enrolment.objects.filter(pk=enrolment_id, course=course))
        .select_related("user")
        .first()
    )
    if enrolment is None:
        raise Http404("No such learner on this course")
    events = ActivityEvent.objects.filter(user_id=enrolment.user_id, course=course)
    if enrolment.cycle_started_at is not None:  # a renewal: this cycle's activity
        events = events.filter(occurred_at__gte=enrolment.cycle_started_at)
    rows = events.values("lesson_id", "kind").annotate(last=Max("occurred_at"), n=Count("id"))
    viewed: dict[int, tuple[datetime, int]] = {}
    completed: dict[int, datetime] = {}
    for row in rows:
        if row["kind"] == ActivityEvent.Kind.COMPLETED:
            completed[row["lesson_id"]] = row["last"]
        else:
            viewed[row["lesson_id"]] = (row["last"], row["n"])
    modules = []
    for module in outline.modules:
        items = [
            LessonActivity(
                lesson=lesson,
                completed_at=completed.get(lesson.pk),
                last_viewed_at=viewed.get(lesson.pk, (None, 0))[0],
                views=viewed.get(lesson.pk, (None, 0))[1],
            )
            for lesson in module.lesson_list
        ]
        modules.append((module, items))
    done = frozenset(completed) & {lesson.pk for lesson in outline.lessons}
    registration = None
    if course.tutors_see_registration:
        registration = RegistrationDetails.objects.filter(enrolment=enrolment).first()
    return LearnerDetail(
        enrolment=enrolment,
        lessons_by_module=modules,
        progress=Progress(total=outline.lesson_count, completed=len(done), completed_ids=done),
        registration=registration,
        registration_visible=course.tutors_see_registration,
    )


def tutor_learner_page_sections(*, actor, course: Course, enrolment: Enrolment) -> list[Section]:
    """What other apps show on a learner's tutor page (their attempts...), for a tutor of
    ``course`` and a learner on it; else a 404. The apps' sections trust this check."""
    tutor_course_get(actor=actor, slug=course.slug)
    if enrolment.course_id != course.pk:
        raise Http404("No such learner on this course")
    return tutor_learner_sections(actor=actor, course=course, enrolment=enrolment)
