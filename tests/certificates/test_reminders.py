"""Expiry reminders: each interval's email arrives exactly once, over a real SMTP server, however
often, late or concurrently the job runs; never for certificates or accounts that must not get one."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.certificates import reminders
from learnward.certificates.models import Certificate, ExpiryReminder
from learnward.certificates.services import (
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
)
from tests.settings_support import import_settings
from tests.threads import race

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _run(*args) -> str:
    out = StringIO()
    call_command("send_expiry_reminders", *args, stdout=out)
    return out.getvalue()


def _issue(user, *, expires_in: int, title="Manual handling", course=None, today=None):
    today = today or timezone.localdate()
    return certificate_issue(
        user=user,
        holder_name=getattr(user, "display_name", "Former Learner"),
        course_title=title,
        cpd_hours="2",
        awarded_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=expires_in),
        course=course,
    )


@pytest.fixture
def renewable(make_user, make_course, complete):
    """A certificate whose course renews itself, expiring 12 months after completion."""
    course = make_course(title="Safeguarding & Welfare: Level 2", validity=12)
    course.renewal_course = course
    course.save(update_fields=["renewal_course"])
    learner = make_user(email="holder@example.test", display_name="Zoë Ødegaard")
    return complete(user=learner, course=course)


def test_each_interval_arrives_exactly_once_as_the_clock_moves_day_by_day(
    renewable, smtp_server, time_machine
):
    expires_on = renewable.expires_on
    day = expires_on - timedelta(days=70)
    arrivals: dict[int, date] = {}
    while day <= expires_on + timedelta(days=3):
        for hour in (3, 15):  # the job runs twice a day
            time_machine.move_to(_at(day, hour), tick=False)
            before = len(smtp_server.messages)
            _run()
            for message in smtp_server.messages[before:]:
                days_left = (expires_on - day).days
                assert days_left not in arrivals, f"second reminder on {day}"
                arrivals[days_left] = day
                assert message.envelope_to == ["holder@example.test"]
        day += timedelta(days=1)

    assert sorted(arrivals) == [7, 30, 60]
    assert len(smtp_server.messages) == 3
    assert sorted(
        ExpiryReminder.objects.filter(certificate=renewable).values_list("days_before", flat=True)
    ) == [7, 30, 60]

    first = smtp_server.messages[0]
    assert first.subject == (
        "Your certificate for Safeguarding & Welfare: Level 2 expires in 60 days"
    )
    expiry_words = f"{expires_on.day} {expires_on:%B %Y}"
    renew = f"http://127.0.0.1:8000/certificates/{renewable.display_code}/renew/"
    for part in (first.text, first.html):
        assert "Zoë Ødegaard" in part
        assert expiry_words in part
        assert renewable.display_code in part
        assert renew in part
    assert renew in first.links()
    assert "Safeguarding & Welfare" in first.text  # plain text is not HTML-escaped
    assert "Safeguarding &amp; Welfare" in first.html
    assert "in 7 days" in smtp_server.messages[2].text


def test_a_late_run_sends_only_the_most_urgent_due_reminder(make_user, smtp_server):
    learner = make_user()
    certificate = _issue(learner, expires_in=20)
    _run()
    assert [m.subject for m in smtp_server.messages] == [
        "Your certificate for Manual handling expires in 20 days"
    ]
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [30]
    _run()
    assert len(smtp_server.messages) == 1
    # The 60-day reminder never follows a more urgent one, even when the intervals change.
    certificate.expires_on = timezone.localdate() + timedelta(days=45)
    certificate.save(update_fields=["expires_on"])
    _run()
    assert len(smtp_server.messages) == 1


def test_no_reminder_before_its_day_and_one_on_it(make_user, smtp_server, time_machine):
    today = timezone.localdate()
    certificate = _issue(make_user(), expires_in=61, today=today)
    time_machine.move_to(_at(today, 9), tick=False)
    assert "Sent 0 reminder(s) 60 days" in _run()
    assert smtp_server.messages == []
    time_machine.move_to(_at(today + timedelta(days=1), 9), tick=False)
    assert "Sent 1 reminder(s) 60 days" in _run()
    assert ExpiryReminder.objects.get().certificate == certificate


def test_reminders_skip_what_must_not_be_reminded(make_user, make_course, smtp_server):
    from learnward.accounts.models import User
    from learnward.communications.topics import MARKETING_PURPOSE
    from learnward.privacy.consent.models import Objection, ProcessingRestriction
    from learnward.privacy.rights.models import AccountDeletion

    def holder(name, **extra):
        return make_user(email=f"{name}@example.test", **extra)

    course = make_course(title="Manual handling")
    reminded = _issue(holder("reminded"), expires_in=25)
    # Marketing refused and objected to: a service message still goes.
    no_marketing = holder("no-marketing")
    Objection.objects.create(user=no_marketing, purpose=MARKETING_PURPOSE)
    _issue(no_marketing, expires_in=25)

    certificate_revoke(certificate=_issue(holder("revoked"), expires_in=25), reason="x", actor=None)
    replaced = _issue(holder("replaced"), expires_in=25)
    replacement = certificate_reissue(certificate=replaced, holder_name="New Name", actor=None)
    renewed = _issue(holder("renewed"), expires_in=25)
    renewal = _issue(renewed.user, expires_in=400)
    Certificate.objects.filter(pk=renewal.pk).update(renews=renewed)
    retaken = holder("retaken")
    _issue(retaken, expires_in=25, course=course)
    certificate_issue(
        user=retaken,
        holder_name="Retaken",
        course_title="Manual handling",
        cpd_hours="2",
        awarded_on=timezone.localdate(),
        expires_on=timezone.localdate() + timedelta(days=365),
        course=course,
    )
    _issue(holder("other-course"), expires_in=25, course=course)
    _issue(holder("expired"), expires_in=0)
    _issue(holder("expired-yesterday"), expires_in=-1)
    _issue(None, expires_in=25)
    _issue(holder("closed", status=User.Status.CLOSED), expires_in=25)
    _issue(holder("deactivated", status=User.Status.DEACTIVATED), expires_in=25)
    _issue(holder("guardian", status=User.Status.PENDING_GUARDIAN), expires_in=25)
    pending = holder("deleting")
    AccountDeletion.objects.create(user=pending, erase_after=timezone.now() + timedelta(days=9))
    _issue(pending, expires_in=25)
    restricted = holder("restricted")
    ProcessingRestriction.objects.create(user=restricted, requested_by="learner")
    _issue(restricted, expires_in=25)
    lifted = holder("lifted")
    ProcessingRestriction.objects.create(
        user=lifted, requested_by="learner", lifted_at=timezone.now()
    )
    _issue(lifted, expires_in=25)
    forever = _issue(holder("never-expires"), expires_in=25)
    Certificate.objects.filter(pk=forever.pk).update(expires_on=None)

    _run()
    recipients = sorted(m.envelope_to[0] for m in smtp_server.messages)
    # The reissued certificate is valid and expires on the same day: its holder is reminded.
    assert recipients == [
        "lifted@example.test",
        "no-marketing@example.test",
        "other-course@example.test",
        "reminded@example.test",
        "replaced@example.test",
    ]
    assert ExpiryReminder.objects.filter(certificate=replacement).exists()
    assert ExpiryReminder.objects.filter(certificate=reminded).exists()
    assert ExpiryReminder.objects.count() == 5


def test_without_a_renewal_route_the_email_links_the_certificate_and_says_how_to_ask(
    make_user, smtp_server, settings
):
    settings.PROVIDER_EMAIL = "renewals@provider.test"
    certificate = _issue(make_user(), expires_in=7)
    _run()
    (message,) = smtp_server.messages
    page = f"http://127.0.0.1:8000/certificates/{certificate.display_code}/"
    assert page in message.links()
    assert "http://127.0.0.1:8000/support/contact/" in message.links()
    assert "renewals@provider.test" in message.text and "renewals@provider.test" in message.html
    assert "/renew/" not in message.text
    assert "cannot be renewed online" in message.text


def test_dry_run_counts_per_interval_and_sends_and_stores_nothing(make_user, smtp_server):
    for expires_in in (59, 45, 29, 6, 3, 90):
        _issue(make_user(), expires_in=expires_in)
    audits = AuditEntry.objects.count()
    out = _run("--dry-run")
    assert "Would send 2 reminder(s) 60 days before expiry." in out
    assert "Would send 1 reminder(s) 30 days before expiry." in out
    assert "Would send 2 reminder(s) 7 days before expiry." in out
    assert "nothing was sent or stored" in out
    assert smtp_server.messages == []
    assert ExpiryReminder.objects.count() == 0
    assert AuditEntry.objects.count() == audits
    out = _run()
    assert "Sent 2 reminder(s) 60 days" in out and "Sent 2 reminder(s) 7 days" in out
    assert len(smtp_server.messages) == 5
    assert "Would send 0 reminder(s) 60 days" in _run("--dry-run")


def test_the_run_is_audited_with_counts_only(make_user, smtp_server):
    learner = make_user(email="private.person@example.test", display_name="Private Person")
    certificate = _issue(learner, expires_in=30)
    _run()
    entry = AuditEntry.objects.filter(action=Action.EXPIRY_REMINDERS_RUN).get()
    assert entry.payload == {
        "intervals": [60, 30, 7],
        "sent": {"60": 0, "30": 1, "7": 0},
        "failed": 0,
        "undeliverable": 0,
    }
    assert entry.actor_id is None and entry.subject_id is None
    text = str(entry.payload) + entry.target_id
    assert "private" not in text.lower() and certificate.display_code not in text


def test_a_failed_send_is_not_recorded_does_not_stop_the_batch_and_is_retried(
    make_user, caplog, smtp_server
):
    _issue(make_user(email="bounces@example.test"), expires_in=30)
    _issue(make_user(email="fine@example.test"), expires_in=29)
    _issue(make_user(email="also-fine@example.test"), expires_in=28)
    smtp_server.refuse("bounces@example.test", "451 4.3.0 Temporary failure, try later")
    with caplog.at_level(logging.INFO), pytest.raises(CommandError, match="1 reminder"):
        _run()
    accepted = sorted(m.envelope_to[0] for m in smtp_server.messages)
    assert accepted == ["also-fine@example.test", "fine@example.test"]
    assert ExpiryReminder.objects.count() == 2
    assert not ExpiryReminder.objects.filter(certificate__user__email="bounces@example.test")
    # No addresses in our log, not even from the SMTP error (the test server's own log is not ours).
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("learnward"))
    assert "SMTPRecipientsRefused" in ours
    assert "@" not in ours
    entry = AuditEntry.objects.filter(action=Action.EXPIRY_REMINDERS_RUN).get()
    assert entry.payload["failed"] == 1 and entry.payload["sent"]["30"] == 2

    # The next run (the server accepts everyone again) sends the one that failed, only it.
    smtp_server.handler.refused.clear()
    smtp_server.clear()
    _run()
    assert [m.envelope_to for m in smtp_server.messages] == [["bounces@example.test"]]
    assert ExpiryReminder.objects.count() == 3


def _closed_port() -> int:
    """A loopback port nothing listens on."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_mail_server_records_nothing(make_user, settings):
    _issue(make_user(), expires_in=30)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    with pytest.raises(CommandError, match="tried again on the next run"):
        _run()
    assert ExpiryReminder.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(make_user, smtp_server):
    for n in range(6):
        _issue(make_user(), expires_in=7 + n * 10)  # 7, 17, ... 57: one due reminder each
    outcomes = race(reminders.expiry_reminders_send, reminders.expiry_reminders_send)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    recipients = [m.envelope_to[0] for m in smtp_server.messages]
    assert len(recipients) == 6 and len(set(recipients)) == 6
    assert ExpiryReminder.objects.count() == 6
    runs = AuditEntry.objects.filter(action=Action.EXPIRY_REMINDERS_RUN)
    assert sum(sum(e.payload["sent"].values()) for e in runs) == 6


