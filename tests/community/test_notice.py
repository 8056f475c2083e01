"""The privacy notice names the community and recommendations from the registry: their lawful
bases, the balancing statement, and that quotes in others' posts are not chased on erasure."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_notice_names_the_community_and_recommendations(client):
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "The community" in page and "Consent" in page
    assert "Quotes of your words in other people" in page
    assert "Recommending your next course" in page
    assert "Balanced against your interests" in page


def test_recommendations_are_declared_on_the_data_they_read():
    from learnward.learning.models import Completion, Enrolment
    from learnward.privacy.registry import DeclarationError, add_purpose, declaration_for

    for model in (Completion, Enrolment):
        assert "recommendations" in declaration_for(model).purposes
    with pytest.raises(DeclarationError, match="unknown purpose"):
        add_purpose(Completion, "no-such-purpose")
    with pytest.raises(DeclarationError, match="not declared"):
        add_purpose("learning.NoSuchModel", "recommendations")
