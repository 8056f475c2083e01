"""LTI records in My data, erasure and retention; the tool's key; the iframe cookie; retries."""

from __future__ import annotations

import stat
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learnward.lti.models import LtiAccountLink, LtiLaunch, LtiPlatform, LtiScore
from tests.catalog.factories import make_course

from .conftest import launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def launched(client, fake_platform, platform):
    course = make_course(modules=1, lessons_per_module=1, questions=0)
    launch(client, fake_platform, platform, course_slug=course.slug, sub="u-7")
    return LtiLaunch.objects.get()


def _score(launch: LtiLaunch, **fields) -> LtiScore:
    return LtiScore.objects.create(
        launch=launch,
        user=launch.user,
        reason=LtiScore.Reason.COMPLETED,
        score_given=100,
        activity_progress="Completed",
        grading_progress="FullyGraded",
        created_at=fields.pop("created_at", timezone.now()),
        **fields,
    )


def test_my_data_lists_the_platform_link_and_launches(client, launched):
    page = client.get("/privacy/my-data/").content.decode()
    assert "Learning platforms you opened courses from" in page
    assert "Courses you opened from another learning platform" in page


def test_launches_and_scores_are_deleted_after_the_declared_days(launched, settings):
    from learnward.privacy.retention.services import retention_run

    assert settings.LTI_RECORD_DAYS == 365
    _score(launched, created_at=launched.launched_at)
    made = launched.launched_at
    retention_run(now=made + timedelta(days=364))
    assert LtiLaunch.objects.exists() and LtiScore.objects.exists()
    with time_machine.travel(made + timedelta(days=366), tick=False):
        retention_run(now=timezone.now())
    assert not LtiLaunch.objects.exists() and not LtiScore.objects.exists()
    assert LtiAccountLink.objects.exists()  # kept while the account exists


def test_erasing_the_learner_erases_the_link_launches_and_scores(launched):
    from learnward.privacy.rights.erasure import subject_erase

    _score(launched)
    subject_erase(user=launched.user, reason="test erasure")
    assert not LtiAccountLink.objects.exists()
    assert not LtiLaunch.objects.exists() and not LtiScore.objects.exists()
    assert LtiPlatform.objects.exists()


def test_the_tool_key_is_generated_once_into_the_data_dir_private(settings, tmp_path):
    from learnward.lti import keys

    settings.LTI_KEY = ""
    settings.LTI_KEY_FILE = tmp_path / "keys" / "lti_rsa"
    first = keys.tool_key()
    assert stat.S_IMODE(settings.LTI_KEY_FILE.stat().st_mode) == 0o600
    keys._tool_key.cache_clear()
    assert keys.tool_key().kid == first.kid  # read back, not made again
    assert keys.jwks()["keys"][0]["kid"] == first.kid


def test_a_bad_key_in_the_environment_stops_with_a_clear_message(settings):
    from django.core.exceptions import ImproperlyConfigured

    from learnward.lti import keys

    settings.LTI_KEY = "not a key"
    with pytest.raises(ImproperlyConfigured, match="LEARNWARD_LTI_KEY"):
        keys.tool_key()


def test_over_https_the_state_cookie_works_in_the_platforms_iframe(client, fake_platform, platform):
    response = client.get(
        f"/lti/login/{platform.uuid}/",
        {
            "iss": fake_platform.issuer,
            "login_hint": "x",
            "target_link_uri": "http://testserver/lti/launch/",
            "client_id": fake_platform.client_id,
        },
        secure=True,
    )
    assert response.status_code == 302
    state = [c for name, c in response.cookies.items() if name.startswith("lti1p3-state-")]
    assert state, response.cookies
    assert state[0]["samesite"] == "None" and state[0]["secure"] and state[0]["httponly"]


def test_a_score_is_given_up_after_five_tries(launched, fake_platform):
    from learnward.lti.services import SCORE_MAX_ATTEMPTS, retry_delay, score_send

    score = _score(launched)
    fake_platform.fail_scores = 10
    for attempt in range(1, SCORE_MAX_ATTEMPTS):
        score = score_send(score_id=score.pk)
        assert score.status == LtiScore.Status.PENDING and score.attempts == attempt
        assert retry_delay(score) is not None
    score = score_send(score_id=score.pk)
    assert score.status == LtiScore.Status.FAILED and score.attempts == SCORE_MAX_ATTEMPTS
    assert retry_delay(score) is None
    assert fake_platform.scores == []


def test_the_worker_retries_a_refused_score_later(
    launched, fake_platform, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    from learnward.lti.tasks import lti_score_send

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    score = _score(launched)
    fake_platform.fail_scores = 1
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        lti_score_send.call(score.pk)

    (queued,) = default_task_backend.results
    assert queued.args == [score.pk]
    assert queued.task.run_after >= before + timedelta(seconds=60)
