"""Service email: a delivery failure becomes EmailDeliveryError naming the error type only."""

import logging
import smtplib
import socket

import pytest

from learnward.core.errors import ApplicationError
from learnward.core.mail import (
    EmailDeliveryError,
    build_email,
    deliver_service_email,
    normalise_email,
    send_service_email,
)

# Every email carries the provider's brand, which is read from the database.
pytestmark = pytest.mark.django_db

ADDRESS = "Refused.Person@Example.test"
TEMPLATE = "privacy/email/erased"
CONTEXT = {"name": "Refused Person", "dpo_email": "dpo@example.test"}


def _deliver(to: str = ADDRESS) -> None:
    deliver_service_email(to=to, subject="Deleted", template=TEMPLATE, context=CONTEXT)


def test_a_refused_recipient_becomes_an_error_that_names_no_address(smtp_server):
    smtp_server.refuse(ADDRESS)
    with pytest.raises(EmailDeliveryError) as caught:
        _deliver()
    error = caught.value
    assert str(error) == "SMTPRecipientsRefused"
    assert error.args == ("SMTPRecipientsRefused",)
    assert isinstance(error, ApplicationError)
    # Nothing chained either: the task runner's traceback would print the SMTP error's text.
    assert error.__cause__ is None and error.__suppress_context__
    assert "example.test" not in repr(error).lower()
    assert smtp_server.messages == []


def test_a_server_that_cannot_be_reached_becomes_an_error_that_names_no_address(settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    with pytest.raises(EmailDeliveryError) as caught:
        _deliver()
    assert str(caught.value) == "ConnectionRefusedError"


def test_the_plain_sender_lets_the_smtp_error_through(smtp_server):
    # Callers that retry on their own (breach notices, reminders) see the original error.
    smtp_server.refuse(ADDRESS)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_service_email(to=ADDRESS, subject="Deleted", template=TEMPLATE, context=CONTEXT)


def test_a_delivered_message_is_sent_and_logged_without_the_address(smtp_server, caplog):
    with caplog.at_level(logging.INFO, logger="learnward.core.mail"):
        _deliver("someone@example.test")
    [received] = smtp_server.to("someone@example.test")
    assert received.subject == "Deleted"
    assert "dpo@example.test" in received.text
    ours = [r.getMessage() for r in caplog.records if r.name == "learnward.core.mail"]
    assert ours == [f"service email sent: {TEMPLATE}"]


def test_build_email_adds_the_site_to_the_context(settings):
    message = build_email(to="a@example.test", subject=" Hi \n", template=TEMPLATE, context=CONTEXT)
    assert message.subject == "Hi"
    assert message.to == ["a@example.test"]
    assert settings.PROVIDER_NAME in message.body
    assert message.alternatives == []  # no .html template for this one


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("  Ada.Lovelace@Example.COM \n", "ada.lovelace@example.com"),
        ("no-at-sign", "no-at-sign"),
        ("", ""),
    ],
)
def test_normalise_email(given, stored):
    assert normalise_email(given) == stored


def test_the_accounts_name_still_works():
    from learnward.accounts import services

    assert services.normalise_email is normalise_email
