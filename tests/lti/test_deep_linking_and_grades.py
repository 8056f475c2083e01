"""Deep Linking (an instructor picks a course; the signed response verifies against the tool's
key set) and grade passback (a completion posts a score the loopback platform receives)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from learnward.assessments.services import attempt_start, attempt_submit
from learnward.learning.services import lesson_mark_complete
from learnward.lti.models import LtiLaunch, LtiScore
from tests.catalog.factories import answers_for, lessons_of, make_course
from tests.fakes.lti_platform import INSTRUCTOR

from .conftest import launch

pytestmark = pytest.mark.django_db

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


def _launch_id(response) -> str:
    return re.search(r'name="launch_id" value="([^"]+)"', response.content.decode()).group(1)


def test_deep_linking_returns_a_signed_resource_link_for_the_chosen_course(
    client, fake_platform, platform
):
    chosen = make_course(title="Safeguarding adults", modules=1, lessons_per_module=1)
    make_course(title="Draft course", published=False, modules=1, lessons_per_module=1)

    picker = launch(client, fake_platform, platform, kind="deep_link", roles=[INSTRUCTOR])

    assert picker.status_code == 200
    page = picker.content.decode()
    assert "Safeguarding adults" in page and "Draft course" not in page
    # The platform shows the picker in its own dialog: framing is allowed for it only.
    assert "X-Frame-Options" not in picker.headers
    assert f"frame-ancestors {fake_platform.base_url}" in picker["Content-Security-Policy"]
    assert "_auth_user_id" not in client.session  # choosing a course signs nobody in

    back = client.post("/lti/deep-link/", {"launch_id": _launch_id(picker), "course": chosen.slug})

    assert back.status_code == 200
    html = back.content.decode()
    assert f'action="{fake_platform.base_url}/deep-link-return"' in html
    token = unescape(re.search(r'name="JWT" value="([^"]+)"', html).group(1))
    claims = fake_platform.deep_link_claims(token)  # verified with the tool's JWKS
    assert claims["iss"] == fake_platform.client_id
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == (
        "LtiDeepLinkingResponse"
    )
    assert claims[DL + "data"] == "platform-data-7"
    (item,) = claims[DL + "content_items"]
    assert item["type"] == "ltiResourceLink"
    assert item["title"] == "Safeguarding adults"
    assert item["url"] == "http://testserver/lti/launch/"
    assert item["custom"] == {"learnward_course": chosen.slug}
    assert item["lineItem"]["scoreMaximum"] == 100


def test_the_tools_key_set_is_public_and_verifies_its_signatures(client, lti_settings):
    from learnward.lti import keys

    response = client.get("/lti/jwks.json")
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["kid"] == keys.tool_key().kid
    assert "d" not in key  # never the private half


def test_a_learner_cannot_use_deep_linking(client, fake_platform, platform):
    make_course(modules=1, lessons_per_module=1)
    response = launch(client, fake_platform, platform, kind="deep_link")
    assert response.status_code == 403
    assert "Only instructors" in response.content.decode()


def test_a_made_up_launch_id_cannot_make_a_deep_link(client, lti_settings, db):
    course = make_course(modules=1, lessons_per_module=1)
    response = client.post(
        "/lti/deep-link/", {"launch_id": "lti1p3-launch-made-up", "course": course.slug}
    )
    assert response.status_code == 400
    assert "JWT" not in response.content.decode()


def _complete(user, course):
    for lesson in lessons_of(course):
        lesson_mark_complete(user=user, lesson=lesson)


def test_completing_a_launched_course_posts_the_grade_to_the_platform(
    client, fake_platform, platform, django_capture_on_commit_callbacks
):
    course = make_course(modules=1, lessons_per_module=2, questions=0)
    launch(client, fake_platform, platform, course_slug=course.slug, sub="learner-9")
    user = LtiLaunch.objects.get().user

    with django_capture_on_commit_callbacks(execute=True):
        _complete(user, course)

    (score,) = fake_platform.scores
    assert score["userId"] == "learner-9"
    assert score["scoreGiven"] == 100 and score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert score["_lineitem"] == "/lineitems/1"
    # The access token came from the platform's token URL with the tool's signed assertion.
    assert fake_platform.token_requests[0]["grant_type"] == "client_credentials"
    row = LtiScore.objects.get()
    assert row.status == LtiScore.Status.SENT and row.attempts == 1


def test_an_assessment_score_is_what_the_completion_sends(
    client, fake_platform, platform, django_capture_on_commit_callbacks
):
    course = make_course(modules=1, lessons_per_module=1, questions=2, pass_mark=50)
    launch(client, fake_platform, platform, course_slug=course.slug, sub="learner-3")
    user = LtiLaunch.objects.get().user

    with django_capture_on_commit_callbacks(execute=True):
        _complete(user, course)
        attempt = attempt_start(user=user, assessment=course.assessment)
    right, wrong = answers_for(course), answers_for(course, right=False)
    first, second = list(right)
    answers = {first: right[first], second: wrong[second]}  # one right of two: 50 %
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=attempt, actor=user, answers=answers)

    given = [s["scoreGiven"] for s in fake_platform.scores]
    assert given[0] == 50  # the attempt's result
    assert given[-1] == 50  # the completion sends the passed attempt's score, not 100
    assert {s["userId"] for s in fake_platform.scores} == {"learner-3"}


def test_a_refused_score_is_kept_for_a_retry_and_sent_once(
    client, fake_platform, platform, django_capture_on_commit_callbacks
):
    from learnward.lti.services import retry_delay, score_send

    course = make_course(modules=1, lessons_per_module=1, questions=0)
    launch(client, fake_platform, platform, course_slug=course.slug)
    user = LtiLaunch.objects.get().user
    fake_platform.fail_scores = 1

    with django_capture_on_commit_callbacks(execute=True):
        _complete(user, course)

    row = LtiScore.objects.get()
    assert row.status == LtiScore.Status.PENDING and row.attempts == 1
    assert "503" in row.last_error
    assert retry_delay(row).total_seconds() == 60
    assert fake_platform.scores == []

    score_send(score_id=row.pk)
    score_send(score_id=row.pk)  # already sent: not again

    assert len(fake_platform.scores) == 1
    row.refresh_from_db()
    assert row.status == LtiScore.Status.SENT and row.attempts == 2


def test_a_course_not_launched_from_a_platform_sends_nothing(
    make_user, fake_platform, platform, django_capture_on_commit_callbacks
):
    course = make_course(modules=1, lessons_per_module=1, questions=0)
    user = make_user()
    from learnward.learning.services import enrolment_create

    enrolment_create(user=user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        _complete(user, course)
    assert fake_platform.scores == [] and not LtiScore.objects.exists()


def test_a_platform_url_turned_private_is_not_fetched(
    client, fake_platform, platform, django_capture_on_commit_callbacks, settings
):
    course = make_course(modules=1, lessons_per_module=1, questions=0)
    launch(client, fake_platform, platform, course_slug=course.slug)
    user = LtiLaunch.objects.get().user
    settings.LTI_ALLOW_LOOPBACK = False  # production: loopback is refused at request time

    with django_capture_on_commit_callbacks(execute=True):
        _complete(user, course)

    assert fake_platform.scores == [] and fake_platform.token_requests == []
    assert "UnsafeURL" in LtiScore.objects.get().last_error


def test_an_objection_to_grade_passback_sends_nothing(
    client, fake_platform, platform, django_capture_on_commit_callbacks
):
    from learnward.privacy.rights.services import objection_record

    course = make_course(modules=1, lessons_per_module=1, questions=0)
    launch(client, fake_platform, platform, course_slug=course.slug, sub="learner-5")
    user = LtiLaunch.objects.get().user
    objection_record(user=user, purpose="lti_grade_passback", actor=user)

    with django_capture_on_commit_callbacks(execute=True):
        _complete(user, course)

    assert fake_platform.scores == []
    assert not LtiScore.objects.exists()
