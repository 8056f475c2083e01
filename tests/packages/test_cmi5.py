"""cmi5: the launch parameters, the fetch URL's one-time auth token, statements and state at
Learnward's small LRS, and "completed", "passed" and "satisfied" on Learnward's progress."""

import base64
import json
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from learnward.learning.models import ActivityEvent
from learnward.learning.services import enrolment_create
from learnward.packages import samples
from learnward.packages.models import PackageAttempt, PackageStatement
from learnward.packages.services import VERB_SATISFIED, learner_key, package_import

from .conftest import upload

pytestmark = pytest.mark.django_db

XAPI = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


@pytest.fixture
def learner(make_user, course):
    user = make_user(email="ana@example.test")
    enrolment_create(user=user, course=course)
    return user


def make_package(author, module, move_on="CompletedOrPassed"):
    return package_import(
        actor=author, upload=upload(samples.cmi5_package(move_on=move_on)), module=module
    )


def launch(client, learner, package) -> dict:
    client.force_login(learner)
    lesson = package.lesson
    page = client.get(reverse("learning:lesson", args=[lesson.module.course.slug, lesson.pk]))
    src = re.search(r'<iframe[^>]*src="([^"]+)"', page.content.decode()).group(1)
    src = src.replace("&amp;", "&")
    client.logout()
    query = {k: v[0] for k, v in parse_qs(urlsplit(src).query).items()}
    query["src"] = src
    return query


def fetch(client, url):
    return client.post(urlsplit(url).path)


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Basic {token}", **XAPI}


def statement(params, verb, **extra):
    return {
        "id": str(uuid.uuid4()),
        "actor": json.loads(params["actor"]),
        "verb": {"id": verb},
        "object": {"id": params["activityId"], "objectType": "Activity"},
        "context": {"registration": params["registration"]},
        **extra,
    }


def post_statements(client, token, body):
    return client.post(
        reverse("packages:xapi_statements"),
        data=json.dumps(body),
        content_type="application/json",
        **auth(token),
    )


def test_launch_carries_the_cmi5_parameters(client, author, module, learner):
    package = make_package(author, module)
    params = launch(client, learner, package)
    attempt = PackageAttempt.objects.get()
    assert params["src"].startswith("/packages/content/") and "/au/index.html?" in params["src"]
    assert params["endpoint"] == "http://testserver/packages/xapi/"
    assert params["registration"] == str(attempt.registration)
    assert params["activityId"] == package.activity_id
    actor = json.loads(params["actor"])
    assert actor["account"] == {
        "homePage": "http://127.0.0.1:8000",
        "name": learner_key(learner.pk),
    }
    assert "ana@example.test" not in params["src"]
    assert "/fetch" in params["fetch"]


def test_fetch_gives_the_token_once(client, author, module, learner):
    params = launch(client, learner, make_package(author, module))
    first = fetch(client, params["fetch"])
    assert first.status_code == 200
    token = first.json()["auth-token"]
    second = fetch(client, params["fetch"])
    assert second.status_code == 400
    assert second.json()["error-code"] == "1"
    assert "auth-token" not in second.json()
    # The token works at the LRS.
    about = client.get(reverse("packages:xapi_about"))
    assert about.json() == {"version": ["1.0.3"]}
    state = client.get(
        reverse("packages:xapi_state"),
        {
            "stateId": "LMS.LaunchData",
            "activityId": params["activityId"],
            "agent": params["actor"],
            "registration": params["registration"],
        },
        **auth(token),
    )
    assert state.status_code == 200
    data = state.json()
    assert data["moveOn"] == "CompletedOrPassed" and data["launchMode"] == "Normal"
    session = data["contextTemplate"]["extensions"][
        "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
    ]
    assert session and session in params["fetch"]


def test_a_new_launch_retires_the_old_fetch_url(client, author, module, learner):
    package = make_package(author, module)
    old = launch(client, learner, package)
    launch(client, learner, package)
    response = fetch(client, old["fetch"])
    assert response.status_code == 400 and response.json()["error-code"] == "2"


