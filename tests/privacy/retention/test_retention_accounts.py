"""Account retention: a warning 30 days ahead, keeping the account by logging in, and erasure
through the rights app's subject_erase (certificates stay as limited records)."""

from __future__ import annotations

from datetime import UTC, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from learnward.accounts.models import User
from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.certificates.models import Certificate
from learnward.privacy.retention import services as retention
from learnward.privacy.retention.models import RetentionWarning

from .retention_support import aware

pytestmark = pytest.mark.django_db

DEACTIVATED = aware(2030, 1, 10, 9, 0)
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.BASE_URL = "http://testserver"
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    cache.clear()


def deactivated(make_user, *, at=DEACTIVATED, status="deactivated", **extra):
    user = make_user(**extra)
    User.objects.filter(pk=user.pk).update(status=status, deactivated_at=at)
    user.refresh_from_db()
    return user


def account_plan():
    return next(p for p in retention.retention_plan() if p.key == "accounts.User")


def with_certificate(user):
    from learnward.certificates.services import certificate_issue_for_completion
    from learnward.learning.models import Completion, Enrolment
    from tests.catalog.factories import make_course

    course = make_course(questions=0)
    enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=DEACTIVATED)
    completion = Completion.objects.create(enrolment=enrolment, completed_at=DEACTIVATED)
    return certificate_issue_for_completion(completion=completion)


def test_learner_is_warned_30_days_ahead_and_keeps_the_account_by_logging_in(
    make_user, smtp_server, client
):
    learner = deactivated(make_user, email="kim@example.test")
    bystander = make_user(email="active@example.test")
    # 12 months end on 10 January 2031; warned on 16 December, so deleted no sooner than 30
    # days after the warning: 15 January 2031.
    eleven_months = DEACTIVATED + timedelta(days=340)
    with time_machine.travel(eleven_months, tick=False):
        plan = account_plan()
        assert (plan.due, plan.warnings_to_send) == (0, 1)
        retention.retention_run()
    messages = smtp_server.to("kim@example.test")
    assert len(messages) == 1
    assert not smtp_server.to("active@example.test")
    email = messages[0]
    assert "will be deleted" in email.subject
    assert "15 January 2031" in email.text
    link = next(link for link in email.links() if "/privacy/account/keep/" in link)
    path = urlsplit(link).path
    with time_machine.travel(eleven_months + timedelta(days=2), tick=False):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        login = client.post(
            reverse("accounts:login") + f"?next={path}",
            {"username": "kim@example.test", "password": PASSWORD},
        )
        assert login.status_code == 302 and login["Location"] == path
        page = client.get(path)
        assert page.status_code == 200
        assert "15 January 2031" in page.content.decode()
        kept = client.post(path)
        assert kept.status_code == 302
    learner.refresh_from_db()
    assert learner.status == User.Status.ACTIVE and learner.deactivated_at is None
    with time_machine.travel(DEACTIVATED + timedelta(days=500), tick=False):
        retention.retention_run()
    assert User.objects.filter(pk=learner.pk).exists()
    assert len(smtp_server.to("kim@example.test")) == 1  # no second warning
    assert User.objects.filter(pk=bystander.pk).exists()


def test_an_unkept_account_is_erased_after_its_period_and_the_warning(make_user, smtp_server):
    learner = deactivated(make_user, email="gone@example.test")
    certificate = with_certificate(learner)
    with time_machine.travel(DEACTIVATED + timedelta(days=340), tick=False):
        retention.retention_run()
    assert len(smtp_server.to("gone@example.test")) == 1
    after = DEACTIVATED + timedelta(days=370)
    with time_machine.travel(after, tick=False):
        plan = account_plan()
        assert plan.due == 1
        run = retention.retention_run()
    assert run.stats["accounts.User"]["processed"] == 1
    assert not User.objects.filter(pk=learner.pk).exists()
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.user_id is None and certificate.holder_name  # the limited record stays
    erased = AuditEntry.objects.get(action=Action.SUBJECT_ERASED)
    assert erased.payload["reason"].startswith("Retention:")
    assert not RetentionWarning.objects.exists()


