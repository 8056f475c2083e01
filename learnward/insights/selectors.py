"""Reads for the provider dashboard: who may see what, and each chart's data, aggregated.

Access: administrators (superusers and the Administrator role) see every course; a tutor sees
the courses they tutor and nothing of any other course; the DPO sees the DPO panel (rights
request deadlines, the retention plan, open breaches) and not the course charts, unless they
also hold one of the other roles. Anyone else, learners included, gets a 404, and so does staff
whose session has not passed two-factor (every role goes through ``core.access.staff_powers``).

Every chart is one or two grouped queries whatever the amount of data, and each count goes
through :mod:`.suppression` before anyone sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.accounts.roles import ADMINISTRATOR
from learnward.assessments.models import Attempt
from learnward.catalog.models import Course
from learnward.certificates.models import Certificate, VerificationTally
from learnward.core.access import staff_powers
from learnward.learning.models import Completion, Enrolment
from learnward.learning.selectors import is_tutor
from learnward.privacy.rights.selectors import is_dpo

from . import suppression
from .periods import Period, month_of, site_timezone
from .suppression import Cell, Kind

EXPIRING_DAYS = 90
DELETED_COURSE = "Course no longer on the site"  # the CSV's row key: not translated
DELETED_COURSE_LABEL = gettext_lazy("Course no longer on the site")


# --- Who sees what -----------------------------------------------------------------------------------


def _administrator_role(user) -> bool:
    return user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()


def is_administrator(user) -> bool:
    return staff_powers(user, _administrator_role)


@dataclass(frozen=True)
class Scope:
    """What one staff member may see on the dashboard. Made only by :func:`insights_scope`."""

    actor_id: int
    all_courses: bool
    tutored: bool
    dpo: bool
    # One course chosen in the filter (see :func:`scope_for_course`), else every course in scope.
    course_id: int | None = None

    @property
    def courses(self) -> bool:
        """Whether the course charts are shown at all."""
        return self.all_courses or self.tutored

    def course_q(self, path: str) -> Q:
        """A filter keeping only rows of courses in scope; ``path`` leads to the course."""
        if not self.courses:
            raise Http404
        chosen = Q(**{path: self.course_id}) if self.course_id is not None else Q()
        if self.all_courses:
            return chosen
        tutored = Course.objects.filter(tutors__pk=self.actor_id).values("pk")
        return Q(**{f"{path}__in": tutored}) & chosen


def insights_scope(*, actor) -> Scope:
    """The actor's view of the dashboard; a 404 for anyone who may not see it, staff in a session
    that has not passed two-factor included (``core.access.staff_powers``)."""
    if not staff_powers(actor):
        raise Http404
    administrator = is_administrator(actor)
    tutored = not administrator and is_tutor(actor)
    dpo = is_dpo(actor)
    if not (administrator or tutored or dpo):
        raise Http404
    return Scope(actor_id=actor.pk, all_courses=administrator, tutored=tutored, dpo=dpo)


def can_view_insights(user) -> bool:
    try:
        insights_scope(actor=user)
    except Http404:
        return False
    return True


def scope_course_choices(*, scope: Scope) -> list[tuple[str, str]]:
    """The courses the filter offers: (slug, title) of every course in scope, by title."""
    if not scope.courses:
        return []
    unfiltered = replace(scope, course_id=None)
    return list(
        Course.objects.filter(unfiltered.course_q("pk"))
        .order_by("title", "pk")
        .values_list("slug", "title")
    )


def scope_for_course(*, scope: Scope, slug: str) -> tuple[Scope, Course | None]:
    """The scope narrowed to the course ``slug`` (empty: unchanged). A course the viewer may
    not see, or that does not exist, is a 404, like any other course of another tutor."""
    if not slug:
        return scope, None
    if not scope.courses:
        raise Http404
    course = Course.objects.filter(scope.course_q("pk"), slug=slug).first()
    if course is None:
        raise Http404
    return replace(scope, course_id=course.pk), course


def scope_courses(*, scope: Scope) -> list[str]:
    """Titles of the courses a tutor's charts cover (empty for an administrator: all)."""
    if scope.all_courses or not scope.courses:
        return []
    return list(
        Course.objects.filter(scope.course_q("pk"))
        .order_by("title")
        .values_list("title", flat=True)
    )


# --- Chart data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the CSV header (never translated)
    label: str  # the table header (in the active language)


@dataclass
class Row:
    key: str  # the row header in CSV (a month as 2025-01, a course title)
    label: str  # the row header on the page
    cells: list[Cell]


@dataclass
class ChartData:
    name: str
    title: str
    row_header: Column
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None

    def column(self, index: int) -> list[Cell]:
        return [row.cells[index] for row in self.rows]


def _month_rows(period: Period, series: list[dict[date, int]]) -> list[Row]:
    return [
        Row(
            f"{month:%Y-%m}",
            date_format(month, "M Y"),
            [suppression.count(counts.get(month, 0)) for counts in series],
        )
        for month in period.months
    ]


