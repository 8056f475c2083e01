"""The managers' weekly digest, through the real command and a loopback SMTP server."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from learnward.core.periodic import registered_daily_jobs
from learnward.organisations.models import Membership
from tests.organisations.test_matrix_support import (
    NOW,
    add_member,
    certify,
    clock,  # noqa: F401 - fixture
    make_course,
    make_org,
    require,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def team(make_user, settings):
    settings.BASE_URL = "https://learn.example.test"
    org = make_org()
    manager = make_user(email="mina@example.test", display_name="Mina Manager")
    add_member(org, manager, manager=True, digest_opt_in=True)
    safeguarding = make_course("Safeguarding")
    fire = make_course("Fire safety")
    require(org, safeguarding)
    require(org, fire)
    new, lapsed, due, old = (
        make_user(display_name=n) for n in ("Nadia New", "Larry Lapsed", "Dee Due", "Olga Old")
    )
    for user in (new, lapsed, due, old):
        add_member(org, user)
    certify(new, safeguarding, awarded_on=date(2025, 6, 12))  # 3 days ago
    certify(lapsed, fire, awarded_on=date(2024, 6, 1), expires_on=date(2025, 6, 13))
    certify(due, fire, awarded_on=date(2024, 7, 1), expires_on=date(2025, 7, 1))
    certify(old, fire, awarded_on=date(2023, 1, 1), expires_on=date(2024, 1, 1))
    return org, manager, safeguarding, fire


def test_registered_as_a_daily_job():
    assert "organisations_digest" in registered_daily_jobs()


def test_the_digest_says_what_changed_and_what_is_due(smtp_server, team):
    org, manager, *_ = team
    call_command("organisations_digest")
    [message] = smtp_server.messages
    assert message.envelope_to == ["mina@example.test"]
    assert message.subject == "Weekly training digest: Oak Care Home"
    text = message.text.replace("\r\n", "\n")
    assert text.startswith("Hello Mina Manager,")
    assert text.rstrip().endswith(settings.PROVIDER_NAME)
    assert (
        "New certificates since 8 June 2025:\n- Nadia New: Safeguarding, awarded 12 Jun 2025"
        in (text)
    )
    assert "Expired since 8 June 2025:\n- Larry Lapsed: Fire safety, expired 13 Jun 2025" in text
    assert "Due in the next 30 days:\n- Dee Due: Fire safety, by 1 Jul 2025" in text
    assert "Olga Old" not in text  # expired long ago: not news
    assert "Still outstanding: 2 expired, 0 overdue." in text
    assert "https://learn.example.test/organisations/oak-care-home/compliance/" in text
    membership = Membership.objects.get(user=manager)
    assert membership.digest_sent_at == NOW


def test_at_most_once_a_week_and_idempotent(smtp_server, team, time_machine, make_user):
    org, manager, safeguarding, fire = team
    call_command("organisations_digest")
    call_command("organisations_digest")
    assert len(smtp_server.messages) == 1
    time_machine.move_to(NOW + timedelta(days=6, hours=23), tick=False)
    call_command("organisations_digest")
    assert len(smtp_server.messages) == 1
    # A week later: the window starts on the day of the last digest.
    late = make_user(display_name="Lara Later")
    add_member(org, late)
    certify(late, safeguarding, awarded_on=date(2025, 6, 20))
    time_machine.move_to(NOW + timedelta(days=7), tick=False)
    call_command("organisations_digest")
    assert len(smtp_server.messages) == 2
    text = smtp_server.messages[1].text.replace("\r\n", "\n")
    assert "New certificates since 15 June 2025:\n- Lara Later: Safeguarding" in text
    assert "Nadia New" not in text  # reported last week
    assert "Expired since 15 June 2025:\n- none" in text
    assert "- Dee Due: Fire safety, by 1 Jul 2025" in text  # still due, still listed
    call_command("organisations_digest")
    assert len(smtp_server.messages) == 2


def test_who_gets_one(smtp_server, team, make_user):
    org, manager, safeguarding, _ = team
    not_opted = make_user(email="no@example.test")
    add_member(org, not_opted, manager=True)
    member_opted = make_user(email="member@example.test")
    add_member(org, member_opted, digest_opt_in=True)
    former = make_user(email="former@example.test")
    add_member(org, former, manager=True, digest_opt_in=True, left_at=timezone.now())
    closed = make_user(email="closed@example.test", status="closed")
    add_member(org, closed, manager=True, digest_opt_in=True)
    # A manager of two organisations gets one email covering both.
    second = make_org("Elm House")
    add_member(second, manager, manager=True, digest_opt_in=True)
    require(second, safeguarding)
    colleague = make_user(display_name="Eli Elm")
    add_member(second, colleague)
    certify(colleague, safeguarding, awarded_on=date(2025, 6, 14))
    call_command("organisations_digest")
    assert [m.envelope_to for m in smtp_server.messages] == [["mina@example.test"]]
    text = smtp_server.messages[0].text.replace("\r\n", "\n")
    assert smtp_server.messages[0].subject == "Weekly training digest: 2 organisations"
    assert "== Elm House ==" in text and "== Oak Care Home ==" in text
    assert text.index("Eli Elm") < text.index("== Oak Care Home ==")
    assert Membership.objects.filter(digest_sent_at=NOW).count() == 2


def test_nothing_to_say_sends_nothing(smtp_server, make_user):
    org = make_org()
    manager = make_user()
    add_member(org, manager, manager=True, digest_opt_in=True)
    require(org, make_course("Safeguarding"))
    call_command("organisations_digest")
    assert smtp_server.messages == []
    assert Membership.objects.get(user=manager).digest_sent_at is None


def test_a_failed_send_is_tried_again(smtp_server, team):
    org, manager, *_ = team
    smtp_server.refuse("mina@example.test", "451 4.3.0 Try again later")
    with pytest.raises(CommandError, match="1 digest"):
        call_command("organisations_digest")
    assert Membership.objects.get(user=manager).digest_sent_at is None
    smtp_server.handler.refused.clear()
    call_command("organisations_digest")
    assert len(smtp_server.messages) == 1