def test_no_account_is_erased_without_a_warning_first(make_user, smtp_server):
    """On a new install, accounts long past their period are warned first, erased 30 days later."""
    learner = deactivated(make_user, email="late@example.test")
    long_after = DEACTIVATED + timedelta(days=800)
    with time_machine.travel(long_after, tick=False):
        plan = account_plan()
        assert (plan.due, plan.warnings_to_send) == (0, 1)
        assert any(k.count == 1 and "warned" in k.reason for k in plan.keeps)
        retention.retention_run()
        assert User.objects.filter(pk=learner.pk).exists()
    warning = RetentionWarning.objects.get(user=learner)
    assert warning.deletion_due_at == long_after.astimezone(UTC) + timedelta(days=30)
    with time_machine.travel(long_after + timedelta(days=29), tick=False):
        assert account_plan().due == 0
        retention.retention_run()
        assert User.objects.filter(pk=learner.pk).exists()
    with time_machine.travel(long_after + timedelta(days=31), tick=False):
        assert account_plan().due == 1
        retention.retention_run()
    assert not User.objects.filter(pk=learner.pk).exists()
    assert len(smtp_server.to("late@example.test")) == 1


def test_warning_is_sent_once_however_often_retention_runs(make_user, smtp_server):
    deactivated(make_user, email="once@example.test")
    for day in (340, 341, 345):
        with time_machine.travel(DEACTIVATED + timedelta(days=day), tick=False):
            retention.retention_run()
    assert len(smtp_server.to("once@example.test")) == 1


def test_a_new_deactivation_gets_a_new_warning(make_user, smtp_server, client):
    learner = deactivated(make_user, email="twice@example.test")
    with time_machine.travel(DEACTIVATED + timedelta(days=340), tick=False):
        retention.retention_run()
        client.force_login(learner)
        client.post(reverse("privacy:keep_account"))
    again = DEACTIVATED + timedelta(days=400)
    User.objects.filter(pk=learner.pk).update(status="deactivated", deactivated_at=again)
    with time_machine.travel(again + timedelta(days=340), tick=False):
        retention.retention_run()
    assert len(smtp_server.to("twice@example.test")) == 2


def test_active_accounts_and_recent_deactivations_are_left_alone(make_user, smtp_server):
    active = make_user()
    User.objects.filter(pk=active.pk).update(deactivated_at=DEACTIVATED)  # stale date, active
    recent = deactivated(make_user, at=DEACTIVATED + timedelta(days=200))
    with time_machine.travel(DEACTIVATED + timedelta(days=400), tick=False):
        plan = account_plan()
        assert (plan.due, plan.warnings_to_send) == (0, 0)
        retention.retention_run()
    assert User.objects.filter(pk__in=[active.pk, recent.pk]).count() == 2
    assert smtp_server.messages == []


def test_a_restricted_account_is_neither_warned_nor_erased(make_user, smtp_server):
    from learnward.privacy.rights.services import restriction_start

    learner = deactivated(make_user)
    restriction_start(user=learner, actor=learner, reason="Legal claim")
    with time_machine.travel(DEACTIVATED + timedelta(days=900), tick=False):
        plan = account_plan()
        assert (plan.due, plan.warnings_to_send) == (0, 0)
        assert any("restricted" in k.reason for k in plan.keeps)
        retention.retention_run()
    assert User.objects.filter(pk=learner.pk).exists()
    assert smtp_server.messages == []


def test_closed_accounts_cannot_log_in_so_are_erased_without_a_warning(make_user, smtp_server):
    learner = deactivated(make_user, status="closed")
    with time_machine.travel(DEACTIVATED + timedelta(days=370), tick=False):
        assert account_plan().due == 1
        retention.retention_run()
    assert not User.objects.filter(pk=learner.pk).exists()
    assert smtp_server.messages == []


def test_keep_page_for_an_active_account_changes_nothing(make_user, client):
    learner = make_user()
    client.force_login(learner)
    page = client.get(reverse("privacy:keep_account"))
    assert page.status_code == 200
    assert "not due to be deleted" in page.content.decode()
    client.post(reverse("privacy:keep_account"))
    learner.refresh_from_db()
    assert learner.status == User.Status.ACTIVE
    assert not AuditEntry.objects.filter(action=Action.USER_STATUS_CHANGED).exists()


def test_keep_page_needs_a_signed_in_account(client):
    response = client.post(reverse("privacy:keep_account"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deactivated_learner_who_logs_in_is_offered_to_keep_the_account(make_user, client):
    deactivated(make_user, email="back@example.test")
    response = client.post(
        reverse("accounts:login"),
        {"username": "back@example.test", "password": PASSWORD},
        follow=True,
    )
    html = response.content.decode()
    assert reverse("privacy:keep_account") in html
    client.post(reverse("privacy:keep_account"))
    assert User.objects.get(email="back@example.test").status == User.Status.ACTIVE
    assert AuditEntry.objects.filter(action=Action.USER_STATUS_CHANGED).exists()
