"""Reading the CPD record.

The record joins, at the moment it is read:
- courses completed here, from learning's completions and certificates' certificates (the
  certificate's snapshot of title, CPD hours and award date wins when there is one; a revoked
  certificate stays listed but its hours are not counted; a superseded one gives way to its
  reissue);
- the learner's outside activities;
- the learner's reflections on either.

Only the learner themselves sees their record (another learner's entry is a 404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from .models import ActivityType, CpdActivity, Reflection

LEARNWARD = "learnward"
OUTSIDE = "outside"


@dataclass
class CpdEntry:
    key: str
    source: str  # LEARNWARD or OUTSIDE
    title: str
    type_label: str
    date: dt.date
    hours: Decimal
    counted: bool = True
    status_note: str = ""
    notes: str = ""
    certificate_code: str = ""
    course_id: int | None = None
    activity_id: int | None = None
    reflection: Reflection | None = None

    @property
    def source_label(self) -> str:
        return _("Completed here") if self.source == LEARNWARD else _("Outside activity")

    @property
    def reflect_url(self) -> str:
        if self.activity_id is not None:
            return reverse("cpd:reflect_activity", args=[self.activity_id])
        if self.course_id is not None:
            return reverse("cpd:reflect_course", args=[self.course_id])
        return ""

    @property
    def edit_url(self) -> str:
        return reverse("cpd:activity_edit", args=[self.activity_id]) if self.activity_id else ""


@dataclass
class CpdRecord:
    entries: list[CpdEntry]
    start: dt.date | None = None
    end: dt.date | None = None
    awaiting_reflection: list[CpdEntry] = field(default_factory=list)

    @property
    def total_hours(self) -> Decimal:
        return sum((e.hours for e in self.entries if e.counted), Decimal("0"))

    @property
    def learnward_hours(self) -> Decimal:
        return sum(
            (e.hours for e in self.entries if e.counted and e.source == LEARNWARD), Decimal("0")
        )

    @property
    def outside_hours(self) -> Decimal:
        return sum(
            (e.hours for e in self.entries if e.counted and e.source == OUTSIDE), Decimal("0")
        )


def _status_notes() -> dict:
    from learnward.certificates.models import CertificateStatus

    return {
        CertificateStatus.VALID: _("Certificate valid"),
        CertificateStatus.EXPIRED: _("Certificate expired"),
        CertificateStatus.REVOKED: _("Certificate revoked"),
    }


def _require_self(actor, user) -> None:
    if actor is None or not actor.is_authenticated or actor.pk != user.pk:
        raise Http404


def _learnward_entries(user) -> list[CpdEntry]:
    from learnward.certificates.selectors import certificates_for_user
    from learnward.learning.models import Completion

    entries: dict[str, CpdEntry] = {}
    completions = Completion.objects.filter(enrolment__user=user).select_related(
        "enrolment__course"
    )
    # One entry per completion: a course taken again or renewed is listed each time, with the
    # certificate that completion earned (a refresher's renewal certificate included).
    for completion in completions:
        course = completion.enrolment.course
        entries[f"completion-{completion.pk}"] = CpdEntry(
            key=f"completion-{completion.pk}",
            source=LEARNWARD,
            title=course.title,
            type_label=_("Course completed here"),
            date=timezone.localdate(completion.completed_at),
            hours=Decimal(course.cpd_hours),
            course_id=course.pk,
        )
    today = timezone.localdate()
    STATUS_NOTES = _status_notes()  # noqa: N806 - a table
    for certificate in certificates_for_user(actor=user, user=user):
        if certificate.is_superseded:
            continue  # its reissue is listed instead
        key = (
            f"completion-{certificate.completion_id}"
            if certificate.completion_id
            else f"certificate-{certificate.pk}"
        )
        status = certificate.status_on(today)
        revoked = certificate.revoked_on is not None
        entries[key] = CpdEntry(
            key=key,
            source=LEARNWARD,
            title=certificate.course_title,
            type_label=_("Course completed here"),
            date=certificate.awarded_on,
            hours=Decimal(certificate.cpd_hours),
            counted=not revoked,
            status_note=(
                _("Certificate revoked on %(date)s; hours not counted")
                % {"date": format_date(certificate.revoked_on, "d F Y")}
                if revoked
                else STATUS_NOTES[status]
            ),
            certificate_code=certificate.display_code,
            course_id=certificate.course_id,
        )
    return list(entries.values())


def _outside_entries(user) -> list[CpdEntry]:
    labels = dict(ActivityType.choices)
    return [
        CpdEntry(
            key=f"activity-{activity.pk}",
            source=OUTSIDE,
            title=activity.title,
            type_label=labels.get(activity.activity_type, activity.activity_type),
            date=activity.occurred_on,
            hours=activity.hours,
            notes=activity.notes,
            activity_id=activity.pk,
        )
        for activity in CpdActivity.objects.filter(user=user)
    ]


def cpd_record(
    *, actor, user, start: dt.date | None = None, end: dt.date | None = None
) -> CpdRecord:
    """The learner's record between ``start`` and ``end`` (inclusive; open-ended if None)."""
    _require_self(actor, user)
    entries = _learnward_entries(user) + _outside_entries(user)
    reflections = Reflection.objects.filter(user=user)
    by_course = {r.course_id: r for r in reflections if r.course_id is not None}
    by_activity = {r.activity_id: r for r in reflections if r.activity_id is not None}
    for entry in entries:
        if entry.activity_id is not None:
            entry.reflection = by_activity.get(entry.activity_id)
        elif entry.course_id is not None:
            entry.reflection = by_course.get(entry.course_id)
    # A reflection is about a course (taken once or more): ask for it once, on the latest.
    awaiting_by_course: dict[int, CpdEntry] = {}
    for e in entries:
        if e.source == LEARNWARD and e.course_id is not None and e.reflection is None:
            latest = awaiting_by_course.get(e.course_id)
            if latest is None or e.date > latest.date:
                awaiting_by_course[e.course_id] = e
    awaiting = list(awaiting_by_course.values())
    if start is not None:
        entries = [e for e in entries if e.date >= start]
    if end is not None:
        entries = [e for e in entries if e.date <= end]
    entries.sort(key=lambda e: (e.date, e.title), reverse=True)
    awaiting.sort(key=lambda e: e.date, reverse=True)
    return CpdRecord(entries=entries, start=start, end=end, awaiting_reflection=awaiting)


def activity_for(*, actor, activity_id: int) -> CpdActivity:
    """The actor's own outside activity; anyone else's is a 404."""
    if actor is None or not actor.is_authenticated:
        raise Http404
    activity = CpdActivity.objects.filter(pk=activity_id, user=actor).first()
    if activity is None:
        raise Http404
    return activity


def completed_course_for(*, actor, course_id: int) -> CpdEntry:
    """The record's entry for a course the actor completed here; otherwise a 404."""
    if actor is None or not actor.is_authenticated:
        raise Http404
    matching = [e for e in _learnward_entries(actor) if e.course_id == course_id]
    if not matching:
        raise Http404
    entry = max(matching, key=lambda e: e.date)  # the latest time the course was completed
    entry.reflection = Reflection.objects.filter(user=actor, course_id=course_id).first()
    return entry


def reflection_for_activity(*, actor, activity: CpdActivity) -> Reflection | None:
    _require_self(actor, activity.user)
    return Reflection.objects.filter(user=actor, activity=activity).first()
