"""The compliance matrix: an organisation's current members by the courses it requires.

One code path builds every row a manager sees (the matrix page, its CSV, the weekly digest) and
the row a learner is shown under "What your employer sees" (:func:`member_rows_for_user`), so
the two cannot drift apart.

Each cell, on the site's local date (``timezone.localdate()``), is the first of these that fits:

1. **Not required**: the course is required of one department only and the member is not in it.
   Nothing about the member's own work on it is shown there.
2. The member holds a certificate for the course that is not revoked (the latest awarded, when
   there are several). It is valid until its *due date*: the certificate's own expiry date or,
   when the requirement has a renewal interval, ``renewal_months`` after the award, whichever
   comes first (no expiry and no interval: valid for good).

   - **Expired** from the due date itself on (as a certificate is expired on its expiry date).
   - **Expires within 30 days** when the due date is 1 to 30 days away, **within 60 days** at 31
     to 60 days, **within 90 days** at 61 to 90 days.
   - **Certified until** the due date otherwise (or with no due date at all).
3. No certificate (never awarded, or only revoked ones):

   - **Overdue** once the member has been in the organisation for ``OVERDUE_AFTER_DAYS`` (84
     days, the 12 weeks the Care Certificate gives a new starter) or more, whatever their
     progress.
   - **In progress** while they are enrolled on the course (enrolment not left), at any
     progress including 0%.
   - **Not started** otherwise.

Progress is the share of the course's lessons completed in the enrolment's current cycle (as the
learner's own dashboard counts it); "completed" is the current cycle's completion date.

What a manager sees is the minimum: for each required course the status, the certificate's award
and due dates, the progress percentage and the completion date. Courses the organisation does
not require appear only for a member who chose ``shares_all_courses``, in the same terms. Nothing
else about a learner is read here: no answers, attempts or scores, AI logs, support messages or
CPD records.

The queries are flat in the number of members: a fixed handful whatever the size.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from learnward.catalog.models import Lesson, Module
from learnward.certificates.models import Certificate
from learnward.core.access import staff_powers
from learnward.core.dates import add_months
from learnward.learning.models import ActivityEvent, Completion, Enrolment
from learnward.privacy.consent.gate import without_blocked

from .models import Membership, Organisation, RequiredCourse
from .privacy import PURPOSE
from .selectors import STAFF_RULE, is_manager

# A member with no certificate is overdue this many days after joining (12 weeks).
OVERDUE_AFTER_DAYS = 84
EXPIRY_WINDOWS = (30, 60, 90)


class CellStatus(enum.StrEnum):
    """A cell's status; ``label`` is what people read."""

    CERTIFIED = "certified"
    EXPIRES_30 = "expires_30"
    EXPIRES_60 = "expires_60"
    EXPIRES_90 = "expires_90"
    EXPIRED = "expired"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    NOT_REQUIRED = "not_required"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    CellStatus.CERTIFIED: gettext_lazy("Certified"),
    CellStatus.EXPIRES_30: gettext_lazy("Expires within 30 days"),
    CellStatus.EXPIRES_60: gettext_lazy("Expires within 60 days"),
    CellStatus.EXPIRES_90: gettext_lazy("Expires within 90 days"),
    CellStatus.EXPIRED: gettext_lazy("Expired"),
    CellStatus.OVERDUE: gettext_lazy("Overdue"),
    CellStatus.IN_PROGRESS: gettext_lazy("In progress"),
    CellStatus.NOT_STARTED: gettext_lazy("Not started"),
    CellStatus.NOT_REQUIRED: gettext_lazy("Not required"),
}

# The statuses a cell of a required course can have, in the order the page lists them.
STATUSES = tuple(s for s in CellStatus if s is not CellStatus.NOT_REQUIRED)
STATUS_CHOICES = [(s.value, s.label) for s in STATUSES]


def format_day(day: date | None) -> str:
    """``3 Mar 2026``, as the site prints dates; in Dutch and French the month in full ("3 maart
    2026", "3 mars 2026"): each language's format is a translation."""
    if day is None:
        return ""
    return date_format(day, pgettext("short date format: 3 Mar 2026", "j M Y"))


@dataclass(frozen=True, slots=True)
class Column:
    """A required course. ``departments`` is empty when every member must take it."""

    course_id: int
    title: str
    departments: tuple[str, ...] = ()

    @property
    def applies_to(self) -> str:
        if not self.departments:
            return _("Everyone")
        return _("%(departments)s only") % {"departments": ", ".join(self.departments)}