def test_the_intervals_come_from_the_setting(make_user, smtp_server, settings):
    settings.CERTIFICATE_REMINDER_DAYS = "14, 3"
    _issue(make_user(), expires_in=20)
    _issue(make_user(), expires_in=14)
    out = _run()
    assert "Sent 1 reminder(s) 14 days" in out and "Sent 0 reminder(s) 3 days" in out
    assert "60 days" not in out
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [14]


@pytest.mark.parametrize(
    "value", ["60,thirty,7", "60,0,7", "60,-7", "7.5", "", " , ", "60;30"], ids=repr
)
def test_a_bad_setting_is_refused_clearly_and_nothing_is_sent(
    value, make_user, smtp_server, settings
):
    settings.CERTIFICATE_REMINDER_DAYS = value
    _issue(make_user(), expires_in=7)
    with pytest.raises(ImproperlyConfigured, match="LEARNWARD_CERTIFICATE_REMINDER_DAYS"):
        _run()
    assert smtp_server.messages == [] and ExpiryReminder.objects.count() == 0


def test_parse_reminder_days():
    assert reminders.parse_reminder_days("60,30,7") == (60, 30, 7)
    assert reminders.parse_reminder_days(" 7, 30 ,60,30 ") == (60, 30, 7)
    assert reminders.parse_reminder_days([1]) == (1,)
    with pytest.raises(ImproperlyConfigured, match="whole numbers of days above 0"):
        reminders.parse_reminder_days("sixty")


