import pytest

from tests.fakes.stripe import FakeStripe


@pytest.fixture
def fake_stripe(settings, monkeypatch):
    """Stripe's API on loopback (tests/fakes/stripe.py), with the store's keys pointing at it
    and Stripe registered as the payment processor, so card payment is offered."""
    import stripe

    from learnward.privacy.records.models import Processor

    monkeypatch.setattr(stripe, "enable_telemetry", False)
    fake = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = fake.secret_key
    settings.STRIPE_WEBHOOK_SECRET = fake.webhook_secret
    settings.STRIPE_API_BASE = fake.base_url
    Processor.objects.create(
        name="Stripe Payments Europe, Ltd.",
        service="Card payments",
        purposes=["purchases"],
        data_categories=["user.financial", "user.contact.email"],
        location="Ireland, with transfers to the United States",
        transfer_mechanism=Processor.TransferMechanism.SCCS,
    )
    yield fake
    fake.stop()
