"""Who may read the audit entries about a person."""

import pytest
from django.contrib.auth.models import Permission

from learnward.audit.actions import Action
from learnward.audit.selectors import audit_entries_about
from learnward.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _entries(subject, other):
    mine = [
        audit_record(action=Action.USER_SIGNED_UP, actor=subject, subject=subject, target=subject),
        audit_record(action=Action.USER_EMAIL_VERIFIED, subject=subject, target=subject),
    ]
    audit_record(action=Action.USER_SIGNED_UP, actor=other, subject=other, target=other)
    mine.append(
        audit_record(
            action=Action.USER_PROFILE_CHANGED, actor=other, subject=subject, target=subject
        )
    )
    return mine


def test_a_person_reads_their_own_entries_newest_first(make_user):
    subject, other = make_user(), make_user()
    mine = _entries(subject, other)
    seen = list(audit_entries_about(actor=subject, subject=subject))
    assert [e.pk for e in seen] == [e.pk for e in reversed(mine)]


def test_another_person_reads_nothing(make_user):
    subject, other = make_user(), make_user()
    _entries(subject, other)
    assert list(audit_entries_about(actor=other, subject=subject)) == []


def test_staff_with_the_view_permission_read_anyones_entries(make_user):
    subject, other = make_user(), make_user()
    mine = _entries(subject, other)
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="audit", codename="view_auditentry")
    )
    viewer = type(viewer).objects.get(pk=viewer.pk)
    seen = list(audit_entries_about(actor=viewer, subject=subject))
    assert [e.pk for e in seen] == [e.pk for e in reversed(mine)]
    assert list(audit_entries_about(actor=make_user(is_staff=True), subject=subject)) == []