def test_due_interval():
    intervals = (60, 30, 7)
    assert reminders.due_interval(61, intervals) is None
    assert reminders.due_interval(60, intervals) == 60
    assert reminders.due_interval(31, intervals) == 60
    assert reminders.due_interval(30, intervals) == 30
    assert reminders.due_interval(8, intervals) == 30
    assert reminders.due_interval(7, intervals) == 7
    assert reminders.due_interval(1, intervals) == 7
    assert reminders.due_interval(0, intervals) is None  # expires today: expired


def test_settings_refuse_a_bad_value_at_start_up():
    result = import_settings({"LEARNWARD_CERTIFICATE_REMINDER_DAYS": "60,30,soon"})
    assert result.returncode != 0
    assert "LEARNWARD_CERTIFICATE_REMINDER_DAYS must be whole numbers" in result.stderr
    ok = import_settings(
        {"LEARNWARD_CERTIFICATE_REMINDER_DAYS": "90, 14"},
        "import learnward.settings as s; print(s.CERTIFICATE_REMINDER_DAYS)",
    )
    assert ok.returncode == 0 and ok.stdout.strip() == "90, 14"


def test_the_daily_jobs_include_the_reminders():
    from learnward.core.periodic import registered_daily_jobs

    assert "send_expiry_reminders" in registered_daily_jobs()