def _total_row(rows: list[Row], width: int) -> Row:
    return Row(
        "Total",
        _("Total"),
        [suppression.total(row.cells[i] for row in rows) for i in range(width)],
    )


def _by_month(queryset, field_name: str, *, aware: bool) -> dict[date, int]:
    """Rows per calendar month; for a date and time, the month in the site's time zone."""
    month = TruncMonth(field_name, tzinfo=site_timezone()) if aware else TruncMonth(field_name)
    rows = queryset.annotate(month=month).values("month").annotate(n=Count("pk")).order_by()
    counts: dict[date, int] = {}
    for row in rows:
        key = month_of(row["month"])
        counts[key] = counts.get(key, 0) + int(row["n"] or 0)
    return counts


def activity_chart(*, scope: Scope, period: Period, today: date) -> ChartData:
    """Enrolments (by when the learner enrolled) and completions (by when the course was
    completed) per month. Two grouped queries."""
    start, after = period.bounds()
    enrolments = _by_month(
        Enrolment.objects.filter(
            scope.course_q("course"), enrolled_at__gte=start, enrolled_at__lt=after
        ),
        "enrolled_at",
        aware=True,
    )
    completions = _by_month(
        Completion.objects.filter(
            scope.course_q("enrolment__course"), completed_at__gte=start, completed_at__lt=after
        ),
        "completed_at",
        aware=True,
    )
    data = ChartData(
        "activity",
        _("Enrolments and completions per month, %(period)s") % {"period": period.label},
        Column("month", _("Month")),
        [Column("enrolments", _("Enrolments")), Column("completions", _("Completions"))],
        _month_rows(period, [enrolments, completions]),
    )
    data.total = _total_row(data.rows, 2)
    return data


def assessment_chart(*, scope: Scope, period: Period, today: date) -> ChartData:
    """Per assessment, the learners who submitted an attempt in the period, how many of them
    passed, and attempts per learner. One grouped query."""
    start, after = period.bounds()
    rows = (
        Attempt.objects.filter(
            scope.course_q("assessment__course"),
            submitted_at__gte=start,
            submitted_at__lt=after,
        )
        .values("assessment_id", "assessment__title", "assessment__course__title")
        .annotate(
            learners=Count("user_id", distinct=True),
            passed=Count("user_id", distinct=True, filter=Q(passed=True)),
            attempts=Count("pk"),
        )
        .order_by("assessment__course__title", "assessment_id")
    )
    data = ChartData(
        "assessments",
        _("Pass rate per assessment, %(period)s") % {"period": period.label},
        Column("assessment", _("Assessment")),
        [
            Column("learners", _("Learners who took it")),
            Column("passed", _("Passed")),
            Column("not_passed", _("Did not pass")),
            Column("pass_rate_percent", _("Pass rate")),
            Column("average_attempts", _("Average attempts")),
        ],
    )
    for row in rows:
        learners, passed, attempts = row["learners"], row["passed"], row["attempts"]
        whole, passed_cell, failed_cell = suppression.parts_of_whole(
            learners, [passed, learners - passed]
        )
        pass_rate = suppression.rate(
            passed, learners, kind=Kind.PERCENT, depends_on=[whole, passed_cell, failed_cell]
        )
        average = suppression.rate(attempts, learners, kind=Kind.AVERAGE, depends_on=[whole])
        label = row["assessment__course__title"]
        if row["assessment__title"] and row["assessment__title"] != "Final assessment":
            label = f"{label}: {row['assessment__title']}"
        data.rows.append(Row(label, label, [whole, passed_cell, failed_cell, pass_rate, average]))
    return data


def _not_renewed() -> Q:
    """Not renewed (nor followed by a later certificate for the same course, as when the course
    was simply taken again): the rule the expiry reminders use, so the dashboard counts the
    certificates whose holders are reminded. A renewal that was revoked renews nothing."""
    from learnward.certificates.renewal import newer_for_same_course

    return (Q(renewed_by__isnull=True) | Q(renewed_by__revoked_on__isnull=False)) & ~Q(
        newer_for_same_course()
    )


def certificate_chart(*, scope: Scope, period: Period, today: date) -> ChartData:
    """Certificates issued per month (by award date) and certificates that expired and were
    not renewed, by the month they expired. Revoked certificates (including those replaced by
    a reissue) are left out of both. Two grouped queries."""
    live = Certificate.objects.filter(scope.course_q("course"), revoked_on__isnull=True)
    issued = _by_month(
        live.filter(awarded_on__gte=period.start, awarded_on__lte=period.last_day),
        "awarded_on",
        aware=False,
    )
    expired = _by_month(
        live.filter(
            _not_renewed(),
            expires_on__gte=period.start,
            expires_on__lte=min(period.last_day, today),
        ),
        "expires_on",
        aware=False,
    )
    data = ChartData(
        "certificates",
        _("Certificates issued, and expired without renewal, per month, %(period)s")
        % {"period": period.label},
        Column("month", _("Month")),
        [
            Column("issued", _("Issued")),
            Column("expired_not_renewed", _("Expired, not renewed")),
        ],
        _month_rows(period, [issued, expired]),
    )
    data.total = _total_row(data.rows, 2)
    return data


