import json

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

from learnward.accounts import demo
from learnward.accounts.models import User
from learnward.accounts.roles import ADMINISTRATOR, COURSE_AUTHOR, DPO, FINANCE, TEACHER, TUTOR

pytestmark = pytest.mark.django_db


def test_demo_users_are_created_once_and_can_log_in(client):
    first: dict = {"users": []}
    demo.load(first)
    second: dict = {"users": []}
    demo.load(second)
    assert first == second
    assert User.objects.count() == len(demo.DEMO_USERS) == 9

    by_email = {u["email"]: u for u in first["users"]}
    assert by_email["learner@learnward.test"]["roles"] == []
    assert by_email["author@learnward.test"]["roles"] == [COURSE_AUTHOR]
    assert by_email["tutor@learnward.test"]["roles"] == [TUTOR]
    assert by_email["admin@learnward.test"]["roles"] == [ADMINISTRATOR]
    assert by_email["dpo@learnward.test"]["roles"] == [DPO]
    assert by_email["finance@learnward.test"]["roles"] == [FINANCE]
    assert by_email["manager@learnward.test"]["roles"] == []
    assert by_email["teacher@learnward.test"]["roles"] == [TEACHER]
    assert User.objects.get(email="admin@learnward.test").is_superuser

    for entry in first["users"]:
        user = User.objects.get(email=entry["email"])
        validate_password(entry["password"], user)
        assert user.has_verified_email and user.display_name == entry["display_name"]
        assert set(user.groups.values_list("name", flat=True)) == set(entry["roles"])
        assert user.is_staff == bool(entry["roles"])
        response = client.post(
            "/accounts/login/", {"username": entry["email"], "password": entry["password"]}
        )
        assert response.status_code == 302, entry["email"]
        client.post("/accounts/logout/")


def test_demo_command_prints_the_logins(capsys):
    call_command("demo", "--json")
    data = json.loads(capsys.readouterr().out)
    emails = [u["email"] for u in data["users"]]
    assert "learner@learnward.test" in emails and "dpo@learnward.test" in emails
    call_command("demo")
    out = capsys.readouterr().out
    assert "learner@learnward.test" in out and "tulip-harbour-42" in out