def test_a_name_correction_does_not_repeat_reminders_already_sent(
    make_user, smtp_server, time_machine
):
    """Reissuing (same expiry date) carries the reminders sent: the next run sends nothing new
    until the next interval comes round."""
    time_machine.move_to("2026-03-01 09:00Z")
    holder = make_user(email="renamed@example.test")
    certificate = _issue(holder, expires_in=29)  # the 30-day reminder is due today
    _run()
    assert len(smtp_server.messages) == 1
    time_machine.move_to("2026-03-05 09:00Z")
    corrected = certificate_reissue(certificate=certificate, holder_name="Renamed", actor=None)
    _run()
    assert len(smtp_server.messages) == 1, "the 30-day reminder was not sent again"
    assert set(corrected.expiry_reminders.values_list("days_before", flat=True)) == {30}
    time_machine.move_to("2026-03-24 09:00Z")  # 6 days left: the 7-day reminder, once
    _run()
    _run()
    assert len(smtp_server.messages) == 2
    assert "in 6 days" in smtp_server.messages[-1].text


def test_a_revoked_renewal_releases_the_certificate_it_renewed(make_user, smtp_server):
    """Revoking a renewal outright (issued in error) leaves the renewed certificate as it was
    before: reminded again, shown expiring, renewable; the audit keeps the link."""
    from learnward.audit.actions import Action
    from learnward.audit.models import AuditEntry
    from learnward.certificates.renewal import renewal_status

    holder = make_user(email="released@example.test")
    renewed = _issue(holder, expires_in=25)
    renewal = _issue(holder, expires_in=400)
    Certificate.objects.filter(pk=renewal.pk).update(renews=renewed)
    _run()
    assert smtp_server.messages == []  # renewed: nothing to remind
    certificate_revoke(certificate=renewal, reason="Issued in error.", actor=None)
    assert not Certificate.objects.filter(renews=renewed).exists()
    assert renewal_status(renewed).reason != "This certificate has already been renewed."
    _run()
    assert [m.envelope_to[0] for m in smtp_server.messages] == ["released@example.test"]
    payload = AuditEntry.objects.get(action=Action.CERTIFICATE_REVOKED).payload
    assert payload == {"code": renewal.display_code, "renewed": renewed.display_code}


