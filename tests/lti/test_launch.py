"""Resource-link launches from the loopback platform: real OIDC login initiation, real
RS256-signed id_tokens checked against the platform's key set over HTTP."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from learnward.audit.models import AuditEntry
from learnward.learning.models import Enrolment
from learnward.lti.models import LtiAccountLink, LtiLaunch
from tests.catalog.factories import make_course

from .conftest import launch, login_and_get_form

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def course(db):
    return make_course(title="Manual handling", modules=1, lessons_per_module=1, questions=1)


def test_a_valid_launch_signs_in_a_new_linked_account_enrolled_on_the_course(
    client, fake_platform, platform, course
):
    response = launch(client, fake_platform, platform, course_slug=course.slug, sub="u-42")

    assert response.status_code == 302
    assert response["Location"] == f"/courses/{course.slug}/"
    link = LtiAccountLink.objects.get(platform=platform, subject="u-42")
    user = link.user
    assert user.display_name == "Pat Learner"
    assert user.email.endswith("@learners.invalid")
    assert Enrolment.objects.filter(user=user, course=course, left_at=None).exists()
    recorded = LtiLaunch.objects.get(user=user, course=course)
    assert recorded.lineitem_url == fake_platform.lineitem_url("1")
    assert recorded.can_post_scores
    # Signed in: the course page shows the learner's enrolment.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.wsgi_request.user == user
    assert AuditEntry.objects.filter(action="lti.account_created", subject_id=user.pk).exists()


def test_a_second_launch_by_the_same_sub_signs_in_the_same_account(
    client, fake_platform, platform, course
):
    launch(client, fake_platform, platform, course_slug=course.slug, sub="u-1")
    client.logout()
    launch(client, fake_platform, platform, course_slug=course.slug, sub="u-1")

    assert LtiAccountLink.objects.count() == 1
    assert User.objects.filter(email__endswith="@learners.invalid").count() == 1
    assert LtiLaunch.objects.count() == 2


def test_an_email_claim_links_an_existing_account_only_when_its_address_is_verified(
    client, fake_platform, platform, course, make_user
):
    verified = make_user(email="verified@example.test")
    unverified = make_user(email="unverified@example.test", email_verified_at=None)

    launch(client, fake_platform, platform, course_slug=course.slug, sub="a", email=verified.email)
    client.logout()
    launch(
        client, fake_platform, platform, course_slug=course.slug, sub="b", email=unverified.email
    )

    assert LtiAccountLink.objects.get(subject="a").user == verified
    assert LtiAccountLink.objects.get(subject="a").via_email
    other = LtiAccountLink.objects.get(subject="b").user
    assert other != unverified
    assert other.email.endswith("@learners.invalid")


def test_an_email_claim_never_links_a_staff_account(
    client, fake_platform, platform, course, make_user
):
    from learnward.accounts.roles import ADMINISTRATOR

    staff = make_user(email="admin@example.test", roles=[ADMINISTRATOR])

    launch(client, fake_platform, platform, course_slug=course.slug, sub="s", email=staff.email)

    assert LtiAccountLink.objects.get(subject="s").user != staff


def test_email_linking_can_be_turned_off_for_a_platform(
    client, fake_platform, platform, course, make_user
):
    verified = make_user(email="verified@example.test")
    platform.link_by_email = False
    platform.save()

    launch(client, fake_platform, platform, course_slug=course.slug, sub="a", email=verified.email)

    assert LtiAccountLink.objects.get(subject="a").user != verified


def _refused(response, status, words):
    assert response.status_code == status
    text = response.content.decode()
    assert "Could not open the course" in text
    assert words in text
    assert not LtiLaunch.objects.exists()
    assert not LtiAccountLink.objects.exists()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_a_bad_signature_is_refused(client, fake_platform, platform, course):
    response = launch(
        client, fake_platform, platform, course_slug=course.slug, sign_with_other_key=True
    )
    _refused(response, 400, "could not verify this launch")
    # Junk at the public launch URL is logged, not audited (it cannot fill the audit trail).
    assert not AuditEntry.objects.filter(action="lti.launch_refused").exists()


def test_a_replayed_id_token_is_refused(client, fake_platform, platform, course):
    fake_platform.next_launch(course_slug=course.slug)
    form = login_and_get_form(client, fake_platform, platform)
    first = client.post("/lti/launch/", form)
    assert first.status_code == 302
    client.logout()  # a fresh session in the same browser, the state cookie still there

    again = client.post("/lti/launch/", form)

    assert again.status_code == 400
    assert "already used" in again.content.decode()
    assert LtiLaunch.objects.count() == 1
    entry = AuditEntry.objects.get(action="lti.launch_refused")
    assert entry.payload == {"reason": "replayed"}


def test_a_wrong_audience_is_refused(client, fake_platform, platform, course):
    response = launch(client, fake_platform, platform, course_slug=course.slug, aud="other-tool")
    _refused(response, 400, "not registered with us")


def test_a_token_without_an_expiry_is_refused(client, fake_platform, platform, course):
    response = launch(client, fake_platform, platform, course_slug=course.slug, drop=("exp",))
    _refused(response, 400, "could not be accepted")


def test_an_unknown_deployment_is_refused(client, fake_platform, platform, course):
    response = launch(
        client, fake_platform, platform, course_slug=course.slug, deployment_id="dep-unknown"
    )
    _refused(response, 400, "deployment ID")


def test_a_switched_off_platform_is_refused_at_login_initiation(
    client, fake_platform, platform, course
):
    platform.enabled = False
    platform.save()
    response = client.get(
        f"/lti/login/{platform.uuid}/",
        {
            "iss": fake_platform.issuer,
            "login_hint": "x",
            "target_link_uri": "http://testserver/lti/launch/",
            "client_id": fake_platform.client_id,
        },
    )
    assert response.status_code == 400
    assert "not registered with us" in response.content.decode()


def test_login_initiation_only_sends_the_browser_back_to_our_own_launch_url(
    client, fake_platform, platform
):
    response = client.get(
        f"/lti/login/{platform.uuid}/",
        {
            "iss": fake_platform.issuer,
            "login_hint": "x",
            "target_link_uri": "https://evil.example/steal",
            "client_id": fake_platform.client_id,
        },
    )
    assert response.status_code == 400


def test_a_launch_without_the_state_cookie_is_refused(client, fake_platform, platform, course):
    fake_platform.next_launch(course_slug=course.slug)
    form = login_and_get_form(client, fake_platform, platform)
    client.cookies.clear()

    response = client.post("/lti/launch/", form)

    _refused(response, 400, "did not keep the cookie")


def test_a_launch_of_an_unpublished_course_is_refused(client, fake_platform, platform):
    draft = make_course(published=False, modules=1, lessons_per_module=1, questions=0)
    response = launch(client, fake_platform, platform, course_slug=draft.slug)
    _refused(response, 404, "not available")


def test_a_gated_course_shows_why_and_stores_no_launch(client, fake_platform, platform, course):
    from learnward.learning import extensions

    def gate(*, user, course):
        return extensions.EnrolmentGate(message="Buy this course first.", url="/shop/", label="Buy")

    extensions.register_enrolment_gate("test-lti-gate", gate)
    try:
        response = launch(client, fake_platform, platform, course_slug=course.slug)
    finally:
        extensions._ENROLMENT_GATES.pop("test-lti-gate", None)

    assert response.status_code == 403
    assert "Buy this course first." in response.content.decode()
    assert not LtiLaunch.objects.exists()
    assert not Enrolment.objects.filter(course=course).exists()


def test_get_on_the_launch_url_is_not_allowed(client, lti_settings):
    assert client.get("/lti/launch/").status_code == 405


def test_a_used_nonce_is_forgotten_once_its_token_expired(db, platform):
    from datetime import timedelta

    from learnward.lti.models import LtiNonce
    from learnward.lti.services import nonce_use

    past = timezone.now() - timedelta(minutes=1)
    LtiNonce.objects.create(platform=platform, nonce="old", expires_at=past)
    nonce_use(platform=platform, nonce="new", expires_at=timezone.now() + timedelta(minutes=5))
    assert list(LtiNonce.objects.values_list("nonce", flat=True)) == ["new"]


def test_the_key_set_url_is_checked_again_when_it_is_fetched(
    client, fake_platform, platform, course, settings
):
    fake_platform.next_launch(course_slug=course.slug)
    form = login_and_get_form(client, fake_platform, platform)
    settings.LTI_ALLOW_LOOPBACK = False  # as in production: loopback is refused at fetch time

    response = client.post("/lti/launch/", form)

    _refused(response, 400, "could not read your learning platform")