def expiring_chart(*, scope: Scope, period: Period, today: date) -> ChartData:
    """Certificates expiring in the next 90 days (after today, up to and including day 90) and
    not yet renewed, per course. Revoked certificates are left out. One grouped query; the
    period does not apply: the window always starts today."""
    until = today + timedelta(days=EXPIRING_DAYS)
    rows = (
        Certificate.objects.filter(
            scope.course_q("course"),
            _not_renewed(),
            revoked_on__isnull=True,
            expires_on__gt=today,
            expires_on__lte=until,
        )
        .values("course_id", "course__title")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # Sorted here: the databases disagree on where NULL sorts; a deleted course comes last.
    rows = sorted(
        rows, key=lambda r: (r["course_id"] is None, r["course__title"] or "", r["course_id"] or 0)
    )
    data = ChartData(
        "expiring",
        _("Certificates expiring in the next %(days)s days (to %(date)s), per course")
        % {"days": EXPIRING_DAYS, "date": date_format(until, "j F Y")},
        Column("course", _("Course")),
        [Column("expiring", _("Expiring, not renewed"))],
    )
    for row in rows:
        if row["course_id"] is not None:
            key = label = row["course__title"]
        else:
            key, label = DELETED_COURSE, str(DELETED_COURSE_LABEL)
        data.rows.append(Row(key, label, [suppression.count(row["n"])]))
    data.total = _total_row(data.rows, 1) if data.rows else None
    return data


def verification_chart(*, scope: Scope, period: Period, today: date) -> ChartData:
    """Public certificate checks per month, from the monthly tallies (a course and month may
    rarely have two rows; they are summed). One grouped query."""
    rows = (
        VerificationTally.objects.filter(
            scope.course_q("course"), month__gte=period.start, month__lte=period.end
        )
        .values("month")
        .annotate(n=Sum("count"))
        .order_by()
    )
    counts: dict[date, int] = {}
    for row in rows:
        key = month_of(row["month"])
        counts[key] = counts.get(key, 0) + int(row["n"] or 0)
    data = ChartData(
        "verifications",
        _("Certificate verifications per month, %(period)s") % {"period": period.label},
        Column("month", _("Month")),
        [Column("verifications", _("Verifications"))],
        _month_rows(period, [counts]),
    )
    data.total = _total_row(data.rows, 1)
    return data


CHARTS = {
    "activity": activity_chart,
    "assessments": assessment_chart,
    "certificates": certificate_chart,
    "expiring": expiring_chart,
    "verifications": verification_chart,
}


def chart_data(*, scope: Scope, name: str, period: Period, today: date) -> ChartData:
    if name not in CHARTS or not scope.courses:
        raise Http404
    return CHARTS[name](scope=scope, period=period, today=today)


# --- The DPO panel -----------------------------------------------------------------------------------

REQUESTS_SHOWN = 20


@dataclass
class DpoPanel:
    requests: list
    open_count: int
    overdue_count: int
    retention: list | None  # RulePlan rows with a period; None when the plan failed
    retention_problem: str
    breaches: list  # (breach, clock) for breaches still open
    breaches_visible: bool

    @property
    def retention_due(self) -> int:
        return sum(plan.due for plan in self.retention or [])


def _breach_is_open(clock) -> bool:
    return not clock.ico_settled or bool(clock.missing)


def dpo_panel(*, actor, scope: Scope, today: date) -> DpoPanel:
    """What the DPO's desk owes: open rights requests by due date, the rows the next retention
    run would act on, and open breaches with their 72-hour clock. Reuses the desk's selectors,
    which check the actor again."""
    if not scope.dpo or scope.actor_id != actor.pk:
        raise Http404
    from learnward.privacy.records import breaches
    from learnward.privacy.retention.services import RetentionConfigError, retention_plan
    from learnward.privacy.rights.selectors import request_queue

    queue = request_queue(actor=actor)
    counts = queue.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    # No names on the dashboard: the request's number, kind and dates are enough to act on.
    requests = list(queue.select_related(None)[:REQUESTS_SHOWN])
    try:
        plan = [p for p in retention_plan(counts=True) if p.action != "keep"]
        problem = ""
    except RetentionConfigError as exc:
        plan, problem = None, str(exc)
    try:
        clocks = [(b, breaches.breach_clock(b)) for b in breaches.breaches_for(actor=actor)]
        visible = True
    except PermissionDenied:
        clocks, visible = [], False
    return DpoPanel(
        requests=requests,
        open_count=counts["open"],
        overdue_count=counts["overdue"],
        retention=plan,
        retention_problem=problem,
        breaches=[(b, c) for b, c in clocks if _breach_is_open(c)],
        breaches_visible=visible,
    )
