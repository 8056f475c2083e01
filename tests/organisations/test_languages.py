"""Organisations in Dutch and French: the managers' digest in each manager's saved language,
invitations in the invitee's language (their account's, else the inviting page's), the matrix
page under /fr/, and a CSV whose headers and values stay as they are."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from learnward.organisations.models import Invitation
from tests.organisations.test_matrix_support import (
    add_member,
    certify,
    clock,  # noqa: F401 - fixture
    make_course,
    make_org,
    progress,
    require,
)

pytestmark = pytest.mark.django_db


def _in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.mark.usefixtures("clock")
def test_a_dutch_manager_gets_the_digest_in_dutch(smtp_server, make_user, settings):
    settings.BASE_URL = "https://learn.example.test"
    org = make_org()
    manager = make_user(email="mina@example.test", display_name="Mina Manager", language="nl")
    add_member(org, manager, manager=True, digest_opt_in=True)
    fire = make_course("Fire safety")
    require(org, fire)
    nadia = make_user(display_name="Nadia New")
    add_member(org, nadia)
    certify(nadia, fire, awarded_on=date(2025, 6, 12))
    call_command("organisations_digest")
    [message] = smtp_server.messages
    assert message.subject == "Wekelijks opleidingsoverzicht: Oak Care Home"
    text = message.text.replace("\r\n", "\n")
    assert text.startswith("Beste Mina Manager,")
    assert "Hier is uw wekelijkse overzicht van de vereiste opleidingen." in text
    assert (
        "Nieuwe certificaten sinds 8 juni 2025:\n- Nadia New: Fire safety, behaald op 12 juni 2025"
        in text
    )
    assert "https://learn.example.test/nl/organisations/oak-care-home/compliance/" in text
    assert "Here is your weekly digest" not in text and "awarded" not in text


def test_an_invitation_from_a_french_page_is_written_in_french(
    client, org, manager, pool, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.BASE_URL = "https://learn.example.test"
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _in("fr", "organisations:invite", org.slug),
            {"email": "nouveau@example.test", "name": "Nina Nouveau", "pool": pool.pk},
        )
    assert response.status_code == 302
    [received] = smtp_server.to("nouveau@example.test")
    # (a subject with accents arrives as an encoded word, unfolded with a leading space)
    assert received.subject.strip() == (
        f"Harbourside Care Ltd vous invite à la rejoindre sur {settings.PROVIDER_NAME}"
    )
    text = received.text
    assert text.startswith("Bonjour Nina Nouveau,")
    assert "avec une place au cours Manual handling." in text
    assert "https://learn.example.test/fr/organisations/invitations/" in text
    assert "invites you" not in text


def test_an_invitation_to_an_account_follows_its_saved_language(
    client, org, manager, make_user, smtp_server, django_capture_on_commit_callbacks
):
    make_user(email="bram@example.test", display_name="Bram", language="nl")
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organisations:invite", args=[org.slug]), {"email": "bram@example.test"}
        )
    [received] = smtp_server.to("bram@example.test")
    assert received.subject.strip().startswith("Harbourside Care Ltd nodigt u uit om lid te worden")
    assert received.text.startswith("Goedendag,")  # no name given on the invitation
    assert "/nl/organisations/invitations/" in received.text
    assert Invitation.objects.get(email="bram@example.test").status == "pending"


@pytest.mark.usefixtures("clock")
def test_the_matrix_in_french_and_its_csv_unchanged(client, make_user, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    org = make_org()
    manager = make_user(email="manager@example.test", display_name="Mina Manager")
    add_member(org, manager, manager=True)
    food = make_course("Food hygiene")
    require(org, food)
    cook = make_user(display_name="Colin Cook")
    add_member(org, cook)
    progress(cook, food, 2)
    client.force_login(manager)
    page = client.get(_in("fr", "organisations:matrix", org.slug)).content.decode()
    assert "Matrice de conformité : Oak Care Home" in page
    assert "En cours : 50 %" in page
    assert "Compliance matrix" not in page and "In progress" not in page
    response = client.get(_in("fr", "organisations:matrix_csv", org.slug))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["Name", "Email", "Department", "Course", "Required", "Status"]
    (cook_row,) = [row for row in rows if row[0] == "Colin Cook"]
    assert cook_row[3:6] == ["Food hygiene", "yes", "In progress: 50%"]


def test_the_members_own_page_in_dutch(client, org, make_user):
    from .factories import join

    member = make_user(display_name="Sam Member")
    join(org, member)
    client.force_login(member)
    page = client.get(_in("nl", "organisations:mine")).content.decode()
    assert "<h1>Uw organisaties</h1>" in page
    assert "Harbourside Care Ltd verlaten" in page
    assert "Your organisations" not in page
