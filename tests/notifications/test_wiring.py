"""The apps that raise notifications: a rights request answered, a certificate about to expire,
a password changed or an email change requested (security: a service kind)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from learnward.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_closing_a_rights_request_notifies_the_requester(make_user):
    from learnward.accounts.roles import DPO
    from learnward.privacy.rights import desk

    learner = make_user()
    staff = make_user(roles=[DPO])
    item = desk.request_record(
        kind="access", channel="letter", actor=staff, requester_name="Bob", requester=learner
    )
    item = desk.request_confirm_identity(request=item, actor=staff, note="Passport seen")
    desk.request_close(request=item, actor=staff, outcome="fulfilled", response_summary="Sent")
    [n] = Notification.objects.filter(user=learner)
    assert n.kind == "request_answered"
    assert n.url == "/privacy/my-data/"
    assert not Notification.objects.filter(user=staff).exists()


def test_an_expiry_reminder_notifies_the_holder(make_user, smtp_server):
    from learnward.certificates.services import certificate_issue

    learner = make_user()
    today = timezone.localdate()
    certificate = certificate_issue(
        user=learner,
        holder_name="Learner",
        course_title="Manual handling",
        cpd_hours="2",
        awarded_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=20),
        course=None,
    )
    call_command("send_expiry_reminders", stdout=StringIO())
    [n] = Notification.objects.filter(user=learner)
    assert n.kind == "certificate_expiry"
    assert n.title == "Your certificate for Manual handling expires in 20 days"
    assert n.url == certificate.get_absolute_url()
    call_command("send_expiry_reminders", stdout=StringIO())
    assert Notification.objects.filter(user=learner).count() == 1


def test_a_password_change_is_a_security_notice(make_user):
    from learnward.accounts.services import user_change_password

    learner = make_user()
    user_change_password(user=learner, new_password="a new long passphrase 42")
    [n] = Notification.objects.filter(user=learner)
    assert (n.kind, n.title, n.in_app) == ("security", "Your password was changed", True)
