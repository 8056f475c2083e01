"""The DPO's panel: rights requests by due date, the retention dry run, open breaches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnward.insights.selectors import dpo_panel, insights_scope
from learnward.privacy.records import breaches
from learnward.privacy.records.models import Breach
from learnward.privacy.rights.models import RightsRequest
from tests.insights.conftest import TODAY

pytestmark = pytest.mark.django_db

URL = "/staff/insights/"


def _request(**fields) -> RightsRequest:
    fields.setdefault("kind", RightsRequest.Kind.ACCESS)
    fields.setdefault("channel", RightsRequest.Channel.EMAIL)
    fields.setdefault("requester_name", "Priya Requester")
    fields.setdefault("requester_email", "priya@example.test")
    return RightsRequest.objects.create(**fields)


@pytest.fixture
def desk(dpo):
    overdue = _request(
        kind=RightsRequest.Kind.ERASURE,
        status=RightsRequest.Status.IN_PROGRESS,
        due_on=TODAY - timedelta(days=3),
    )
    later = _request(status=RightsRequest.Status.IN_PROGRESS, due_on=TODAY + timedelta(days=20))
    waiting = _request(status=RightsRequest.Status.AWAITING_IDENTITY)
    _request(status=RightsRequest.Status.CLOSED, due_on=TODAY - timedelta(days=40))
    now = timezone.now()
    fresh = breaches.breach_record(
        actor=dpo, title="Misdirected spreadsheet", detected_at=now - timedelta(hours=5)
    )
    late = breaches.breach_record(
        actor=dpo, title="Lost laptop", detected_at=now - timedelta(hours=80)
    )
    settled = breaches.breach_record(
        actor=dpo,
        title="Settled breach",
        detected_at=now - timedelta(days=30),
        nature="A printout left on a train.",
        data_categories=["user.contact.email"],
        people_affected=1,
        records_affected=1,
        likely_consequences="None likely.",
        measures_taken="Recovered.",
    )
    breaches.breach_decide_ico(
        breach=settled, actor=dpo, decision=Breach.Decision.NOT_REQUIRED, reasons="No risk."
    )
    breaches.breach_decide_people(
        breach=settled, actor=dpo, decision=Breach.Decision.NOT_REQUIRED, reasons="No risk."
    )
    return overdue, later, waiting, fresh, late


def test_panel_contents(dpo, desk):
    overdue, later, waiting, fresh, late = desk
    panel = dpo_panel(actor=dpo, scope=insights_scope(actor=dpo), today=TODAY)
    assert [r.pk for r in panel.requests] == [overdue.pk, later.pk, waiting.pk]  # by due date
    assert (panel.open_count, panel.overdue_count) == (3, 1)
    assert [b.pk for b, _ in panel.breaches] == [fresh.pk, late.pk]  # the settled one is closed
    clocks = {b.pk: c for b, c in panel.breaches}
    assert not clocks[fresh.pk].overdue and clocks[late.pk].overdue
    assert panel.retention is not None and panel.retention_problem == ""
    assert all(plan.action != "keep" for plan in panel.retention)


def test_retention_counts_are_the_dry_run(dpo, make_user):
    """An activity event past its 24 months is due; the panel says so, as the dry run does."""
    from learnward.learning.models import ActivityEvent
    from learnward.privacy.retention.services import retention_plan
    from tests.catalog.factories import lessons_of, make_course

    course = make_course()
    learner = make_user()
    ActivityEvent.objects.create(
        user=learner,
        course=course,
        lesson=lessons_of(course)[0],
        kind=ActivityEvent.Kind.VIEWED,
        occurred_at=timezone.now() - timedelta(days=800),
    )
    panel = dpo_panel(actor=dpo, scope=insights_scope(actor=dpo), today=TODAY)
    due = {plan.key: plan.due for plan in panel.retention}
    assert due["learning.ActivityEvent"] == 1
    assert due == {p.key: p.due for p in retention_plan(counts=True) if p.action != "keep"}


def test_page_flags_overdue_and_links_to_the_desk(client, dpo, desk):
    overdue, later, waiting, fresh, late = desk
    client.force_login(dpo)
    page = client.get(URL).text
    assert f'href="/staff/privacy/requests/{overdue.pk}/"' in page
    assert f"Request #{overdue.pk}: Erasure (deleting data)</a>" in page
    assert page.count('<strong class="insights-flag">Overdue</strong>') == 1
    assert "Clock not started (awaiting identity)" in page
    assert "Priya" not in page and "priya@example.test" not in page  # no names, no addresses
    assert f'href="/staff/privacy/breaches/{late.pk}/"' in page
    assert "overdue by 8 hours" in page  # 80 hours after detection, 72 allowed
    assert "Settled breach" not in page
    assert "<caption>Rows due under each retention rule</caption>" in page
    assert 'href="/staff/privacy/"' in page  # the desk
