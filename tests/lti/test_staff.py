"""The staff pages at /staff/lti/: registering a platform, its addresses, who may see them."""

from __future__ import annotations

import pytest

from learnward.accounts.roles import ADMINISTRATOR, COURSE_AUTHOR
from learnward.lti.models import LtiPlatform

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Harbourside Moodle",
    "issuer": "https://moodle.harbourside.example",
    "client_id": "abc123",
    "auth_login_url": "https://moodle.harbourside.example/mod/lti/auth.php",
    "auth_token_url": "https://moodle.harbourside.example/mod/lti/token.php",
    "jwks_url": "https://moodle.harbourside.example/mod/lti/certs.php",
    "audience": "",
    "link_by_email": "on",
    "enabled": "on",
    "deployment_ids": "3\n7\n",
}


@pytest.fixture
def admin(client, make_user, lti_settings):
    user = make_user(roles=[ADMINISTRATOR])
    client.force_login(user)
    return user


def test_an_administrator_registers_a_platform_and_sees_the_urls_to_give_it(client, admin):
    response = client.post("/staff/lti/add/", GOOD)

    platform = LtiPlatform.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/lti/{platform.pk}/"
    assert sorted(platform.deployments.values_list("deployment_id", flat=True)) == ["3", "7"]
    page = client.get(response["Location"]).content.decode()
    assert f"http://testserver/lti/login/{platform.uuid}/" in page
    assert "http://testserver/lti/launch/" in page
    assert "http://testserver/lti/jwks.json" in page
    listing = client.get("/staff/lti/").content.decode()
    assert "Harbourside Moodle" in listing
    assert (
        'href="/staff/lti/" aria-current="page" data-staff-link="lti">LTI platforms</a>' in listing
    )  # staff nav


def test_changing_deployments_replaces_them(client, admin):
    client.post("/staff/lti/add/", GOOD)
    platform = LtiPlatform.objects.get()
    client.post(f"/staff/lti/{platform.pk}/", {**GOOD, "deployment_ids": "7\n9"})
    assert sorted(platform.deployments.values_list("deployment_id", flat=True)) == ["7", "9"]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("jwks_url", "http://moodle.harbourside.example/certs", "must start with https://"),
        ("auth_token_url", "https://10.0.0.5/token", "public internet"),
        ("deployment_ids", "  \n ", "at least one deployment ID"),
    ],
)
def test_bad_registrations_are_refused_with_a_clear_message(client, admin, field, value, words):
    response = client.post("/staff/lti/add/", {**GOOD, field: value})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not LtiPlatform.objects.exists()


def test_loopback_platform_urls_need_the_setting(client, admin, settings):
    settings.LTI_ALLOW_LOOPBACK = False
    settings.DEBUG = False
    response = client.post("/staff/lti/add/", {**GOOD, "jwks_url": "http://127.0.0.1:9/jwks"})
    assert response.status_code == 400
    assert "LEARNWARD_LTI_ALLOW_LOOPBACK" in response.content.decode()


def test_staff_without_the_permission_and_learners_get_404(client, make_user, lti_settings):
    for user in (make_user(roles=[COURSE_AUTHOR]), make_user()):
        client.force_login(user)
        assert client.get("/staff/lti/").status_code == 404
        assert client.post("/staff/lti/add/", GOOD).status_code == 404
    assert not LtiPlatform.objects.exists()


def test_the_demo_platform_is_labelled_as_an_example_and_loaded_once(client, admin):
    from learnward.lti import demo

    first: dict = {}
    demo.load(first)
    demo.load({})
    platform = LtiPlatform.objects.get()
    assert platform.is_example and "(example)" in platform.name
    page = client.get(f"/staff/lti/{platform.pk}/").content.decode()
    assert "An example made by the demo data" in page
    assert first == {"lti_platforms": [platform.name]}


def test_the_notice_names_each_real_platform_as_a_recipient_of_grades(db, lti_settings):
    from learnward.lti import demo
    from learnward.lti.selectors import platform_recipients

    demo.load({})
    LtiPlatform.objects.create(
        name="Harbourside Moodle",
        issuer="https://x.example",
        client_id="1",
        auth_login_url="https://x.example/a",
        auth_token_url="https://x.example/t",
        jwks_url="https://x.example/j",
    )
    assert platform_recipients() == ["Harbourside Moodle (learning platform)"]


def test_the_privacy_notice_lists_the_platforms_that_receive_grades(client, db, lti_settings):
    from learnward.privacy.registry.purposes import get_purpose

    LtiPlatform.objects.create(
        name="Harbourside Moodle",
        issuer="https://x.example",
        client_id="1",
        auth_login_url="https://x.example/a",
        auth_token_url="https://x.example/t",
        jwks_url="https://x.example/j",
    )
    assert (
        "Harbourside Moodle (learning platform)"
        in get_purpose("lti_grade_passback").all_recipients()
    )
    page = client.get("/privacy/").content.decode()
    assert "Harbourside Moodle (learning platform)" in page