@dataclass(frozen=True, slots=True)
class Cell:
    course_id: int
    course_title: str
    status: CellStatus
    required: bool = True
    awarded_on: date | None = None  # the counted certificate's award date
    valid_until: date | None = None  # its due date (see the module docstring); None: no end
    progress: int | None = (
        None  # percent of lessons done in the current cycle; None: never enrolled
    )
    completed_on: date | None = None  # the current cycle's completion

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def text(self) -> str:
        """The cell in words: the status with its date or percentage."""
        status = self.status
        if status is CellStatus.CERTIFIED:
            if self.valid_until is None:
                return _("Certified (no expiry)")
            return _("Certified until %(day)s") % {"day": format_day(self.valid_until)}
        if status in (CellStatus.EXPIRES_30, CellStatus.EXPIRES_60, CellStatus.EXPIRES_90):
            return _("%(status)s: %(day)s") % {
                "status": status.label,
                "day": format_day(self.valid_until),
            }
        if status is CellStatus.EXPIRED:
            return _("Expired on %(day)s") % {"day": format_day(self.valid_until)}
        if status is CellStatus.IN_PROGRESS:
            return _("In progress: %(percent)s%%") % {"percent": self.progress or 0}
        return str(status.label)

    @property
    def details(self) -> list[str]:
        """The dates and progress behind the status, as short phrases."""
        if self.status is CellStatus.NOT_REQUIRED:
            return []
        parts = []
        if self.awarded_on is not None:
            parts.append(_("Awarded %(day)s") % {"day": format_day(self.awarded_on)})
        if self.progress is not None and self.status is not CellStatus.IN_PROGRESS:
            parts.append(_("%(percent)s%% of lessons done") % {"percent": self.progress})
        if self.completed_on is not None:
            parts.append(_("Completed %(day)s") % {"day": format_day(self.completed_on)})
        return parts


@dataclass(frozen=True, slots=True)
class Row:
    membership_id: int
    user_id: int
    name: str
    email: str
    department: str
    cells: tuple[Cell, ...]
    shares_all_courses: bool = False
    shared: tuple[Cell, ...] = ()  # other courses, only when the member shares them

    def has_status(self, status: str) -> bool:
        return any(cell.status == status for cell in self.cells)


@dataclass(frozen=True)
class Matrix:
    organisation: Organisation
    today: date
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]  # after both filters
    departments: tuple[str, ...]  # every current member's department, for the filter
    department: str = ""
    status: str = ""
    member_count: int = 0  # members in the department filter, before the status filter
    # Per column (course id): how many of the department's members are in each status.
    counts: dict[int, Counter] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return CellStatus(self.status).label if self.status else ""

    def count(self, course_id: int, status: CellStatus) -> int:
        return self.counts.get(course_id, Counter())[status]


# --- Rules --------------------------------------------------------------------------------------


def due_date(
    *, awarded_on: date, expires_on: date | None, renewal_months: int | None
) -> date | None:
    """When a certificate stops counting: its expiry, or the renewal interval after its award,
    whichever is sooner; None when neither applies."""
    candidates = [d for d in (expires_on,) if d is not None]
    if renewal_months:
        candidates.append(add_months(awarded_on, renewal_months))
    return min(candidates) if candidates else None


def certified_status(valid_until: date | None, today: date) -> CellStatus:
    if valid_until is None:
        return CellStatus.CERTIFIED
    days_left = (valid_until - today).days
    if days_left <= 0:
        return CellStatus.EXPIRED
    if days_left <= 30:
        return CellStatus.EXPIRES_30
    if days_left <= 60:
        return CellStatus.EXPIRES_60
    if days_left <= 90:
        return CellStatus.EXPIRES_90
    return CellStatus.CERTIFIED


def _cell(
    *,
    course_id: int,
    title: str,
    today: date,
    certificate: tuple[date, date | None] | None,
    enrolment: tuple[bool, int | None, date | None] | None,
    renewal_months: int | None = None,
    joined_on: date | None = None,
    required: bool = True,
) -> Cell:
    active, progress, completed_on = enrolment if enrolment is not None else (False, None, None)
    if certificate is not None:
        awarded_on, expires_on = certificate
        valid_until = due_date(
            awarded_on=awarded_on, expires_on=expires_on, renewal_months=renewal_months
        )
        status = certified_status(valid_until, today)
        return Cell(
            course_id, title, status, required, awarded_on, valid_until, progress, completed_on
        )
    if required and joined_on is not None and (today - joined_on).days >= OVERDUE_AFTER_DAYS:
        status = CellStatus.OVERDUE
    elif active:
        status = CellStatus.IN_PROGRESS
    else:
        status = CellStatus.NOT_STARTED
    return Cell(course_id, title, status, required, None, None, progress, completed_on)


# --- Reading ------------------------------------------------------------------------------------

