import pytest
from django.urls import reverse

from learnward.core.demo import load_demo
from learnward.organisations.models import Invitation, Membership, RequiredCourse, SeatPool

pytestmark = pytest.mark.django_db


def test_the_demo_organisation_is_loaded_once_and_its_manager_can_open_it(client):
    result = load_demo()
    assert result["organisations"] == ["harbourside-care"]
    load_demo()
    members = {
        (m.user.email, m.role, m.department) for m in Membership.objects.select_related("user")
    }
    assert members == {
        ("manager@learnward.test", "manager", "Management"),
        ("learner@learnward.test", "member", "Day care"),
        ("learner2@learnward.test", "member", "Night shift"),
    }
    assert RequiredCourse.objects.count() == 2
    assert SeatPool.objects.get().seats == 5
    assert Invitation.objects.get().status == "pending"
    client.post(
        "/accounts/login/",
        {"username": "manager@learnward.test", "password": "ledger-harbour-73"},
    )
    page = client.get(reverse("organisations:home", args=["harbourside-care"]))
    assert page.status_code == 200 and "new.starter@harbourside-care.test" in page.content.decode()
