"""Sharing: LinkedIn's add-to-profile link carries the right parameters, exactly encoded; the copy
link widget works without JavaScript; the print view is the holder's (or staff's) alone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from learnward.certificates.models import Certificate
from learnward.certificates.services import certificate_reissue, certificate_revoke
from learnward.certificates.share import (
    can_add_to_linkedin,
    linkedin_add_to_profile_url,
    linkedin_url_for,
)
from tests.settings_support import import_settings

CODE = "7KQ4-M2XD-9TRB-H"
VERIFY = f"https://learn.example.org/verify/{CODE}/"


def test_the_linkedin_url_has_linkedins_parameters_exactly_encoded():
    url = linkedin_add_to_profile_url(
        name="Safeguarding & Welfare: Level 2 — Café",
        organization_name="Smith & Jones Training Ltd",
        issued_on=date(2026, 3, 5),
        expires_on=date(2027, 11, 30),
        cert_url=VERIFY,
        cert_id=CODE,
    )
    assert url == (
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
        "&name=Safeguarding%20%26%20Welfare%3A%20Level%202%20%E2%80%94%20Caf%C3%A9"
        "&organizationName=Smith%20%26%20Jones%20Training%20Ltd"
        "&issueYear=2026&issueMonth=3&expirationYear=2027&expirationMonth=11"
        "&certUrl=https%3A%2F%2Flearn.example.org%2Fverify%2F7KQ4-M2XD-9TRB-H%2F"
        "&certId=7KQ4-M2XD-9TRB-H"
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert dict(parse_qsl(parts.query)) == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Safeguarding & Welfare: Level 2 — Café",
        "organizationName": "Smith & Jones Training Ltd",
        "issueYear": "2026",
        "issueMonth": "3",
        "expirationYear": "2027",
        "expirationMonth": "11",
        "certUrl": VERIFY,
        "certId": CODE,
    }


def test_the_organisation_id_replaces_the_name_and_no_expiry_means_no_expiration():
    url = linkedin_add_to_profile_url(
        name="Fire safety",
        organization_name="Ignored when the id is known",
        organization_id="1337",
        issued_on=date(2025, 12, 31),
        expires_on=None,
        cert_url=VERIFY,
        cert_id=CODE,
    )
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["organizationId"] == "1337"
    assert "organizationName" not in query
    assert "expirationYear" not in query and "expirationMonth" not in query
    assert (query["issueYear"], query["issueMonth"]) == ("2025", "12")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "  "}, "needs a name"),
        ({"organization_name": ""}, "organisation id or name"),
        ({"organization_id": "12ab"}, "is a number"),
    ],
)
def test_the_linkedin_url_refuses_missing_or_bad_fields(kwargs, message):
    fields = {
        "name": "Fire safety",
        "organization_name": "Provider",
        "issued_on": date(2026, 1, 1),
        "expires_on": None,
        "cert_url": VERIFY,
        "cert_id": CODE,
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        linkedin_add_to_profile_url(**fields)


@pytest.mark.django_db
def test_a_certificates_link_uses_the_provider_its_dates_and_verification_page(
    certificate, settings
):
    settings.PROVIDER_NAME = "Ærø Care & Training"
    query = dict(parse_qsl(urlsplit(linkedin_url_for(certificate)).query))
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.course_title,
        "organizationName": "Ærø Care & Training",
        "issueYear": str(certificate.awarded_on.year),
        "issueMonth": str(certificate.awarded_on.month),
        "expirationYear": str(certificate.expires_on.year),
        "expirationMonth": str(certificate.expires_on.month),
        "certUrl": f"http://127.0.0.1:8000/verify/{certificate.display_code}/",
        "certId": certificate.display_code,
    }
    settings.LINKEDIN_ORGANIZATION_ID = "987654"
    query = dict(parse_qsl(urlsplit(linkedin_url_for(certificate)).query))
    assert query["organizationId"] == "987654" and "organizationName" not in query


@pytest.mark.django_db
def test_only_valid_certificates_are_offered_to_linkedin(certificate):
    assert can_add_to_linkedin(certificate)
    assert not can_add_to_linkedin(certificate, today=certificate.expires_on)
    assert linkedin_url_for(certificate, today=certificate.expires_on) is None
    assert can_add_to_linkedin(certificate, today=certificate.expires_on - timedelta(days=1))
    certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    certificate.refresh_from_db()
    assert linkedin_url_for(certificate) is None


@pytest.mark.django_db
def test_the_detail_page_offers_the_link_to_copy_linkedin_and_print(certificate, client):
    client.force_login(certificate.user)
    response = client.get(f"/certificates/{certificate.display_code}/")
    page = response.content.decode()
    verify = f"http://127.0.0.1:8000/verify/{certificate.display_code}/"
    # Without JavaScript: a labelled read-only field holding the link; the button appears with JS.
    assert '<label for="verification-link">Verification link</label>' in page
    assert f'<input type="url" id="verification-link" value="{verify}" readonly>' in page
    assert (
        'data-copy-target="verification-link"' in page and " hidden>Copy verification link" in page
    )
    assert 'id="copy-status"' in page and 'role="status"' in page
    assert "/static/learnward/certificate-share.js" in page and "<script>" not in page
    linkedin = linkedin_url_for(certificate).replace("&", "&amp;")
    assert f'href="{linkedin}"' in page
    assert f'href="/certificates/{certificate.display_code}/print/"' in page


@pytest.mark.django_db
def test_a_revoked_certificate_is_not_offered_for_sharing(certificate, client):
    certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    client.force_login(certificate.user)
    page = client.get(f"/certificates/{certificate.display_code}/").content.decode()
    assert "linkedin.com" not in page
    assert "Copy verification link" not in page
    assert "not offered for sharing" in page


@pytest.mark.django_db
def test_the_print_view_renders_the_certificate_with_link_and_qr_code(certificate, client):
    client.force_login(certificate.user)
    response = client.get(f"/certificates/{certificate.display_code}/print/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = response.content.decode()
    verify = f"http://127.0.0.1:8000/verify/{certificate.display_code}/"
    assert certificate.holder_name in page and certificate.course_title in page
    assert certificate.display_code in page and f'href="{verify}"' in page
    assert 'src="data:image/svg+xml' in page
    assert f'alt="QR code of the verification link {verify}"' in page
    assert "/static/learnward/certificates.css" in page
    assert "revoked" not in page.lower().split("<article")[1]


@pytest.mark.django_db
def test_the_qr_code_on_the_print_view_encodes_the_verification_url(certificate):
    import segno

    from learnward.certificates.share import verification_qr_data_uri

    expected = segno.make(
        f"http://127.0.0.1:8000/verify/{certificate.display_code}/", error="m", micro=False
    ).svg_data_uri(scale=4, border=4, dark="#000", light="#fff")
    assert verification_qr_data_uri(certificate) == expected


@pytest.mark.django_db
def test_the_print_view_is_for_the_holder_and_staff_only(certificate, client, make_user):
    url = f"/certificates/{certificate.display_code}/print/"
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    assert client.get("/certificates/NOT-A-CODE/print/").status_code == 404
    client.force_login(make_user(roles=["Administrator"]))
    assert client.get(url).status_code == 200
    client.force_login(certificate.user)
    assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_the_print_view_of_a_replaced_certificate_says_so(certificate, client):
    certificate_reissue(certificate=certificate, holder_name="Amira O. Okafor", actor=None)
    certificate = Certificate.objects.get(pk=certificate.pk)
    client.force_login(certificate.user)
    page = client.get(f"/certificates/{certificate.display_code}/print/").content.decode()
    assert "replaced by a corrected certificate" in page and "Do not rely on it" in page


def test_settings_refuse_a_linkedin_organisation_id_that_is_not_a_number():
    result = import_settings({"LEARNWARD_LINKEDIN_ORGANIZATION_ID": "acme-training"})
    assert result.returncode != 0
    assert "LEARNWARD_LINKEDIN_ORGANIZATION_ID must be LinkedIn's number" in result.stderr


@pytest.mark.django_db
def test_the_day_the_certificate_expires_it_leaves_linkedin_offers(
    certificate, client, time_machine
):
    noon = timezone.make_aware(datetime.combine(certificate.expires_on, time(12)))
    time_machine.move_to(noon, tick=False)
    client.force_login(certificate.user)
    page = client.get(f"/certificates/{certificate.display_code}/").content.decode()
    assert "linkedin.com" not in page
    assert "Copy verification link" in page  # an expired certificate may still be shown as such