def test_an_address_refused_for_good_is_not_retried_every_day(make_user, smtp_server):
    """A 5xx refusal of the recipient will not change tomorrow: the reminder counts as
    undeliverable, is not retried, and does not make the daily job fail. A 4xx is retried."""
    from learnward.audit.actions import Action
    from learnward.audit.models import AuditEntry

    gone = make_user(email="gone@example.test")
    busy = make_user(email="busy@example.test")
    fine = make_user(email="fine@example.test")
    for holder in (gone, busy, fine):
        _issue(holder, expires_in=25)
    smtp_server.refuse("gone@example.test")
    smtp_server.refuse("busy@example.test", "450 4.2.1 Mailbox busy, try later")
    with pytest.raises(CommandError, match="1 reminder"):
        _run()
    assert [m.envelope_to for m in smtp_server.messages] == [["fine@example.test"]]
    summary = AuditEntry.objects.filter(action=Action.EXPIRY_REMINDERS_RUN).latest("pk").payload
    assert (summary["failed"], summary["undeliverable"]) == (1, 1)
    assert ExpiryReminder.objects.filter(certificate__user=gone).exists()  # not tried again
    assert not ExpiryReminder.objects.filter(certificate__user=busy).exists()  # tried again

    smtp_server.handler.refused.clear()
    out = _run()
    assert [m.envelope_to[0] for m in smtp_server.messages][1:] == ["busy@example.test"]
    assert "refused" not in out


def test_an_account_closed_during_the_run_is_not_reminded(make_user, smtp_server, monkeypatch):
    """The candidates are checked again when each batch is loaded for sending."""
    from learnward.accounts.models import User

    closing = make_user(email="closing@example.test")
    _issue(closing, expires_in=25)
    _issue(make_user(email="staying@example.test"), expires_in=25)
    due = reminders.reminders_due

    def due_then_close(**kwargs):
        found = due(**kwargs)
        User.objects.filter(pk=closing.pk).update(status=User.Status.CLOSED)
        return found

    monkeypatch.setattr(reminders, "reminders_due", due_then_close)
    _run()
    assert [m.envelope_to[0] for m in smtp_server.messages] == ["staying@example.test"]
