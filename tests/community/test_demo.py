import pytest
from django.urls import reverse

from learnward.community.models import Member, Post, Thread
from learnward.core.demo import load_demo
from learnward.privacy.consent.services import consent_given

pytestmark = pytest.mark.django_db


def test_the_demo_community_loads_once_and_the_learner_sees_it_and_a_recommendation(client):
    result = load_demo()
    load_demo()
    assert sorted(result["community"]["spaces"]) == ["Community", "Safeguarding basics"]
    assert Member.objects.count() == 3
    assert all(consent_given(user=m.user, purpose="community") for m in Member.objects.all())
    question = Thread.objects.get(space__kind="course")
    assert question.answered_at is not None
    assert Post.objects.filter(mentions__isnull=False).count() == 1
    client.post(
        "/accounts/login/", {"username": "learner@learnward.test", "password": "tulip-harbour-42"}
    )
    page = client.get(reverse("community:thread", args=[question.pk])).content.decode()
    assert "Who do I tell first about a concern?" in page and "Answered" in page
    dashboard = client.get(reverse("learning:dashboard")).content.decode()
    assert "Recommended next" in dashboard
    assert "Required by Harbourside Care Ltd" in dashboard