# Per-enrolment lesson totals and lessons done in the current cycle, as correlated subqueries
# (the same counting as the learner's dashboard; table names from the models).
_E = Enrolment._meta.db_table
_LESSON_TOTAL_SQL = (
    f"SELECT COUNT(*) FROM {Lesson._meta.db_table} l "  # noqa: S608 - model table names only
    f"JOIN {Module._meta.db_table} m ON l.module_id = m.id WHERE m.course_id = {_E}.course_id"
)
_LESSONS_DONE_SQL = (
    f"SELECT COUNT(DISTINCT ev.lesson_id) FROM {ActivityEvent._meta.db_table} ev "  # noqa: S608
    f"JOIN {Lesson._meta.db_table} l ON l.id = ev.lesson_id "
    f"JOIN {Module._meta.db_table} m ON m.id = l.module_id AND m.course_id = ev.course_id "
    f"WHERE ev.user_id = {_E}.user_id AND ev.course_id = {_E}.course_id AND ev.kind = %s "
    f"AND ({_E}.cycle_started_at IS NULL OR ev.occurred_at >= {_E}.cycle_started_at)"
)


def _check_access(*, actor, organisation: Organisation) -> None:
    if staff_powers(actor, STAFF_RULE) or is_manager(actor=actor, organisation=organisation):
        return
    raise Http404


def _columns(organisation: Organisation) -> tuple[tuple[Column, ...], list[tuple]]:
    requirements = list(
        RequiredCourse.objects.filter(organisation=organisation)
        .order_by("course__title", "course_id", "department")
        .values_list("course_id", "course__title", "department", "renewal_months")
    )
    columns: dict[int, Column] = {}
    for course_id, title, department, _months in requirements:
        column = columns.get(course_id)
        if column is None:
            columns[course_id] = Column(course_id, title, (department,) if department else ())
        elif column.departments and department:
            columns[course_id] = Column(course_id, title, (*column.departments, department))
        else:  # required of everyone (by one of its requirements)
            columns[course_id] = Column(course_id, title, ())
    return tuple(columns.values()), requirements


def _build(
    *,
    organisation: Organisation,
    today: date,
    memberships,  # a queryset of current memberships
) -> tuple[tuple[Column, ...], list[Row]]:
    columns, requirements = _columns(organisation)
    required_ids = [c.course_id for c in columns]
    # Per (course, department): the shortest renewal interval ("" = everyone).
    renewal: dict[tuple[int, str], int] = {}
    for course_id, _title, department, months in requirements:
        key = (course_id, department)
        if months and (renewal.get(key) is None or months < renewal[key]):
            renewal[key] = months

    members = list(
        memberships.order_by("user__display_name", "id").values_list(
            "id",
            "user_id",
            "user__display_name",
            "user__email",
            "department",
            "shares_all_courses",
            "joined_at",
        )
    )
    user_ids = memberships.values("user_id")
    sharing_ids = memberships.filter(shares_all_courses=True).values("user_id")
    wanted = Q(user_id__in=user_ids, course_id__in=required_ids) | Q(user_id__in=sharing_ids)

    # The counted certificate per (user, course): not revoked, the latest awarded.
    certificates: dict[tuple[int, int], tuple[date, date | None]] = {}
    titles: dict[int, str] = {}
    for user_id, course_id, title, awarded_on, expires_on in (
        Certificate.objects.filter(wanted, revoked_on__isnull=True, course_id__isnull=False)
        .order_by("awarded_on", "id")
        .values_list("user_id", "course_id", "course__title", "awarded_on", "expires_on")
    ):
        certificates[(user_id, course_id)] = (awarded_on, expires_on)
        titles[course_id] = title

    completed_at = Completion.objects.filter(
        enrolment=OuterRef("pk"), cycle=OuterRef("cycle")
    ).values("completed_at")[:1]
    enrolments: dict[tuple[int, int], tuple[bool, int, date | None]] = {}
    for user_id, course_id, title, left_at, total, done, completed in (
        Enrolment.objects.filter(wanted)
        .annotate(
            lesson_total=RawSQL(_LESSON_TOTAL_SQL, ()),  # noqa: S611 - constant SQL
            lessons_done=RawSQL(  # noqa: S611 - constant SQL, the kind is a parameter
                _LESSONS_DONE_SQL, (ActivityEvent.Kind.COMPLETED.value,)
            ),
            completed_at=Subquery(completed_at),
        )
        .order_by()
        .values_list(
            "user_id",
            "course_id",
            "course__title",
            "left_at",
            "lesson_total",
            "lessons_done",
            "completed_at",
        )
    ):
        if completed is not None:
            percent = 100
            completed = timezone.localdate(completed)
        else:
            percent = round(100 * min(done, total) / total) if total else 0
        enrolments[(user_id, course_id)] = (left_at is None, percent, completed)
        titles[course_id] = title

    shared_by_user: dict[int, list[int]] = {}
    for user_id, course_id in (*certificates, *enrolments):
        shared_by_user.setdefault(user_id, []).append(course_id)

    # Per department: each column's rule for its members (worked out once, not per person):
    # (column, renewal interval) when required of them, or the "not required" cell.
    plans: dict[str, list[tuple[Column, int | None, Cell | None]]] = {}

    def plan_for(department: str) -> list[tuple[Column, int | None, Cell | None]]:
        plan = []
        for column in columns:
            course_id = column.course_id
            if column.departments and department not in column.departments:
                blank = Cell(course_id, column.title, CellStatus.NOT_REQUIRED, False)
                plan.append((column, None, blank))
                continue
            months = [
                m for m in (renewal.get((course_id, "")), renewal.get((course_id, department))) if m
            ]
            plan.append((column, min(months) if months else None, None))
        return plan

    rows = []
    for membership_id, user_id, name, email, department, shares, joined_at in members:
        joined_on = timezone.localdate(joined_at)
        plan = plans.get(department)
        if plan is None:
            plan = plans[department] = plan_for(department)
        cells = []
        applicable = set()
        for column, months, blank in plan:
            if blank is not None:
                cells.append(blank)
                continue
            course_id = column.course_id
            applicable.add(course_id)
            key = (user_id, course_id)
            cells.append(
                _cell(
                    course_id=course_id,
                    title=column.title,
                    today=today,
                    certificate=certificates.get(key),
                    enrolment=enrolments.get(key),
                    renewal_months=months,
                    joined_on=joined_on,
                )
            )
        shared: tuple[Cell, ...] = ()
        if shares:
            others = sorted(
                {c for c in shared_by_user.get(user_id, ()) if c not in applicable},
                key=lambda c: (titles[c].lower(), c),
            )
            shared = tuple(
                _cell(
                    course_id=course_id,
                    title=titles[course_id],
                    today=today,
                    certificate=certificates.get((user_id, course_id)),
                    enrolment=enrolments.get((user_id, course_id)),
                    required=False,
                )
                for course_id in others
            )
        rows.append(
            Row(membership_id, user_id, name, email, department, tuple(cells), shares, shared)
        )
    return columns, rows