def test_statements_need_the_launch_token(client, author, module, learner):
    params = launch(client, learner, make_package(author, module))
    token = fetch(client, params["fetch"]).json()["auth-token"]
    body = statement(params, "http://adlnet.gov/expapi/verbs/initialized")
    wrong = base64.b64encode(f"{PackageAttempt.objects.get().pk}:guess".encode()).decode()
    assert post_statements(client, wrong, body).status_code == 401
    assert post_statements(client, "", body).status_code == 401
    no_version = client.post(
        reverse("packages:xapi_statements"),
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {token}",
    )
    assert no_version.status_code == 400
    assert not PackageStatement.objects.exists()
    ok = post_statements(client, token, body)
    assert ok.status_code == 200 and ok.json() == [body["id"]]
    assert ok["X-Experience-API-Version"] == "1.0.3"
    assert post_statements(client, token, body).status_code == 409  # the same id again


def test_statement_about_someone_else_is_refused(client, author, module, learner):
    params = launch(client, learner, make_package(author, module))
    token = fetch(client, params["fetch"]).json()["auth-token"]
    body = statement(params, "http://adlnet.gov/expapi/verbs/completed")
    body["actor"] = {"mbox": "mailto:someone@example.test"}
    assert post_statements(client, token, body).status_code == 400
    body = statement(params, "http://adlnet.gov/expapi/verbs/completed")
    body["context"]["registration"] = str(uuid.uuid4())
    assert post_statements(client, token, body).status_code == 400
    assert not PackageStatement.objects.exists()
    assert PackageAttempt.objects.get().completed_at is None


def test_completed_marks_progress_and_the_lms_says_satisfied(client, author, module, learner):
    package = make_package(author, module)
    params = launch(client, learner, package)
    token = fetch(client, params["fetch"]).json()["auth-token"]
    response = post_statements(
        client, token, [statement(params, "http://adlnet.gov/expapi/verbs/completed")]
    )
    assert response.status_code == 200
    attempt = PackageAttempt.objects.get()
    assert attempt.completed_at is not None
    assert ActivityEvent.objects.filter(
        user=learner, lesson=package.lesson, kind=ActivityEvent.Kind.COMPLETED
    ).exists()
    satisfied = PackageStatement.objects.get(verb=VERB_SATISFIED)
    assert satisfied.statement["context"]["registration"] == params["registration"]


def test_move_on_passed_waits_for_passed(client, author, module, learner):
    package = make_package(author, module, move_on="Passed")
    params = launch(client, learner, package)
    token = fetch(client, params["fetch"]).json()["auth-token"]
    post_statements(client, token, statement(params, "http://adlnet.gov/expapi/verbs/completed"))
    attempt = PackageAttempt.objects.get()
    assert attempt.completed_at is None
    assert not ActivityEvent.objects.filter(lesson=package.lesson, kind="completed").exists()
    passed = statement(
        params, "http://adlnet.gov/expapi/verbs/passed", result={"score": {"scaled": 0.8}}
    )
    post_statements(client, token, passed)
    attempt.refresh_from_db()
    assert attempt.completed_at and attempt.passed_at
    assert float(attempt.score_scaled) == 0.8
    assert ActivityEvent.objects.filter(lesson=package.lesson, kind="completed").exists()


def test_satisfied_statement_from_the_au_is_accepted(client, author, module, learner):
    package = make_package(author, module, move_on="CompletedAndPassed")
    params = launch(client, learner, package)
    token = fetch(client, params["fetch"]).json()["auth-token"]
    post_statements(client, token, statement(params, VERB_SATISFIED))
    attempt = PackageAttempt.objects.get()
    assert attempt.completed_at and attempt.passed_at
    assert PackageStatement.objects.filter(verb=VERB_SATISFIED).count() == 1


def test_state_documents_of_the_au(client, author, module, learner):
    params = launch(client, learner, make_package(author, module))
    token = fetch(client, params["fetch"]).json()["auth-token"]
    where = {
        "activityId": params["activityId"],
        "registration": params["registration"],
        "agent": params["actor"],
    }
    url = (
        reverse("packages:xapi_state")
        + "?"
        + "&".join(f"{k}={v}" for k, v in {**where, "stateId": "progress"}.items() if k != "agent")
    )
    put = client.put(
        url, data=json.dumps({"page": 3}), content_type="application/json", **auth(token)
    )
    assert put.status_code == 204
    got = client.get(
        reverse("packages:xapi_state"), {**where, "stateId": "progress"}, **auth(token)
    )
    assert got.json() == {"page": 3}
    launch_data = (
        reverse("packages:xapi_state")
        + "?"
        + "&".join(
            f"{k}={v}" for k, v in {**where, "stateId": "LMS.LaunchData"}.items() if k != "agent"
        )
    )
    assert (
        client.put(
            launch_data, data="{}", content_type="application/json", **auth(token)
        ).status_code
        == 403
    )
