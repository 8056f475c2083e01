"""Certificate renewal: a course's renewal route (itself or a refresher) issues a new certificate
linked to the one it renews; both verify, the old one expires on its own date, never revoked."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.certificates import counting
from learnward.certificates.credentials.openbadges import signed_credential
from learnward.certificates.models import Certificate
from learnward.certificates.renewal import (
    renewal_course_for,
    renewal_status,
    renewal_target,
    renewal_url,
)
from learnward.certificates.services import (
    RenewalRefused,
    certificate_reissue,
    certificate_renewal_start,
    certificate_revoke,
)
from learnward.learning.models import Completion, Enrolment
from tests.certificates.credential_support import verify_credential_file
from tests.certificates.renewal_support import finish, renewable_course

pytestmark = pytest.mark.django_db


def _actions(action) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


@pytest.fixture
def under_way(make_user, time_machine):
    """A learner renewing a certificate (awarded 10 January 2026) for a course that renews
    itself: the renewal was started on 1 December 2026, the clock stands there."""
    learner = make_user()
    course = renewable_course()
    time_machine.move_to("2026-01-10 10:00Z")
    old = finish(learner, course)
    time_machine.move_to("2026-12-01 10:00Z")
    certificate_renewal_start(certificate=old, actor=learner)
    return learner, course, old


# --- A course that renews itself ---------------------------------------------------------------


def test_self_renewal_chain_verifies_on_both_certificates(
    client, make_user, time_machine, tmp_path
):
    learner = make_user(display_name="Amira Okafor")
    course = renewable_course(title="First Aid at Work", validity=12)
    time_machine.move_to("2026-01-10 10:00Z")
    old = finish(learner, course)
    assert (old.awarded_on, old.expires_on) == (date(2026, 1, 10), date(2027, 1, 10))
    assert renewal_course_for(old) == course
    old_credential = signed_credential(old)

    # Eleven months on, the holder starts the renewal from the certificate's renew page.
    time_machine.move_to("2026-12-01 09:00Z")
    client.force_login(learner)
    page = client.get(renewal_url(old))
    assert page.status_code == 200
    assert b"Start renewal" in page.content and course.title.encode() in page.content
    response = client.post(renewal_url(old))
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.cycle == 2 and enrolment.cycle_started_at is not None
    [started] = _actions(Action.CERTIFICATE_RENEWAL_STARTED)
    assert started.target_id == str(old.pk) and started.payload["cycle"] == 2

    time_machine.move_to("2026-12-05 15:00Z")
    new = finish(learner, course)
    assert new.pk != old.pk and new.renews_id == old.pk
    assert (new.awarded_on, new.expires_on) == (date(2026, 12, 5), date(2027, 12, 5))
    assert new.course == course and new.course_title == "First Aid at Work"
    assert new.holder_name == "Amira Okafor"
    assert Completion.objects.filter(enrolment=enrolment).count() == 2
    old.refresh_from_db()
    assert old.revoked_on is None and old.status == "valid"  # still valid until its own date
    [renewed] = _actions(Action.CERTIFICATE_RENEWED)
    assert renewed.target_id == str(new.pk)
    assert renewed.payload["renews"] == old.display_code
    assert not AuditEntry.objects.filter(
        action=Action.CERTIFICATE_ISSUED, target_id=str(new.pk)
    ).exists()
    assert renewal_course_for(old) is None  # renewed once
    assert renewal_course_for(new) == course  # the chain goes on

    # The old certificate's page and API say "renewed by" the new one, the new one "renews".
    client.logout()
    old_page = client.get(f"/verify/{old.display_code}/").content.decode()
    assert "Renewed by" in old_page and f"/verify/{new.display_code}/" in old_page
    assert new.display_code in old_page and "status-valid" in old_page
    new_page = client.get(f"/verify/{new.display_code}/").content.decode()
    assert "Renews" in new_page and f"/verify/{old.display_code}/" in new_page
    assert "Renewed by" not in new_page
    old_api = client.get(f"/api/v1/certificates/{old.display_code}").json()
    assert old_api["status"] == "valid"
    assert old_api["renewed_by"] == {
        "code": new.display_code,
        "url": f"http://127.0.0.1:8000/verify/{new.display_code}/",
    }
    assert "renews" not in old_api and "revoked_on" not in old_api
    new_api = client.get(f"/api/v1/certificates/{new.display_code}").json()
    assert new_api["renews"]["code"] == old.display_code and "renewed_by" not in new_api

    # Both credentials verify; the new one names the certificate it renews.
    new_credential = signed_credential(new)
    assert old.display_code in new_credential["description"]
    assert verify_credential_file(tmp_path, old_credential, "old")[0] == 0
    code, output = verify_credential_file(tmp_path, new_credential, "new")
    assert code == 0 and "not revoked" in output

    # On the old one's expiry date it shows expired (not revoked), still linked; the new is valid.
    time_machine.move_to("2027-01-10 12:00Z")
    old_page = client.get(f"/verify/{old.display_code}/").content.decode()
    assert "status-expired" in old_page and "revoked" not in old_page.lower()
    assert "It was renewed by certificate" in old_page
    old_api = client.get(f"/api/v1/certificates/{old.display_code}").json()
    assert old_api["status"] == "expired" and old_api["renewed_by"]["code"] == new.display_code
    assert client.get(f"/api/v1/certificates/{new.display_code}").json()["status"] == "valid"
    code, output = verify_credential_file(tmp_path, old_credential, "old-expired")
    assert code == 4 and "EXPIRED" in output and "not revoked" in output
    assert verify_credential_file(tmp_path, signed_credential(new), "new-later")[0] == 0


def test_verification_stays_one_query_with_the_renewal_links(client, under_way):
    learner, course, old = under_way
    new = finish(learner, course)
    for certificate, text in ((old, b"Renewed by"), (new, b"Renews")):
        for url in (
            f"/verify/{certificate.display_code}/",
            f"/api/v1/certificates/{certificate.display_code}",
        ):
            counting._last_flush = time.monotonic()  # no flush in this request
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            assert response.status_code == 200
            # (The buffered verification counts may be flushed too; those are not lookups.)
            ours = [
                q
                for q in context.captured_queries
                if "certificates_certificate" in q["sql"] and q["sql"].startswith("SELECT")
            ]
            assert len(ours) == 1, [q["sql"] for q in ours]
            if url.startswith("/verify/"):
                assert text in response.content


def test_an_expired_certificate_can_be_renewed(client, make_user, time_machine):
    learner = make_user()
    course = renewable_course(validity=12)
    time_machine.move_to("2025-03-01 10:00Z")
    old = finish(learner, course)
    time_machine.move_to("2026-06-01 10:00Z")  # three months after it expired
    assert old.status == "expired" and renewal_course_for(old) == course
    client.force_login(learner)
    assert b"expired on" in client.get(renewal_url(old)).content
    assert client.post(renewal_url(old)).status_code == 302
    new = finish(learner, course)
    assert new.renews == old and new.expires_on == date(2027, 6, 1)
    old.refresh_from_db()
    assert old.status == "expired" and old.revoked_on is None


def test_renewal_is_allowed_right_after_award_and_keeps_the_old_dates(make_user, time_machine):
    learner = make_user()
    course = renewable_course(validity=24)
    time_machine.move_to("2026-02-01 10:00Z")
    old = finish(learner, course)
    time_machine.move_to("2026-02-03 10:00Z")
    certificate_renewal_start(certificate=old, actor=learner)
    new = finish(learner, course)
    old.refresh_from_db()
    assert new.renews == old and (new.awarded_on, new.expires_on) == (
        date(2026, 2, 3),
        date(2028, 2, 3),
    )
    assert (old.awarded_on, old.expires_on, old.revoked_on) == (
        date(2026, 2, 1),
        date(2028, 2, 1),
        None,
    )


def test_the_new_cycle_needs_every_lesson_and_a_new_pass(under_way):
    from learnward.assessments.services import attempt_start, attempt_submit
    from learnward.learning.services import lesson_mark_complete
    from tests.catalog.factories import answers_for, lessons_of

    learner, course, old = under_way
    first, second = lessons_of(course)
    assert lesson_mark_complete(user=learner, lesson=first) is None
    attempt = attempt_start(user=learner, assessment=course.assessment)
    assert attempt.cycle == 2 and attempt.number == 1
    attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    assert Certificate.objects.filter(user=learner).count() == 1  # a lesson is still to do
    assert lesson_mark_complete(user=learner, lesson=second) is not None
    assert Certificate.objects.get(renews=old).user == learner


def test_completing_again_does_not_renew_twice(under_way, time_machine):
    from learnward.learning.services import completion_record_if_complete

    learner, course, old = under_way
    new = finish(learner, course)
    enrolment = Enrolment.objects.get(user=learner, course=course)
    # The same cycle completed "again": the completion and certificate already recorded.
    assert completion_record_if_complete(enrolment=enrolment) == new.completion
    assert Certificate.objects.filter(user=learner).count() == 2
    # A third cycle renews the newest certificate, never the one already renewed.
    time_machine.move_to("2027-11-01 10:00Z")
    certificate_renewal_start(certificate=new, actor=learner)
    third = finish(learner, course)
    assert third.renews == new
    assert Certificate.objects.filter(renews=old).count() == 1
    with pytest.raises(RenewalRefused, match="already been renewed"):
        certificate_renewal_start(certificate=old, actor=learner)


def test_starting_twice_starts_one_cycle_and_audits_once(client, make_user, time_machine):
    learner = make_user()
    course = renewable_course()
    time_machine.move_to("2026-01-10 10:00Z")
    old = finish(learner, course)
    time_machine.move_to("2026-12-01 10:00Z")
    client.force_login(learner)
    assert client.post(renewal_url(old)).status_code == 302
    second = client.post(renewal_url(old), follow=True)
    assert b"Your renewal is under way" in second.content
    assert Enrolment.objects.get(user=learner, course=course).cycle == 2
    assert len(_actions(Action.CERTIFICATE_RENEWAL_STARTED)) == 1
    page = client.get(renewal_url(old)).content.decode()
    assert "Continue" in page and "Start renewal" not in page


# --- A refresher course -----------------------------------------------------------------------


def test_refresher_route_renews_the_original_course_certificate(client, make_user, time_machine):
    learner = make_user()
    refresher = renewable_course(title="First Aid Refresher", validity=6, renews_itself=False)
    refresher.cpd_hours = 3
    refresher.save()
    course = renewable_course(title="First Aid at Work", validity=36, renews_itself=False)
    course.renewal_course = refresher
    course.save()
    time_machine.move_to("2024-01-10 10:00Z")
    old = finish(learner, course)
    time_machine.move_to("2026-11-20 10:00Z")
    client.force_login(learner)
    page = client.get(renewal_url(old)).content.decode()
    assert "refresher course" in page and refresher.title in page
    response = client.post(renewal_url(old))
    assert response["Location"] == refresher.get_absolute_url()
    assert Enrolment.objects.filter(user=learner, course=refresher, cycle=1).exists()
    assert _actions(Action.ENROLMENT_CREATED)[-1].payload["course_id"] == refresher.pk
    new = finish(learner, refresher)
    # A certificate for the qualification renewed, for the refresher's hours, valid for the
    # renewed course's period.
    assert new.renews == old and new.course == course and new.course_title == "First Aid at Work"
    assert new.cpd_hours == 3
    assert (new.awarded_on, new.expires_on) == (date(2026, 11, 20), date(2029, 11, 20))
    assert new.completion.enrolment.course == refresher
    # Renewing the renewal goes through the refresher again, in its second cycle.
    time_machine.move_to("2029-10-01 10:00Z")
    assert renewal_course_for(new) == refresher
    client.force_login(learner)  # (the earlier session has long expired)
    response = client.post(renewal_url(new))
    assert response["Location"] == refresher.get_absolute_url()
    assert Enrolment.objects.get(user=learner, course=refresher).cycle == 2
    assert finish(learner, refresher).renews == new


def test_refresher_validity_applies_when_the_renewed_course_has_none(make_user, time_machine):
    learner = make_user()
    refresher = renewable_course(validity=24, renews_itself=False)
    course = renewable_course(validity=12, renews_itself=False, renewal_course=refresher)
    time_machine.move_to("2026-01-10 10:00Z")
    old = finish(learner, course)
    course.certificate_validity_months = None  # no longer set on the course itself
    course.save()
    time_machine.move_to("2026-12-10 10:00Z")
    certificate_renewal_start(certificate=old, actor=learner)
    assert finish(learner, refresher).expires_on == date(2028, 12, 10)


def test_a_refresher_taken_without_a_certificate_to_renew_issues_its_own(make_user):
    learner = make_user()
    refresher = renewable_course(title="Refresher", renews_itself=False)
    renewable_course(renews_itself=False, renewal_course=refresher)
    certificate = finish(learner, refresher)
    assert certificate.renews is None and certificate.course == refresher
    assert certificate.course_title == "Refresher"


def test_a_shared_refresher_renews_the_certificate_expiring_first(make_user, time_machine):
    learner = make_user()
    refresher = renewable_course(title="Safeguarding refresher", renews_itself=False)
    adults = renewable_course(title="Adults", renewal_course=refresher, renews_itself=False)
    children = renewable_course(title="Children", renewal_course=refresher, renews_itself=False)
    time_machine.move_to("2026-01-10 10:00Z")
    adults_cert = finish(learner, adults)
    time_machine.move_to("2026-03-10 10:00Z")
    children_cert = finish(learner, children)
    assert renewal_target(user=learner, route=refresher) == adults_cert
    client = Client()
    client.force_login(learner)
    page = client.get(renewal_url(children_cert)).content.decode()
    assert "first, because it expires sooner" in page and adults_cert.display_code in page
    time_machine.move_to("2026-12-01 10:00Z")
    certificate_renewal_start(certificate=adults_cert, actor=learner)
    assert finish(learner, refresher).renews == adults_cert
    # The renewal now expires later than the children's certificate: that one goes next.
    assert renewal_target(user=learner, route=refresher) == children_cert
    certificate_renewal_start(certificate=children_cert, actor=learner)
    assert finish(learner, refresher).renews == children_cert


def test_only_the_latest_certificate_for_a_course_is_renewed(make_user):
    """(An older certificate for a course that renews itself would be renewed by completing
    it: see the next test. Here the route is added after both were issued.)"""
    from learnward.certificates.services import add_months, certificate_issue

    learner = make_user()
    course = renewable_course(renews_itself=False)
    today = date.today()
    older = certificate_issue(
        user=learner,
        holder_name="A",
        course_title=course.title,
        cpd_hours=1,
        awarded_on=add_months(today, -20),
        expires_on=add_months(today, -8),
        course=course,
    )
    newer = finish(learner, course)
    course.renewal_course = course
    course.save()
    status = renewal_status(older)
    assert not status.available and "newer certificate" in status.reason
    assert status.related == newer
    assert renewal_target(user=learner, route=course) == newer


def test_completing_a_self_renewing_course_renews_an_earlier_certificate_for_it(make_user):
    from learnward.certificates.services import add_months, certificate_issue

    learner = make_user()
    course = renewable_course()
    today = date.today()
    imported = certificate_issue(
        user=learner,
        holder_name="A",
        course_title=course.title,
        cpd_hours=1,
        awarded_on=add_months(today, -13),
        expires_on=add_months(today, -1),
        course=course,
    )
    assert finish(learner, course).renews == imported


# --- Refusals: another user's certificate, CSRF, nothing to renew -----------------------------


def test_another_users_renew_page_is_404_and_post_changes_nothing(client, make_user, time_machine):
    holder, other = make_user(), make_user()
    course = renewable_course()
    time_machine.move_to("2026-01-10 10:00Z")
    certificate = finish(holder, course)
    client.force_login(other)
    assert client.get(renewal_url(certificate)).status_code == 404
    assert client.post(renewal_url(certificate)).status_code == 404
    assert Enrolment.objects.get(user=holder, course=course).cycle == 1
    assert not Enrolment.objects.filter(user=other).exists()
    assert not _actions(Action.CERTIFICATE_RENEWAL_STARTED)
    client.logout()
    login = client.get(renewal_url(certificate))
    assert login.status_code == 302 and "/accounts/login/" in login["Location"]


def test_staff_may_look_but_only_the_holder_may_start(client, make_user, time_machine):
    from django.contrib.auth.models import Permission

    holder = make_user()
    staff = make_user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    course = renewable_course()
    time_machine.move_to("2026-01-10 10:00Z")
    certificate = finish(holder, course)
    client.force_login(staff)
    page = client.get(renewal_url(certificate))
    assert page.status_code == 200 and b"Start renewal" not in page.content
    assert client.post(renewal_url(certificate)).status_code == 404
    with pytest.raises(RenewalRefused):
        certificate_renewal_start(certificate=certificate, actor=staff)
    assert Enrolment.objects.get(user=holder, course=course).cycle == 1


def test_post_without_csrf_token_is_refused(make_user, time_machine):
    learner = make_user()
    course = renewable_course()
    time_machine.move_to("2026-01-10 10:00Z")
    certificate = finish(learner, course)
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(renewal_url(certificate)).status_code == 403
    assert Enrolment.objects.get(user=learner, course=course).cycle == 1
    assert not _actions(Action.CERTIFICATE_RENEWAL_STARTED)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no_route", "cannot be renewed online"),
        ("route_unpublished", "cannot be renewed online"),
        ("revoked", "was revoked"),
        ("never_expires", "does not expire"),
        ("superseded", "replaced by a corrected one"),
    ],
)
def test_unavailable_renewal_says_why_and_refuses_to_start(client, make_user, setup, message):
    learner = make_user()
    staff = make_user(is_staff=True)
    route = renewable_course(renews_itself=False)
    course = renewable_course(renews_itself=False, renewal_course=route)
    if setup == "never_expires":
        course.certificate_validity_months = None
        course.save()
    certificate = finish(learner, course)
    if setup == "no_route":
        course.renewal_course = None
        course.save()
    elif setup == "route_unpublished":
        route.published = False
        route.save()
    elif setup == "revoked":
        certificate_revoke(certificate=certificate, reason="Issued in error", actor=staff)
    elif setup == "superseded":
        certificate_reissue(certificate=certificate, holder_name="Corrected Name", actor=staff)
    client.force_login(learner)
    page = client.get(renewal_url(certificate)).content.decode()
    assert message in page and "Start renewal" not in page and "support" in page
    if setup in ("revoked", "superseded"):
        assert ", revoked." in page and "valid until" not in page  # not "valid until <date>"
    refused = client.post(renewal_url(certificate))
    assert refused.status_code == 409
    assert message in refused.content.decode() and "Your renewal was not started" in (
        refused.content.decode()
    )
    assert not Enrolment.objects.filter(user=learner, course=route).exists()
    assert not _actions(Action.CERTIFICATE_RENEWAL_STARTED)


def test_already_renewed_links_to_the_renewal(client, make_user, time_machine):
    learner = make_user()
    course = renewable_course()
    time_machine.move_to("2026-01-10 10:00Z")
    old = finish(learner, course)
    certificate_renewal_start(certificate=old, actor=learner)
    time_machine.move_to("2026-02-10 10:00Z")
    new = finish(learner, course)
    client.force_login(learner)
    page = client.get(renewal_url(old)).content.decode()
    assert "already been renewed" in page and f"/verify/{new.display_code}/" in page
    assert client.post(renewal_url(old)).status_code == 409
    assert Enrolment.objects.get(user=learner, course=course).cycle == 2


def test_unverified_email_cannot_start_a_refresher(client, make_user, time_machine):
    learner = make_user()
    refresher = renewable_course(renews_itself=False)
    course = renewable_course(renews_itself=False, renewal_course=refresher)
    certificate = finish(learner, course)
    learner.email_verified_at = None
    learner.save()
    client.force_login(learner)
    response = client.post(renewal_url(certificate))
    assert response.status_code == 403 and b"Verify your email address" in response.content
    assert not Enrolment.objects.filter(user=learner, course=refresher).exists()


def test_a_refresher_that_needs_awarding_body_details_goes_to_the_enrolment_form(client, make_user):
    from tests.catalog.factories import make_awarding_body

    learner = make_user()
    refresher = renewable_course(
        renews_itself=False,
        awarding_body=make_awarding_body(),
        date_of_birth_requirement="required",
    )
    course = renewable_course(renews_itself=False, renewal_course=refresher)
    certificate = finish(learner, course)
    client.force_login(learner)
    response = client.post(renewal_url(certificate))
    assert response.status_code == 302
    assert response["Location"] == f"/courses/{refresher.slug}/enrol/"
    assert not Enrolment.objects.filter(user=learner, course=refresher).exists()
    assert not _actions(Action.CERTIFICATE_RENEWAL_STARTED)


def test_malformed_or_unknown_code_is_404(client, make_user):
    client.force_login(make_user())
    assert client.get("/certificates/not-a-code/renew/").status_code == 404
    assert client.post("/certificates/7KQ4-M2XD-9TRB-H/renew/").status_code == 404


# --- Reissue keeps the chain ------------------------------------------------------------------


def test_reissue_moves_the_renewal_links_to_the_corrected_certificate(make_user, time_machine):
    learner = make_user()
    staff = make_user(is_staff=True)
    course = renewable_course()
    time_machine.move_to("2026-01-10 10:00Z")
    first = finish(learner, course)
    certificate_renewal_start(certificate=first, actor=learner)
    time_machine.move_to("2026-12-10 10:00Z")
    second = finish(learner, course)
    corrected_first = certificate_reissue(certificate=first, holder_name="New Name", actor=staff)
    second.refresh_from_db()
    assert second.renews == corrected_first
    corrected_second = certificate_reissue(certificate=second, holder_name="New Name", actor=staff)
    assert corrected_second.renews == corrected_first
    second.refresh_from_db()
    assert second.renews is None and second.is_superseded
    assert renewal_course_for(corrected_second) == course