def compliance_matrix(
    *, actor, organisation: Organisation, department: str = "", status: str = ""
) -> Matrix:
    """The organisation's current members by its required courses, for a current manager of it
    or staff who manage organisations (anyone else: Http404).

    ``department`` keeps the members of that department; ``status`` (a :class:`CellStatus`
    value other than "not_required") keeps the members with at least one cell in it. ``counts``
    are over the department's members before the status filter. Unknown ``status``: ValueError.
    """
    _check_access(actor=actor, organisation=organisation)
    if status and CellStatus(status) is CellStatus.NOT_REQUIRED:
        raise ValueError("not_required is not a status to filter by")
    if status:
        status = CellStatus(status)
    today = timezone.localdate()
    # People who objected to their employer seeing their training, or restricted processing,
    # are left out: the matrix, its CSV and the digest show nothing of them.
    current = without_blocked(
        Membership.objects.filter(organisation=organisation, left_at__isnull=True),
        purpose=PURPOSE,
    )
    departments = tuple(
        current.exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
    memberships = current.filter(department=department) if department else current
    columns, rows = _build(organisation=organisation, today=today, memberships=memberships)
    counts: dict[int, Counter] = {c.course_id: Counter() for c in columns}
    for row in rows:
        for cell in row.cells:
            counts[cell.course_id][cell.status] += 1
    shown = [row for row in rows if row.has_status(status)] if status else rows
    return Matrix(
        organisation=organisation,
        today=today,
        columns=columns,
        rows=tuple(shown),
        departments=departments,
        department=department,
        status=str(status),
        member_count=len(rows),
        counts=counts,
    )


def member_rows_for_user(*, user) -> list[tuple[Organisation, Row]]:
    """The learner's own row in each organisation they are a current member of: exactly what
    that organisation's managers see of them (the same code as the matrix)."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    result = []
    for organisation in Organisation.objects.filter(
        memberships__user=user, memberships__left_at__isnull=True
    ).order_by("name", "id"):
        memberships = without_blocked(
            Membership.objects.filter(organisation=organisation, user=user, left_at__isnull=True),
            purpose=PURPOSE,
        )
        _columns, rows = _build(organisation=organisation, today=today, memberships=memberships)
        result.extend((organisation, row) for row in rows)
    return result
