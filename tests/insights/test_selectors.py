"""Each chart's numbers for the known dataset (tests/insights/conftest.py), per role."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from learnward.insights.periods import Period
from learnward.insights.selectors import chart_data, insights_scope
from tests.insights.conftest import TODAY

pytestmark = pytest.mark.django_db

PERIOD = Period.default(TODAY)  # July 2024 to June 2025


def table(scope, name: str, period: Period = PERIOD) -> dict[str, list[str]]:
    data = chart_data(scope=scope, name=name, period=period, today=TODAY)
    rows = {row.key: [cell.text for cell in row.cells] for row in data.rows}
    if data.total is not None:
        rows["Total"] = [cell.text for cell in data.total.cells]
    return rows


def nonzero(rows: dict[str, list[str]]) -> dict[str, list[str]]:
    return {k: v for k, v in rows.items() if any(c != "0" for c in v)}


def test_default_period_is_the_last_twelve_months():
    assert PERIOD.start.isoformat() == "2024-07-01" and PERIOD.end.isoformat() == "2025-06-01"
    assert len(PERIOD.months) == 12


def test_activity_for_an_administrator(world, admin):
    rows = table(insights_scope(actor=admin), "activity")
    assert list(rows)[:2] == ["2024-07", "2024-08"] and len(rows) == 13
    assert nonzero(rows) == {
        # One of July's five enrolled at 00:30 on 1 July London time (30 June in UTC).
        "2024-07": ["5", "0"],
        "2025-01": ["16", "5"],
        "2025-02": ["fewer than 5", "7"],
        # One of April's five enrolled at 00:30 on 1 April London time; March stays empty.
        "2025-04": ["5", "0"],
        # Enrolments add up a suppressed month: their total is withheld; completions' is not.
        "Total": ["not shown", "12"],
    }


def test_activity_for_a_tutor_leaves_out_other_courses(world, tutor):
    rows = table(insights_scope(actor=tutor), "activity")
    assert nonzero(rows) == {
        "2024-07": ["5", "0"],
        "2025-01": ["6", "5"],  # without course B's 10 enrolments
        "2025-02": ["fewer than 5", "fewer than 5"],  # without B's 6 completions
        "2025-04": ["5", "0"],
        "Total": ["not shown", "not shown"],
    }


def test_assessments_for_an_administrator(world, admin):
    rows = table(insights_scope(actor=admin), "assessments")
    assert rows == {
        # 10 learners, 5 passed: every figure shown; 15 attempts / 10 learners.
        "Fire safety": ["10", "5", "5", "50%", "1.5"],
        # 3 learners: nothing but "fewer than 5".
        "First aid": ["fewer than 5", "not shown", "not shown", "not shown", "not shown"],
        # 6 learners, 1 did not pass: its complement and the rate are withheld; 8 / 6 attempts.
        "Manual handling": ["6", "not shown", "fewer than 5", "not shown", "1.3"],
    }


def test_assessments_for_a_tutor(world, tutor):
    rows = table(insights_scope(actor=tutor), "assessments")
    assert list(rows) == ["Manual handling"]


def test_certificates_for_an_administrator(world, admin):
    rows = table(insights_scope(actor=admin), "certificates")
    assert nonzero(rows) == {
        "2025-01": ["5", "0"],  # the revoked sixth is left out
        "2025-02": ["6", "0"],
        # Issued: the valid renewal (the revoked one is left out). Expired: 7, less the one
        # renewed; the one "renewed" by a revoked certificate still counts.
        "2025-05": ["fewer than 5", "6"],
        "2025-06": ["0", "fewer than 5"],  # expired today
        "Total": ["not shown", "not shown"],
    }


def test_certificates_for_a_tutor(world, tutor):
    rows = table(insights_scope(actor=tutor), "certificates")
    assert nonzero(rows) == {
        "2025-01": ["5", "0"],
        "2025-05": ["fewer than 5", "6"],
        "2025-06": ["0", "fewer than 5"],
        "Total": ["not shown", "not shown"],
    }


def test_expiring_within_ninety_days(world, admin, tutor):
    rows = table(insights_scope(actor=admin), "expiring")
    assert rows == {
        "Fire safety": ["fewer than 5"],
        # 1 and 2 July, 1 and 2 August, 13 September (day 90). Not: 14 September, the revoked
        # one, the one already renewed.
        "Manual handling": ["5"],
        "Course no longer on the site": ["fewer than 5"],
        "Total": ["not shown"],
    }
    assert table(insights_scope(actor=tutor), "expiring") == {
        "Manual handling": ["5"],
        "Total": ["5"],
    }


def test_verifications(world, admin, tutor):
    assert nonzero(table(insights_scope(actor=admin), "verifications")) == {
        "2025-01": ["17"],  # A's two rows (3 + 4) and B's 10
        "2025-02": ["fewer than 5"],
        "2025-03": ["6"],  # a deleted course's checks count for administrators
        "Total": ["not shown"],
    }
    assert nonzero(table(insights_scope(actor=tutor), "verifications")) == {
        "2025-01": ["7"],
        "2025-02": ["fewer than 5"],
        "Total": ["not shown"],
    }


def test_a_chosen_period(world, admin):
    period = Period(date(2025, 1, 1), date(2025, 1, 1))
    rows = table(insights_scope(actor=admin), "activity", period)
    assert rows == {"2025-01": ["16", "5"], "Total": ["16", "5"]}  # nothing suppressed: totals


def test_a_higher_threshold_suppresses_more(world, admin, settings):
    settings.INSIGHTS_MIN_COUNT = 10
    rows = table(insights_scope(actor=admin), "assessments")
    # 5 passed and 5 did not: both now below the threshold, so no pass rate either.
    assert rows["Fire safety"] == ["10", "fewer than 10", "fewer than 10", "not shown", "1.5"]
    assert rows["Manual handling"][0] == "fewer than 10"


def test_a_tutor_with_no_courses_sees_nothing(world, make_user):
    other_tutor = make_user(roles=["Tutor"])
    scope = insights_scope(actor=other_tutor)
    assert nonzero(table(scope, "activity")) == {}
    assert table(scope, "assessments") == {}
    assert table(scope, "expiring") == {}


def test_scope_per_role(make_user, admin, tutor, dpo):
    superuser = make_user(is_superuser=True, is_staff=True)
    assert insights_scope(actor=superuser).all_courses and insights_scope(actor=superuser).dpo
    scope = insights_scope(actor=admin)
    assert scope.all_courses and not scope.dpo
    scope = insights_scope(actor=tutor)
    assert scope.tutored and not scope.all_courses and not scope.dpo
    scope = insights_scope(actor=dpo)
    assert scope.dpo and not scope.courses
    both = make_user(roles=["Tutor", "Data protection officer"])
    scope = insights_scope(actor=both)
    assert scope.tutored and scope.dpo and not scope.all_courses


@pytest.mark.parametrize("roles", [(), ("Course author",)])
def test_no_scope_for_learners_and_other_staff(make_user, roles):
    user = make_user(roles=roles)
    with pytest.raises(Http404):
        insights_scope(actor=user)


def test_a_dpo_gets_no_course_data(dpo, world):
    scope = insights_scope(actor=dpo)
    with pytest.raises(Http404):
        chart_data(scope=scope, name="activity", period=PERIOD, today=TODAY)
