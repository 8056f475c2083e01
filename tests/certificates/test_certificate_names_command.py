"""Certificates issued before the name rules may print a name with hidden characters: the check
lists them by code (never the name) so staff can reissue them; the pages isolate the name."""

import io

import pytest
from django.core.management import call_command

from learnward.certificates.models import Certificate

pytestmark = pytest.mark.django_db


def _run() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("certificate_names", stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_clean_names_pass(certificate):
    code, out = _run()
    assert code == 0
    assert "clean" in out


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Amira \u202eFAKE", "changes the direction of the text"),
        ("Amira\r\nBcc: x@example.test", "a line break"),
        ("Amira\x07Okafor", "a control character"),
        ("Amira\u200bOkafor", "an invisible formatting character"),
    ],
)
def test_an_old_name_with_a_refused_character_is_listed_by_code(certificate, name, why):
    Certificate.objects.filter(pk=certificate.pk).update(holder_name=name)
    code, out = _run()
    assert code == 1
    assert f"{certificate.code}: the name holds" in out and why in out
    assert "Amira" not in out  # the list names codes, not people
    certificate.refresh_from_db()
    assert certificate.holder_name == name  # a snapshot: only a reissue changes it


def test_the_verification_page_isolates_the_printed_name(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(holder_name="Amira \u202eFAKE")
    response = client.get(f"/verify/{certificate.code}/", follow=True)
    assert response.status_code == 200
    assert "<bdi>Amira \u202eFAKE</bdi>" in response.content.decode()
