"""The CPD record: courses completed here with their CPD hours appear by themselves; outside
activities and reflections are the learner's own; nobody else sees them."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from learnward.cpd import services
from learnward.cpd.selectors import completed_course_for, cpd_record


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def test_completed_courses_appear_with_their_certificates_hours(learner, make_course, complete):
    course = make_course(cpd_hours="3.5")
    certificate = complete(user=learner, course=course, completed_at=at(date(2025, 3, 1)))
    record = cpd_record(actor=learner, user=learner)
    (entry,) = record.entries
    assert entry.title == "Safeguarding Adults"
    assert entry.hours == Decimal("3.5") and entry.counted
    assert entry.date == certificate.awarded_on
    assert entry.certificate_code == certificate.display_code
    assert entry.source_label == "Completed here"
    assert record.total_hours == Decimal("3.5")
    assert [e.title for e in record.awaiting_reflection] == ["Safeguarding Adults"]


def test_certificate_snapshot_wins_over_later_course_changes(learner, make_course, complete):
    course = make_course(cpd_hours="3.5")
    complete(user=learner, course=course)
    course.cpd_hours = Decimal("10")
    course.title = "Renamed"
    course.save()
    (entry,) = cpd_record(actor=learner, user=learner).entries
    assert (entry.title, entry.hours) == ("Safeguarding Adults", Decimal("3.5"))


def test_revoked_certificates_are_listed_but_not_counted(learner, make_user, make_course, complete):
    from learnward.certificates.services import certificate_revoke

    admin = make_user(roles=["Administrator"])
    certificate = complete(user=learner, course=make_course())
    certificate_revoke(certificate=certificate, reason="Issued in error", actor=admin)
    record = cpd_record(actor=learner, user=learner)
    (entry,) = record.entries
    assert not entry.counted and "revoked" in entry.status_note
    assert record.total_hours == 0


def test_reissued_certificates_are_listed_once(learner, make_user, make_course, complete):
    from learnward.certificates.services import certificate_reissue

    admin = make_user(roles=["Administrator"])
    certificate = complete(user=learner, course=make_course())
    new = certificate_reissue(certificate=certificate, holder_name="Pat K.", actor=admin)
    record = cpd_record(actor=learner, user=learner)
    assert [e.certificate_code for e in record.entries] == [new.display_code]
    assert record.total_hours == Decimal("3.5")


def test_outside_activities_and_totals_for_a_date_range(learner, make_course, complete):
    complete(user=learner, course=make_course(cpd_hours="2"), completed_at=at(date(2024, 6, 1)))
    services.activity_add(
        user=learner,
        title="Annual conference",
        activity_type="conference",
        occurred_on=date(2025, 2, 10),
        hours="6.5",
        notes="Keynote on consent",
    )
    services.activity_add(
        user=learner,
        title="Old reading",
        activity_type="reading",
        occurred_on=date(2023, 1, 5),
        hours="1",
    )
    record = cpd_record(actor=learner, user=learner, start=date(2024, 1, 1), end=date(2025, 12, 31))
    assert [e.title for e in record.entries] == ["Annual conference", "Safeguarding Adults"]
    assert record.total_hours == Decimal("8.5")
    assert record.outside_hours == Decimal("6.5") and record.learnward_hours == Decimal("2")


def test_reflections_attach_to_their_entries(learner, make_course, complete):
    course = make_course()
    complete(user=learner, course=course)
    entry = completed_course_for(actor=learner, course_id=course.pk)
    services.reflection_save(
        user=learner,
        course_id=course.pk,
        course_title=entry.title,
        what="How to spot neglect",
        so_what="I see it at work",
        now_what="Talk to my manager",
    )
    record = cpd_record(actor=learner, user=learner)
    assert record.entries[0].reflection.now_what == "Talk to my manager"
    assert record.awaiting_reflection == []


def test_another_learner_sees_nothing_of_mine(learner, make_user, make_course, complete):
    other = make_user(display_name="Someone Else")
    course = make_course()
    complete(user=learner, course=course)
    activity = services.activity_add(
        user=learner, title="Mine", activity_type="other", occurred_on=date(2025, 1, 1), hours=1
    )
    assert cpd_record(actor=other, user=other).entries == []
    with pytest.raises(Http404):
        cpd_record(actor=other, user=learner)
    with pytest.raises(Http404):
        completed_course_for(actor=other, course_id=course.pk)
    from learnward.cpd.selectors import activity_for

    with pytest.raises(Http404):
        activity_for(actor=other, activity_id=activity.pk)


def test_a_renewed_course_is_listed_each_time_with_its_own_certificate(
    learner, client, time_machine
):
    """Renewing (the course itself, or through a refresher) is CPD done again: each completion
    is its own entry with the certificate it earned, and both count."""
    from learnward.certificates.services import certificate_renewal_start
    from tests.certificates.renewal_support import finish, renewable_course

    course = renewable_course(title="First Aid at Work", validity=12)
    refresher = renewable_course(title="Fire Safety Refresher", validity=12, renews_itself=False)
    fire = renewable_course(
        title="Fire Safety", validity=12, renews_itself=False, renewal_course=refresher
    )
    for each, hours in ((course, "6"), (refresher, "2"), (fire, "4")):
        each.cpd_hours = Decimal(hours)
        each.save(update_fields=["cpd_hours"])
    time_machine.move_to("2026-01-10 10:00Z")
    first = finish(learner, course)
    fire_first = finish(learner, fire)
    time_machine.move_to("2026-12-20 10:00Z")
    certificate_renewal_start(certificate=first, actor=learner)
    second = finish(learner, course)
    fire_renewal = finish(learner, refresher)
    assert second.renews_id == first.pk and fire_renewal.renews_id == fire_first.pk

    record = cpd_record(actor=learner, user=learner)
    by_code = {e.certificate_code: e for e in record.entries}
    assert set(by_code) == {
        first.display_code,
        second.display_code,
        fire_first.display_code,
        fire_renewal.display_code,
    }
    assert (by_code[second.display_code].date, by_code[second.display_code].hours) == (
        date(2026, 12, 20),
        Decimal("6"),
    )
    # The refresher's completion carries the renewal certificate (for Fire Safety, 2 hours).
    assert by_code[fire_renewal.display_code].title == "Fire Safety"
    assert by_code[fire_renewal.display_code].hours == Decimal("2")
    assert record.learnward_hours == Decimal("6") * 2 + Decimal("4") + Decimal("2")
    # One reflection is asked for per course, on its latest completion.
    awaiting = [(e.title, e.date) for e in record.awaiting_reflection]
    assert awaiting.count(("First Aid at Work", date(2026, 12, 20))) == 1
    assert ("First Aid at Work", date(2026, 1, 10)) not in awaiting
    assert completed_course_for(actor=learner, course_id=course.pk).date == date(2026, 12, 20)
