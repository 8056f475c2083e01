import pytest


@pytest.fixture
def opt_in():
    """Turn a topic on for a user the way the account page does."""
    from learnward.communications.services import communication_preference_set

    def factory(user, *topics):
        for topic in topics:
            communication_preference_set(user=user, topic=topic, enabled=True)
        return user

    return factory


@pytest.fixture
def restrict():
    from learnward.privacy.rights.services import restriction_start

    def factory(user):
        return restriction_start(user=user, actor=user, reason="Checking my data is right")

    return factory


@pytest.fixture
def object_to_marketing():
    """An objection to direct marketing (Art. 21(2)), as the DPO would log one from a letter.

    The rights service only records objections to legitimate-interests purposes, so the row is
    written here directly; the sender must still honour it (Art. 21(3)).
    """
    from learnward.privacy.consent.models import Objection

    def factory(user):
        return Objection.objects.create(user=user, purpose="marketing", reason="By letter")

    return factory
