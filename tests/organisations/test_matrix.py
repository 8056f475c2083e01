"""The compliance matrix: each cell's rule at its exact boundaries, departments, filters,
access, sharing, flat queries, and the learner's own row matching the manager's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learnward.certificates.services import certificate_revoke
from learnward.organisations.matrix import (
    OVERDUE_AFTER_DAYS,
    CellStatus,
    certified_status,
    compliance_matrix,
    due_date,
    member_rows_for_user,
)
from tests.organisations.test_matrix_support import (
    TODAY,
    add_member,
    certify,
    clock,  # noqa: F401 - fixture
    make_course,
    make_org,
    progress,
    require,
    staff_manager,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def org(make_user):
    organisation = make_org()
    manager = make_user(email="manager@example.test", display_name="Mina Manager")
    add_member(organisation, manager, manager=True)
    organisation.manager = manager
    return organisation


def cell_of(matrix, user, course):
    row = next(r for r in matrix.rows if r.user_id == user.pk)
    return next(c for c in row.cells if c.course_id == course.pk)


def test_expiry_windows_at_their_exact_boundaries():
    assert certified_status(None, TODAY) is CellStatus.CERTIFIED
    for days, status in [
        (-1, CellStatus.EXPIRED),
        (0, CellStatus.EXPIRED),  # the expiry day itself: expired, like the certificate
        (1, CellStatus.EXPIRES_30),
        (30, CellStatus.EXPIRES_30),
        (31, CellStatus.EXPIRES_60),
        (60, CellStatus.EXPIRES_60),
        (61, CellStatus.EXPIRES_90),
        (90, CellStatus.EXPIRES_90),
        (91, CellStatus.CERTIFIED),
    ]:
        assert certified_status(TODAY + timedelta(days=days), TODAY) is status, days


def test_the_due_date_is_the_sooner_of_expiry_and_renewal():
    award = date(2024, 1, 31)
    assert due_date(awarded_on=award, expires_on=None, renewal_months=None) is None
    assert due_date(awarded_on=award, expires_on=date(2026, 1, 1), renewal_months=None) == date(
        2026, 1, 1
    )
    assert due_date(awarded_on=award, expires_on=date(2026, 1, 1), renewal_months=1) == date(
        2024, 2, 29
    )
    assert due_date(awarded_on=award, expires_on=date(2024, 2, 10), renewal_months=12) == date(
        2024, 2, 10
    )


def test_cells_through_the_matrix(org, make_user):
    course = make_course("Manual handling")
    require(org, course)
    people = {name: make_user(display_name=name) for name in "ABCDEFG"}
    for user in people.values():
        add_member(org, user)
    certify(people["A"], course, awarded_on=date(2025, 1, 1), expires_on=TODAY + timedelta(30))
    certify(people["B"], course, awarded_on=date(2025, 1, 1), expires_on=TODAY + timedelta(31))
    certify(people["C"], course, awarded_on=date(2025, 1, 1), expires_on=TODAY)
    certify(people["D"], course, awarded_on=date(2025, 1, 1), expires_on=TODAY + timedelta(1))
    certify(people["E"], course, awarded_on=date(2025, 1, 1), expires_on=date(2026, 1, 1))
    certify(people["F"], course, awarded_on=date(2025, 1, 1))
    matrix = compliance_matrix(actor=org.manager, organisation=org)
    got = {name: cell_of(matrix, u, course) for name, u in people.items()}
    assert got["A"].status is CellStatus.EXPIRES_30
    assert got["A"].text == "Expires within 30 days: 15 Jul 2025"
    assert got["B"].status is CellStatus.EXPIRES_60
    assert got["C"].status is CellStatus.EXPIRED
    assert got["C"].text == "Expired on 15 Jun 2025"
    assert got["D"].status is CellStatus.EXPIRES_30
    assert got["E"].status is CellStatus.CERTIFIED
    assert got["E"].text == "Certified until 1 Jan 2026"
    assert got["E"].details == ["Awarded 1 Jan 2025"]
    assert got["F"].text == "Certified (no expiry)"
    assert got["G"].status is CellStatus.NOT_STARTED
    # The manager is a member too.
    assert cell_of(matrix, org.manager, course).status is CellStatus.NOT_STARTED


def test_renewal_interval_expires_a_certificate_that_never_expires(org, make_user):
    course = make_course("Fire safety")
    require(org, course, renewal_months=12)
    due, early = make_user(), make_user()
    add_member(org, due)
    add_member(org, early)
    certify(due, course, awarded_on=date(2024, 6, 15))  # 12 months ago today
    certify(early, course, awarded_on=date(2024, 6, 16))  # due tomorrow
    matrix = compliance_matrix(actor=org.manager, organisation=org)
    assert cell_of(matrix, due, course).status is CellStatus.EXPIRED
    assert cell_of(matrix, due, course).valid_until == TODAY
    assert cell_of(matrix, early, course).status is CellStatus.EXPIRES_30
    assert cell_of(matrix, early, course).valid_until == date(2025, 6, 16)


def test_revoked_certificates_do_not_count_and_the_latest_does(org, make_user):
    course = make_course("Safeguarding")
    require(org, course)
    revoked, renewed = make_user(), make_user()
    add_member(org, revoked)
    add_member(org, renewed)
    certificate = certify(revoked, course, awarded_on=date(2025, 1, 1))
    certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    certify(renewed, course, awarded_on=date(2022, 1, 1), expires_on=date(2023, 1, 1))
    certify(renewed, course, awarded_on=date(2025, 1, 1), expires_on=date(2027, 1, 1))
    matrix = compliance_matrix(actor=org.manager, organisation=org)
    assert cell_of(matrix, revoked, course).status is CellStatus.NOT_STARTED
    assert cell_of(matrix, revoked, course).awarded_on is None
    assert cell_of(matrix, renewed, course).text == "Certified until 1 Jan 2027"


def test_overdue_in_progress_and_not_started(org, make_user):
    course = make_course("Infection control")  # 4 lessons
    require(org, course)
    late = make_user()
    not_yet = make_user()
    studying = make_user()
    late_studying = make_user()
    add_member(org, late, joined_days_ago=OVERDUE_AFTER_DAYS)
    add_member(org, not_yet, joined_days_ago=OVERDUE_AFTER_DAYS - 1)
    add_member(org, studying)
    add_member(org, late_studying, joined_days_ago=200)
    progress(studying, course, 1)
    progress(late_studying, course, 3)
    matrix = compliance_matrix(actor=org.manager, organisation=org)
    assert cell_of(matrix, late, course).status is CellStatus.OVERDUE
    assert cell_of(matrix, not_yet, course).status is CellStatus.NOT_STARTED
    cell = cell_of(matrix, studying, course)
    assert (cell.status, cell.progress, cell.text) == (
        CellStatus.IN_PROGRESS,
        25,
        "In progress: 25%",
    )
    cell = cell_of(matrix, late_studying, course)
    assert (cell.status, cell.details) == (CellStatus.OVERDUE, ["75% of lessons done"])


def test_completing_the_course_certifies_with_completion_date(org, make_user):
    course = make_course("Food hygiene", certificate_validity_months=36)
    require(org, course)
    learner = make_user()
    add_member(org, learner, joined_days_ago=300)
    progress(learner, course, 4)
    cell = cell_of(compliance_matrix(actor=org.manager, organisation=org), learner, course)
    assert cell.status is CellStatus.CERTIFIED
    assert cell.valid_until == date(2028, 6, 15)
    assert cell.details == ["Awarded 15 Jun 2025", "100% of lessons done", "Completed 15 Jun 2025"]


def test_department_requirements_filters_and_counts(org, make_user):
    everyone = make_course("Safeguarding")
    kitchen_only = make_course("Food hygiene")
    require(org, everyone)
    require(org, kitchen_only, department="Kitchen")
    cook, carer = make_user(display_name="Cook"), make_user(display_name="Carer")
    add_member(org, cook, department="Kitchen")
    add_member(org, carer, department="Care")
    certify(carer, kitchen_only, awarded_on=date(2025, 1, 1))  # not required of her: not shown
    certify(cook, everyone, awarded_on=date(2025, 1, 1), expires_on=date(2025, 7, 1))
    matrix = compliance_matrix(actor=org.manager, organisation=org)
    assert [c.title for c in matrix.columns] == ["Food hygiene", "Safeguarding"]
    assert matrix.columns[0].applies_to == "Kitchen only"
    assert matrix.departments == ("Care", "Kitchen")
    carer_cell = cell_of(matrix, carer, kitchen_only)
    assert carer_cell.status is CellStatus.NOT_REQUIRED
    assert carer_cell.awarded_on is None and carer_cell.details == []
    assert cell_of(matrix, cook, kitchen_only).status is CellStatus.NOT_STARTED
    assert matrix.count(everyone.pk, CellStatus.EXPIRES_30) == 1
    assert matrix.count(everyone.pk, CellStatus.NOT_STARTED) == 2  # carer and the manager

    kitchen = compliance_matrix(actor=org.manager, organisation=org, department="Kitchen")
    assert [r.name for r in kitchen.rows] == ["Cook"]
    assert kitchen.member_count == 1
    expiring = compliance_matrix(actor=org.manager, organisation=org, status="expires_30")
    assert [r.name for r in expiring.rows] == ["Cook"]
    assert expiring.member_count == 3
    with pytest.raises(ValueError):
        compliance_matrix(actor=org.manager, organisation=org, status="bogus")


def test_people_who_left_are_not_shown(org, make_user):
    course = make_course("Safeguarding")
    require(org, course)
    gone = make_user(display_name="Gone")
    add_member(org, gone, left_at=timezone.now())
    matrix = compliance_matrix(actor=org.manager, organisation=org)
    assert "Gone" not in [r.name for r in matrix.rows]
    assert member_rows_for_user(user=gone) == []


def test_access_is_for_current_managers_and_staff_only(org, make_user):
    other = make_org("Elm House")
    other_manager = make_user()
    add_member(other, other_manager, manager=True)
    member = make_user()
    add_member(org, member)
    former = make_user()
    add_member(org, former, manager=True, left_at=timezone.now())
    from django.contrib.auth.models import AnonymousUser

    for actor in (other_manager, member, former, AnonymousUser()):
        with pytest.raises(Http404):
            compliance_matrix(actor=actor, organisation=org)
    assert compliance_matrix(actor=staff_manager(make_user), organisation=org).rows
    plain_staff = make_user(is_staff=True)
    with pytest.raises(Http404):
        compliance_matrix(actor=plain_staff, organisation=org)


def test_other_courses_appear_only_when_the_member_shares(org, make_user):
    required = make_course("Safeguarding")
    own = make_course("Watercolour for beginners")
    require(org, required)
    private, sharing = make_user(display_name="Private"), make_user(display_name="Sharing")
    add_member(org, private)
    add_member(org, sharing, shares=True)
    for user in (private, sharing):
        progress(user, own, 2)
    certify(sharing, make_course("Spanish"), awarded_on=date(2025, 1, 1))
    matrix = compliance_matrix(actor=org.manager, organisation=org)
    rows = {r.name: r for r in matrix.rows}
    assert rows["Private"].shared == ()
    assert [(c.course_title, c.text) for c in rows["Sharing"].shared] == [
        ("Spanish", "Certified (no expiry)"),
        ("Watercolour for beginners", "In progress: 50%"),
    ]
    assert all(not c.required for c in rows["Sharing"].shared)


def _populate(org, course_list, users):
    for i, user in enumerate(users):
        add_member(org, user, department=("Care", "Kitchen")[i % 2], shares=i % 3 == 0)
        certify(user, course_list[i % 3], awarded_on=date(2025, 1, 1), expires_on=date(2025, 7, 1))
        progress(user, course_list[(i + 1) % 3], 1)


def test_queries_are_flat_in_the_number_of_members(org, make_user):
    courses = [make_course(f"Course {n}") for n in range(3)]
    for course in courses:
        require(org, course)
    require(org, make_course("Kitchen course"), department="Kitchen", renewal_months=12)
    big = make_org("Big House")
    manager = org.manager
    add_member(big, manager, manager=True)
    for course in courses:
        require(big, course)
    require(big, make_course("Kitchen course 2"), department="Kitchen", renewal_months=12)
    _populate(org, courses, [make_user() for _ in range(3)])
    _populate(big, courses, [make_user() for _ in range(30)])
    counts = []
    for organisation in (org, big):
        with CaptureQueriesContext(connection) as queries:
            matrix = compliance_matrix(actor=manager, organisation=organisation)
            rendered = render_to_string("organisations/_matrix_row.html", {"row": matrix.rows[0]})
        assert "Certified" in rendered or "Expires" in rendered or "In progress" in rendered
        counts.append(len(queries.captured_queries))
    assert len(compliance_matrix(actor=manager, organisation=big).rows) == 31
    assert counts[0] == counts[1], counts
    assert counts[0] <= 7, counts


def test_the_learner_sees_exactly_the_managers_row(org, make_user):
    required = make_course("Safeguarding")
    other = make_course("Fire safety")
    require(org, required, renewal_months=12)
    require(org, other, department="Kitchen")
    learner = make_user(display_name="Lena Learner")
    add_member(org, learner, department="Care", shares=True)
    second = make_org("Second Employer")
    add_member(second, learner)
    require(second, other)
    certify(learner, required, awarded_on=date(2024, 7, 1), expires_on=date(2027, 1, 1))
    progress(learner, other, 1)
    progress(learner, make_course("Own interest"), 1)

    mine = member_rows_for_user(user=learner)
    assert [o.name for o, _ in mine] == ["Oak Care Home", "Second Employer"]
    manager_row = next(
        r
        for r in compliance_matrix(actor=org.manager, organisation=org).rows
        if r.user_id == learner.pk
    )
    assert mine[0][1] == manager_row
    assert render_to_string("organisations/_matrix_row.html", {"row": mine[0][1]}) == (
        render_to_string("organisations/_matrix_row.html", {"row": manager_row})
    )
    assert [c.status for c in manager_row.cells] == [
        CellStatus.NOT_REQUIRED,
        CellStatus.EXPIRES_30,
    ]
    # Fire safety is not required of her in Oak Care Home, so it is among the shared courses.
    assert [c.course_title for c in manager_row.shared] == ["Fire safety", "Own interest"]
    # The second employer: required there; she does not share, so nothing else.
    second_row = mine[1][1]
    assert [c.text for c in second_row.cells] == ["In progress: 25%"]
    assert second_row.shared == ()
    page = render_to_string(
        "organisations/matrix_member.html", {"organisation": org, "row": mine[0][1]}
    )
    assert "What managers of Oak Care Home see about you" in page
    assert "Expires within 30 days: 1 Jul 2025" in page
