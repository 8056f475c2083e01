"""The rights selectors' own answers: who may read a person's restriction, objections, data and
exports, and which rows count as current.

The learner's pages only ever ask about the signed-in learner, and some views check again, so
the selectors' checks are pinned here directly: the person themself and the DPO get an answer,
anyone else (another learner, staff without the DPO permission, nobody at all) a 404.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from learnward.accounts.roles import TUTOR
from learnward.privacy.rights import selectors
from learnward.privacy.rights.models import SubjectExport
from learnward.privacy.rights.services import (
    objection_record,
    objection_withdraw,
    restriction_lift,
    restriction_start,
)

pytestmark = pytest.mark.django_db

ABOUT_A_PERSON = [
    selectors.active_restriction,
    selectors.objection_choices,
    selectors.my_data,
    selectors.exports_for,
]


@pytest.mark.parametrize("selector", ABOUT_A_PERSON, ids=lambda s: s.__name__)
def test_another_learner_staff_without_the_permission_and_nobody_get_a_404(
    selector, learner, other_learner, make_user
):
    for actor in (other_learner, make_user(roles=[TUTOR]), AnonymousUser(), None):
        with pytest.raises(Http404):
            selector(actor=actor, user=learner)


@pytest.mark.parametrize("selector", ABOUT_A_PERSON, ids=lambda s: s.__name__)
def test_the_person_and_the_dpo_get_an_answer(selector, learner, dpo):
    selector(actor=learner, user=learner)
    selector(actor=dpo, user=learner)


def test_a_lifted_restriction_is_not_the_active_one(learner, other_learner, dpo):
    restriction_start(user=other_learner, actor=other_learner, reason="theirs")
    assert selectors.active_restriction(actor=learner, user=learner) is None
    restriction = restriction_start(user=learner, actor=learner, reason="Marks are wrong")
    assert selectors.active_restriction(actor=learner, user=learner) == restriction
    assert selectors.active_restriction(actor=dpo, user=learner) == restriction
    assert selectors.my_data(actor=learner, user=learner).restriction == restriction
    restriction_lift(restriction=restriction, actor=learner)
    assert selectors.active_restriction(actor=learner, user=learner) is None
    assert selectors.my_data(actor=learner, user=learner).restriction is None


def test_objection_choices_are_the_objectable_purposes_with_current_objections(
    learner, other_learner
):
    objection_record(user=other_learner, purpose="support", actor=other_learner)
    withdrawn = objection_record(user=learner, purpose="security", actor=learner)
    objection_withdraw(objection=withdrawn, actor=learner)
    current = objection_record(user=learner, purpose="evaluation", actor=learner)

    choices = {
        c.purpose.key: c.objection for c in selectors.objection_choices(actor=learner, user=learner)
    }
    assert {"evaluation", "support", "security"} <= set(choices)
    assert "account" not in choices  # contract: not objectable
    assert choices["evaluation"] == current
    assert choices["security"] is None  # withdrawn
    assert choices["support"] is None  # another learner's


def test_an_objection_is_the_objectors_and_the_dpos_to_open_while_it_stands(
    learner, other_learner, dpo
):
    objection = objection_record(user=learner, purpose="support", actor=learner)
    newer = objection_record(user=learner, purpose="evaluation", actor=learner)
    assert selectors.objection_for(actor=learner, pk=objection.pk) == objection
    assert selectors.objection_for(actor=learner, pk=newer.pk) == newer
    assert selectors.objection_for(actor=dpo, pk=objection.pk) == objection
    for actor in (other_learner, AnonymousUser(), None):
        with pytest.raises(Http404):
            selectors.objection_for(actor=actor, pk=objection.pk)
    objection_withdraw(objection=objection, actor=learner)
    with pytest.raises(Http404):
        selectors.objection_for(actor=learner, pk=objection.pk)


def _export(user, *, status=SubjectExport.Status.READY, expires_in=timedelta(days=3), file=True):
    from django.conf import settings

    export = SubjectExport.objects.create(
        user=user,
        status=status,
        ready_at=timezone.now(),
        expires_at=timezone.now() + expires_in,
        file_name=f"export-{user.pk}-{SubjectExport.objects.count()}.zip" if file else "",
    )
    if file:
        from django.core.files.base import ContentFile

        saved = export.storage.save(export.file_name, ContentFile(b"PK"))
        assert saved == export.file_name
        assert export.storage.path(saved).startswith(str(settings.EXPORT_ROOT))
    return export


def test_the_exports_listed_leave_out_expired_ones(learner, other_learner):
    ready = _export(learner)
    _export(learner, status=SubjectExport.Status.EXPIRED, file=False)
    _export(other_learner)
    assert list(selectors.exports_for(actor=learner, user=learner)) == [ready]


def test_only_the_owner_downloads_a_ready_unexpired_export_whose_file_exists(
    learner, other_learner, dpo
):
    export = _export(learner)
    newer = _export(learner)
    assert selectors.export_for_download(actor=learner, public_id=export.public_id) == export
    assert selectors.export_for_download(actor=learner, public_id=newer.public_id) == newer
    for actor in (other_learner, dpo, AnonymousUser(), None):  # not even the DPO: it is personal
        with pytest.raises(Http404):
            selectors.export_for_download(actor=actor, public_id=export.public_id)

    expired = _export(learner, expires_in=timedelta(seconds=-1))
    pending = _export(learner, status=SubjectExport.Status.PENDING)
    gone = _export(learner)
    gone.storage.delete(gone.file_name)
    nameless = _export(learner, file=False)
    for item in (expired, pending, gone, nameless):
        with pytest.raises(Http404):
            selectors.export_for_download(actor=learner, public_id=item.public_id)


# --- "My data": what each cell shows -------------------------------------------------------------


def _table(data, key) -> list[dict]:
    """Each record shown, as {field label: value in words}, its technical details included."""
    model = data.data[key]
    return [dict([*record.values, *record.technical]) for record in model.records]


def test_my_data_shows_own_links_as_you_others_by_name_and_choices_by_label(learner, dpo):
    from learnward.support.models import Enquiry

    Enquiry.objects.create(
        user=learner,
        name="Ada",
        email=learner.email,
        subject="Certificate name",
        kind=Enquiry.Kind.COMPLAINT,
        assigned_to=dpo,
    )
    [row] = _table(selectors.my_data(actor=learner, user=learner), "support.Enquiry")
    values = set(map(str, row.values()))
    assert "You" in values  # the enquiry's own user
    assert str(dpo) in values  # someone else: named as themselves, not "You"
    assert "Complaint" in values and "complaint" not in values  # the choice's label
    assert "Certificate name" in values  # a plain value
    course = [v for k, v in row.items() if k.lower().startswith("course")]
    assert course == ["none"]  # no course linked


def test_my_data_never_shows_a_credential_and_lists_many_to_many_links(learner):
    from django.contrib.auth.models import Group

    [row] = _table(selectors.my_data(actor=learner, user=learner), "accounts.User")
    assert "Kept secret, never shown" in row.values()
    assert not any(str(v).startswith(("md5$", "pbkdf2")) for v in row.values())
    assert "none" in row.values()  # no groups yet
    assert learner.email in row.values()

    learner.groups.add(Group.objects.create(name="Alpha"), Group.objects.create(name="Beta"))
    [row] = _table(selectors.my_data(actor=learner, user=learner), "accounts.User")
    assert "Alpha, Beta" in row.values() or "Beta, Alpha" in row.values()


def test_my_data_shows_the_newest_twenty_rows_and_counts_the_rest(learner):
    from django.contrib.auth.models import Group

    groups = [Group.objects.create(name=f"Group {n:02d}") for n in range(21)]
    learner.groups.add(*groups)
    data = selectors.my_data(actor=learner, user=learner).data["accounts.User_groups"]
    assert data.total == 21 and len(data.records) == 20 and data.more == 1
    shown = [
        value
        for record in data.records
        for _, value in [*record.values, *record.technical]
        if value.startswith("Group")
    ]
    assert shown == [f"Group {n:02d}" for n in range(20, 0, -1)]  # newest first; the oldest left

    learner.groups.remove(groups[0])
    data = selectors.my_data(actor=learner, user=learner).data["accounts.User_groups"]
    assert data.total == 20 and len(data.records) == 20 and data.more == 0
    empty = selectors.my_data(actor=learner, user=learner).data["accounts.User_user_permissions"]
    assert empty.total == 0 and empty.records == [] and empty.more == 0


def test_my_data_finds_rows_by_a_pending_email_address(learner, dpo):
    from learnward.privacy.rights import desk

    learner.pending_email = "ada.new@example.test"
    learner.save(update_fields=["pending_email"])
    desk.request_record(
        kind="access", channel="email", actor=dpo, requester_email="ADA.NEW@example.test"
    )
    desk.request_record(kind="access", channel="email", actor=dpo, requester_email="x@example.test")
    [row] = _table(selectors.my_data(actor=learner, user=learner), "privacy_rights.RightsRequest")
    assert "ada.new@example.test" in row.values()


def test_my_data_lists_the_audit_entries_about_the_person(learner, other_learner, dpo):
    from learnward.audit.actions import Action
    from learnward.audit.services import audit_record

    audit_record(action=Action.USER_PROFILE_CHANGED, actor=learner, subject=learner)
    audit_record(action=Action.USER_PASSWORD_CHANGED, actor=other_learner, subject=other_learner)
    audit_record(action=Action.USER_PASSWORD_CHANGED, actor=learner, subject=learner)
    for actor in (learner, dpo):
        rows = _table(selectors.my_data(actor=actor, user=learner), "audit.AuditEntry")
        actions = [
            v for r in rows for v in map(str, r.values()) if v.endswith(("changed", "Changed"))
        ]
        assert actions == ["Password changed", "Profile changed"]  # newest first, theirs only


def test_my_data_keeps_a_models_own_order(learner):
    """Objections are listed by when they were recorded, newest first, whatever their ids."""
    from learnward.privacy.consent.models import Objection

    now = timezone.now()
    Objection.objects.create(user=learner, purpose="support", recorded_at=now)
    Objection.objects.create(user=learner, purpose="evaluation", recorded_at=now - timedelta(1))
    rows = _table(selectors.my_data(actor=learner, user=learner), "privacy_consent.Objection")
    names = ("Answering your enquiries and complaints", "Course evaluations")
    purposes = [v for r in rows for v in r.values() if v in names]
    assert purposes == list(names)  # by name, never the key ("support")


def test_my_data_reports_a_scheduled_deletion(learner, other_learner):
    from learnward.privacy.rights.models import AccountDeletion

    AccountDeletion.objects.create(user=other_learner, erase_after=timezone.now())
    assert selectors.my_data(actor=learner, user=learner).deletion is None
    deletion = AccountDeletion.objects.create(user=learner, erase_after=timezone.now())
    assert selectors.my_data(actor=learner, user=learner).deletion == deletion


# --- the DPO's queue --------------------------------------------------------------------------


def test_the_queue_and_a_request_are_the_dpos_only(learner, make_user, dpo):
    from learnward.privacy.rights import desk

    item = desk.request_record(kind="access", channel="email", actor=dpo, requester=learner)
    for actor in (learner, make_user(roles=[TUTOR]), AnonymousUser(), None):
        with pytest.raises(Http404):
            selectors.request_queue(actor=actor)
        with pytest.raises(Http404):
            selectors.request_detail(actor=actor, pk=item.pk)
    assert selectors.request_detail(actor=dpo, pk=item.pk) == item
    with pytest.raises(Http404):
        selectors.request_detail(actor=dpo, pk=item.pk + 1000)


def test_the_queue_runs_by_due_date_then_received_date_waiting_ones_last(dpo):
    from datetime import date

    from learnward.privacy.rights import desk

    def record(name, received, confirmed=None):
        item = desk.request_record(
            kind="access", channel="letter", actor=dpo, requester_name=name, received_on=received
        )
        if confirmed:
            desk.request_confirm_identity(
                request=item, actor=dpo, note="Seen", confirmed_on=confirmed
            )
        return item

    with time_machine.travel(date(2025, 3, 3)):
        waiting_late = record("Waiting, received later", date(2025, 2, 20))
        waiting_early = record("Waiting, received earlier", date(2025, 2, 10))
        later = record("Due later", date(2025, 1, 20), confirmed=date(2025, 2, 14))
        sooner = record("Due sooner", date(2025, 2, 3), confirmed=date(2025, 2, 3))
        same_due = record(
            "Due later, received later", date(2025, 2, 14), confirmed=date(2025, 2, 14)
        )
        closed = record("Closed", date(2025, 1, 2))
        desk.request_close(request=closed, actor=dpo, outcome="refused", response_summary="None")

    queue = list(selectors.request_queue(actor=dpo))
    assert queue == [sooner, later, same_due, waiting_early, waiting_late]
    everything = list(selectors.request_queue(actor=dpo, include_closed=True))
    assert closed in everything and len(everything) == 6


def test_the_queue_reads_requesters_in_the_same_query(dpo, make_user):
    """The queue page names each request's account: its query count must not grow with them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from learnward.privacy.rights import desk

    for _ in range(3):
        desk.request_record(kind="access", channel="email", actor=dpo, requester=make_user())
    queue = selectors.request_queue(actor=dpo)  # the permission check asks the database itself
    with CaptureQueriesContext(connection) as ctx:
        emails = [r.requester.email for r in queue]
    assert len(emails) == 3 and len(ctx.captured_queries) == 1
